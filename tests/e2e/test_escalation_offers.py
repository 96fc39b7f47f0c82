"""End to end: offers of route 1 prefilled (routes 2-4), tested with sources that need no
requests: a heavy text typed to the bot, and the domain entry points the exchange calls."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.core import ChannelUser
from models.escalation.model import CaseSource, OfferStatus, SourceKind
from tests.e2e.escalation_helpers import bot_with_operator, group_leaks, say, tap, team
from tests.e2e.helpers import resident, street_group


@pytest.fixture
async def obot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The bot with an operator chat."""
    async with bot_with_operator(tmp_path, clock) as harness:
        yield harness


async def _resident_id(bot: Harness, user_id: int) -> int:
    found = await bot.services.residents.find(ChannelUser(external_id=str(user_id)))
    assert found is not None
    return found.id


async def test_heavy_text_typed_to_the_bot_offers_route_one_prefilled(obot: Harness) -> None:
    _, _, street = await street_group(obot)
    mods, _ = await team(obot)
    anna = await resident(obot, street, "Anna")
    await say(obot, anna, "hallo, hoe werkt dit?")
    assert "Ik weet niet zeker wat je bedoelt" in (anna.private.last.text or "")

    await say(obot, anna, "de deurwaarder staat voor de deur")
    offer = anna.private.last
    assert "klinkt zwaar" in (offer.text or "")
    assert "Bel 112" not in (offer.text or "")
    await tap(obot, anna, anna.private, "✅ Ja, graag")
    prefilled = anna.private.last
    assert "Je schreef:" in (prefilled.text or "")
    assert "de deurwaarder staat voor de deur" in (prefilled.text or "")
    await tap(obot, anna, anna.private, "✅ Ja, dit mag mee")
    await tap(obot, anna, anna.private, "💬 Via deze chat")
    assert "Onderwerp: 💶 Geld en schulden" in (anna.private.last.text or "")
    await tap(obot, anna, anna.private, "✅ Ja, dat mag")
    assert "Geld en schulden" in (mods.find("Casus 1").text or "")
    async with obot.services.db.read() as tx:
        case = await tx.cases.get(1)
        offer_row = await tx.cases.offer(1)
    assert case is not None
    assert case.source_kind is SourceKind.TEXT
    assert case.text == "de deurwaarder staat voor de deur"
    assert offer_row is not None
    assert offer_row.status is OfferStatus.ACCEPTED
    assert offer_row.source.prefilled_text is None
    assert group_leaks(obot, "deurwaarder") == []


async def test_crisis_text_shows_numbers_and_a_no_shares_nothing(obot: Harness) -> None:
    _, _, street = await street_group(obot)
    mods, _ = await team(obot)
    anna = await resident(obot, street, "Anna")
    await say(obot, anna, "mijn man slaat me")
    offer = anna.private.last
    assert (offer.text or "").startswith("🆘 Is er direct gevaar? Bel 112.")
    assert "0800-2000" in (offer.text or "")
    await tap(obot, anna, anna.private, "Nee, dank je")
    assert "Er is niets doorgegeven" in (anna.private.last.text or "")
    async with obot.services.db.read() as tx:
        row = await tx.cases.offer(1)
    assert row is not None
    assert row.status is OfferStatus.DECLINED
    assert row.source.prefilled_text is None
    assert not any("Casus" in text for text in mods.texts())


async def test_someone_who_has_not_joined_still_gets_the_crisis_numbers(obot: Harness) -> None:
    stranger = obot.fake.add_user("Els")
    await say(obot, stranger, "ik wil er niet meer zijn")
    texts = stranger.private.texts()
    assert any("Bel 112" in text and "0800-0113" in text for text in texts)
    assert "doe je eerst mee met je straat" in texts[-1]


async def test_too_heavy_for_neighbours_asks_consent_and_tells_the_helper_only_the_outcome(
    obot: Harness,
) -> None:
    _, _, street = await street_group(obot)
    mods, _ = await team(obot)
    anna = await resident(obot, street, "Anna")
    joost = await resident(obot, street, "Joost")
    anna_id = await _resident_id(obot, anna.id)
    secret = "Ik kan de huur niet meer betalen en schaam me"
    source = CaseSource(
        kind=SourceKind.REQUEST, ref_id=41, street_id=street.id, prefilled_text=secret
    )
    joost_user = ChannelUser(external_id=str(joost.id))
    before = len(joost.private.texts())
    await obot.services.escalation.ask_consent_for_too_heavy(joost_user, anna_id, source)
    obot.services.wake_outbox()
    await obot.settle()
    offer = anna.private.last
    assert "denkt dat een professional je beter kan helpen" in (offer.text or "")
    assert len(joost.private.texts()) == before
    await tap(obot, anna, anna.private, "✅ Ja, graag")
    await tap(obot, anna, anna.private, "✅ Ja, dit mag mee")
    await tap(obot, anna, anna.private, "💬 Via deze chat")
    await tap(obot, anna, anna.private, "✅ Ja, dat mag")
    assert "Casus 1" in (mods.find("Casus 1").text or "")
    assert "is doorgegeven aan het wijkteam" in (joost.private.last.text or "")
    assert not any(secret in text for text in joost.private.texts())
    async with obot.services.db.read() as tx:
        case = await tx.cases.get(1)
    assert case is not None
    assert case.source_kind is SourceKind.TOO_HEAVY
    assert case.source_ref_id == 41

    # A second request, declined: the helper hears only that.
    source = source.model_copy(update={"ref_id": 42})
    await obot.services.escalation.ask_consent_for_too_heavy(joost_user, anna_id, source)
    obot.services.wake_outbox()
    await obot.settle()
    await tap(obot, anna, anna.private, "Nee, dank je")
    assert "is niet doorgegeven" in (joost.private.last.text or "")
    assert group_leaks(obot, secret) == []


async def test_request_without_helper_is_offered_once_and_expires(
    obot: Harness, clock: FakeClock
) -> None:
    _, _, street = await street_group(obot)
    await team(obot)
    anna = await resident(obot, street, "Anna")
    anna_id = await _resident_id(obot, anna.id)
    source = CaseSource(
        kind=SourceKind.NO_HELPER, ref_id=9, street_id=street.id, prefilled_text="Wie helpt?"
    )
    await obot.services.escalation.offer(anna_id, source)
    await obot.services.escalation.offer(anna_id, source)
    obot.services.wake_outbox()
    await obot.settle()
    offers = [text for text in anna.private.texts() if "al drie dagen open" in text]
    assert len(offers) == 1
    clock.advance(timedelta(days=8))
    await obot.tick()
    query = await tap(obot, anna, anna.private, "✅ Ja, graag")
    assert "werkt niet meer" in (obot.fake.toast(query) or {})["text"]
    async with obot.services.db.read() as tx:
        row = await tx.cases.offer(1)
    assert row is not None
    assert row.status is OfferStatus.EXPIRED
    assert row.source.prefilled_text is None
