"""End to end: the ways into a case that start in the help exchange (issue 6, routes 2-4),
each with consent given and refused, and the order between the two relays.

There is one consent path: the exchange records escalation's offer, the resident answers it
with escalation's buttons, and a yes becomes a real case card in the moderators chat.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.sandbox.fake_telegram import ApiCall, FakeChat, FakeUser
from bot.sandbox.harness import Harness
from handlers.guard import SpamGuard
from models.clock import FakeClock
from models.escalation.model import Case, Offer, OfferStatus, SourceKind
from models.sensitivity import Theme
from tests.e2e.escalation_helpers import bot_with_operator, group_leaks, team
from tests.e2e.exchange_helpers import (
    channel_user,
    neighbours,
    post_request,
    quick_entry,
    quick_request,
)
from tests.e2e.exchange_helpers import say as type_text
from tests.e2e.exchange_helpers import tap as tap_private
from tests.e2e.helpers import join

HEAVY = "Ik kan de huur niet meer betalen en de deurwaarder komt"


@pytest.fixture
async def ibot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The bot with an operator chat, without the per-chat wait (many private messages)."""
    async with bot_with_operator(tmp_path, clock) as harness:
        assert harness.app is not None
        harness.app.bot.rate_limiter._private_rate = 0  # type: ignore[union-attr]
        harness.app.bot_data.spam = SpamGuard(1000)
        yield harness


async def _offer(bot: Harness, offer_id: int) -> Offer:
    async with bot.services.db.read() as tx:
        offer = await tx.cases.offer(offer_id)
    assert offer is not None
    return offer


async def _case(bot: Harness, case_id: int) -> Case:
    async with bot.services.db.read() as tx:
        case = await tx.cases.get(case_id)
    assert case is not None
    return case


async def _consent(bot: Harness, user: FakeUser, theme: str | None = None) -> None:
    """Yes to the offer, then route 1 as prefilled: (theme), keep the text, via this chat, yes."""
    await tap_private(bot, user, "✅ Ja, graag")
    if theme is not None:
        await tap_private(bot, user, theme)
    assert "Je schreef:" in (user.private.last.text or "")
    await tap_private(bot, user, "✅ Ja, dit mag mee")
    await tap_private(bot, user, "💬 Via deze chat")
    await tap_private(bot, user, "✅ Ja, dat mag")


def _offers_in(bot: Harness, user: FakeUser) -> int:
    """How many offers of a professional the bot sent a person (one consent path: one each)."""
    return sum(
        1
        for call in _calls_to(bot, user)
        if call.method == "sendMessage"
        and "✅ Ja, graag" in json.dumps(call.params, ensure_ascii=False)
    )


def _street_mentions(bot: Harness, group: FakeChat, *needles: str) -> list[str]:
    """Every call to the street group that carries one of the needles."""
    blob = [
        json.dumps(call.params, ensure_ascii=False).lower()
        for call in bot.fake.calls
        if str(call.params.get("chat_id")) == str(group.id)
    ]
    return [n for n in needles for b in blob if n.lower() in b]


# Route 2: a request whose text is too heavy for the group -----------------------------------


async def test_sensitive_request_consent_makes_a_case_in_the_moderators_chat(
    ibot: Harness,
) -> None:
    group, _, (anna,) = await neighbours(ibot, "Anna")
    mods, _ = await team(ibot)
    before = len(group.bot_messages)
    await tap_private(ibot, anna, "🙋 Ik zoek hulp")
    await type_text(ibot, anna, HEAVY)
    offer = anna.private.last
    assert "Je vraag is niet in de groep gezet" in (offer.text or "")
    assert "wijkteam van Oost" in (offer.text or "")
    assert "112" not in (offer.text or "")
    assert offer.buttons == ["✅ Ja, graag", "Nee, dank je"]
    await _consent(ibot, anna)
    assert "doorgegeven aan het wijkteam van Oost (nummer 1)" in (anna.private.last.text or "")
    card = mods.find("Casus 1")
    assert "Geld en schulden" in (card.text or "")
    assert "Anna" not in (card.text or "")

    case = await _case(ibot, 1)
    (request,) = await ibot.services.exchange.requests.mine(channel_user(anna))
    assert (case.source_kind, case.source_ref_id) == (SourceKind.REQUEST, request.id)
    assert case.theme is Theme.MONEY
    assert case.text == HEAVY
    assert (await _offer(ibot, 1)).status is OfferStatus.ACCEPTED
    assert _offers_in(ibot, anna) == 1
    assert len(group.bot_messages) == before
    assert group_leaks(ibot, "deurwaarder", "huur") == []


