"""Connections and units of work over SQLAlchemy Core (SQLite by default)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.storage import dialects, repos
from bot.storage.repos.checkins import SqlCheckIns
from bot.storage.repos.digest import SqlDigest
from bot.storage.repos.escalation import SqlCases, SqlModerators, SqlReports
from bot.storage.repos.exchange import SqlExchange
from bot.storage.repos.impact import SqlImpact
from bot.storage.repos.personal_data import SqlPersonalData
from bot.storage.repos.rides import SqlRides

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


class StorageError(Exception):
    """The database cannot be used (corrupt, unreachable)."""


def make_engine(url: str) -> AsyncEngine:
    """An engine with the pragmas and transaction style that ENGINEERING.md §3 asks for."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_events(engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def _sqlite_events(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below) so writers can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=FULL",
            "PRAGMA foreign_keys=ON",
            f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


class SqlTransaction:
    """All repositories over one connection in one transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    @cached_property
    def neighbourhoods(self) -> repos.SqlNeighbourhoods:
        """Neighbourhoods."""
        return repos.SqlNeighbourhoods(self.conn)

    @cached_property
    def streets(self) -> repos.SqlStreets:
        """Streets."""
        return repos.SqlStreets(self.conn)

    @cached_property
    def residents(self) -> repos.SqlResidents:
        """Residents."""
        return repos.SqlResidents(self.conn)

    @cached_property
    def memberships(self) -> repos.SqlMemberships:
        """Memberships and neighbourhood roles."""
        return repos.SqlMemberships(self.conn)

    @cached_property
    def pending_groups(self) -> repos.SqlPendingGroups:
        """Groups waiting for a setup."""
        return repos.SqlPendingGroups(self.conn)

    @cached_property
    def outbox(self) -> repos.SqlOutbox:
        """The outbox."""
        return repos.SqlOutbox(self.conn)

    @cached_property
    def audit(self) -> repos.SqlAudit:
        """The audit log."""
        return repos.SqlAudit(self.conn)

    @cached_property
    def posts(self) -> repos.SqlPosts:
        """Posts placed in chats."""
        return repos.SqlPosts(self.conn)

    @cached_property
    def cases(self) -> SqlCases:
        """Escalation cases, offers, relayed messages and notes."""
        return SqlCases(self.conn)

    @cached_property
    def reports(self) -> SqlReports:
        """Moderation reports."""
        return SqlReports(self.conn)

    @cached_property
    def moderators(self) -> SqlModerators:
        """Moderators chat link codes and workers' organisations."""
        return SqlModerators(self.conn)

    @cached_property
    def exchange(self) -> SqlExchange:
        """The help exchange."""
        return SqlExchange(self.conn)

    @cached_property
    def rides(self) -> SqlRides:
        """Grocery rides, bookings and weekly series."""
        return SqlRides(self.conn)

    @cached_property
    def impact(self) -> SqlImpact:
        """Counts for the impact report."""
        return SqlImpact(self.conn)

    @cached_property
    def digest(self) -> SqlDigest:
        """The digest, its schedules and the Bloemetje."""
        return SqlDigest(self.conn)

    @cached_property
    def checkins(self) -> SqlCheckIns:
        """Check-ins, buddies and their daily rounds."""
        return SqlCheckIns(self.conn)

    @cached_property
    def personal_data(self) -> SqlPersonalData:
        """Cross-capability reads and clean-ups for data rights and retention."""
        return SqlPersonalData(self.conn)

    @cached_property
    def updates(self) -> repos.SqlUpdates:
        """Processed update ids."""
        return repos.SqlUpdates(self.conn)

    @cached_property
    def dialogs(self) -> repos.SqlDialogs:
        """Dialog state."""
        return repos.SqlDialogs(self.conn)


class SqlDatabase:
    """The Database port over an async SQLAlchemy engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sqlite = engine.dialect.name == "sqlite"

    @classmethod
    def from_url(cls, url: str) -> SqlDatabase:
        """Open (lazily) the database at a URL."""
        return cls(make_engine(url))

    @asynccontextmanager
    async def write(self) -> AsyncIterator[SqlTransaction]:
        """A write transaction; writers queue, never deadlock (bot.storage.dialects)."""
        async with self.engine.connect() as conn:
            await dialects.begin_write(conn)
            async with conn.begin():
                await dialects.serialise_writers(conn)
                yield SqlTransaction(conn)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[SqlTransaction]:
        """A read-only snapshot."""
        async with self.engine.connect() as conn:
            await dialects.begin_read(conn)
            async with conn.begin():
                yield SqlTransaction(conn)

    async def quick_check(self) -> None:
        """Refuse to start on a damaged SQLite file."""
        if not self._sqlite:
            return
        async with self.engine.connect() as conn:
            result = (await conn.exec_driver_sql("PRAGMA quick_check")).scalar()
        if result != "ok":
            raise StorageError(f"database quick_check failed: {result}")

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
