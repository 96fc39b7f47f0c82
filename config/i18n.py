"""Translations: gettext catalogs (read with Babel) keyed by symbolic message ids.

Every capability keeps its own `.po` file per language under `config/locales/<lang>/`;
all files of a language form one catalog. Message ids are symbolic ("menu.ask"), so the
Dutch and the English text are both real translations and a missing one is detectable.
"""

from __future__ import annotations

import html
import logging
import re
import string
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

LOCALES = Path(__file__).parent / "locales"
_FORMATTER = string.Formatter()


class Safe(str):
    """Text that is already valid HTML for the channel (not escaped again)."""

    __slots__ = ()


# A slash that Telegram would turn into a tappable command: "/b" in "</b>" a resident typed.
_COMMAND_SLASH = re.compile(r"(?<![\w/:])/(?=[A-Za-z0-9_])")
WORD_JOINER = "\u2060"  # invisible; no command starts with it


def escape(value: object) -> str:
    """Escape a value for Telegram HTML, unless it is marked Safe.

    Slashes that would start a bot command get an invisible word joiner after them, so
    text people typed ("/b", "</script>") shows as typed and is never a tappable command;
    the bot's own commands are in the catalog texts, never in parameters."""
    if isinstance(value, Safe):
        return str(value)
    return _COMMAND_SLASH.sub("/" + WORD_JOINER, html.escape(str(value), quote=False))


def placeholders(text: str) -> set[str]:
    """The {names} a catalog text uses."""
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name}


Forms = tuple[str, ...]


class Translator:
    """Looks up and fills message texts per language."""

    def __init__(self, catalogs: Mapping[str, Mapping[str, Forms]], default: str = "nl") -> None:
        self._catalogs = catalogs
        self.default = default

    @classmethod
    def load(cls, folder: Path = LOCALES, default: str = "nl") -> Translator:
        """Read every `.po` file under folder/<lang>/."""
        catalogs: dict[str, dict[str, Forms]] = {}
        for lang_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            merged: dict[str, Forms] = {}
            for po in sorted(lang_dir.glob("*.po")):
                with po.open("rb") as fh:
                    catalog = read_po(fh, locale=lang_dir.name)
                for message in catalog:
                    if not message.id:
                        continue
                    key = str(
                        message.id[0] if isinstance(message.id, tuple | list) else message.id
                    )
                    forms = (
                        tuple(message.string)
                        if isinstance(message.string, tuple | list)
                        else (message.string,)
                    )
                    if key in merged:
                        raise ValueError(f"{po}: message id {key!r} defined twice")
                    merged[key] = tuple(str(f) for f in forms)
            catalogs[lang_dir.name] = merged
        return cls(catalogs, default)

    @property
    def languages(self) -> Iterable[str]:
        """Languages with a catalog."""
        return self._catalogs.keys()

    def keys(self, language: str) -> set[str]:
        """Message ids with a non-empty text in a language."""
        return {k for k, forms in self._catalogs.get(language, {}).items() if all(forms)}

    def raw(self, language: str, key: str, count: int | None = None) -> str:
        """The catalog text (plural form chosen by count), falling back to the default."""
        for lang in (language, self.default):
            forms = self._catalogs.get(lang, {}).get(key)
            if forms and all(forms):
                if count is not None and len(forms) > 1:
                    # Dutch and English share the rule: one form for 1, another otherwise.
                    return forms[0] if count == 1 else forms[1]
                return forms[0]
        log.warning("missing translation", extra={"key": key, "language": language})
        return key

    def html(self, language: str, key: str, /, count: int | None = None, **params: Any) -> str:
        """Text for an HTML message: parameters are escaped unless marked Safe."""
        values = {k: escape(v) for k, v in params.items()}
        if count is not None:
            values.setdefault("count", str(count))
        return self.raw(language, key, count).format(**values)

    def plain(self, language: str, key: str, /, count: int | None = None, **params: Any) -> str:
        """Text for a button label or a pop-up: not HTML, parameters as they are."""
        values = {k: str(v) for k, v in params.items()}
        if count is not None:
            values.setdefault("count", str(count))
        return self.raw(language, key, count).format(**values)
