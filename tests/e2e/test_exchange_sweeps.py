"""End to end: the exchange sweeps on the fake clock (nog nodig, expiry, no helper,
klopt dit nog, pausing, monthly invitations), each sent once however often they run."""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.fake_telegram import FakeUser
from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.escalation.model import OfferStatus, SourceKind
from tests.e2e.exchange_helpers import neighbours, quick_entry, quick_request, say, tap, xbot

__all__ = ["xbot"]


def _sent(bot: Harness, user: FakeUser, needle: str) -> int:
    """How many messages (not edits) the bot sent to a person with this text."""
    return sum(
        1
        for call in bot.fake.calls_to("sendMessage")
        if call.ok
        and call.params.get("chat_id") in (user.id, str(user.id))
        and needle in str(call.params.get("text", ""))
    )


async def test_stale_request_is_asked_then_expires(xbot: Harness, clock: FakeClock) -> None:
    bot = xbot
    group, _, (anna,) = await neighbours(bot, "Anna")
    await quick_request(bot, anna, "Wie kan mijn heg snoeien?", "garden")
    card = group.find("Hulpvraag")

    clock.advance(timedelta(days=5, minutes=1))
    await bot.tick()
    await bot.tick()
    assert _sent(bot, anna, "Is het nog nodig?") == 1
    await tap(bot, anna, "Ja, nog nodig")
    assert anna.private.find("blijft staan")

    clock.advance(timedelta(days=4))
    await bot.tick()
    assert _sent(bot, anna, "Is het nog nodig?") == 1, "asked again only after 5 days"
    clock.advance(timedelta(days=1, minutes=1))
    await bot.tick()
    assert _sent(bot, anna, "Is het nog nodig?") == 2

    clock.advance(timedelta(days=8))
    await bot.tick()
    assert "gesloten" not in card.text
    clock.advance(timedelta(days=1, minutes=1))
    await bot.tick()
    await bot.tick()
    assert "Deze vraag is gesloten" in card.text
    assert card.buttons == ["🚩 Melden"]
    assert _sent(bot, anna, "is gesloten, omdat ik niets meer hoorde") == 1


async def test_no_helper_after_three_days_offers_a_professional(
    xbot: Harness, clock: FakeClock
) -> None:
    bot = xbot
    group, _, (anna,) = await neighbours(bot, "Anna")
    request = await quick_request(
        bot, anna, "Wie helpt met een brief van de gemeente?", "paperwork"
    )
    await quick_request(bot, anna, "Wie leent mij een boormachine?", "tools")
    clock.advance(timedelta(days=2, hours=23))
    await bot.tick()
    assert _sent(bot, anna, "drie dagen open") == 0
    clock.advance(timedelta(hours=2))
    await bot.tick()
    await bot.tick()
    # Only the letter: a drill nobody lends is no case for the wijkteam (issue 15.11).
    assert _sent(bot, anna, "drie dagen open") == 1
    assert "Wie helpt met een brief van de gemeente?" in anna.private.last.text
    async with bot.services.db.read() as tx:
        offer = await tx.cases.offer(1)
    assert offer is not None
    assert (offer.source.kind, offer.source.ref_id) == (SourceKind.NO_HELPER, request.id)
    await tap(bot, anna, "Nee, dank je")
    assert "Er is niets doorgegeven" in anna.private.last.text
    # Offered once per request: later sweeps (also after the offer was answered) stay quiet.
    clock.advance(timedelta(days=1))
    await bot.tick()
    await bot.tick()
    assert _sent(bot, anna, "drie dagen open") == 1
    async with bot.services.db.read() as tx:
        answered = await tx.cases.offer(1)
        assert await tx.cases.offer(2) is None
    assert answered is not None
    assert answered.status is OfferStatus.DECLINED
    assert "🤝 Ik help" in group.find("Hulpvraag").buttons


async def test_entries_are_checked_after_six_months_and_paused_without_answer(
    xbot: Harness, clock: FakeClock
) -> None:
    bot = xbot
    _, _, (bram, anna) = await neighbours(bot, "Bram", "Anna")
    await quick_entry(bot, bram, "ladder lenen", "tools")
    await quick_entry(bot, anna, "koffie drinken", "company")

    clock.advance(timedelta(days=181))
    await bot.tick()
    assert _sent(bot, bram, "Klopt dit nog?") == 0
    clock.advance(timedelta(days=2))
    await bot.tick()
    await bot.tick()
    assert _sent(bot, bram, "Klopt dit nog?") == 1
    assert _sent(bot, anna, "Klopt dit nog?") == 1
    await tap(bot, anna, "✅ Klopt nog")
    assert "blijft in ‘wie kan wat’ staan" in anna.private.last.text

    clock.advance(timedelta(days=14, minutes=1))
    await bot.tick()
    await bot.tick()
    assert _sent(bot, bram, "op pauze gezet") == 1
    assert _sent(bot, anna, "op pauze gezet") == 0
    await say(bot, anna, "/wiekanwat ladder")
    assert "Ik vond nog niemand" in anna.private.last.text
    await tap(bot, bram, "▶️ Weer aanzetten")
    await say(bot, anna, "/wiekanwat ladder")
    assert "Bram" in anna.private.last.text


async def test_invitation_at_joining_then_monthly_until_declined(
    xbot: Harness, clock: FakeClock
) -> None:
    bot = xbot
    _, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    assert _sent(bot, anna, "Wil je één klein ding") == 1
    await quick_entry(bot, bram, "ladder lenen", "tools")

    clock.advance(timedelta(days=29))
    await bot.tick()
    assert _sent(bot, anna, "Heb jij ook iets kleins te geven?") == 0
    clock.advance(timedelta(days=2))
    await bot.tick()
    await bot.tick()
    assert _sent(bot, anna, "Heb jij ook iets kleins te geven?") == 1
    assert _sent(bot, bram, "Heb jij ook iets kleins te geven?") == 0
    await tap(bot, anna, "Niet meer vragen")
    assert "ik vraag het niet meer" in anna.private.last.text

    clock.advance(timedelta(days=62))
    await bot.tick()
    assert _sent(bot, anna, "Heb jij ook iets kleins te geven?") == 1
