"""Conversation state kept in the database, so a restart never loses what someone typed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.storage.db import SqlDatabase
from bot.storage.repos.infra import Dialog
from models.clock import Clock
from models.core import ChatRef

DIALOG_TTL = timedelta(hours=24)
UPDATE_MEMORY = timedelta(days=2)


class DialogStore:
    """Which text input a person is in the middle of, per chat."""

    def __init__(self, db: SqlDatabase, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def get(self, chat: ChatRef, user_id: str) -> Dialog | None:
        """The open dialog, unless it is older than a day."""
        async with self._db.read() as tx:
            dialog = await tx.dialogs.get(chat, user_id)
        if dialog is None or self._clock.now() - dialog.updated_at > DIALOG_TTL:
            return None
        return dialog

    async def put(self, chat: ChatRef, user_id: str, flow: str, data: dict[str, Any]) -> None:
        """Start (or replace) a dialog."""
        async with self._db.write() as tx:
            await tx.dialogs.put(chat, user_id, flow, data, self._clock.now())

    async def clear(self, chat: ChatRef, user_id: str) -> None:
        """End a dialog (a read first: most taps end no dialog, and need no write lock)."""
        async with self._db.read() as tx:
            if await tx.dialogs.get(chat, user_id) is None:
                return
        async with self._db.write() as tx:
            await tx.dialogs.clear(chat, user_id)

    async def sweep(self) -> int:
        """Forget dialogs nobody finished."""
        async with self._db.write() as tx:
            return await tx.dialogs.prune(self._clock.now() - DIALOG_TTL)


class UpdateLog:
    """Incoming update ids, so a redelivered update has no second effect."""

    def __init__(self, db: SqlDatabase, clock: Clock, channel: str = "telegram") -> None:
        self._db = db
        self._clock = clock
        self._channel = channel

    async def handled_before(self, update_id: int) -> bool:
        """Whether this update was handled to the end before (a redelivery to ignore)."""
        async with self._db.read() as tx:
            return await tx.updates.seen(self._channel, update_id)

    async def handled(self, update_id: int) -> None:
        """Record an update once every handler is done with it.

        Recorded after handling, not on arrival: an update fetched but not yet handled when
        the process died is handled when it comes again, instead of being dropped."""
        async with self._db.write() as tx:
            await tx.updates.first_time(self._channel, update_id, self._clock.now())

    async def sweep(self) -> int:
        """Forget ids older than Telegram could redeliver."""
        async with self._db.write() as tx:
            return await tx.updates.prune(self._clock.now() - UPDATE_MEMORY)
