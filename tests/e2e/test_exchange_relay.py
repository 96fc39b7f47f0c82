"""End to end: the relay between neighbours, several conversations, limits and endings."""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes

from __future__ import annotations

from bot.sandbox.harness import Harness
from models.escalation.model import OfferStatus, SourceKind
from tests.e2e.exchange_helpers import (
    neighbours,
    quick_entry,
    quick_request,
    say,
    tap,
    xbot,
)

__all__ = ["xbot"]


async def test_several_conversations_choose_and_the_current_one_is_shown(xbot: Harness) -> None:
    bot = xbot
    _, _, (anna, bram, cees) = await neighbours(bot, "Anna", "Bram", "Cees")
    await quick_entry(bot, bram, "ladder lenen", "tools")
    await quick_entry(bot, cees, "koffie drinken", "company")
    await say(bot, anna, "/wiekanwat ladder")
    await tap(bot, anna, "💬 1. Vraag Bram")
    await say(bot, anna, "/wiekanwat koffie")
    await tap(bot, anna, "💬 1. Vraag Cees")
    # The newest conversation is current.
    await say(bot, anna, "Zin in koffie morgen?")
    assert "Zin in koffie morgen?" in cees.private.find("Zin in koffie").text
    assert "Doorgestuurd aan Cees" in anna.private.last.text
    assert "🔀 Ander gesprek" in anna.private.last.buttons
    # Switch to Bram and write there.
    await tap(bot, anna, "🔀 Ander gesprek")
    await tap(bot, anna, "Bram: ladder lenen")
    assert "Je schrijft nu aan Bram" in anna.private.last.text
    await say(bot, anna, "Mag ik je ladder lenen?")
    assert "Mag ik je ladder lenen?" in bram.private.find("Mag ik je ladder").text
    assert not any("ladder lenen?" in t for t in cees.private.texts())
    # Bram answers; his only conversation is current for him.
    await say(bot, bram, "Ja hoor")
    assert "Ja hoor" in anna.private.find("Ja hoor").text
    overview_buttons = []
    await tap(bot, anna, "📋 Mijn overzicht")
    overview = anna.private.find("Mijn gesprekken")
    assert "met Bram over “ladder lenen” ✍️" in overview.text
    overview_buttons = overview.buttons
    assert "💬 Bram" in overview_buttons
    assert "💬 Cees" in overview_buttons


async def test_when_nobody_is_current_the_message_waits_for_a_choice(xbot: Harness) -> None:
    bot = xbot
    _, _, (anna, bram, cees) = await neighbours(bot, "Anna", "Bram", "Cees")
    await quick_entry(bot, anna, "ladder lenen", "tools")
    await say(bot, bram, "/wiekanwat ladder")
    await tap(bot, bram, "💬 1. Vraag Anna")
    await say(bot, cees, "/wiekanwat ladder")
    await tap(bot, cees, "💬 1. Vraag Anna")
    async with bot.services.db.write() as tx:
        resident = await tx.residents.by_external("telegram", str(anna.id))
        assert resident is not None
        await tx.exchange.set_focus(resident.id, None, bot.clock.now())
    await say(bot, anna, "Wie van jullie wil hem zaterdag?")
    assert "Aan wie is dit bericht?" in anna.private.last.text
    assert not any("zaterdag" in t for t in bram.private.texts() + cees.private.texts())
    await tap(bot, anna, "Cees: ladder lenen")
    assert any("Wie van jullie wil hem zaterdag?" in t for t in cees.private.texts())
    assert not any("zaterdag" in t for t in bram.private.texts())


async def test_a_blocked_bot_stops_the_relay_at_once(xbot: Harness) -> None:
    bot = xbot
    _, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    await quick_entry(bot, bram, "ladder lenen", "tools")
    await say(bot, anna, "/wiekanwat ladder")
    await tap(bot, anna, "💬 1. Vraag Bram")
    bram.block_bot()
    await say(bot, anna, "Hallo?")
    assert "Ik kan Bram geen berichten meer sturen" in anna.private.last.text
    await say(bot, anna, "Nog een keer")
    fallback = bot.services.i18n.plain("nl", "fallback.text")
    assert anna.private.last.text == fallback, "no conversation any more: the usual answer"
    assert sum("geen berichten meer sturen" in t for t in anna.private.texts()) == 1


