"""Steps the check-in end-to-end tests share: a street, Anna with Joost as her buddy."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from handlers.guard import SpamGuard
from models.core import Street
from tests.e2e.helpers import resident, street_group

AMS = ZoneInfo("Europe/Amsterdam")
GOOD = "😊 Ja, alles goed"
NOT_GOOD = "😕 Niet zo goed"
TALK = "☕ Ik wil graag even praten"
GOING = "🚶 Ik ga kijken"
CANNOT = "Ik kan nu niet"


@pytest.fixture
async def cbot(bot: Harness) -> Harness:
    """The bot, without the one-message-per-second wait per private chat (as the exchange)."""
    assert bot.app is not None
    bot.app.bot.rate_limiter._private_rate = 0  # type: ignore[union-attr]
    bot.app.bot_data.spam = SpamGuard(1000)
    return bot


def ams(*args: int) -> datetime:
    """A moment in Amsterdam."""
    return datetime(*args, tzinfo=AMS)  # type: ignore[misc]


async def tap(bot: Harness, user: FakeUser, label: str, chat: FakeChat | None = None) -> str:
    """Press the newest button with this label (default: the private chat), then settle."""
    where = chat or user.private
    query = user.press(where.with_button(label), label)
    await bot.settle()
    return query


async def volunteer(bot: Harness, user: FakeUser) -> None:
    """Instellingen → "Buren mogen mij vragen als buddy"."""
    user.send("/menu")
    await bot.settle()
    await tap(bot, user, "⚙️ Instellingen")
    await tap(bot, user, "🤝 Buren mogen mij vragen als buddy")
    user.private.find("Buren uit je straat kunnen je nu vragen als buddy")


async def opt_in(
    bot: Harness, anna: FakeUser, buddy: FakeUser, *, workers: bool = True, time: str = "09:00"
) -> None:
    """Mijn overzicht → even contact: every day, at `time`, two hours, the buddy asked."""
    anna.send("/menu")
    await bot.settle()
    await tap(bot, anna, "📋 Mijn overzicht")
    await tap(bot, anna, "💬 Even contact instellen")
    await tap(bot, anna, "Elke dag")
    await tap(bot, anna, time)
    await tap(bot, anna, "2 uur")
    await tap(bot, anna, "✅ Ja, dat mag" if workers else "Nee, alleen mijn buddy")
    await tap(bot, anna, buddy.first_name)
    anna.private.find(f"Ik heb het aan {buddy.first_name} gevraagd")


async def accept(bot: Harness, buddy: FakeUser) -> None:
    """The buddy says yes."""
    buddy.private.find("vraagt of jij buddy wilt zijn")
    await tap(bot, buddy, "✅ Ja, ik wil buddy zijn")


async def anna_and_joost(
    bot: Harness, *, workers: bool = True
) -> tuple[FakeChat, Street, FakeUser, FakeUser]:
    """A street where Anna has a daily 9:00 check-in and Joost accepted to be her buddy."""
    group, _, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    joost = await resident(bot, street, "Joost")
    await volunteer(bot, joost)
    await opt_in(bot, anna, joost, workers=workers)
    await accept(bot, joost)
    return group, street, anna, joost


async def at(bot: Harness, moment: datetime) -> None:
    """Move the clock and let the sweeps run."""
    clock = bot.clock
    clock.set(moment)  # type: ignore[attr-defined]
    await bot.tick()
