"""End to end: moderation on the real cards of the exchange and rides, /melden on a relayed
message, block and unblock with their effect on search, relays and buttons, and the
coordinator role given by a community worker from the moderators chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from handlers.guard import SpamGuard
from models.clock import FakeClock
from models.core import ChannelUser, ChatRef, NeighbourhoodRole
from models.exchange.model import RequestStatus
from models.rides.model import RideStatus
from tests.e2e.escalation_helpers import bot_with_operator, group_leaks, say, tap, team
from tests.e2e.exchange_helpers import (
    neighbours,
    post_request,
    quick_entry,
    quick_request,
)
from tests.e2e.exchange_helpers import say as type_text
from tests.e2e.exchange_helpers import tap as tap_private
from tests.e2e.rides_steps import publish

REPORT = "🚩 Melden"


@pytest.fixture
async def mbot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The bot with an operator chat, without the per-chat wait."""
    async with bot_with_operator(tmp_path, clock) as harness:
        assert harness.app is not None
        harness.app.bot.rate_limiter._private_rate = 0  # type: ignore[union-attr]
        harness.app.bot_data.spam = SpamGuard(1000)
        yield harness


async def _resident_id(bot: Harness, user: FakeUser) -> int:
    found = await bot.services.residents.find(ChannelUser(external_id=str(user.id)))
    assert found is not None
    return found.id


async def _audit(bot: Harness, kind: str, subject: int) -> list[str]:
    async with bot.services.db.read() as tx:
        return [e.action for e in await tx.audit.for_subject(kind, str(subject))]


async def _report(
    bot: Harness, group: FakeChat, reporter: FakeUser, post_text: str, reason: str
) -> None:
    """Press "Melden" under a group card and give the reason privately."""
    reporter.press(group.find(post_text), REPORT)
    await bot.settle()
    await tap_private(bot, reporter, reason)
    assert "Je melding is doorgegeven" in (reporter.private.last.text or "")


async def test_report_and_remove_a_request_card(mbot: Harness) -> None:
    group, _, (anna, bram, cees) = await neighbours(mbot, "Anna", "Bram", "Cees")
    mods, samira = await team(mbot)
    await quick_entry(mbot, bram, "verhuizen en sjouwen", "household")
    await post_request(
        mbot, anna, "Wie helpt mij verhuizen? Betaal goed, bel 0612345678", keep_contacts=True
    )
    card = group.find("Hulpvraag")
    assert card.buttons == ["🤝 Ik help", REPORT]
    private_copy = bram.private.find("Kun jij helpen?")
    assert REPORT not in private_copy.buttons
    cees.press(card, "🤝 Ik help")
    await mbot.settle()

    await _report(mbot, group, bram, "Hulpvraag", "Reclame of spam")
    report = mods.find("Melding 1")
    assert "Wie helpt mij verhuizen?" in (report.text or "")
    assert "Geplaatst door: Anna" in (report.text or "")
    assert "Bram" not in (report.text or "")

    await tap(mbot, samira, mods, "🗑 Bericht verwijderen")
    assert card.deleted
    assert private_copy.deleted
    async with mbot.services.db.read() as tx:
        stored = await tx.exchange.get_request(1)
    assert stored is not None
    assert stored.status is RequestStatus.CANCELLED
    assert "weggehaald" in (anna.private.find("weggehaald").text or "")
    assert "is gestopt" in (cees.private.find("is gestopt").text or "")
    # The helper's conversation is over: what Cees types no longer reaches Anna.
    await type_text(mbot, cees, "Ik kom om twee uur")
    assert not any("twee uur" in t for t in anna.private.texts())
    assert "Bericht verwijderd" in (report.text or "")
    assert await _audit(mbot, "report", 1) == ["report.created", "post.removed"]
    assert "exchange.request_removed" in await _audit(mbot, "request", 1)


