"""Shared helpers for SQL repositories."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import dialects


class SqlRepository:
    """A repository bound to one connection inside a transaction."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def _one(self, stmt: sa.Select[Any]) -> sa.RowMapping | None:
        row: sa.RowMapping | None = (await self.conn.execute(stmt)).mappings().first()
        return row

    async def _all(self, stmt: sa.Select[Any]) -> list[sa.RowMapping]:
        return list((await self.conn.execute(stmt)).mappings().all())

    async def _insert_id(self, table: sa.Table, **values: Any) -> int:
        result = await self.conn.execute(sa.insert(table).values(**values).returning(table.c.id))
        return int(result.scalar_one())

    async def _insert_ignore(self, table: sa.Table, **values: Any) -> bool:
        """Insert unless a unique key exists; True when a row was written (portable)."""
        stmt = dialects.insert(self.conn, table).values(**values).on_conflict_do_nothing()
        result = await self.conn.execute(stmt)
        return bool(result.rowcount)
