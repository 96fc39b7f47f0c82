"""What must be the same on SQLite and PostgreSQL: writers in series, reads as snapshots,
times in UTC, search without case or accents, inserts that ignore a used key.

Run on the test backend (PATCHWORK_TEST_BACKEND); `make test` runs them on both.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.storage import schema
from bot.storage.db import SqlDatabase
from bot.storage.repos.infra import SqlOutbox
from models.core import ChatRef
from models.notifications import OperatorAlert, Recipient
from tests import backends

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
    async with db.read() as tx:
        assert await tx.outbox.due(NOW - timedelta(seconds=1), 10) == []
        due = await tx.outbox.next_due()
    assert due == due_local
    assert due is not None
    assert due.tzinfo == UTC
    assert due.hour == 9
    async with db.read() as tx:
        (item,) = await tx.outbox.due(NOW, 10)
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


async def _enqueue(db: SqlDatabase, count: int) -> None:
    async with db.write() as tx:
        for number in range(count):
            await tx.outbox.enqueue(
                Recipient.street(number + 1),
                OperatorAlert(summary=f"m{number}"),
                key=f"m{number}",
                now=NOW,
            )


async def test_two_claimers_never_claim_the_same_row(db: SqlDatabase) -> None:
    """Two dispatchers (two processes) claiming at once: every row once, none twice."""
    await _enqueue(db, 40)
    claimed: dict[str, list[int]] = {"a": [], "b": []}

    async def claimer(name: str) -> None:
        while True:
            async with db.read() as tx:
                due = await tx.outbox.due(NOW, 3)
            if not due:
                return
            for item in due:
                async with db.write() as tx:
                    if await tx.outbox.claim(item, NOW) is not None:
                        claimed[name].append(item.id)
                await asyncio.sleep(0.005)  # let the other claimer in

    await asyncio.gather(claimer("a"), claimer("b"))
    every = claimed["a"] + claimed["b"]
    assert len(every) == len(set(every)) == 40


@pytest.mark.skipif(not backends.POSTGRES, reason="SQLite has one writer at a time")
async def test_a_claimer_passes_over_a_row_another_is_claiming(db: SqlDatabase) -> None:
    """FOR UPDATE SKIP LOCKED: while one claim is open, another is refused that row at once
    (instead of waiting for the first to commit) and takes the next."""
    await _enqueue(db, 2)
    async with db.read() as tx:
        first_row, second_row = await tx.outbox.due(NOW, 10)
    async with db.engine.connect() as one, db.engine.connect() as other:
        await one.begin()
        await other.begin()
        assert await SqlOutbox(one).claim(first_row, NOW) is not None
        taken = await asyncio.wait_for(SqlOutbox(other).claim(first_row, NOW), timeout=5)
        free = await asyncio.wait_for(SqlOutbox(other).claim(second_row, NOW), timeout=5)
        await one.commit()
        await other.commit()
    assert taken is None
    assert free is not None
    async with db.read() as tx:
        assert await tx.outbox.counts() == {"sending": 2}


async def test_streets_are_listed_in_the_same_order_on_both(db: SqlDatabase) -> None:
    """Code point order, as SQLite sorts; a Dutch collation would put "Église" among the E's."""
    names = ["Zonnebloemstraat", "Église Straat", "apenweg", "Bakkerstraat", "Eikenlaan"]
    async with db.write() as tx:
        hood = await tx.neighbourhoods.add("Centrum", "Vlietstad", NOW)
        for number, name in enumerate(names):
            code = f"{number:010d}".translate(str.maketrans("0123456789", "cdefghjkmn"))
            await tx.streets.add(hood.id, name, None, "t", "nl", code, NOW)
    async with db.read() as tx:
        listed = [street.name for street in await tx.streets.in_neighbourhood(hood.id)]
    assert listed == sorted(names)