async def test_relayed_messages_have_a_length_and_rate_limit(xbot: Harness) -> None:
    bot = xbot
    _, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    await quick_entry(bot, bram, "ladder lenen", "tools")
    await say(bot, anna, "/wiekanwat ladder")
    await tap(bot, anna, "💬 1. Vraag Bram")
    await say(bot, anna, "x" * 1001)
    assert "Dat is te lang: 1001 tekens" in anna.private.last.text
    for number in range(8):
        anna.send(f"bericht {number}")
    await bot.settle()
    anna.send("nog eentje")
    await bot.settle()
    assert "Rustig aan" in anna.private.last.text
    relayed = [t for t in bram.private.texts() if "Anna · over" in t]
    assert len(relayed) == 8


async def test_ending_a_conversation_opens_the_request_again(xbot: Harness) -> None:
    bot = xbot
    group, _, (anna, bram, cees) = await neighbours(bot, "Anna", "Bram", "Cees")
    await quick_request(bot, anna, "Wie kan mijn heg snoeien?", "garden")
    card = group.find("Hulpvraag")
    bram.press(card, "🤝 Ik help")
    await bot.settle()
    assert card.buttons == ["🚩 Melden"]
    await tap(bot, bram, "🛑 Stop gesprek")
    await tap(bot, bram, "Ja, stop het gesprek")
    assert "Bram heeft het gesprek" in anna.private.find("heeft het gesprek").text
    assert card.buttons == ["🤝 Ik help", "🚩 Melden"]
    cees.press(card, "🤝 Ik help")
    await bot.settle()
    assert "Cees wil je helpen" in anna.private.find("Cees wil je helpen").text
    # The old conversation is over: Bram's messages no longer go through.
    await say(bot, bram, "Toch nog een vraag")
    assert not any("Toch nog een vraag" in t for t in anna.private.texts())


async def test_helper_marks_too_heavy_and_the_requester_is_asked(xbot: Harness) -> None:
    bot = xbot
    group, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    request = await quick_request(bot, anna, "Hulp met post sorteren", "paperwork")
    bram.press(group.find("Hulpvraag"), "🤝 Ik help")
    await bot.settle()
    await tap(bot, bram, "⚠️ Te zwaar voor buren")
    await tap(bot, bram, "Ja, te zwaar voor buren")
    assert "Jij hoort alleen of het is doorgegeven" in bram.private.last.text
    # Escalation's one consent path: an offer of route 1, about this request.
    consent = anna.private.find("denkt dat een professional je beter kan helpen")
    assert "Het gaat om je vraag: “Hulp met post sorteren”" in consent.text
    anna.press(consent, "Nee, dank je")
    await bot.settle()
    assert "Er is niets doorgegeven" in anna.private.last.text
    assert "is niet doorgegeven" in bram.private.last.text
    async with bot.services.db.read() as tx:
        offer = await tx.cases.offer(1)
    assert offer is not None
    assert (offer.source.kind, offer.source.ref_id) == (SourceKind.TOO_HEAVY, request.id)
    assert offer.status is OfferStatus.DECLINED
    assert not any("professional" in t for t in group.texts())


async def test_an_offer_takes_several_interested_neighbours(xbot: Harness) -> None:
    bot = xbot
    group, _, (bram, anna, cees) = await neighbours(bot, "Bram", "Anna", "Cees")
    await tap(bot, bram, "🤝 Ik kan helpen")
    await tap(bot, bram, "🎁 Eenmalig iets aanbieden")
    await say(bot, bram, "Ik ga zaterdag naar de markt. Iemand iets nodig?")
    await tap(bot, bram, "Ja")
    await tap(bot, bram, "📅 Kies een dag")
    await say(bot, bram, "5-12")
    await tap(bot, bram, "Plaats als ‘een buur’")
    await tap(bot, bram, "📣 Plaats mijn aanbod")
    card = group.find("Aanbod")
    assert "een buur" in card.text
    assert "Bram" not in card.text
    assert "zaterdag 5 december" in card.text
    anna.press(card, "🙋 Interesse")
    await bot.settle()
    assert card.buttons == ["🙋 Interesse", "🚩 Melden"]
    cees.press(card, "🙋 Interesse")
    await bot.settle()
    assert sum("interesse in je aanbod" in t for t in bram.private.texts()) == 2
    await say(bot, anna, "Graag een bos bloemen!")
    assert "Graag een bos bloemen!" in bram.private.find("bloemen").text
    await tap(bot, bram, "📋 Mijn overzicht")
    overview = bram.private.find("Mijn vragen en aanbiedingen")
    await tap(bot, bram, next(b for b in overview.buttons if b.startswith("📌")))
    await tap(bot, bram, "✅ Gelukt, afronden")
    assert "Gelukt!" in card.text
    assert anna.private.find("Wil je Bram bedanken?")
    assert cees.private.find("Wil je Bram bedanken?")
