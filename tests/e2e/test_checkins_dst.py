"""A check-in paused over the night the clocks go back (25 October 2026) resumes at 9:00."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.e2e.checkin_helpers import AMS, GOOD, anna_and_joost, at, cbot, tap

__all__ = ["cbot"]


@pytest.fixture
def clock() -> FakeClock:
    """Tuesday 20 October 2026, 10:00 in Amsterdam, still summer time."""
    return FakeClock(datetime(2026, 10, 20, 10, 0, tzinfo=AMS))


async def test_a_pause_over_the_dst_change(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    anna.send("/menu")
    await cbot.settle()
    await tap(cbot, anna, "📋 Mijn overzicht")
    await tap(cbot, anna, "⏸ Pauzeren")
    await tap(cbot, anna, "1 week")
    anna.private.find("Je check-in is gepauzeerd tot dinsdag 27 oktober")
    # Every morning of the pause: nothing, and no alarm for the silence.
    for day in range(21, 27):
        await at(cbot, datetime(2026, 10, day, 12, 0, tzinfo=AMS))
    assert not [t for t in anna.private.texts() if "alles goed?" in t]
    assert not [t for t in joost.private.texts() if "niet gereageerd" in t]
    # 07:00 UTC was 09:00 in summer; on 27 October it is 08:00 local: too early.
    await at(cbot, datetime(2026, 10, 27, 7, 0, tzinfo=UTC))
    assert not [t for t in anna.private.texts() if "Welkom terug" in t]
    await at(cbot, datetime(2026, 10, 27, 8, 0, tzinfo=UTC))  # 09:00 winter time
    anna.private.find("Welkom terug!")
    prompt = anna.private.find("Goedemorgen Anna, alles goed?")
    assert prompt.date == int(datetime(2026, 10, 27, 8, 0, tzinfo=UTC).timestamp())
    await tap(cbot, anna, GOOD)
    anna.private.find("Fijn om te horen!")
