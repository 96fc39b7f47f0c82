"""The impact report's counting queries over SQL (models.impact.ImpactRepository).

Every query reads one neighbourhood's streets and returns counts or id-only facts; no
name or text is selected.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from bot.storage import schema as s
from bot.storage.repos.base import SqlRepository
from bot.storage.tables import escalation as e
from bot.storage.tables import exchange as x
from bot.storage.tables import impact as i
from bot.storage.tables import rides as r
from models.exchange.model import Role
from models.impact.ports import CaseFigures, Connection, FeedbackFact, RequestFact, RideFigures


def _streets_of(neighbourhood_id: int) -> sa.Select[tuple[int]]:
    return sa.select(s.streets.c.id).where(s.streets.c.neighbourhood_id == neighbourhood_id)


def _conversation_street() -> sa.ColumnElement[int]:
    """The street of a conversation: its request's, else its register entry's."""
    return sa.func.coalesce(x.exchange_requests.c.street_id, x.exchange_entries.c.street_id)


def _conversations() -> sa.FromClause:
    c = x.exchange_conversations
    return c.outerjoin(x.exchange_requests, x.exchange_requests.c.id == c.c.request_id).outerjoin(
        x.exchange_entries, x.exchange_entries.c.id == c.c.entry_id
    )


class SqlImpact(SqlRepository):
    """Counts for the impact report."""

    async def requests_placed(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> Sequence[RequestFact]:
        """Requests and one-off offers placed in the period (sensitive ones never were)."""
        t = x.exchange_requests
        rows = await self._all(
            sa.select(
                t.c.street_id, t.c.kind, t.c.category, t.c.created_at, t.c.matched_at, t.c.status
            ).where(
                t.c.street_id.in_(_streets_of(neighbourhood_id)),
                t.c.created_at >= start,
                t.c.created_at < end,
                t.c.sensitivity.is_(None),
            )
        )
        return [RequestFact.model_validate(dict(row)) for row in rows]

    async def connections_until(
        self, neighbourhood_id: int, end: datetime
    ) -> Sequence[Connection]:
        """Every conversation that began before `end` in the neighbourhood's streets."""
        c = x.exchange_conversations
        street = _conversation_street()
        giver_first = c.c.giver_id < c.c.receiver_id
        lower = (giver_first, c.c.giver_id)
        rows = await self._all(
            sa.select(
                street.label("street_id"),
                sa.case(lower, else_=c.c.receiver_id).label("first_id"),
                sa.case((giver_first, c.c.receiver_id), else_=c.c.giver_id).label("second_id"),
                c.c.created_at,
            )
            .select_from(_conversations())
            .where(street.in_(_streets_of(neighbourhood_id)), c.c.created_at < end)
        )
        return [Connection.model_validate(dict(row)) for row in rows]

    async def feedback_answered(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> Sequence[FeedbackFact]:
        """Answers given in the period, after help between neighbours and after a ride."""
        f = x.exchange_feedback
        street = _conversation_street()
        helped = await self._all(
            sa.select(
                street.label("street_id"),
                f.c.helped,
                f.c.knew_before,
                (f.c.role == Role.GIVER.value).label("helper"),
            )
            .select_from(
                f.join(
                    x.exchange_conversations,
                    x.exchange_conversations.c.id == f.c.conversation_id,
                )
                .outerjoin(
                    x.exchange_requests,
                    x.exchange_requests.c.id == x.exchange_conversations.c.request_id,
                )
                .outerjoin(
                    x.exchange_entries,
                    x.exchange_entries.c.id == x.exchange_conversations.c.entry_id,
                )
            )
            .where(
                street.in_(_streets_of(neighbourhood_id)),
                f.c.answered_at >= start,
                f.c.answered_at < end,
            )
        )
        rf = x.exchange_ride_feedback
        rides = await self._all(
            sa.select(rf.c.street_id, rf.c.helped, rf.c.knew_before).where(
                rf.c.street_id.in_(_streets_of(neighbourhood_id)),
                rf.c.answered_at >= start,
                rf.c.answered_at < end,
            )
        )
        return [FeedbackFact.model_validate(dict(row)) for row in [*helped, *rides]]

    async def thanks_sent(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> dict[int, int]:
        """Thank-yous per street in the period (private and public alike)."""
        t = x.exchange_thanks
        rows = await self._all(
            sa.select(t.c.street_id, sa.func.count().label("n"))
            .where(
                t.c.street_id.in_(_streets_of(neighbourhood_id)),
                t.c.created_at >= start,
                t.c.created_at < end,
            )
            .group_by(t.c.street_id)
        )
        return {int(row["street_id"]): int(row["n"]) for row in rows}

    async def entries_added(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> dict[int, int]:
        """New "wie kan wat" entries per street in the period (removed ones too: they were
        offered)."""
        t = x.exchange_entries
        rows = await self._all(
            sa.select(t.c.street_id, sa.func.count().label("n"))
            .where(
                t.c.street_id.in_(_streets_of(neighbourhood_id)),
                t.c.created_at >= start,
                t.c.created_at < end,
            )
            .group_by(t.c.street_id)
        )
        return {int(row["street_id"]): int(row["n"]) for row in rows}

    async def rides_done(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> RideFigures:
        """Rides that went in the period, their used seats and distinct passengers."""
        ride = r.rides
        done = sa.select(ride.c.id).where(
            ride.c.neighbourhood_id == neighbourhood_id,
            ride.c.status == "done",
            ride.c.departs_at >= start,
            ride.c.departs_at < end,
        )
        rides = await self.conn.execute(sa.select(sa.func.count()).select_from(done.subquery()))
        b = r.ride_bookings
        seats = await self.conn.execute(
            sa.select(
                sa.func.count().label("seats"),
                sa.func.count(sa.distinct(b.c.resident_id)).label("people"),
            ).where(b.c.ride_id.in_(done), b.c.status == "booked")
        )
        used, people = seats.one()
        return RideFigures(
            rides=int(rides.scalar_one()), seats_used=int(used), passengers=int(people)
        )

    async def cases(self, neighbourhood_id: int, start: datetime, end: datetime) -> CaseFigures:
        """Cases opened in the period, and the outcomes of those closed in it."""
        c = e.cases
        opened = await self.conn.execute(
            sa.select(sa.func.count()).where(
                c.c.neighbourhood_id == neighbourhood_id,
                c.c.created_at >= start,
                c.c.created_at < end,
            )
        )
        closed = await self._all(
            sa.select(c.c.outcome).where(
                c.c.neighbourhood_id == neighbourhood_id,
                c.c.closed_at >= start,
                c.c.closed_at < end,
            )
        )
        return CaseFigures(
            opened=int(opened.scalar_one()),
            outcomes=tuple(str(row["outcome"] or "other") for row in closed),
        )

    async def claimed(self, month: str) -> set[int]:
        """The neighbourhoods whose report for the month went out already."""
        t = i.impact_monthly
        rows = await self._all(sa.select(t.c.neighbourhood_id).where(t.c.month == month))
        return {int(row["neighbourhood_id"]) for row in rows}

    async def claim_monthly(self, neighbourhood_id: int, month: str, now: datetime) -> bool:
        """Mark the month's report sent for the neighbourhood; False when it was already."""
        return await self._insert_ignore(
            i.impact_monthly, neighbourhood_id=neighbourhood_id, month=month, claimed_at=now
        )
