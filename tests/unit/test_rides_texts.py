"""Every rides text the code asks for exists in Dutch and English with the same slots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config.i18n import Translator, placeholders
from models.rides.model import PickupKind
from models.rides.notices import Moment

ROOT = Path(__file__).resolve().parents[2]
# A text id has two dots at least ("rides.card.title"); flows and notification kinds one.
KEY = re.compile(r'"(rides\.[a-z0-9_]+\.[a-z0-9_.]*[a-z0-9])"')
# Keys built from a reminder's moment, a pickup kind, or a toast's situation.
MOMENTS: tuple[Moment, ...] = ("evening", "hour")
DYNAMIC = {
    f"rides.reminder.{prefix}{moment}"
    for moment in MOMENTS
    for prefix in ("", "proxy_", "driver_")
} | {f"rides.pickup.button_{kind.value}" for kind in PickupKind}
DYNAMIC |= {f"rides.toast.{what}_no_chat" for what in ("booked", "waiting")}


def _used() -> set[str]:
    keys = set(DYNAMIC)
    for folder in ("handlers/rides", "models/rides"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            keys.update(KEY.findall(text))
    return keys


def test_the_code_uses_many_rides_texts() -> None:
    assert len(_used()) > 150


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_rides_text_exists(language: str) -> None:
    missing = sorted(_used() - Translator.load().keys(language))
    assert not missing, f"{language} lacks: {missing}"


def test_no_unused_rides_texts() -> None:
    unused = sorted(
        k for k in Translator.load().keys("nl") if k.startswith("rides.") and k not in _used()
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