async def test_block_hides_entries_ends_relays_refuses_buttons_and_unblock_restores(
    mbot: Harness,
) -> None:
    group, _, (anna, joost, cees) = await neighbours(mbot, "Anna", "Joost", "Cees")
    mods, samira = await team(mbot)
    await quick_entry(mbot, joost, "ladder lenen", "tools")
    await quick_request(mbot, joost, "Ik heb appels over, wie wil ze?", "cooking", offer=True)
    await quick_request(mbot, cees, "Wie helpt mij de tuin in?", "garden")
    offer_card = group.find("appels over")
    assert offer_card.buttons == ["🙋 Interesse", REPORT]
    # Anna asks Joost for his ladder: a relayed conversation.
    await type_text(mbot, anna, "/wiekanwat ladder")
    await tap_private(mbot, anna, "💬 1. Vraag Joost")
    await type_text(mbot, anna, "Mag ik je ladder zaterdag lenen?")
    assert joost.private.find("zaterdag lenen?")

    await _report(mbot, group, anna, "appels over", "Kwetsend of ongepast")
    await tap(mbot, samira, mods, "⛔ Blokkeren in de straat")
    assert "Joost is geblokkeerd" in (mods.find("Melding 1").text or "")
    assert "niet meedoen in de Zonnebloemstraat" in (joost.private.last.text or "")
    # His entries are hidden from search.
    await type_text(mbot, anna, "/wiekanwat ladder")
    assert "Joost" not in (anna.private.last.text or "")
    # His relays ended: Anna is told, and nothing goes through either way.
    assert anna.private.find("Het gesprek met Joost over")
    await type_text(mbot, anna, "Hallo Joost?")
    assert not any("Hallo Joost?" in t for t in joost.private.texts())
    # His cards lose their buttons; his own buttons are refused.
    assert offer_card.buttons == [REPORT]
    query = joost.press(group.find("de tuin in"), "🤝 Ik help")
    await mbot.settle()
    assert "niet meedoen" in (mbot.fake.toast(query) or {})["text"]
    await type_text(mbot, joost, "🙋 Ik zoek hulp")
    assert "Je doet nog niet mee" in (joost.private.last.text or "")

    await tap(mbot, samira, mods, "↩️ Blokkade opheffen")
    assert "Welkom terug" in (joost.private.last.text or "")
    await type_text(mbot, anna, "/wiekanwat ladder")
    assert "Joost" in (anna.private.last.text or "")
    assert offer_card.buttons == ["🙋 Interesse", REPORT]
    joost_id = await _resident_id(mbot, joost)
    assert await _audit(mbot, "resident", joost_id) == ["resident.blocked", "resident.unblocked"]


async def test_melden_on_a_relayed_message_finds_the_conversation(mbot: Harness) -> None:
    group, _, (anna, bram) = await neighbours(mbot, "Anna", "Bram")
    mods, samira = await team(mbot)
    await quick_request(mbot, anna, "Wie haalt mijn pakketje op?", "transport")
    bram.press(group.find("Hulpvraag"), "🤝 Ik help")
    await mbot.settle()
    rude = "Doe het zelf maar, sukkel"
    await type_text(mbot, bram, rude)
    relayed = anna.private.find(rude)

    anna.reply(relayed, "/melden")
    await mbot.settle()
    assert "Waarom meld je dit bericht?" in (anna.private.last.text or "")
    await tap_private(mbot, anna, "Kwetsend of ongepast")
    report = mods.find("Melding 1")
    assert "Geplaatst door: Bram" in (report.text or "")
    assert "Patchwork bewaart de inhoud niet" in (report.text or "")
    assert rude not in (report.text or ""), "relayed texts are not kept, nor shown"

    await tap(mbot, samira, mods, "🗑 Bericht verwijderen")
    assert relayed.deleted
    assert "een bericht van jou aan een buur weggehaald" in (
        bram.private.find("weggehaald").text or ""
    )
    assert anna.private.find("is gestopt")
    await type_text(mbot, bram, "Sorry!")
    assert not any("Sorry!" in t for t in anna.private.texts())
    await tap(mbot, samira, mods, "⛔ Blokkeren in de straat")
    assert "Bram is geblokkeerd" in (report.text or "")
    assert group_leaks(mbot, rude) == []


async def test_report_and_remove_a_ride_card_cancels_the_ride(mbot: Harness) -> None:
    group, _, (joost, anna) = await neighbours(mbot, "Joost", "Anna")
    mods, samira = await team(mbot)
    await publish(mbot, joost)
    card = group.find("Boodschappenrit naar AH Amsterdamstraat")
    assert card.buttons == ["🙋 Ik rij mee", REPORT]
    anna.press(card, "🙋 Ik rij mee")
    await mbot.settle()

    await _report(mbot, group, anna, "Boodschappenrit", "Klopt niet")
    report = mods.find("Melding 1")
    assert "Boodschappenrit naar AH Amsterdamstraat" in (report.text or "")
    assert "Geplaatst door: Joost" in (report.text or "")
    await tap(mbot, samira, mods, "🗑 Bericht verwijderen")
    assert card.deleted
    async with mbot.services.db.read() as tx:
        ride = await tx.rides.get(1)
    assert ride is not None
    assert ride.status is RideStatus.CANCELLED
    assert "Helaas, de rit gaat niet door" in (anna.private.find("gaat niet door").text or "")


