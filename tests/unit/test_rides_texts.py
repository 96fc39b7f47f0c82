"""No rides text lies unused in the catalogs, and plural texts keep their slots.

That every text the code asks for exists in both languages is checked for all capabilities
at once by test_translations, from the syntax tree."""

from __future__ import annotations

from config.i18n import Translator, placeholders
from tests.unit.test_translations import DYNAMIC
from tests.unit.text_keys import HOLE, find


def _used() -> set[str]:
    found = find()
    keys = found.literal()
    for key in found.patterns():
        keys |= {key.replace(HOLE, value) for value in DYNAMIC.get(key, ())}
    return keys


def test_no_unused_rides_texts() -> None:
    used = _used()
    unused = sorted(
        k for k in Translator.load().keys("nl") if k.startswith("rides.") and k not in used
    )
    assert not unused, f"texts nobody uses: {unused}"


def test_plural_texts_have_the_same_slots_in_both_forms() -> None:
    translator = Translator.load()
    for language in ("nl", "en"):
        for key in translator.keys(language):
            if not key.startswith("rides."):
                continue
            one, many = translator.raw(language, key, 1), translator.raw(language, key, 2)
            assert placeholders(one) == placeholders(many), (language, key)
