"""The exchange repository over SQL: entries, requests, conversations, thanks, feedback."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.storage import dialects
from bot.storage import schema as s
from bot.storage.repos.base import SqlRepository
from bot.storage.tables import exchange as x
from models.exchange.model import (
    Availability,
    Conversation,
    ConversationStatus,
    EntryKind,
    Feedback,
    HelpfulAnswer,
    InviteState,
    RegisterEntry,
    Request,
    RequestKind,
    RequestStatus,
    RideFeedback,
    Role,
    ThankYou,
    When,
)


def _plain(value: Any) -> Any:
    """Enums to their stored value."""
    return getattr(value, "value", value)


def _entry(row: sa.RowMapping) -> RegisterEntry:
    return RegisterEntry(
        id=row["id"],
        resident_id=row["resident_id"],
        street_id=row["street_id"],
        kind=EntryKind(row["kind"]),
        category=row["category"],
        text=row["text"],
        availability=Availability(row["availability"]),
        on_card=row["on_card"],
        paused=row["paused"],
        confirmed_at=row["confirmed_at"],
        check_sent_at=row["check_sent_at"],
        created_at=row["created_at"],
        removed_at=row["removed_at"],
    )


def _request(row: sa.RowMapping) -> Request:
    return Request(
        id=row["id"],
        street_id=row["street_id"],
        resident_id=row["resident_id"],
        kind=RequestKind(row["kind"]),
        category=row["category"],
        text=row["text"],
        when=When(row["when_kind"]),
        when_date=row["when_date"],
        show_name=row["show_name"],
        status=RequestStatus(row["status"]),
        language=row["language"],
        sensitivity=row["sensitivity"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        matched_at=row["matched_at"],
        closed_at=row["closed_at"],
        active_since=row["active_since"],
        stale_asked_at=row["stale_asked_at"],
        no_helper_at=row["no_helper_at"],
    )


def _conversation(row: sa.RowMapping) -> Conversation:
    return Conversation(
        id=row["id"],
        request_id=row["request_id"],
        entry_id=row["entry_id"],
        giver_id=row["giver_id"],
        receiver_id=row["receiver_id"],
        status=ConversationStatus(row["status"]),
        created_at=row["created_at"],
        ended_at=row["ended_at"],
        ended_by=row["ended_by"],
        helped_at=row["helped_at"],
        done_proposed_at=row["done_proposed_at"],
        giver_shares=row["giver_shares"],
        receiver_shares=row["receiver_shares"],
        giver_contact=row["giver_contact"],
        receiver_contact=row["receiver_contact"],
    )


def _thanks(row: sa.RowMapping) -> ThankYou:
    return ThankYou(
        id=row["id"],
        conversation_id=row["conversation_id"],
        request_id=row["request_id"],
        street_id=row["street_id"],
        from_id=row["from_id"],
        to_id=row["to_id"],
        text=row["text"],
        public=row["public"],
        created_at=row["created_at"],
    )


def _feedback(row: sa.RowMapping) -> Feedback:
    return Feedback(
        conversation_id=row["conversation_id"],
        resident_id=row["resident_id"],
        role=Role(row["role"]),
        helped=HelpfulAnswer(row["helped"]) if row["helped"] else None,
        knew_before=row["knew_before"],
        answered_at=row["answered_at"],
    )


def _ride_feedback(row: sa.RowMapping) -> RideFeedback:
    return RideFeedback(
        ride_id=row["ride_id"],
        resident_id=row["resident_id"],
        street_id=row["street_id"],
        helped=HelpfulAnswer(row["helped"]) if row["helped"] else None,
        knew_before=row["knew_before"],
        asked_at=row["asked_at"],
        answered_at=row["answered_at"],
    )


class SqlExchange(SqlRepository):
    """The exchange tables in SQL."""

    # Register entries ----------------------------------------------------------

    async def add_entry(self, *, now: datetime, **fields: Any) -> RegisterEntry:
        """Insert an entry (confirmed now)."""
        values = {k: _plain(v) for k, v in fields.items()}
        new_id = await self._insert_id(
            x.exchange_entries,
            **values,
            paused=False,
            confirmed_at=now,
            created_at=now,
            updated_at=now,
        )
        entry = await self.get_entry(new_id)
        assert entry is not None
        return entry

    async def get_entry(self, entry_id: int) -> RegisterEntry | None:
        """By id."""
        t = x.exchange_entries
        row = await self._one(sa.select(t).where(t.c.id == entry_id))
        return _entry(row) if row else None

    async def update_entry(self, entry_id: int, **fields: Any) -> None:
        """Change columns of an entry."""
        t = x.exchange_entries
        values = {k: _plain(v) for k, v in fields.items()}
        await self.conn.execute(sa.update(t).where(t.c.id == entry_id).values(**values))

    async def entries_of(self, resident_id: int) -> Sequence[RegisterEntry]:
        """A resident's entries that were not removed."""
        t = x.exchange_entries
        rows = await self._all(
            sa.select(t)
            .where(t.c.resident_id == resident_id, t.c.removed_at.is_(None))
            .order_by(t.c.id)
        )
        return [_entry(r) for r in rows]

    async def active_entries_in(self, street_ids: Sequence[int]) -> Sequence[RegisterEntry]:
        """Entries neither paused nor removed in some streets."""
        if not street_ids:
            return []
        t = x.exchange_entries
        rows = await self._all(
            sa.select(t)
            .where(
                t.c.street_id.in_(list(street_ids)),
                t.c.paused.is_(False),
                t.c.removed_at.is_(None),
            )
            .order_by(t.c.id)
        )
        return [_entry(r) for r in rows]

    async def entries_due_check(self, confirmed_before: datetime) -> Sequence[RegisterEntry]:
        """Live entries not confirmed since a moment and not asked about yet."""
        t = x.exchange_entries
        rows = await self._all(
            sa.select(t).where(
                t.c.removed_at.is_(None),
                t.c.paused.is_(False),
                t.c.check_sent_at.is_(None),
                t.c.confirmed_at <= confirmed_before,
            )
        )
        return [_entry(r) for r in rows]

    async def entries_due_pause(self, checked_before: datetime) -> Sequence[RegisterEntry]:
        """Live entries asked about before a moment without an answer since."""
        t = x.exchange_entries
        rows = await self._all(
            sa.select(t).where(
                t.c.removed_at.is_(None),
                t.c.paused.is_(False),
                t.c.check_sent_at.is_not(None),
                t.c.check_sent_at <= checked_before,
            )
        )
        return [_entry(r) for r in rows]

    async def card_entries(self, street_id: int) -> Sequence[RegisterEntry]:
        """Live entries of a street whose owners agreed to the printed card."""
        t = x.exchange_entries
        rows = await self._all(
            sa.select(t)
            .where(
                t.c.street_id == street_id,
                t.c.on_card.is_(True),
                t.c.paused.is_(False),
                t.c.removed_at.is_(None),
            )
            .order_by(dialects.by_text(self.conn, t.c.category), t.c.id)
        )
        return [_entry(r) for r in rows]

    async def entries_since(self, street_id: int, since: datetime) -> Sequence[RegisterEntry]:
        """Live entries of a street added since a moment."""
        t = x.exchange_entries
        rows = await self._all(
            sa.select(t)
            .where(
                t.c.street_id == street_id,
                t.c.created_at >= since,
                t.c.paused.is_(False),
                t.c.removed_at.is_(None),
            )
            .order_by(t.c.id)
        )
        return [_entry(r) for r in rows]

    # Requests ----------------------------------------------------------------------

    async def add_request(self, *, now: datetime, **fields: Any) -> Request:
        """Insert a request or offer."""
        values = {k: _plain(v) for k, v in fields.items()}
        values["when_kind"] = values.pop("when")
        new_id = await self._insert_id(
            x.exchange_requests,
            **values,
            created_at=now,
            updated_at=now,
            active_since=now,
        )
        request = await self.get_request(new_id)
        assert request is not None
        return request

    async def get_request(self, request_id: int) -> Request | None:
        """By id."""
        t = x.exchange_requests
        row = await self._one(sa.select(t).where(t.c.id == request_id))
        return _request(row) if row else None

    async def update_request(self, request_id: int, **fields: Any) -> None:
        """Change columns (not the status: use move_request)."""
        t = x.exchange_requests
        values = {k: _plain(v) for k, v in fields.items()}
        await self.conn.execute(sa.update(t).where(t.c.id == request_id).values(**values))

    async def move_request(
        self, request_id: int, expected: RequestStatus, new: RequestStatus, **fields: Any
    ) -> bool:
        """Change the status only if it is still `expected` (a conditional update)."""
        t = x.exchange_requests
        values = {k: _plain(v) for k, v in fields.items()}
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.id == request_id, t.c.status == expected.value)
            .values(status=new.value, **values)
        )
        return bool(result.rowcount)

    async def requests_of(
        self, resident_id: int, statuses: Sequence[RequestStatus]
    ) -> Sequence[Request]:
        """A resident's requests in some statuses, newest first."""
        t = x.exchange_requests
        rows = await self._all(
            sa.select(t)
            .where(t.c.resident_id == resident_id, t.c.status.in_([v.value for v in statuses]))
            .order_by(t.c.id.desc())
        )
        return [_request(r) for r in rows]

    async def count_requests_since(
        self, resident_id: int, since: datetime | None, *, kind: RequestKind | None = None
    ) -> int:
        """How many requests (and offers) a resident posted since a moment (or ever)."""
        t = x.exchange_requests
        stmt = sa.select(sa.func.count()).where(t.c.resident_id == resident_id)
        if since is not None:
            stmt = stmt.where(t.c.created_at >= since)
        if kind is not None:
            stmt = stmt.where(t.c.kind == kind.value)
        return int((await self.conn.execute(stmt)).scalar_one())

    async def requests_in(
        self, street_id: int, statuses: Sequence[RequestStatus]
    ) -> Sequence[Request]:
        """Requests of a street in some statuses, oldest first."""
        t = x.exchange_requests
        rows = await self._all(
            sa.select(t)
            .where(t.c.street_id == street_id, t.c.status.in_([v.value for v in statuses]))
            .order_by(t.c.id)
        )
        return [_request(r) for r in rows]

    async def requests_due_stale(self, active_before: datetime) -> Sequence[Request]:
        """Open requests quiet since a moment and not asked "nog nodig?" yet."""
        t = x.exchange_requests
        rows = await self._all(
            sa.select(t).where(
                t.c.status == RequestStatus.OPEN.value,
                t.c.active_since <= active_before,
                t.c.stale_asked_at.is_(None),
            )
        )
        return [_request(r) for r in rows]

    async def requests_due_expiry(self, asked_before: datetime) -> Sequence[Request]:
        """Open requests asked "nog nodig?" before a moment, without an answer since."""
        t = x.exchange_requests
        rows = await self._all(
            sa.select(t).where(
                t.c.status == RequestStatus.OPEN.value,
                t.c.stale_asked_at.is_not(None),
                t.c.stale_asked_at <= asked_before,
            )
        )
        return [_request(r) for r in rows]

    async def requests_without_helper(self, created_before: datetime) -> Sequence[Request]:
        """Open requests (not offers) never matched, posted before a moment, not flagged yet."""
        t = x.exchange_requests
        rows = await self._all(
            sa.select(t).where(
                t.c.status == RequestStatus.OPEN.value,
                t.c.kind == RequestKind.ASK.value,
                t.c.matched_at.is_(None),
                t.c.no_helper_at.is_(None),
                t.c.created_at <= created_before,
            )
        )
        return [_request(r) for r in rows]

    async def mark_no_helper(self, request_id: int, now: datetime) -> bool:
        """Claim a request for the "no helper" offer, once (a conditional update)."""
        t = x.exchange_requests
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.id == request_id, t.c.no_helper_at.is_(None))
            .values(no_helper_at=now)
        )
        return bool(result.rowcount)

    # Conversations -------------------------------------------------------------------

    async def add_conversation(self, *, now: datetime, **fields: Any) -> Conversation:
        """Start a conversation."""
        new_id = await self._insert_id(
            x.exchange_conversations, **fields, status="active", created_at=now
        )
        conversation = await self.get_conversation(new_id)
        assert conversation is not None
        return conversation

    async def get_conversation(self, conversation_id: int) -> Conversation | None:
        """By id."""
        t = x.exchange_conversations
        row = await self._one(sa.select(t).where(t.c.id == conversation_id))
        return _conversation(row) if row else None

    async def update_conversation(self, conversation_id: int, **fields: Any) -> None:
        """Change columns of a conversation."""
        t = x.exchange_conversations
        values = {k: _plain(v) for k, v in fields.items()}
        await self.conn.execute(sa.update(t).where(t.c.id == conversation_id).values(**values))

    async def conversations_of(
        self, resident_id: int, *, active_only: bool = True
    ) -> Sequence[Conversation]:
        """Conversations a resident takes part in, oldest first."""
        t = x.exchange_conversations
        stmt = sa.select(t).where(
            sa.or_(t.c.giver_id == resident_id, t.c.receiver_id == resident_id)
        )
        if active_only:
            stmt = stmt.where(t.c.status == ConversationStatus.ACTIVE.value)
        rows = await self._all(stmt.order_by(t.c.id))
        return [_conversation(r) for r in rows]

    async def conversations_for_request(
        self, request_id: int, *, active_only: bool = True
    ) -> Sequence[Conversation]:
        """Conversations about one request."""
        t = x.exchange_conversations
        stmt = sa.select(t).where(t.c.request_id == request_id)
        if active_only:
            stmt = stmt.where(t.c.status == ConversationStatus.ACTIVE.value)
        rows = await self._all(stmt.order_by(t.c.id))
        return [_conversation(r) for r in rows]

    async def find_entry_conversation(
        self, entry_id: int, receiver_id: int
    ) -> Conversation | None:
        """An active conversation of one asker about one register entry."""
        t = x.exchange_conversations
        row = await self._one(
            sa.select(t).where(
                t.c.entry_id == entry_id,
                t.c.receiver_id == receiver_id,
                t.c.status == ConversationStatus.ACTIVE.value,
            )
        )
        return _conversation(row) if row else None

    async def get_focus(self, resident_id: int) -> int | None:
        """The conversation a resident currently writes in."""
        t = x.exchange_focus
        row = await self._one(sa.select(t).where(t.c.resident_id == resident_id))
        return int(row["conversation_id"]) if row else None

    async def focused_at(self, resident_id: int) -> datetime | None:
        """When the current conversation was last chosen, written in or answered."""
        t = x.exchange_focus
        row = await self._one(sa.select(t.c.updated_at).where(t.c.resident_id == resident_id))
        return row["updated_at"] if row else None

    async def set_focus(
        self, resident_id: int, conversation_id: int | None, now: datetime
    ) -> None:
        """Set (or clear) the current conversation."""
        t = x.exchange_focus
        await self.conn.execute(sa.delete(t).where(t.c.resident_id == resident_id))
        if conversation_id is not None:
            await self.conn.execute(
                sa.insert(t).values(
                    resident_id=resident_id, conversation_id=conversation_id, updated_at=now
                )
            )

    async def helped_counts(self, resident_id: int) -> tuple[int, int]:
        """(times helped others, times helped by others), counting finished help only."""
        t = x.exchange_conversations
        done = t.c.helped_at.is_not(None)
        given = await self.conn.execute(
            sa.select(sa.func.count()).where(done, t.c.giver_id == resident_id)
        )
        received = await self.conn.execute(
            sa.select(sa.func.count()).where(done, t.c.receiver_id == resident_id)
        )
        return int(given.scalar_one()), int(received.scalar_one())

    # Thanks and feedback ---------------------------------------------------------------

    async def add_thanks(self, *, now: datetime, **fields: Any) -> ThankYou:
        """Store a thank-you."""
        new_id = await self._insert_id(x.exchange_thanks, **fields, created_at=now)
        thanks = await self.get_thanks(new_id)
        assert thanks is not None
        return thanks

    async def get_thanks(self, thanks_id: int) -> ThankYou | None:
        """By id."""
        t = x.exchange_thanks
        row = await self._one(sa.select(t).where(t.c.id == thanks_id))
        return _thanks(row) if row else None

    async def thanks_for(self, conversation_id: int) -> ThankYou | None:
        """The thank-you of a conversation, if one was sent."""
        t = x.exchange_thanks
        row = await self._one(sa.select(t).where(t.c.conversation_id == conversation_id))
        return _thanks(row) if row else None

    async def hide_thanks(self, thanks_id: int) -> None:
        """No longer show a thank-you in the group or the digest (it stays counted)."""
        t = x.exchange_thanks
        await self.conn.execute(sa.update(t).where(t.c.id == thanks_id).values(public=False))

    async def public_thanks(self, street_id: int, since: datetime) -> Sequence[ThankYou]:
        """Thank-yous shown in a street since a moment."""
        t = x.exchange_thanks
        rows = await self._all(
            sa.select(t)
            .where(t.c.street_id == street_id, t.c.public.is_(True), t.c.created_at >= since)
            .order_by(t.c.id)
        )
        return [_thanks(r) for r in rows]

    async def ensure_feedback(self, feedback: Feedback) -> bool:
        """Create the (unanswered) feedback row; False when it existed."""
        return await self._insert_ignore(
            x.exchange_feedback,
            conversation_id=feedback.conversation_id,
            resident_id=feedback.resident_id,
            role=feedback.role.value,
        )

    async def get_feedback(self, conversation_id: int, resident_id: int) -> Feedback | None:
        """One person's answers about one conversation."""
        t = x.exchange_feedback
        row = await self._one(
            sa.select(t).where(
                t.c.conversation_id == conversation_id, t.c.resident_id == resident_id
            )
        )
        return _feedback(row) if row else None

    async def answer_feedback(
        self, conversation_id: int, resident_id: int, now: datetime, **answers: Any
    ) -> None:
        """Store answers."""
        t = x.exchange_feedback
        values = {k: _plain(v) for k, v in answers.items()}
        await self.conn.execute(
            sa.update(t)
            .where(t.c.conversation_id == conversation_id, t.c.resident_id == resident_id)
            .values(answered_at=now, **values)
        )

    async def feedback_between(
        self, street_ids: Sequence[int], since: datetime, until: datetime
    ) -> Sequence[Feedback]:
        """Feedback about help finished in some streets within a period."""
        f, c = x.exchange_feedback, x.exchange_conversations
        r, e = x.exchange_requests, x.exchange_entries
        street = sa.func.coalesce(r.c.street_id, e.c.street_id)
        rows = await self._all(
            sa.select(f)
            .select_from(
                f.join(c, c.c.id == f.c.conversation_id)
                .outerjoin(r, r.c.id == c.c.request_id)
                .outerjoin(e, e.c.id == c.c.entry_id)
            )
            .where(
                street.in_(list(street_ids)),
                c.c.helped_at >= since,
                c.c.helped_at < until,
            )
        )
        return [_feedback(row) for row in rows]

    async def add_ride_feedback(self, feedback: RideFeedback) -> bool:
        """Create the (unanswered) row for a passenger after a ride; False when it existed."""
        return await self._insert_ignore(
            x.exchange_ride_feedback,
            ride_id=feedback.ride_id,
            resident_id=feedback.resident_id,
            street_id=feedback.street_id,
            asked_at=feedback.asked_at,
        )

    async def get_ride_feedback(self, ride_id: int, resident_id: int) -> RideFeedback | None:
        """One passenger's answers about one ride."""
        t = x.exchange_ride_feedback
        row = await self._one(
            sa.select(t).where(t.c.ride_id == ride_id, t.c.resident_id == resident_id)
        )
        return _ride_feedback(row) if row else None

    async def answer_ride_feedback(
        self, ride_id: int, resident_id: int, now: datetime, **answers: Any
    ) -> None:
        """Store answers about a ride."""
        t = x.exchange_ride_feedback
        values = {k: _plain(v) for k, v in answers.items()}
        await self.conn.execute(
            sa.update(t)
            .where(t.c.ride_id == ride_id, t.c.resident_id == resident_id)
            .values(answered_at=now, **values)
        )

    async def ride_feedback_between(
        self, street_ids: Sequence[int], since: datetime, until: datetime
    ) -> Sequence[RideFeedback]:
        """Feedback about rides in some streets, asked within a period."""
        t = x.exchange_ride_feedback
        rows = await self._all(
            sa.select(t).where(
                t.c.street_id.in_(list(street_ids)),
                t.c.asked_at >= since,
                t.c.asked_at < until,
            )
        )
        return [_ride_feedback(row) for row in rows]

    # Invitations ------------------------------------------------------------------------

    async def invite_state(self, resident_id: int) -> InviteState | None:
        """When a resident was last invited to add an entry."""
        t = x.exchange_invites
        row = await self._one(sa.select(t).where(t.c.resident_id == resident_id))
        if row is None:
            return None
        return InviteState(
            resident_id=row["resident_id"],
            last_invited_at=row["last_invited_at"],
            invites=row["invites"],
            opted_out_at=row["opted_out_at"],
        )

    async def record_invite(self, resident_id: int, now: datetime) -> None:
        """Remember an invitation."""
        t = x.exchange_invites
        if not await self._insert_ignore(
            t, resident_id=resident_id, last_invited_at=now, invites=1
        ):
            await self.conn.execute(
                sa.update(t)
                .where(t.c.resident_id == resident_id)
                .values(last_invited_at=now, invites=t.c.invites + 1)
            )

    async def opt_out_invites(self, resident_id: int, now: datetime) -> None:
        """No more invitations for this resident."""
        t = x.exchange_invites
        if not await self._insert_ignore(t, resident_id=resident_id, invites=0, opted_out_at=now):
            await self.conn.execute(
                sa.update(t).where(t.c.resident_id == resident_id).values(opted_out_at=now)
            )

    async def residents_to_invite(self, before: datetime) -> Sequence[int]:
        """Reachable members without a live entry, last invited (or joined) before a moment."""
        res, mem, st = s.residents, s.memberships, s.streets
        inv, ent = x.exchange_invites, x.exchange_entries
        has_entry = (
            sa.select(ent.c.id)
            .where(ent.c.resident_id == res.c.id, ent.c.removed_at.is_(None))
            .exists()
        )
        last = sa.func.coalesce(inv.c.last_invited_at, sa.func.min(mem.c.joined_at))
        rows = await self._all(
            sa.select(res.c.id)
            .select_from(
                res.join(mem, mem.c.resident_id == res.c.id)
                .join(st, st.c.id == mem.c.street_id)
                .outerjoin(inv, inv.c.resident_id == res.c.id)
            )
            .where(
                res.c.active.is_(True),
                res.c.is_proxy.is_(False),
                res.c.external_id.is_not(None),
                res.c.erased_at.is_(None),
                mem.c.blocked_at.is_(None),
                mem.c.ended_at.is_(None),
                st.c.active.is_(True),
                inv.c.opted_out_at.is_(None),
                ~has_entry,
            )
            .group_by(res.c.id, inv.c.last_invited_at)
            .having(last <= before)
            .order_by(res.c.id)
        )
        return [int(r["id"]) for r in rows]