async def test_sensitive_crisis_request_refused_shares_nothing(ibot: Harness) -> None:
    _, _, (anna,) = await neighbours(ibot, "Anna")
    mods, _ = await team(ibot)
    await type_text(ibot, anna, "/vragen mijn man slaat me als hij drinkt")
    offer = anna.private.last
    assert (offer.text or "").startswith("🆘 Is er direct gevaar? Bel 112.")
    assert "0800-2000" in (offer.text or "")
    await tap_private(ibot, anna, "Nee, dank je")
    assert "Er is niets doorgegeven" in (anna.private.last.text or "")
    declined = await _offer(ibot, 1)
    assert declined.status is OfferStatus.DECLINED
    assert declined.source.prefilled_text is None
    assert not any("Casus" in text for text in mods.texts())
    assert group_leaks(ibot, "slaat") == []


# Route 2: a relayed message that sounds too heavy ---------------------------------------------


async def test_sensitive_relayed_message_is_held_back_refused_then_given(ibot: Harness) -> None:
    group, _, (anna, bram) = await neighbours(ibot, "Anna", "Bram")
    mods, _ = await team(ibot)
    await quick_request(ibot, anna, "Wie helpt mij met de boodschappen?", "transport")
    bram.press(group.find("Hulpvraag"), "🤝 Ik help")
    await ibot.settle()

    # A crisis text in the conversation: crisis numbers first, nothing reaches Bram.
    await type_text(ibot, anna, "Sorry, ik wil er niet meer zijn")
    held = anna.private.last
    assert (held.text or "").startswith("🆘 Is er direct gevaar? Bel 112.")
    assert "Je bericht is niet doorgestuurd" in (held.text or "")
    await tap_private(ibot, anna, "Nee, dank je")
    assert (await _offer(ibot, 1)).status is OfferStatus.DECLINED

    # A photo with such a caption is held back too (the photo is not copied either).
    anna.send_photo(caption="mijn man slaat me")
    await ibot.settle()
    assert "Je bericht is niet doorgestuurd" in (anna.private.last.text or "")
    assert not any(m.photo for m in bram.private.bot_messages)

    # The conversation itself goes on.
    await type_text(ibot, anna, "Morgen om tien uur?")
    assert bram.private.find("Morgen om tien uur?")

    # A heavy text again; this time she says yes: a case, and still nothing for Bram.
    secret = "Eigenlijk heb ik grote schulden en de deurwaarder komt"
    await type_text(ibot, anna, secret)
    assert "Je bericht is niet doorgestuurd" in (anna.private.last.text or "")
    await _consent(ibot, anna)
    assert mods.find("Casus 1")
    case = await _case(ibot, 1)
    assert case.source_kind is SourceKind.RELAY
    assert case.text == secret
    # The newer text replaced the unanswered offer of the photo; its text is gone.
    superseded = await _offer(ibot, 2)
    assert superseded.status is OfferStatus.EXPIRED
    assert superseded.source.prefilled_text is None
    assert not any("ik wil er niet meer zijn" in t for t in bram.private.texts())
    assert not any("slaat" in t for t in bram.private.texts())
    assert not any("deurwaarder" in t for t in bram.private.texts())
    assert not any("deurwaarder" in str(call.params) for call in _calls_to(ibot, bram))
    assert group_leaks(ibot, "deurwaarder", "niet meer zijn", "slaat") == []


async def test_heavy_text_while_choosing_a_conversation_is_never_kept_for_relaying(
    ibot: Harness,
) -> None:
    _, _, (anna, bram, cees) = await neighbours(ibot, "Anna", "Bram", "Cees")
    await team(ibot)
    await quick_entry(ibot, bram, "ladder lenen", "tools")
    await quick_entry(ibot, cees, "koffie drinken", "company")
    await type_text(ibot, anna, "/wiekanwat ladder")
    await tap_private(ibot, anna, "💬 1. Vraag Bram")
    await type_text(ibot, anna, "/wiekanwat koffie")
    await tap_private(ibot, anna, "💬 1. Vraag Cees")
    async with ibot.services.db.write() as tx:
        resident = await tx.residents.by_external("telegram", str(anna.id))
        assert resident is not None
        await tx.exchange.set_focus(resident.id, None, ibot.clock.now())
    await type_text(ibot, anna, "Hallo allebei")
    assert "Aan wie is dit bericht?" in (anna.private.last.text or "")
    await type_text(ibot, anna, "de deurwaarder staat voor de deur")
    assert "Je bericht is niet doorgestuurd" in (anna.private.last.text or "")
    await tap_private(ibot, anna, "Bram: ladder lenen")
    assert not any("deurwaarder" in t for t in bram.private.texts())
    assert not any("deurwaarder" in t for t in cees.private.texts())


