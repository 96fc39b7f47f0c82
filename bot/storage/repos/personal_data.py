"""SQL for data rights: the cross-table reads and bulk clean-ups of exports, erasure and
retention (models.personal_data.ports.PersonalDataRepository)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.storage import schema as s
from bot.storage.repos.base import SqlRepository
from bot.storage.tables import digest as d
from bot.storage.tables import escalation as e
from bot.storage.tables import exchange as x
from bot.storage.tables import rides as r
from models.personal_data.ports import ConsentRecord, NominationRecord, OutboxRow, ProxyRecord

EMPTY = "{}"
FINISHED = ("sent", "dropped", "failed")
CLOSED_REQUESTS = ("done", "cancelled", "expired")


class SqlPersonalData(SqlRepository):
    """Reads and clean-ups across every capability's tables."""

    async def _ids(self, stmt: sa.Select[Any]) -> list[int]:
        return [int(v) for v in (await self.conn.execute(stmt)).scalars().all()]

    # Foundation -------------------------------------------------------------------

    async def forget_channel_identity(
        self, resident_id: int, channel: str, external_id: str, now: datetime
    ) -> None:
        """Remove the channel id from the audit log, dialogs, placed posts and pending groups.

        Audit lines keep pointing to the (anonymised) resident, so the trail of who did
        what stays complete without naming anyone.
        """
        a = s.audit_log
        await self.conn.execute(
            sa.update(a)
            .where(a.c.actor_external_id == external_id)
            .values(
                actor_resident_id=sa.func.coalesce(a.c.actor_resident_id, resident_id),
                actor_external_id=None,
            )
        )
        g = s.dialogs
        await self.conn.execute(
            sa.delete(g).where(
                g.c.channel == channel,
                sa.or_(g.c.user_id == external_id, g.c.chat_id == external_id),
            )
        )
        # Posts in the private chat (request copies): the chat id is the person's own id.
        # Reports may point at a post, so the row stays, marked removed, with no chat id.
        p = s.posts
        private = (p.c.channel == channel) & (p.c.chat_id == external_id)
        await self.conn.execute(
            sa.update(p)
            .where(private)
            .values(chat_id="-", removed_at=sa.func.coalesce(p.c.removed_at, now))
        )
        pg = s.pending_groups
        await self.conn.execute(
            sa.update(pg)
            .where(pg.c.added_by_external_id == external_id)
            .values(added_by_external_id=None)
        )

    async def outbox_rows(self, *, pending_only: bool) -> Sequence[OutboxRow]:
        """Outbox rows that still carry a payload."""
        o = s.outbox
        stmt = sa.select(o).where(o.c.payload != EMPTY).order_by(o.c.id)
        if pending_only:
            stmt = stmt.where(o.c.status == "pending")
        return [
            OutboxRow(
                id=row["id"],
                kind=row["kind"],
                status=row["status"],
                recipient=json.loads(row["recipient"]),
                payload=json.loads(row["payload"]),
            )
            for row in await self._all(stmt)
        ]

    async def set_outbox_payload(self, outbox_id: int, payload: dict[str, Any]) -> None:
        """Replace a row's payload (a redacted copy)."""
        o = s.outbox
        await self.conn.execute(
            sa.update(o).where(o.c.id == outbox_id).values(payload=json.dumps(payload))
        )

    async def drop_outbox(self, outbox_id: int, now: datetime) -> None:
        """Never send this row; empty its payload."""
        o = s.outbox
        await self.conn.execute(
            sa.update(o)
            .where(o.c.id == outbox_id, o.c.status == "pending")
            .values(status="dropped", finished_at=now, payload=EMPTY, last_error="erased")
        )
        await self.conn.execute(sa.update(o).where(o.c.id == outbox_id).values(payload=EMPTY))

    async def clear_finished_payloads(self, finished_before: datetime) -> int:
        """Empty the payloads of rows that were sent or given up before a moment."""
        o = s.outbox
        result = await self.conn.execute(
            sa.update(o)
            .where(
                o.c.status.in_(FINISHED),
                o.c.finished_at < finished_before,
                o.c.payload != EMPTY,
            )
            .values(payload=EMPTY)
        )
        return int(result.rowcount)

    # Exchange -----------------------------------------------------------------------

    async def entry_ids(self, resident_id: int) -> Sequence[int]:
        """Every register entry of a resident."""
        t = x.exchange_entries
        return await self._ids(
            sa.select(t.c.id).where(t.c.resident_id == resident_id).order_by(t.c.id)
        )

    async def thanks_ids(self, resident_id: int) -> Sequence[int]:
        """Thank-yous written or received."""
        t = x.exchange_thanks
        return await self._ids(
            sa.select(t.c.id)
            .where(sa.or_(t.c.from_id == resident_id, t.c.to_id == resident_id))
            .order_by(t.c.id)
        )

    async def feedback_conversations(self, resident_id: int) -> Sequence[int]:
        """Conversations with feedback answers of a resident."""
        t = x.exchange_feedback
        return await self._ids(
            sa.select(t.c.conversation_id)
            .where(t.c.resident_id == resident_id)
            .order_by(t.c.conversation_id)
        )

    async def erase_exchange_texts(self, resident_id: int, now: datetime) -> None:
        """Texts, contact handles, the current conversation and invitations of a person."""
        entries = x.exchange_entries
        await self.conn.execute(
            sa.update(entries)
            .where(entries.c.resident_id == resident_id)
            .values(
                text="",
                on_card=False,
                updated_at=now,
                removed_at=sa.func.coalesce(entries.c.removed_at, now),
            )
        )
        requests = x.exchange_requests
        await self.conn.execute(
            sa.update(requests).where(requests.c.resident_id == resident_id).values(text="")
        )
        thanks = x.exchange_thanks
        await self.conn.execute(
            sa.update(thanks)
            .where(sa.or_(thanks.c.from_id == resident_id, thanks.c.to_id == resident_id))
            .values(text="", public=False)
        )
        conv = x.exchange_conversations
        for side in ("giver", "receiver"):
            await self.conn.execute(
                sa.update(conv)
                .where(conv.c[f"{side}_id"] == resident_id)
                .values({f"{side}_contact": None})
            )
        for table in (x.exchange_focus, x.exchange_invites):
            await self.conn.execute(sa.delete(table).where(table.c.resident_id == resident_id))

    async def closed_requests_with_text(
        self, closed_before: datetime, limit: int
    ) -> Sequence[int]:
        """Closed requests older than a moment that still hold a text."""
        t = x.exchange_requests
        return await self._ids(
            sa.select(t.c.id)
            .where(
                t.c.status.in_(CLOSED_REQUESTS),
                t.c.closed_at < closed_before,
                t.c.text != "",
            )
            .order_by(t.c.id)
            .limit(limit)
        )

    async def clear_request_texts(self, request_ids: Sequence[int]) -> int:
        """Remove the texts of some requests."""
        if not request_ids:
            return 0
        t = x.exchange_requests
        result = await self.conn.execute(
            sa.update(t).where(t.c.id.in_(request_ids), t.c.text != "").values(text="")
        )
        return int(result.rowcount)

    # Rides ---------------------------------------------------------------------------

    async def rides_driven(self, resident_id: int) -> Sequence[int]:
        """Every ride a resident drove or will drive."""
        t = r.rides
        return await self._ids(
            sa.select(t.c.id).where(t.c.driver_id == resident_id).order_by(t.c.departs_at, t.c.id)
        )

    async def series_driven(self, resident_id: int) -> Sequence[int]:
        """Every weekly ride a resident set up."""
        t = r.ride_series
        return await self._ids(
            sa.select(t.c.id).where(t.c.driver_id == resident_id).order_by(t.c.id)
        )

    async def booking_ids(self, resident_id: int) -> Sequence[int]:
        """Every booking of a resident, by departure."""
        b, t = r.ride_bookings, r.rides
        return await self._ids(
            sa.select(b.c.id)
            .join(t, t.c.id == b.c.ride_id)
            .where(b.c.resident_id == resident_id)
            .order_by(t.c.departs_at, b.c.id)
        )

    async def bookings_for_others(self, resident_id: int) -> Sequence[int]:
        """Bookings a coordinator made for a neighbour."""
        b, t = r.ride_bookings, r.rides
        return await self._ids(
            sa.select(b.c.id)
            .join(t, t.c.id == b.c.ride_id)
            .where(b.c.booked_by == resident_id, b.c.resident_id != resident_id)
            .order_by(t.c.departs_at, b.c.id)
        )

    async def proxies_registered_by(self, resident_id: int) -> Sequence[ProxyRecord]:
        """Neighbours without Telegram a coordinator registered (from the audit log)."""
        a, res = s.audit_log, s.residents
        rows = await self._all(
            sa.select(res.c.id, res.c.display_name, a.c.at, a.c.detail)
            .join(res, sa.cast(res.c.id, sa.String) == a.c.subject_id)
            .where(
                a.c.action == "proxy.registered",
                a.c.subject_kind == "resident",
                a.c.actor_resident_id == resident_id,
            )
            .order_by(a.c.at, a.c.id)
        )
        return [
            ProxyRecord(
                resident_id=row["id"],
                name=row["display_name"],
                street_id=json.loads(row["detail"]).get("street"),
                registered_at=row["at"],
            )
            for row in rows
        ]

    async def erase_ride_texts(self, resident_id: int) -> None:
        """Typed pickup points; destinations and meeting points of what they drive."""
        b = r.ride_bookings
        await self.conn.execute(
            sa.update(b).where(b.c.resident_id == resident_id).values(pickup_text=None)
        )
        for table in (r.rides, r.ride_series):
            await self.conn.execute(
                sa.update(table)
                .where(table.c.driver_id == resident_id)
                .values(destination="", meeting_point=None)
            )

    # Escalation ----------------------------------------------------------------------

    async def case_ids(self, resident_id: int) -> Sequence[int]:
        """Every case of a resident."""
        t = e.cases
        return await self._ids(
            sa.select(t.c.id).where(t.c.resident_id == resident_id).order_by(t.c.id)
        )

    async def offer_ids(self, resident_id: int) -> Sequence[int]:
        """Every offer of professional help to a resident."""
        t = e.case_offers
        return await self._ids(
            sa.select(t.c.id).where(t.c.resident_id == resident_id).order_by(t.c.id)
        )

    async def report_ids(self, resident_id: int, *, as_owner: bool) -> Sequence[int]:
        """Reports made by a resident, or about their posts."""
        t = e.reports
        column = t.c.owner_resident_id if as_owner else t.c.reporter_resident_id
        return await self._ids(sa.select(t.c.id).where(column == resident_id).order_by(t.c.id))

    async def cases_handled(self, resident_id: int) -> Sequence[int]:
        """Cases a worker claimed, closed, wrote to or noted on."""
        c, m, n = e.cases, e.case_messages, e.case_notes
        ids = set(
            await self._ids(
                sa.select(c.c.id).where(
                    sa.or_(c.c.claimed_by == resident_id, c.c.closed_by == resident_id),
                    c.c.resident_id != resident_id,
                )
            )
        )
        ids.update(
            await self._ids(
                sa.select(m.c.case_id).where(
                    m.c.author_resident_id == resident_id, m.c.direction == "to_resident"
                )
            )
        )
        ids.update(
            await self._ids(sa.select(n.c.case_id).where(n.c.author_resident_id == resident_id))
        )
        return sorted(ids)

    async def forget_reporter(self, resident_id: int, external_id: str) -> None:
        """Keep the report (it counts), without the reporter's channel id."""
        t = e.reports
        await self.conn.execute(
            sa.update(t)
            .where(
                sa.or_(
                    t.c.reporter_resident_id == resident_id,
                    t.c.reporter_external_id == external_id,
                )
            )
            .values(
                reporter_resident_id=resident_id,
                # Unique per post and reporter: the erased person stays one reporter.
                reporter_external_id=f"erased:{resident_id}",
            )
        )

    async def forget_worker_profile(self, resident_id: int) -> None:
        """A community worker's organisation."""
        t = e.worker_profiles
        await self.conn.execute(sa.delete(t).where(t.c.resident_id == resident_id))

    async def closed_cases_with_text(self, closed_before: datetime, limit: int) -> Sequence[int]:
        """Closed cases whose texts are still there."""
        t = e.cases
        return await self._ids(
            sa.select(t.c.id)
            .where(t.c.status == "closed", t.c.closed_at < closed_before, t.c.erased_at.is_(None))
            .order_by(t.c.id)
            .limit(limit)
        )

    # Digest --------------------------------------------------------------------------

    async def nominations(self, resident_id: int) -> Sequence[NominationRecord]:
        """Nominations made or received."""
        t = d.bloemetje_nominations
        rows = await self._all(
            sa.select(t)
            .where(sa.or_(t.c.nominator_id == resident_id, t.c.nominee_id == resident_id))
            .order_by(t.c.month, t.c.id)
        )
        return [
            NominationRecord(
                id=row["id"],
                street_id=row["street_id"],
                month=row["month"],
                nominator_id=row["nominator_id"],
                nominee_id=row["nominee_id"],
                reason=row["reason"],
                created_at=row["created_at"],
            )
            for row in rows
        ]

    async def consents(self, resident_id: int) -> Sequence[ConsentRecord]:
        """A nominee's answers."""
        t = d.bloemetje_consents
        rows = await self._all(
            sa.select(t).where(t.c.nominee_id == resident_id).order_by(t.c.month, t.c.street_id)
        )
        return [
            ConsentRecord(
                street_id=row["street_id"],
                month=row["month"],
                answer=row["answer"],
                asked_at=row["asked_at"],
                answered_at=row["answered_at"],
            )
            for row in rows
        ]

    async def erase_bloemetje(self, resident_id: int) -> None:
        """Nominations naming the person and their answers go; their own lose the reason."""
        n, c = d.bloemetje_nominations, d.bloemetje_consents
        await self.conn.execute(sa.delete(n).where(n.c.nominee_id == resident_id))
        await self.conn.execute(sa.delete(c).where(c.c.nominee_id == resident_id))
        await self.conn.execute(
            sa.update(n).where(n.c.nominator_id == resident_id).values(reason=None)
        )
