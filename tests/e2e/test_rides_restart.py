"""Reminders survive restarts: never lost, never twice — on the night the clocks go back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.sandbox.harness import Harness
from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.rides.service import RideService
from tests.conftest import AMSTERDAM
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import neighbour, publish, tap


@pytest.fixture
def clock() -> FakeClock:
    """Friday 23 October 2026, 12:00 in Amsterdam; on Sunday the clocks go back an hour."""
    return FakeClock(datetime(2026, 10, 23, 12, 0, tzinfo=AMSTERDAM))


def _count(texts: list[str], needle: str) -> int:
    return sum(needle in t for t in texts)


async def test_restart_between_publishing_and_the_reminders(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    await publish(bot, joost, day="zo 25 okt", time="10:00")
    card = group.find("Boodschappenrit naar AH Amsterdamstraat")
    assert "zondag 25 oktober om 10:00" in (card.text or "")
    await tap(bot, anna, card, "🙋 Ik rij mee")

    # A deploy on Saturday afternoon, before anything was due.
    await bot.restart()
    clock.set(datetime(2026, 10, 24, 15, 59, tzinfo=UTC))  # 17:59 summer time
    await bot.tick()
    assert _count(joost.private.texts(), "Morgen rijd je") == 0

    # The bot is down at 18:00 and comes back at 18:30: the reminders come once, late.
    await bot.stop()
    clock.set(datetime(2026, 10, 24, 16, 30, tzinfo=UTC))
    await bot.start()
    await bot.tick()
    assert _count(joost.private.texts(), "Morgen rijd je naar AH") == 1
    assert _count(anna.private.texts(), "Morgen rijd je mee") == 1
    assert "zondag 25 oktober om 10:00" in anna.private.last.text  # type: ignore[operator]

    # Another restart: nothing is sent twice.
    await bot.restart()
    await bot.tick()
    await bot.tick()
    assert _count(joost.private.texts(), "Morgen rijd je") == 1
    assert _count(anna.private.texts(), "Morgen rijd je mee") == 1

    # Winter time now (UTC+1): one hour before 10:00 is 08:00 UTC, not 07:00.
    clock.set(datetime(2026, 10, 25, 7, 59, tzinfo=UTC))
    await bot.tick()
    assert _count(anna.private.texts(), "Over een uur") == 0
    clock.set(datetime(2026, 10, 25, 8, 0, tzinfo=UTC))
    await bot.restart()
    await bot.tick()
    await bot.tick()
    hour = "Over een uur rijd je mee naar AH Amsterdamstraat, om 10:00"
    assert _count(anna.private.texts(), hour) == 1
    assert _count(joost.private.texts(), "Over een uur vertrek je") == 1


async def test_a_reminder_claimed_but_not_yet_sent_is_sent_once_after_a_crash(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    await publish(bot, joost, day="zo 25 okt", time="10:00")
    await tap(bot, anna, group.find("Boodschappenrit naar"), "🙋 Ik rij mee")
    # The sweep claims and enqueues the reminders, and the bot dies before sending them.
    await bot.stop()
    clock.set(datetime(2026, 10, 24, 16, 0, tzinfo=UTC))
    db = SqlDatabase.from_url(bot.settings.database_url)
    assert await RideService(db, clock, AMSTERDAM).send_reminders() == 2
    await db.close()
    # Back up, with Telegram failing twice at first.
    bot.fake.fail("server", method="sendMessage", times=2)
    await bot.start()
    await bot.tick()
    for _ in range(3):  # the outbox retries a little later
        clock.advance(timedelta(minutes=1))
        await bot.tick()
    assert sum(not c.ok for c in bot.fake.calls_to("sendMessage")) == 2
    assert _count(anna.private.texts(), "Morgen rijd je mee") == 1
    assert _count(joost.private.texts(), "Morgen rijd je naar") == 1