# Route 3: "Dit is te zwaar voor buren" ---------------------------------------------------------


async def test_too_heavy_from_the_conversation_with_consent(ibot: Harness) -> None:
    group, _, (anna, bram) = await neighbours(ibot, "Anna", "Bram")
    mods, _ = await team(ibot)
    text = "Wie helpt mij met mijn post? Ik snap de brieven niet meer"
    request = await quick_request(ibot, anna, text, "paperwork")
    bram.press(group.find("Hulpvraag"), "🤝 Ik help")
    await ibot.settle()
    await tap_private(ibot, bram, "⚠️ Te zwaar voor buren")
    await tap_private(ibot, bram, "Ja, te zwaar voor buren")
    assert "Jij hoort alleen of het is doorgegeven" in (bram.private.last.text or "")
    offer = anna.private.find("denkt dat een professional je beter kan helpen")
    assert f"Het gaat om je vraag: “{text}”" in (offer.text or "")
    # Pressing twice asks Anna once.
    await tap_private(ibot, bram, "⚠️ Te zwaar voor buren")
    await tap_private(ibot, bram, "Ja, te zwaar voor buren")
    assert _offers_in(ibot, anna) == 1

    await _consent(ibot, anna, theme="💬 Iets anders")
    assert mods.find("Casus 1")
    case = await _case(ibot, 1)
    assert (case.source_kind, case.source_ref_id) == (SourceKind.TOO_HEAVY, request.id)
    assert "is doorgegeven aan het wijkteam" in (bram.private.last.text or "")
    # The helper hears the outcome and nothing else about the case.
    assert not any("Casus" in t for t in bram.private.texts())
    # The request was public already; nothing about the case reaches the street.
    assert _street_mentions(ibot, group, "wijkteam", "Casus", "professional", "zwaar") == []


async def test_too_heavy_from_a_private_card_refused(ibot: Harness) -> None:
    group, _, (anna, cees) = await neighbours(ibot, "Anna", "Cees")
    mods, _ = await team(ibot)
    await quick_entry(ibot, cees, "post en brieven lezen", "paperwork")
    await post_request(ibot, anna, "Wie leest mijn brieven voor?", show_name=False)
    card = cees.private.find("Kun jij helpen?")
    assert "⚠️ Te zwaar voor buren" in card.buttons
    cees.press(card, "⚠️ Te zwaar voor buren")
    await ibot.settle()
    question = cees.private.last
    assert "Ik vraag het eerst aan wie de vraag stelde" in (question.text or "")
    assert "Anna" not in (question.text or ""), "the requester chose to stay 'een buur'"
    await tap_private(ibot, cees, "Ja, te zwaar voor buren")
    assert "Jij hoort alleen of het is doorgegeven" in (cees.private.last.text or "")

    await tap_private(ibot, anna, "Nee, dank je")
    assert "Er is niets doorgegeven" in (anna.private.last.text or "")
    assert "is niet doorgegeven" in (cees.private.last.text or "")
    assert (await _offer(ibot, 1)).status is OfferStatus.DECLINED
    assert not any("Casus" in text for text in mods.texts())
    # The request stays in the group as it was.
    assert "🤝 Ik help" in group.find("Hulpvraag").buttons
    # Own requests cannot be called too heavy; stale buttons say so.
    data = card.button_data("⚠️ Te zwaar voor buren")
    assert data is not None
    query = anna.press(anna.private.last, data=data)
    await ibot.settle()
    assert "Dit is je eigen vraag" in (ibot.fake.toast(query) or {})["text"]


# Route 4: no helper after three days -----------------------------------------------------------


