"""End to end: report a group post, remove it, block and unblock its author; each audited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.outbox import RenderContext
from bot.sandbox.harness import Harness
from handlers.common import button, keyboard
from handlers.escalation.moderation import report_button
from models.clock import FakeClock
from models.core import ChannelUser
from models.escalation.model import OwnerInfo
from models.messages import OutgoingMessage, outgoing
from models.notifications import PlacePost, PostRef, Recipient
from models.ports import Transaction
from tests.e2e.escalation_helpers import bot_with_operator, say, tap, team
from tests.e2e.helpers import resident, street_group

CARDS: dict[int, tuple[int, str]] = {}
REMOVED: list[int] = []
HIDDEN: list[tuple[int, int]] = []
SHOWN: list[tuple[int, int]] = []


@pytest.fixture
async def mbot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The bot, with a demo capability whose group cards carry "Melden"."""
    CARDS.clear()
    REMOVED.clear()
    HIDDEN.clear()
    SHOWN.clear()
    async with bot_with_operator(tmp_path, clock) as harness:
        services = harness.services

        async def render(ctx: RenderContext, ref_id: int) -> OutgoingMessage | None:
            if ref_id in REMOVED or ref_id not in CARDS:
                return None
            return outgoing(
                f"<b>Aanbod</b>: {CARDS[ref_id][1]}",
                keyboard(
                    [[button("Interesse", "demo", ref_id), report_button(ctx, ctx.language)]]
                ),
            )

        async def owner(tx: Transaction, ref_id: int) -> OwnerInfo | None:
            return OwnerInfo(resident_id=CARDS[ref_id][0]) if ref_id in CARDS else None

        async def remove(tx: Transaction, ref_id: int, now: datetime) -> None:
            REMOVED.append(ref_id)

        async def hide(tx: Transaction, resident_id: int, street_id: int, now: datetime) -> None:
            HIDDEN.append((resident_id, street_id))

        async def show(tx: Transaction, resident_id: int, street_id: int, now: datetime) -> None:
            SHOWN.append((resident_id, street_id))

        services.renderers.posts["demo"] = render
        services.moderation.hooks.register_kind("demo", owner=owner, remove=remove)
        services.moderation.hooks.on_block.append(hide)
        services.moderation.hooks.on_unblock.append(show)
        yield harness


async def _place(bot: Harness, street_id: int, ref_id: int, owner_id: int, text: str) -> None:
    CARDS[ref_id] = (owner_id, text)
    async with bot.services.db.write() as tx:
        await tx.outbox.enqueue(
            Recipient.street(street_id),
            PlacePost(ref=PostRef(ref_kind="demo", ref_id=ref_id)),
            now=bot.clock.now(),
        )
    bot.services.wake_outbox()
    await bot.settle()


