"""The digest keeps its local time on the night the clocks go back (25 October 2026)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.e2e.digest_helpers import FakeExchange, digests, one_thanks, plug
from tests.e2e.helpers import street_group


@pytest.fixture
def clock() -> FakeClock:
    """Saturday 24 October 2026, noon in Amsterdam, still summer time."""
    return FakeClock(datetime(2026, 10, 24, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))


async def test_sunday_five_pm_stays_five_pm_after_the_clocks_go_back(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    exchange = FakeExchange()
    one_thanks(exchange, street)
    plug(bot, exchange)
    await bot.tick()
    # 15:00 UTC would be 17:00 in summer time; on this Sunday it is 16:00 local.
    clock.set(datetime(2026, 10, 25, 15, 0, tzinfo=UTC))
    await bot.tick()
    assert digests(group) == []
    clock.set(datetime(2026, 10, 25, 16, 0, tzinfo=UTC))  # 17:00 winter time
    await bot.tick()
    (digest,) = digests(group)
    assert digest.date == int(datetime(2026, 10, 25, 16, 0, tzinfo=UTC).timestamp())