async def test_coordinator_granted_and_revoked_by_a_worker_refused_for_others(
    mbot: Harness,
) -> None:
    _, _, (anna, joost) = await neighbours(mbot, "Anna", "Joost")
    mods, samira = await team(mbot)
    anna_id = await _resident_id(mbot, anna)

    # Someone in the team chat who is no worker is refused, and that is audited.
    mbot.fake.add_member(mods, joost)
    await say(mbot, joost, "/coordinator", mods)
    assert "alleen voor werkers" in (mods.last.text or "")
    hood = await mbot.services.moderators.for_chat(ChatRef(chat_id=str(mods.id)))
    assert hood is not None
    hood_id = hood.id
    assert "worker.refused" in await _audit(mbot, "neighbourhood", hood_id)

    await say(mbot, samira, "/coordinator", mods)
    assert "privé gestuurd" in (mods.last.text or "")
    overview = samira.private.last
    assert "Nu: nog niemand" in (overview.text or "")
    await tap(mbot, samira, samira.private, "🏠 Zonnebloemstraat")
    street_page = samira.private.last
    assert {"Anna", "Joost"} <= set(street_page.buttons)
    await tap(mbot, samira, samira.private, "Anna")
    grant_data = samira.private.last.button_data("✅ Ja")
    assert grant_data is not None
    # Joost presses the same confirmation: refused, nothing granted.
    query = joost.press(samira.private.last, data=grant_data)
    await mbot.settle()
    assert "alleen voor werkers" in (mbot.fake.toast(query) or {})["text"]
    await tap(mbot, samira, samira.private, "✅ Ja")
    assert "Anna is nu coördinator" in (samira.private.last.text or "")
    assert "Je bent nu coördinator" in (anna.private.find("coördinator").text or "")
    async with mbot.services.db.read() as tx:
        roles = await tx.memberships.roles(anna_id)
        granted = list(await tx.audit.for_subject("resident", str(anna_id)))
    assert (hood_id, NeighbourhoodRole.COORDINATOR) in roles
    samira_id = await _resident_id(mbot, samira)
    assert [(e.action, e.actor_resident_id) for e in granted] == [("role.granted", samira_id)]
    assert not any("coördinator" in t for t in mods.texts()), "names stay private"

    await say(mbot, samira, "/coordinator", mods)
    assert "Nu: Anna" in (samira.private.last.text or "")
    await tap(mbot, samira, samira.private, "✖️ Anna is geen coördinator meer")
    await tap(mbot, samira, samira.private, "✅ Ja")
    assert "Anna is geen coördinator meer" in (samira.private.last.text or "")
    assert "geen coördinator meer" in (anna.private.last.text or "")
    async with mbot.services.db.read() as tx:
        assert (hood_id, NeighbourhoodRole.COORDINATOR) not in await tx.memberships.roles(anna_id)
    assert await _audit(mbot, "resident", anna_id) == ["role.granted", "role.revoked"]


async def test_a_public_thank_you_can_be_reported_and_removed(mbot: Harness) -> None:
    group, street, (anna, bram, cees) = await neighbours(mbot, "Anna", "Bram", "Cees")
    mods, samira = await team(mbot)
    asked = await quick_request(mbot, anna, "Wie helpt met de heg?", "garden")
    x = mbot.services.exchange
    anna_user = ChannelUser(external_id=str(anna.id), first_name="Anna")
    helped = await x.requests.help(ChannelUser(external_id=str(bram.id)), asked.id)
    await x.requests.done(anna_user, asked.id)
    await x.after.thank(
        anna_user, helped.id, "Bram is een held, bel hem op 0687654321", public=True
    )
    mbot.services.wake_outbox()
    await mbot.settle()
    thanks = group.find("Bedankt!")
    assert thanks.buttons == [REPORT]

    await _report(mbot, group, cees, "Bedankt!", "Kwetsend of ongepast")
    report = mods.find("Melding 1")
    assert "Geplaatst door: Anna" in (report.text or "")
    await tap(mbot, samira, mods, "🗑 Bericht verwijderen")
    assert thanks.deleted
    # The digest leaves it out as well.
    shown = await x.after.public_thanks(street.id, mbot.clock.now().replace(year=2000))
    assert shown == []
