"""What differs between SQLite and PostgreSQL, in one place (ENGINEERING.md §3).

Repositories write portable SQLAlchemy Core. The few things that cannot be portable live
here, one function per thing, with one branch per dialect:

- `claimable(conn, table, *conditions)`: the WHERE of a claim (a conditional UPDATE). On
  PostgreSQL the row must also be free: `id IN (SELECT id … FOR UPDATE SKIP LOCKED)`, so a
  row another transaction is claiming is passed over at once instead of waited for, and
  claimers in several processes never wait on each other. On SQLite, with one writer at a
  time, the conditions alone, exactly as before.
- `by_text(conn, column)`: ORDER BY a text column in code point order, as SQLite's BINARY
  collation does (`COLLATE "C"` on PostgreSQL, whose database collation may be nl_NL or
  en_US and order "Église" elsewhere).
- `insert(conn, table)`: the dialect's INSERT, which has `on_conflict_do_nothing()` and
  `on_conflict_do_update()` (both dialects spell upserts `INSERT … ON CONFLICT`).
- `begin_write(conn)` / `begin_read(conn)`: how a unit of work starts. SQLite takes the
  write lock up front (`BEGIN IMMEDIATE`, set up in `bot.storage.db`); PostgreSQL runs
  writers one after another too, through a transaction-scoped advisory lock, so that the
  read-check-write steps of a service see the same serial world on both. Reads are a
  consistent snapshot on both (SQLite's WAL snapshot; `REPEATABLE READ, READ ONLY`).

Dates are stored in UTC on both (`schema.UTCDateTime`: naive UTC text on SQLite,
`timestamp with time zone` on PostgreSQL) and compared as bound UTC values. Text that is
searched is searched through a folded key column written by Python (`models.text.fold`:
case and accents removed), so matching is the same on both and needs no collation.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

# The advisory lock every PostgreSQL writer holds until it commits: one 64-bit key of our
# own ("patchwork" as ASCII), taken with pg_advisory_xact_lock (released at COMMIT/ROLLBACK).
WRITER_LOCK = int.from_bytes(b"patchwrk", "big") & 0x7FFF_FFFF_FFFF_FFFF


def is_postgres(conn: AsyncConnection | sa.Connection) -> bool:
    """True on PostgreSQL."""
    return conn.dialect.name == "postgresql"


def insert(conn: AsyncConnection | sa.Connection, table: sa.Table) -> Any:
    """The dialect's INSERT for a table (it knows ON CONFLICT)."""
    if is_postgres(conn):
        return postgresql.insert(table)
    return sqlite.insert(table)


def by_text(conn: AsyncConnection | sa.Connection, column: Any) -> Any:
    """A text column to ORDER BY, in the same (code point) order on both."""
    if is_postgres(conn):
        return column.collate("C")
    return column


def claimable(
    conn: AsyncConnection | sa.Connection, table: sa.Table, *conditions: Any
) -> sa.ColumnElement[bool]:
    """The WHERE of a claim: the conditions, on a row no other transaction holds (PostgreSQL)."""
    if is_postgres(conn):
        free = sa.select(table.c.id).where(*conditions).with_for_update(skip_locked=True)
        return table.c.id.in_(free.scalar_subquery())
    return sa.and_(*conditions)


async def begin_write(conn: AsyncConnection) -> AsyncConnection:
    """Options for a connection about to begin a write transaction."""
    if is_postgres(conn):
        return conn  # READ COMMITTED; serialised by `serialise_writers` once begun
    return await conn.execution_options(sqlite_begin="IMMEDIATE")


async def serialise_writers(conn: AsyncConnection) -> None:
    """First statement of a write transaction: wait for the writer before us (PostgreSQL)."""
    if is_postgres(conn):
        await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(WRITER_LOCK)))


async def begin_read(conn: AsyncConnection) -> AsyncConnection:
    """Options for a connection about to begin a read-only snapshot."""
    if is_postgres(conn):
        return await conn.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    return conn
