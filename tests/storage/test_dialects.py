"""What must be the same on SQLite and PostgreSQL: writers in series, reads as snapshots,
times in UTC, search without case or accents, inserts that ignore a used key.

Run on the test backend (PATCHWORK_TEST_BACKEND); `make test` runs them on both.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.storage import schema
from bot.storage.db import SqlDatabase
from models.core import ChatRef
from models.notifications import OperatorAlert, Recipient

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


async def _street(db: SqlDatabase) -> int:
    async with db.write() as tx:
        hood = await tx.neighbourhoods.add("Oost", "Vlietstad", NOW)
        street = await tx.streets.add(
            hood.id, "Zonnebloemstraat", ChatRef(chat_id="-1"), "g", "nl", "cccccccccc", NOW
        )
    return street.id


async def test_writers_run_one_after_another(db: SqlDatabase) -> None:
    """Read, think, write: two writers at once never lose one of the two changes."""
    street = await _street(db)
    t = schema.streets

    async def rename(suffix: str) -> None:
        async with db.write() as tx:
            row = (await tx.conn.execute(sa.select(t.c.chat_title).where(t.c.id == street))).one()
            await asyncio.sleep(0.2)  # the other writer would read the same title now
            await tx.conn.execute(
                sa.update(t).where(t.c.id == street).values(chat_title=row[0] + suffix)
            )

    await asyncio.gather(rename("a"), rename("b"))
    async with db.read() as tx:
        title = (await tx.conn.execute(sa.select(t.c.chat_title).where(t.c.id == street))).one()
    assert sorted(title[0]) == ["a", "b", "g"]


async def test_a_read_is_one_snapshot(db: SqlDatabase) -> None:
    """A writer that commits in the middle of a read is not half seen by it."""
    await _street(db)
    t = schema.streets
    count = sa.select(sa.func.count()).select_from(t)
    async with db.read() as tx:
        before = (await tx.conn.execute(count)).scalar_one()
        async with db.write() as other:
            hood = await other.neighbourhoods.add("West", "Vlietstad", NOW)
            await other.streets.add(hood.id, "Lindelaan", None, "l", "nl", "dddddddddd", NOW)
        during = (await tx.conn.execute(count)).scalar_one()
    async with db.read() as tx:
        after = (await tx.conn.execute(count)).scalar_one()
    assert (before, during, after) == (1, 1, 2)


async def test_times_are_kept_and_compared_in_utc(db: SqlDatabase) -> None:
    """A time given in Amsterdam is due at the same instant in UTC, and comes back in UTC."""
    due_local = datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM)  # 09:00 UTC
    async with db.write() as tx:
        await tx.outbox.enqueue(
            Recipient.street(1), OperatorAlert(summary="x"), key="k", not_before=due_local, now=NOW
        )
    async with db.write() as tx:
        assert await tx.outbox.claim_due(NOW - timedelta(seconds=1), 10) == []
    async with db.read() as tx:
        due = await tx.outbox.next_due()
    assert due == due_local
    assert due is not None
    assert due.tzinfo == UTC
    assert due.hour == 9
    async with db.write() as tx:
        (item,) = await tx.outbox.claim_due(NOW, 10)
    assert item.not_before == due_local


async def test_names_are_found_without_case_or_accents(db: SqlDatabase) -> None:
    async with db.write() as tx:
        hood = await tx.neighbourhoods.add("Oud-Zuid", "Den Haag", NOW)
        await tx.streets.add(hood.id, "Église Straat", None, "e", "nl", "eeeeeeeeee", NOW)
    async with db.read() as tx:
        assert await tx.neighbourhoods.find("OUD-ZUID", "den  haag") == hood
        found = await tx.streets.find(hood.id, "eglise   STRAAT")
        assert found is not None
        assert found.name == "Église Straat"
        assert await tx.streets.find(hood.id, "Eglise-Straat") is None


async def test_an_idempotency_key_is_used_once(db: SqlDatabase) -> None:
    async with db.write() as tx:
        first = await tx.outbox.enqueue(
            Recipient.street(1), OperatorAlert(summary="x"), key="once", now=NOW
        )
    async with db.write() as tx:
        again = await tx.outbox.enqueue(
            Recipient.street(1), OperatorAlert(summary="y"), key="once", now=NOW
        )
    async with db.read() as tx:
        counts = await tx.outbox.counts()
    assert (first, again, counts) == (True, False, {"pending": 1})