async def test_report_remove_block_unblock(mbot: Harness) -> None:
    group, _, street = await street_group(mbot)
    mods, samira = await team(mbot)
    anna = await resident(mbot, street, "Anna")
    joost = await resident(mbot, street, "Joost")
    mbot.fake.add_member(group, anna)
    joost_resident = await mbot.services.residents.find(ChannelUser(external_id=str(joost.id)))
    assert joost_resident is not None
    await _place(mbot, street.id, 5, joost_resident.id, "Goedkope sigaretten, bel 0612345678")
    post = group.find("Goedkope sigaretten")

    query = anna.press(post, "🚩 Melden")
    await mbot.settle()
    assert "privé een vraag" in (mbot.fake.toast(query) or {})["text"]
    assert "Niemand in de groep ziet dat jij het meldt" in (anna.private.last.text or "")
    assert not any("meldt" in text for text in group.texts())
    await tap(mbot, anna, anna.private, "Reclame of spam")
    assert "Je melding is doorgegeven" in (anna.private.last.text or "")

    card = mods.find("Melding 1")
    assert "Reclame of spam" in (card.text or "")
    assert "Goedkope sigaretten" in (card.text or "")
    assert "Geplaatst door: Joost" in (card.text or "")
    assert "Anna" not in (card.text or "")

    await tap(mbot, samira, mods, "🗑 Bericht verwijderen")
    assert post.deleted
    assert REMOVED == [5]
    assert "Bericht verwijderd" in (card.text or "")
    assert "weggehaald" in (joost.private.last.text or "")
    assert "Een opbouwwerker heeft ernaar gekeken" in (anna.private.last.text or "")

    await tap(mbot, samira, mods, "⛔ Blokkeren in de straat")
    assert "Joost is geblokkeerd" in (card.text or "")
    assert [(joost_resident.id, street.id)] == HIDDEN
    assert "niet meedoen in de Zonnebloemstraat" in (joost.private.last.text or "")
    await say(mbot, joost, "🙋 Ik zoek hulp")
    assert "Je doet nog niet mee" in (joost.private.last.text or "")

    await tap(mbot, samira, mods, "↩️ Blokkade opheffen")
    assert "geblokkeerd" not in (card.text or "")
    assert [(joost_resident.id, street.id)] == SHOWN
    assert "Welkom terug" in (joost.private.last.text or "")
    await say(mbot, joost, "🙋 Ik zoek hulp")
    assert "Je doet nog niet mee" not in (joost.private.last.text or "")

    async with mbot.services.db.read() as tx:
        report_actions = [e.action for e in await tx.audit.for_subject("report", "1")]
        person = [e.action for e in await tx.audit.for_subject("resident", str(joost_resident.id))]
    assert report_actions == [
        "report.created",
        "post.removed",
        "resident.blocked",
        "resident.unblocked",
    ]
    assert person == ["resident.blocked", "resident.unblocked"]


async def test_only_workers_moderate_and_a_report_counts_once(mbot: Harness) -> None:
    group, _, street = await street_group(mbot)
    mods, _ = await team(mbot)
    anna = await resident(mbot, street, "Anna")
    joost = await resident(mbot, street, "Joost")
    mbot.fake.add_member(group, anna)
    await _place(mbot, street.id, 6, 2, "Wie wil mijn fiets?")
    post = group.find("Wie wil mijn fiets?")
    anna.press(post, "🚩 Melden")
    await mbot.settle()
    await tap(mbot, anna, anna.private, "Klopt niet")
    anna.press(post, "🚩 Melden")
    await mbot.settle()
    query = await tap(mbot, anna, anna.private, "Klopt niet")
    assert "werkt niet meer" in (mbot.fake.toast(query) or {})["text"]
    assert sum("Melding" in text for text in mods.texts()) == 1

    mbot.fake.add_member(mods, joost)
    query = await tap(mbot, joost, mods, "🗑 Bericht verwijderen")
    assert "alleen voor werkers" in (mbot.fake.toast(query) or {})["text"]
    assert not post.deleted
    async with mbot.services.db.read() as tx:
        assert "worker.refused" in [e.action for e in await tx.audit.for_subject("report", "1")]


async def test_melden_as_a_reply_and_cards_that_cannot_be_reported(mbot: Harness) -> None:
    group, _, street = await street_group(mbot)
    mods, samira = await team(mbot)
    anna = await resident(mbot, street, "Anna")
    mbot.fake.add_member(group, anna)
    await _place(mbot, street.id, 7, 1, "Gratis puppy's")
    post = group.find("Gratis puppy")
    anna.reply(post, "/melden")
    await mbot.settle()
    await tap(mbot, anna, anna.private, "Onveilig")
    assert "Onveilig" in (mods.find("Melding 1").text or "")
    await say(mbot, anna, "/melden")
    assert "Antwoord met /melden" in (anna.private.last.text or "")
    # The bot's own cards in the moderators chat are not reportable posts.
    samira.reply(mods.find("Melding 1"), "/melden")
    await mbot.settle()
    assert "kun je niet melden" in (mods.last.text or "")
