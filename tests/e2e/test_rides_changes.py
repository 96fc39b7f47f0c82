"""End to end: the driver hears of every late change, and no booking promises a lost reminder.

Issue 15.2 and 15.3. Joost drives on Tuesday at 10:00. A passenger who cancels in the
morning, and the waiting-list neighbour who moves up, reach him as one message with the
list as it is then; a ride published the evening before (no evening reminder) still tells
him. Anna, who books at 20:45 the evening before, is told the truth: the next message
comes an hour before departure.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.sandbox.fake_telegram import FakeUser
from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.conftest import AMSTERDAM
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import neighbour, publish, tap


def _changes(user: FakeUser) -> list[str]:
    return [t for t in user.private.texts() if "Er is iets veranderd" in t]


async def _cancel(bot: Harness, user: FakeUser) -> None:
    view = user.private.with_button("✖️ Afmelden")
    await tap(bot, user, view, "✖️ Afmelden")
    await tap(bot, user, user.private.with_button("✖️ Ja, afmelden"), "✖️ Ja, afmelden")


async def test_a_cancellation_and_the_move_up_reach_the_driver_as_one_message(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    joost, anna, bram, cor = [
        await neighbour(bot, group, street, name) for name in ("Joost", "Anna", "Bram", "Cor")
    ]
    await publish(bot, joost)
    card = group.find("Boodschappenrit naar")
    await tap(bot, anna, card, "🙋 Ik rij mee")
    await tap(bot, bram, card, "🙋 Ik rij mee")
    await tap(bot, cor, card, "📝 Zet me op de wachtlijst")
    clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    assert "Bram" in joost.private.find("Morgen rijd je").text
    assert not _changes(joost)

    clock.set(datetime(2026, 12, 1, 8, 30, tzinfo=AMSTERDAM))
    await _cancel(bot, bram)
    assert not _changes(joost)  # gathered for a moment: one message, not two
    clock.advance(timedelta(minutes=2))
    await bot.tick()
    (notice,) = _changes(joost)
    assert "Bram</b> rijdt toch niet mee" in joost.private.find("Er is iets veranderd").html
    assert "Cor" in notice
    assert "was op de wachtlijst" in notice
    who_now = notice.split("\n\n", 1)[1]
    assert "Anna" in who_now
    assert "Cor" in who_now
    assert "Bram" not in who_now

    # The hour reminder is built from the list as it is at 9:00.
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    hour = joost.private.last.text
    assert "Cor" in hour
    assert "Bram" not in hour


async def test_a_ride_published_the_evening_before_tells_its_driver_after_the_hour_reminder(
    bot: Harness, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 30, 20, 0, tzinfo=AMSTERDAM))
    group, _, street = await street_group(bot)
    joost, anna, bram = [
        await neighbour(bot, group, street, name) for name in ("Joost", "Anna", "Bram")
    ]
    await publish(bot, joost)
    card = group.find("Boodschappenrit naar")
    await tap(bot, anna, card, "🙋 Ik rij mee")
    # Anna cancels before any reminder: the hour reminder brings the list, without her.
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=AMSTERDAM))
    await _cancel(bot, anna)
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    assert "Anna" not in joost.private.last.text
    assert not _changes(joost)
    # Bram books at 9:20: Joost hears of it before he leaves.
    clock.set(datetime(2026, 12, 1, 9, 20, tzinfo=AMSTERDAM))
    await tap(bot, bram, card, "🙋 Ik rij mee")
    clock.advance(timedelta(minutes=2))
    await bot.tick()
    (notice,) = _changes(joost)
    assert "Bram" in notice


async def test_a_booking_after_the_evening_reminder_promises_only_the_hour_one(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    await publish(bot, joost)
    clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    clock.set(datetime(2026, 11, 30, 20, 45, tzinfo=AMSTERDAM))
    await tap(bot, anna, group.find("Boodschappenrit naar"), "🙋 Ik rij mee")
    booked = anna.private.find("Gelukt! Je rijdt mee.").text
    assert "avond ervoor" not in booked
    assert "Om 09:00, een uur voor vertrek" in booked
    # And it comes, once.
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    assert len([t for t in anna.private.texts() if "over een uur" in t.lower()]) == 1


async def test_a_booking_in_the_last_hour_promises_no_reminder(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    await publish(bot, joost)
    clock.set(datetime(2026, 12, 1, 9, 30, tzinfo=AMSTERDAM))
    await tap(bot, anna, group.find("Boodschappenrit naar"), "🙋 Ik rij mee")
    booked = anna.private.find("Gelukt! Je rijdt mee.").text
    assert "geen herinnering meer" in booked
