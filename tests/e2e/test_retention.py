"""Retention (PRODUCT.md §3.9): texts of closed requests and closed cases are removed when
their period is over, on the sweep, once; open requests and the counts stay."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.sandbox.harness import Harness, running_bot
from models.clock import FakeClock
from tests.e2e.escalation_helpers import open_case, team
from tests.e2e.escalation_helpers import tap as tap_in
from tests.e2e.exchange_helpers import channel_user, neighbours, quick_request, xbot
from tests.e2e.privacy_helpers import count

__all__ = ["xbot"]

DONE_TEXT = "Wie leent mij een boor-R1?"
OPEN_TEXT = "Wie wandelt mee-R2?"
STOPPED_TEXT = "Wie past op de kat-R3?"
CASE_TEXT = "Mijn brieven van de bank-K1"
REMOVED = "Dit bericht is verwijderd."


async def _texts(bot: Harness) -> dict[str, str]:
    async with bot.services.db.read() as tx:
        rows = (
            await tx.conn.exec_driver_sql("SELECT id, text FROM exchange_requests ORDER BY id")
        ).all()
    return {str(i): str(t) for i, t in rows}


async def test_closed_texts_go_after_their_period(xbot: Harness, clock: FakeClock) -> None:
    bot = xbot
    assert bot.settings.request_text_retention_days == 90
    assert bot.settings.case_text_retention_days == 180
    group, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    x = bot.services.exchange
    me = channel_user(anna)
    done = await quick_request(bot, anna, DONE_TEXT, "tools")
    await x.requests.help(channel_user(bram), done.id)
    await x.requests.done(me, done.id)
    kept = await quick_request(bot, anna, OPEN_TEXT, "company")
    stopped = await quick_request(bot, anna, STOPPED_TEXT, "pets")
    await x.requests.cancel(me, stopped.id)
    mods, samira = await team(bot)
    await open_case(bot, anna, text=CASE_TEXT)
    await tap_in(bot, samira, mods, "✅ Afsluiten")
    await tap_in(bot, samira, samira.private, "opgelost")
    bot.services.wake_outbox()
    await bot.settle()
    card = group.find(DONE_TEXT)

    # Day 89 after closing: everything is still there.
    clock.advance(timedelta(days=89))
    await bot.tick()
    texts = await _texts(bot)
    assert texts[str(done.id)] == DONE_TEXT
    assert texts[str(stopped.id)] == STOPPED_TEXT

    # Day 91: the two closed requests lose their text, and their cards leave the group.
    clock.advance(timedelta(days=2))
    await bot.tick()
    texts = await _texts(bot)
    assert texts[str(done.id)] == ""
    assert texts[str(stopped.id)] == ""
    assert texts[str(kept.id)] == OPEN_TEXT  # open, or closed too recently
    assert card.text == REMOVED
    assert not any(DONE_TEXT in t or STOPPED_TEXT in t for t in group.texts())
    assert await count(bot, "SELECT count(*) FROM exchange_requests") == 3
    assert await count(bot, "SELECT count(*) FROM cases WHERE text IS NOT NULL") == 1
    # Copies of messages sent more than a week ago are not kept in the outbox.
    assert await count(
        bot, "SELECT count(*) FROM outbox WHERE status = 'sent' AND payload != '{}'"
    ) < await count(bot, "SELECT count(*) FROM outbox WHERE status = 'sent'")

    # The sweep runs again and again: nothing changes twice.
    edits = len(bot.fake.calls_to("editMessageText"))
    for _ in range(3):
        await bot.tick()
    assert len(bot.fake.calls_to("editMessageText")) == edits
    assert (
        await count(bot, "SELECT count(*) FROM audit_log WHERE action = 'retention.request_texts'")
        == 1
    )

    # Day 181: the closed case loses its text; the case itself still counts.
    clock.advance(timedelta(days=90))
    await bot.tick()
    assert await count(bot, "SELECT count(*) FROM cases WHERE text IS NOT NULL") == 0
    assert (
        await count(
            bot, "SELECT count(*) FROM cases WHERE status = 'closed' AND erased_at IS NOT NULL"
        )
        == 1
    )
    async with bot.services.db.read() as tx:
        found = (await tx.conn.exec_driver_sql("SELECT text FROM cases")).all()
    assert CASE_TEXT not in str(found)


async def test_periods_come_from_the_settings_and_privacy_says_them(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with running_bot(
        tmp_path / "bot.sqlite3",
        clock=clock,
        request_text_retention_days=7,
        case_text_retention_days=30,
    ) as bot:
        _, _, (anna,) = await neighbours(bot, "Anna")
        anna.send("/privacy")
        await bot.settle()
        text = anna.private.last.text or ""
        assert "Dan wissen we de tekst na 7 dagen." in text
        assert "Dan wissen we de teksten na 30 dagen." in text
        request = await quick_request(bot, anna, STOPPED_TEXT, "pets")
        await bot.services.exchange.requests.cancel(channel_user(anna), request.id)
        clock.advance(timedelta(days=6))
        await bot.tick()
        assert (await _texts(bot))[str(request.id)] == STOPPED_TEXT
        clock.advance(timedelta(days=2))
        await bot.tick()
        assert (await _texts(bot))[str(request.id)] == ""
