"""The exchange services on a real SQLite file: reciprocity, hooks for other capabilities."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from bot.storage import schema as s
from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import ChannelUser
from models.exchange.model import Availability, RequestStatus
from models.exchange.requests import Draft
from models.exchange.service import Exchange, build_exchange
from tests.exchange_world import people


async def _help(x: Exchange, asker: ChannelUser, helper: ChannelUser, text: str) -> int:
    posted = await x.requests.post(asker, Draft(category="garden", text=text))
    await x.requests.help(helper, posted.request.id)
    await x.requests.done(asker, posted.request.id)
    return posted.request.id


async def _outbox_kinds(db: SqlDatabase) -> list[tuple[str, str, str]]:
    async with db.read() as tx:
        rows = (
            await tx.conn.execute(
                sa.select(s.outbox.c.kind, s.outbox.c.payload, s.outbox.c.recipient).order_by(
                    s.outbox.c.id
                )
            )
        ).all()
    return [(kind, payload, recipient) for kind, payload, recipient in rows]


async def test_reciprocity_counts_and_private_nudges(db: SqlDatabase, clock: FakeClock) -> None:
    anna, bram = await people(db, clock, "Anna", "Bram")
    x = build_exchange(db, clock)
    for number in range(3):
        await _help(x, anna, bram, f"heg snoeien {number}")
        clock.advance(timedelta(hours=1))
    async with db.read() as tx:
        anna_id = (await tx.residents.by_external("telegram", "10")).id  # type: ignore[union-attr]
        bram_id = (await tx.residents.by_external("telegram", "11")).id  # type: ignore[union-attr]
    assert (await x.after.reciprocity(anna_id)).received == 3
    assert (await x.after.reciprocity(bram_id)).given == 3
    nudges = [
        json.loads(p)["nudge"]
        for k, p, _ in await _outbox_kinds(db)
        if k == "exchange.reciprocity"
    ]
    assert nudges == ["add_offer"], "Anna was helped three times and offers nothing"

    for number in range(2):
        await _help(x, anna, bram, f"gras maaien {number}")
    nudges = [
        json.loads(p)["nudge"]
        for k, p, _ in await _outbox_kinds(db)
        if k == "exchange.reciprocity"
    ]
    assert nudges == ["add_offer", "ask_too"], "once each: Anna to offer, Bram (5x, never asked)"
    assert (await x.after.reciprocity(bram_id)).requests == 0


async def test_giver_who_never_asked_is_told_asking_is_fine(
    db: SqlDatabase, clock: FakeClock
) -> None:
    anna, bram, cees = await people(db, clock, "Anna", "Bram", "Cees")
    x = build_exchange(db, clock)
    await x.register.add(
        anna, category="company", text="koffie", availability=Availability.ANYTIME, on_card=False
    )
    for number in range(5):
        asker = anna if number % 2 else cees
        await _help(x, asker, bram, f"heg {number}")
        clock.advance(timedelta(hours=5))
    nudges = [
        (json.loads(r)["id"], json.loads(p)["nudge"])
        for k, p, r in await _outbox_kinds(db)
        if k == "exchange.reciprocity"
    ]
    async with db.read() as tx:
        ids = {
            name: (await tx.residents.by_external("telegram", ext)).id  # type: ignore[union-attr]
            for name, ext in (("Bram", "11"), ("Cees", "12"))
        }
    # Cees was helped three times without an entry; Anna has one, so she is not nudged.
    assert nudges == [(ids["Cees"], "add_offer"), (ids["Bram"], "ask_too")]


async def test_hooks_for_digest_street_card_and_impact(db: SqlDatabase, clock: FakeClock) -> None:
    anna, bram, cees = await people(db, clock, "Anna", "Bram", "Cees")
    x = build_exchange(db, clock)
    start = clock.now()
    await x.register.add(
        bram, category="tools", text="ladder", availability=Availability.WEEKENDS, on_card=True
    )
    await x.register.add(
        cees, category="tools", text="boor", availability=Availability.WEEKENDS, on_card=False
    )
    card = await x.register.card((await x.register.mine(bram))[0].street_id)
    assert [(line.first_name, line.entry.text) for line in card] == [("Bram", "ladder")]
    new = await x.register.new_since(card[0].entry.street_id, start)
    assert [line.first_name for line in new] == ["Bram", "Cees"]

    open_request = await x.requests.post(anna, Draft(category="tools", text="ladder nodig"))
    street_id = open_request.request.street_id
    assert [r.id for r in await x.requests.open_in_street(street_id)] == [open_request.request.id]
    conversation = await x.requests.help(bram, open_request.request.id)
    assert await x.requests.open_in_street(street_id) == []
    await x.requests.done(anna, open_request.request.id)
    await x.after.thank(anna, conversation.id, "Top!", public=True)
    thanks = await x.after.public_thanks(street_id, start)
    assert [t.text for t in thanks] == ["Top!"]
    await x.after.answer(bram, conversation.id, knew_before=True)
    summary = await x.after.feedback_summary([street_id], start, clock.now() + timedelta(days=1))
    assert summary.knew_before == 1
    assert summary.answers == 1
    request = await x.requests.view(open_request.request.id)
    assert request is not None
    assert request.request.status is RequestStatus.DONE


async def test_log_and_audit_never_hold_texts(db: SqlDatabase, clock: FakeClock) -> None:
    anna, bram = await people(db, clock, "Anna", "Bram")
    x = build_exchange(db, clock)
    await _help(x, anna, bram, "geheim-woord-in-de-vraag")
    async with db.read() as tx:
        details = (await tx.conn.execute(sa.select(s.audit_log.c.detail))).scalars().all()
    assert details
    assert not any("geheim-woord" in d for d in details)
