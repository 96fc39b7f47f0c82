"""Every message id used in the code has a Dutch and an English text with the same slots."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from config.i18n import Translator, placeholders

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
# Functions whose first string argument after the language is a message id.
KEYWORDS = {"t": (2,), "tp": (2,), "html": (2,), "plain": (2,), "raw": (2,)}


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for folder in ("handlers", "bot", "models"):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if isinstance(message, str) and KEY.match(message):
                keys.add(message)
    for path in (ROOT / "models").rglob("*.py"):
        keys.update(
            re.findall(r'message_key(?:: ClassVar\[str\])? = "([a-z0-9_.]+)"', path.read_text())
        )
    return keys


def test_code_keys_exist_in_every_language() -> None:
    translator = Translator.load()
    used = _used_keys()
    assert len(used) > 20
    for language in ("nl", "en"):
        missing = sorted(used - translator.keys(language))
        assert not missing, f"{language} lacks: {missing}"


def test_languages_have_the_same_keys_and_placeholders() -> None:
    translator = Translator.load()
    nl, en = translator.keys("nl"), translator.keys("en")
    assert nl == en, f"only nl: {sorted(nl - en)}; only en: {sorted(en - nl)}"
    for key in nl:
        assert placeholders(translator.raw("nl", key)) == placeholders(
            translator.raw("en", key)
        ), key


def test_every_text_renders_as_telegram_html() -> None:
    from bot.sandbox.telegram_html import parse_html

    translator = Translator.load()
    for language in ("nl", "en"):
        for key in translator.keys(language):
            text = translator.raw(language, key)
            values = dict.fromkeys(placeholders(text), "x")
            parse_html(text.format(**values))
