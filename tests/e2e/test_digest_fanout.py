"""Two hundred streets get their digest at the same moment: each exactly once, no 429."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.core import ChannelUser, ChatRef
from models.streets import StreetService
from tests.e2e.digest_helpers import HEADER, FakeExchange, one_thanks, plug

STREETS = 200


class EveryoneAdmin:
    """Telegram's answer for the volunteer who set up every group in this test."""

    async def is_administrator(self, chat: ChatRef, external_id: str) -> bool:
        return True


async def test_two_hundred_streets_without_a_429(bot: Harness, clock: FakeClock) -> None:
    # Groups as Telegram has them (bot added, an administrator), linked through the real
    # StreetService; only the administrator check is answered locally to keep this lean.
    setup = StreetService(bot.services.db, bot.clock, EveryoneAdmin())
    admin = bot.fake.add_user("Sam")
    exchange = FakeExchange()
    groups = {}
    for number in range(STREETS):
        group = bot.fake.add_group(f"Straat {number} buren", admins=[admin])
        group.bot_member = True
        result = await setup.setup(
            ChannelUser(external_id=str(admin.id)),
            ChatRef(chat_id=str(group.id)),
            group.title,
            f"Straat {number}",
            f"Wijk {number // 20}",
            "Vlietstad",
            "nl",
        )
        groups[group.id] = group
        one_thanks(exchange, result.street)
    plug(bot, exchange)
    bot.fake.limits.enabled = True
    calls_before = len(bot.fake.calls)

    clock.set(datetime(2026, 12, 6, 17, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))
    assert bot.runtime is not None
    await bot.runtime.sweep()
    await bot.settle(within=180)
    await bot.runtime.sweep()  # a second sweep in the same week claims nothing
    await bot.settle(within=30)

    calls = bot.fake.calls[calls_before:]
    refused = [c for c in calls if not c.ok]
    assert refused == [], f"{len(refused)} refused, first: {refused[0].error}"
    sent = Counter(
        int(c.params["chat_id"])
        for c in calls
        if c.method == "sendMessage" and HEADER in str(c.params.get("text"))
    )
    assert set(sent) == set(groups)
    assert set(sent.values()) == {1}
    for group in groups.values():
        assert len([m for m in group.bot_messages if HEADER in (m.text or "")]) == 1
    async with bot.services.db.read() as tx:
        counts = await tx.outbox.counts()
    assert counts.get("sent") == STREETS
