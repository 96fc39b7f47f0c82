"""Infrastructure tables: outbox, placed posts, processed updates, dialog state."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from bot.storage import dialects
from bot.storage import schema as s
from bot.storage.repos.base import SqlRepository
from models.core import ChatRef
from models.notifications import Notification, PlacedPost, PostRef, Recipient


class OutboxItem(BaseModel):
    """One claimed outbox row."""

    model_config = ConfigDict(frozen=True)

    id: int
    key: str | None
    kind: str
    recipient: Recipient
    payload: dict[str, Any]
    attempts: int
    not_before: datetime
    created_at: datetime


class Dialog(BaseModel):
    """What a person is in the middle of (which text we expect next)."""

    model_config = ConfigDict(frozen=True)

    flow: str
    data: dict[str, Any]
    updated_at: datetime


def _item(row: sa.RowMapping) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        key=row["idempotency_key"],
        kind=row["kind"],
        recipient=Recipient.model_validate_json(row["recipient"]),
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
        not_before=row["not_before"],
        created_at=row["created_at"],
    )


class SqlOutbox(SqlRepository):
    """The outbox: the domain enqueues, the dispatcher claims and finishes."""

    async def enqueue(
        self,
        recipient: Recipient,
        notification: Notification,
        *,
        key: str | None = None,
        not_before: datetime | None = None,
        now: datetime,
    ) -> bool:
        """Add a message; False when the idempotency key was used before (nothing added)."""
        return await self._insert_ignore(
            s.outbox,
            idempotency_key=key,
            kind=notification.kind,
            recipient=recipient.model_dump_json(),
            payload=notification.model_dump_json(),
            status="pending",
            attempts=0,
            not_before=not_before or now,
            created_at=now,
        )

    async def due(self, now: datetime, limit: int) -> list[OutboxItem]:
        """Pending rows that are due, oldest first (read only: nothing is claimed)."""
        t = s.outbox
        rows = await self._all(
            sa.select(t)
            .where(t.c.status == "pending", t.c.not_before <= now)
            .order_by(t.c.not_before, t.c.id)
            .limit(limit)
        )
        return [_item(row) for row in rows]

    async def claim(self, item: OutboxItem, now: datetime) -> OutboxItem | None:
        """Claim one pending row just before its send starts (conditional update: once).

        The row as claimed (this attempt counted), or None when another sender has it. On
        PostgreSQL a row another sender is claiming right now is None at once, not waited
        for (`dialects.claimable`: FOR UPDATE SKIP LOCKED)."""
        t = s.outbox
        result = await self.conn.execute(
            sa.update(t)
            .where(dialects.claimable(self.conn, t, t.c.id == item.id, t.c.status == "pending"))
            .values(status="sending", claimed_at=now, attempts=t.c.attempts + 1)
        )
        if not result.rowcount:
            return None
        return item.model_copy(update={"attempts": item.attempts + 1})

    async def finish(
        self, item_id: int, status: str, now: datetime, error: str | None = None
    ) -> None:
        """Mark a claimed row sent, dropped (recipient gone) or failed (not retried)."""
        t = s.outbox
        await self.conn.execute(
            sa.update(t)
            .where(t.c.id == item_id)
            .values(status=status, finished_at=now, last_error=(error or None) and error[:200])
        )

    async def retry(self, item_id: int, not_before: datetime, error: str) -> None:
        """Put a claimed row back to be tried again later."""
        t = s.outbox
        await self.conn.execute(
            sa.update(t)
            .where(t.c.id == item_id)
            .values(status="pending", not_before=not_before, last_error=error[:200])
        )

    async def recover(self, claimed_before: datetime) -> int:
        """Rows left 'sending' by a crash go back to pending."""
        t = s.outbox
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.status == "sending", t.c.claimed_at < claimed_before)
            .values(status="pending")
        )
        return int(result.rowcount)

    async def next_due(self) -> datetime | None:
        """When the earliest pending row becomes due."""
        t = s.outbox
        row = await self._one(
            sa.select(sa.func.min(t.c.not_before).label("due")).where(t.c.status == "pending")
        )
        return s.UTCDateTime().process_result_value(row["due"], self.conn.dialect) if row else None

    async def counts(self) -> dict[str, int]:
        """How many rows are in each status (for tests, sandbox and health)."""
        t = s.outbox
        rows = await self._all(
            sa.select(t.c.status, sa.func.count().label("n")).group_by(t.c.status)
        )
        return {r["status"]: int(r["n"]) for r in rows}

    async def unfinished(self) -> list[OutboxItem]:
        """Rows not finished yet: waiting, or claimed and being sent."""
        t = s.outbox
        rows = await self._all(sa.select(t).where(t.c.status.in_(("pending", "sending"))))
        return [_item(row) for row in rows]

    async def by_key(self, key: str) -> OutboxItem | None:
        """A row by idempotency key."""
        row = await self._one(sa.select(s.outbox).where(s.outbox.c.idempotency_key == key))
        return _item(row) if row else None


class SqlPosts(SqlRepository):
    """Messages placed in chats for domain objects."""

    async def record(
        self, ref: PostRef, chat: ChatRef, message_id: int, street_id: int | None, now: datetime
    ) -> int:
        """Remember a placed post."""
        return await self._insert_id(
            s.posts,
            ref_kind=ref.ref_kind,
            ref_id=ref.ref_id,
            channel=chat.channel,
            chat_id=chat.chat_id,
            message_id=message_id,
            street_id=street_id,
            posted_at=now,
        )

    async def for_ref(self, ref: PostRef) -> Sequence[PlacedPost]:
        """Live posts of a domain object."""
        t = s.posts
        rows = await self._all(
            sa.select(t)
            .where(
                t.c.ref_kind == ref.ref_kind, t.c.ref_id == ref.ref_id, t.c.removed_at.is_(None)
            )
            .order_by(t.c.id)
        )
        return [_post(r) for r in rows]

    async def by_message(self, chat: ChatRef, message_id: int) -> PlacedPost | None:
        """The post behind a message in a chat."""
        t = s.posts
        row = await self._one(
            sa.select(t).where(
                t.c.channel == chat.channel,
                t.c.chat_id == chat.chat_id,
                t.c.message_id == message_id,
            )
        )
        return _post(row) if row else None

    async def get(self, post_id: int) -> PlacedPost | None:
        """By id."""
        row = await self._one(sa.select(s.posts).where(s.posts.c.id == post_id))
        return _post(row) if row else None

    async def mark_removed(self, post_id: int, now: datetime) -> None:
        """The post is gone from its chat."""
        t = s.posts
        await self.conn.execute(sa.update(t).where(t.c.id == post_id).values(removed_at=now))

    async def move_chat(self, old: ChatRef, new: ChatRef) -> None:
        """Posts follow a group that became a supergroup (old message ids stay valid there)."""
        t = s.posts
        await self.conn.execute(
            sa.update(t)
            .where(t.c.channel == old.channel, t.c.chat_id == old.chat_id)
            .values(chat_id=new.chat_id)
        )


def _post(row: sa.RowMapping) -> PlacedPost:
    return PlacedPost(
        id=row["id"],
        ref=PostRef(ref_kind=row["ref_kind"], ref_id=row["ref_id"]),
        chat=ChatRef(channel=row["channel"], chat_id=row["chat_id"]),
        message_id=row["message_id"],
        street_id=row["street_id"],
        posted_at=row["posted_at"],
        removed_at=row["removed_at"],
    )


class SqlUpdates(SqlRepository):
    """Incoming update ids, for deduplication."""

    async def first_time(self, channel: str, update_id: int, now: datetime) -> bool:
        """Record an update id; False when it was seen before."""
        return await self._insert_ignore(
            s.processed_updates, channel=channel, update_id=update_id, received_at=now
        )

    async def seen(self, channel: str, update_id: int) -> bool:
        """Whether an update id was recorded."""
        t = s.processed_updates
        row = await self._one(
            sa.select(t.c.update_id).where(t.c.channel == channel, t.c.update_id == update_id)
        )
        return row is not None

    async def prune(self, before: datetime) -> int:
        """Forget ids older than a moment (a redelivery is only possible for a short time)."""
        t = s.processed_updates
        result = await self.conn.execute(sa.delete(t).where(t.c.received_at < before))
        return int(result.rowcount)


class SqlDialogs(SqlRepository):
    """Per person and chat: the text input a flow is waiting for."""

    @staticmethod
    def _key(chat: ChatRef, user_id: str) -> sa.ColumnElement[bool]:
        t = s.dialogs
        return (
            (t.c.channel == chat.channel)
            & (t.c.chat_id == chat.chat_id)
            & (t.c.user_id == user_id)
        )

    async def get(self, chat: ChatRef, user_id: str) -> Dialog | None:
        """The current dialog, if any."""
        row = await self._one(sa.select(s.dialogs).where(self._key(chat, user_id)))
        if row is None:
            return None
        return Dialog(flow=row["flow"], data=json.loads(row["data"]), updated_at=row["updated_at"])

    async def put(
        self, chat: ChatRef, user_id: str, flow: str, data: dict[str, Any], now: datetime
    ) -> None:
        """Start or replace the dialog."""
        await self.clear(chat, user_id)
        await self.conn.execute(
            sa.insert(s.dialogs).values(
                channel=chat.channel,
                chat_id=chat.chat_id,
                user_id=user_id,
                flow=flow,
                data=json.dumps(data),
                updated_at=now,
            )
        )

    async def clear(self, chat: ChatRef, user_id: str) -> None:
        """End the dialog."""
        await self.conn.execute(sa.delete(s.dialogs).where(self._key(chat, user_id)))

    async def prune(self, before: datetime) -> int:
        """Forget abandoned dialogs."""
        t = s.dialogs
        result = await self.conn.execute(sa.delete(t).where(t.c.updated_at < before))
        return int(result.rowcount)