async def test_no_helper_after_three_days_offered_once_given_and_refused(
    ibot: Harness, clock: FakeClock
) -> None:
    _, _, (anna, bram) = await neighbours(ibot, "Anna", "Bram")
    mods, _ = await team(ibot)
    anna_request = await quick_request(ibot, anna, "Wie komt eens koffie drinken?", "company")
    await quick_request(ibot, bram, "Wie helpt met de brief van de gemeente?", "paperwork")
    clock.advance(timedelta(days=3, minutes=1))
    for _ in range(3):
        await ibot.tick()
    for user, text in (
        (anna, "Wie komt eens koffie drinken?"),
        (bram, "Wie helpt met de brief van de gemeente?"),
    ):
        offer = user.private.find("drie dagen open")
        assert f"Het gaat om je vraag: “{text}”" in (offer.text or "")
        assert _offers_in(ibot, user) == 1

    await _consent(ibot, anna, theme="🫂 Eenzaamheid")
    assert mods.find("Casus 1")
    case = await _case(ibot, 1)
    assert (case.source_kind, case.source_ref_id) == (SourceKind.NO_HELPER, anna_request.id)
    await tap_private(ibot, bram, "Nee, dank je")
    assert "Er is niets doorgegeven" in (bram.private.last.text or "")

    clock.advance(timedelta(days=2))
    for _ in range(3):
        await ibot.tick()
    assert _offers_in(ibot, anna) == 1
    assert _offers_in(ibot, bram) == 1
    assert not any("Casus 2" in text for text in mods.texts())


# The order of the two relays -------------------------------------------------------------------


async def test_a_pending_case_prompt_wins_over_the_neighbour_conversation(ibot: Harness) -> None:
    group, street, (anna, bram) = await neighbours(ibot, "Anna", "Bram")
    mods, samira = await team(ibot)
    # Samira also lives in the street and talks with Bram about his request.
    await join(ibot, samira, street)
    await quick_request(ibot, anna, "Wie helpt mij met de boodschappen?", "transport")
    bram.press(group.find("Hulpvraag"), "🤝 Ik help")
    await ibot.settle()
    await quick_request(ibot, bram, "Wie leent mij een boormachine?", "tools")
    ibot.fake.add_member(group, samira)
    samira.press(group.find("boormachine"), "🤝 Ik help")
    await ibot.settle()

    # Anna asks a professional herself (route 1); Samira picks the case up.
    await tap_private(ibot, anna, "🧑‍⚕️ Ik heb hulp van een professional nodig")
    await tap_private(ibot, anna, "💶 Geld en schulden")
    await tap_private(ibot, anna, "⏭ Overslaan")
    await tap_private(ibot, anna, "💬 Via deze chat")
    await tap_private(ibot, anna, "✅ Ja, dat mag")
    samira.press(mods.find("Casus 1"), "✉️ Bericht aan bewoner")
    await ibot.settle()
    # The worker's prompt is pending: her next text goes to the case, not to Bram.
    await type_text(ibot, samira, "Dag Anna, wanneer kan ik bellen?")
    assert anna.private.find("wanneer kan ik bellen?")
    assert not any("wanneer kan ik bellen" in t for t in bram.private.texts())
    # Without a prompt her text goes to her neighbour conversation again.
    await type_text(ibot, samira, "Ik breng de boor morgen")
    assert bram.private.find("Ik breng de boor morgen")
    assert not any("boor morgen" in t for t in anna.private.texts())

    # Anna taps "Antwoorden": her next text goes to the case, not to Bram.
    await tap_private(ibot, anna, "✍️ Antwoorden")
    await type_text(ibot, anna, "Na vijf uur graag")
    assert samira.private.find("Na vijf uur graag")
    assert not any("Na vijf uur" in t for t in bram.private.texts())
    # Without a prompt her text goes to Bram, not to the case.
    await type_text(ibot, anna, "Bram, tot morgen!")
    assert bram.private.find("Bram, tot morgen!")
    async with ibot.services.db.read() as tx:
        messages = await tx.cases.messages(1)
    assert [m.text for m in messages] == ["Dag Anna, wanneer kan ik bellen?", "Na vijf uur graag"]
    assert group_leaks(ibot, "bellen", "vijf uur") == []


def _calls_to(bot: Harness, user: FakeUser) -> list[ApiCall]:
    return [
        call for call in bot.fake.calls if call.params.get("chat_id") in (user.id, str(user.id))
    ]
