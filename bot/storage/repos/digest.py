"""The digest repository over SQL: schedules, runs, private copies, the Bloemetje."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from bot.storage import schema as s
from bot.storage.repos.base import SqlRepository
from bot.storage.tables import digest as d
from models.digest.model import DigestSettings
from models.digest.ports import BloemetjeRound, DueDigest, Nomination


def _settings(row: sa.RowMapping) -> DigestSettings:
    return DigestSettings(
        street_id=row["street_id"],
        weekday=row["weekday"],
        minute_of_day=row["minute_of_day"],
        bloemetje=row["bloemetje"],
        next_due_at=row["next_due_at"],
        updated_at=row["updated_at"],
    )


def _round(row: sa.RowMapping) -> BloemetjeRound:
    return BloemetjeRound(
        street_id=row["street_id"],
        month=row["month"],
        asked_at=row["asked_at"],
        announced_at=row["announced_at"],
        closed=row["closed_at"] is not None,
    )


def _nomination(row: sa.RowMapping) -> Nomination:
    return Nomination(
        street_id=row["street_id"],
        month=row["month"],
        nominator_id=row["nominator_id"],
        nominee_id=row["nominee_id"],
        reason=row["reason"],
    )


class SqlDigest(SqlRepository):
    """The DigestRepository port in SQL."""

    # Schedules -----------------------------------------------------------------

    async def settings(self, street_id: int) -> DigestSettings | None:
        """A street's stored settings."""
        t = d.digest_settings
        row = await self._one(sa.select(t).where(t.c.street_id == street_id))
        return _settings(row) if row else None

    async def streets_without_settings(self) -> Sequence[tuple[int, datetime]]:
        """Active streets with a chat that have no schedule yet (id, created_at)."""
        st, t = s.streets, d.digest_settings
        rows = await self._all(
            sa.select(st.c.id, st.c.created_at)
            .outerjoin(t, t.c.street_id == st.c.id)
            .where(t.c.street_id.is_(None), st.c.active.is_(True), st.c.chat_id.is_not(None))
            .order_by(st.c.id)
        )
        return [(int(r["id"]), r["created_at"]) for r in rows]

    async def put_settings(
        self,
        street_id: int,
        *,
        weekday: int,
        minute_of_day: int,
        bloemetje: bool,
        next_due_at: datetime,
        now: datetime,
    ) -> None:
        """Create or replace a street's settings."""
        t = d.digest_settings
        values = {
            "weekday": weekday,
            "minute_of_day": minute_of_day,
            "bloemetje": bloemetje,
            "next_due_at": next_due_at,
            "updated_at": now,
        }
        result = await self.conn.execute(
            sa.update(t).where(t.c.street_id == street_id).values(**values)
        )
        if not result.rowcount:
            await self.conn.execute(sa.insert(t).values(street_id=street_id, **values))

    async def due(self, now: datetime, limit: int) -> Sequence[DueDigest]:
        """Streets whose next digest moment is not after now, earliest first."""
        t = d.digest_settings
        rows = await self._all(
            sa.select(t.c.street_id, t.c.next_due_at)
            .where(t.c.next_due_at <= now)
            .order_by(t.c.next_due_at, t.c.street_id)
            .limit(limit)
        )
        return [DueDigest(street_id=r["street_id"], due_at=r["next_due_at"]) for r in rows]

    async def advance(self, street_id: int, old_due: datetime, new_due: datetime) -> bool:
        """Move the next moment on, only if nobody else did (the claim of the sweep)."""
        t = d.digest_settings
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.street_id == street_id, t.c.next_due_at == old_due)
            .values(next_due_at=new_due)
        )
        return bool(result.rowcount)

    async def claim_run(
        self, street_id: int, iso_week: str, due_at: datetime, outcome: str, now: datetime
    ) -> bool:
        """Record the week's run; False when the week had one already."""
        return await self._insert_ignore(
            d.digest_runs,
            street_id=street_id,
            iso_week=iso_week,
            due_at=due_at,
            claimed_at=now,
            outcome=outcome,
            recipients=0,
        )

    async def set_run_outcome(
        self, street_id: int, iso_week: str, outcome: str, recipients: int
    ) -> None:
        """What became of the week's run."""
        t = d.digest_runs
        await self.conn.execute(
            sa.update(t)
            .where(t.c.street_id == street_id, t.c.iso_week == iso_week)
            .values(outcome=outcome, recipients=recipients)
        )

    async def run_outcome(self, street_id: int, iso_week: str) -> str | None:
        """The outcome of a week's run, if there was one."""
        t = d.digest_runs
        row = await self._one(
            sa.select(t.c.outcome).where(t.c.street_id == street_id, t.c.iso_week == iso_week)
        )
        return str(row["outcome"]) if row else None

    # Private copies ------------------------------------------------------------

    async def private_optin(self, resident_id: int) -> bool:
        """Whether the resident reads the digest privately too."""
        t = d.digest_readers
        return await self._one(sa.select(t).where(t.c.resident_id == resident_id)) is not None

    async def set_private_optin(self, resident_id: int, on: bool, now: datetime) -> None:
        """Opt in or out."""
        t = d.digest_readers
        if on:
            await self._insert_ignore(t, resident_id=resident_id, since=now)
        else:
            await self.conn.execute(sa.delete(t).where(t.c.resident_id == resident_id))

    async def private_readers(self, street_id: int) -> Sequence[int]:
        """Opted-in residents of a street who can be reached privately."""
        r, m, t = s.residents, s.memberships, d.digest_readers
        rows = await self._all(
            sa.select(r.c.id)
            .join(t, t.c.resident_id == r.c.id)
            .join(m, m.c.resident_id == r.c.id)
            .where(
                m.c.street_id == street_id,
                m.c.ended_at.is_(None),
                m.c.blocked_at.is_(None),
                r.c.active.is_(True),
                r.c.external_id.is_not(None),
            )
            .order_by(r.c.id)
        )
        return [int(row["id"]) for row in rows]

    # Bloemetje -----------------------------------------------------------------

    async def bloemetje_street_ids(self) -> Sequence[int]:
        """Active streets with a chat that did not switch the Bloemetje off."""
        st, t = s.streets, d.digest_settings
        rows = await self._all(
            sa.select(st.c.id)
            .outerjoin(t, t.c.street_id == st.c.id)
            .where(
                st.c.active.is_(True),
                st.c.chat_id.is_not(None),
                sa.or_(t.c.bloemetje.is_(None), t.c.bloemetje.is_(True)),
            )
            .order_by(st.c.id)
        )
        return [int(r["id"]) for r in rows]

    async def asked_bloemetje_streets(self, month: str) -> set[int]:
        """Streets whose round of this month has started."""
        t = d.bloemetje_rounds
        rows = await self._all(sa.select(t.c.street_id).where(t.c.month == month))
        return {int(r["street_id"]) for r in rows}

    async def unannounced_bloemetje_rounds(self) -> Sequence[BloemetjeRound]:
        """Rounds that are neither announced nor closed."""
        t = d.bloemetje_rounds
        rows = await self._all(
            sa.select(t)
            .where(t.c.announced_at.is_(None), t.c.closed_at.is_(None))
            .order_by(t.c.month, t.c.street_id)
        )
        return [_round(r) for r in rows]

    async def bloemetje_round(self, street_id: int, month: str) -> BloemetjeRound | None:
        """One street's round of one month."""
        t = d.bloemetje_rounds
        row = await self._one(sa.select(t).where(t.c.street_id == street_id, t.c.month == month))
        return _round(row) if row else None

    async def claim_bloemetje_ask(self, street_id: int, month: str, now: datetime) -> bool:
        """Start the month's round; False when it was started already."""
        return await self._insert_ignore(
            d.bloemetje_rounds, street_id=street_id, month=month, asked_at=now
        )

    async def claim_bloemetje_announce(self, street_id: int, month: str, now: datetime) -> bool:
        """Mark the round announced, only if nobody did."""
        return await self._end_round(street_id, month, announced_at=now)

    async def close_bloemetje(self, street_id: int, month: str, now: datetime) -> bool:
        """End a round without an announcement."""
        return await self._end_round(street_id, month, closed_at=now)

    async def _end_round(self, street_id: int, month: str, **end: datetime) -> bool:
        """Set one end column of a round still running; False when it had ended already."""
        t = d.bloemetje_rounds
        result = await self.conn.execute(
            sa.update(t)
            .where(
                t.c.street_id == street_id,
                t.c.month == month,
                t.c.announced_at.is_(None),
                t.c.closed_at.is_(None),
            )
            .values(**end)
        )
        return bool(result.rowcount)

    async def nomination_by(
        self, street_id: int, month: str, nominator_id: int
    ) -> Nomination | None:
        """A resident's nomination of the month."""
        t = d.bloemetje_nominations
        row = await self._one(
            sa.select(t).where(
                t.c.street_id == street_id, t.c.month == month, t.c.nominator_id == nominator_id
            )
        )
        return _nomination(row) if row else None

    async def put_nomination(
        self,
        street_id: int,
        month: str,
        nominator_id: int,
        nominee_id: int,
        reason: str | None,
        now: datetime,
    ) -> None:
        """Save (or change) a resident's nomination of the month."""
        t = d.bloemetje_nominations
        key = (t.c.street_id == street_id) & (t.c.month == month)
        result = await self.conn.execute(
            sa.update(t)
            .where(key, t.c.nominator_id == nominator_id)
            .values(nominee_id=nominee_id, reason=reason, updated_at=now)
        )
        if not result.rowcount:
            await self.conn.execute(
                sa.insert(t).values(
                    street_id=street_id,
                    month=month,
                    nominator_id=nominator_id,
                    nominee_id=nominee_id,
                    reason=reason,
                    created_at=now,
                    updated_at=now,
                )
            )

    async def set_nomination_reason(
        self, street_id: int, month: str, nominator_id: int, reason: str | None, now: datetime
    ) -> bool:
        """Add or clear the reason of a nomination."""
        t = d.bloemetje_nominations
        result = await self.conn.execute(
            sa.update(t)
            .where(
                t.c.street_id == street_id, t.c.month == month, t.c.nominator_id == nominator_id
            )
            .values(reason=reason, updated_at=now)
        )
        return bool(result.rowcount)

    async def nominations(self, street_id: int, month: str) -> Sequence[Nomination]:
        """Every nomination of a street's month."""
        t = d.bloemetje_nominations
        rows = await self._all(
            sa.select(t).where(t.c.street_id == street_id, t.c.month == month).order_by(t.c.id)
        )
        return [_nomination(r) for r in rows]

    async def consent(self, street_id: int, month: str, nominee_id: int) -> str | None:
        """A nominee's answer: pending, yes or no (None: never asked)."""
        t = d.bloemetje_consents
        row = await self._one(
            sa.select(t.c.answer).where(
                t.c.street_id == street_id, t.c.month == month, t.c.nominee_id == nominee_id
            )
        )
        return str(row["answer"]) if row else None

    async def ask_consent(
        self, street_id: int, month: str, nominee_id: int, now: datetime
    ) -> bool:
        """Record that a nominee is being asked; False when they were asked before."""
        return await self._insert_ignore(
            d.bloemetje_consents,
            street_id=street_id,
            month=month,
            nominee_id=nominee_id,
            answer="pending",
            asked_at=now,
        )

    async def answer_consent(
        self, street_id: int, month: str, nominee_id: int, answer: str, now: datetime
    ) -> bool:
        """Store a nominee's answer; False when they were never asked."""
        t = d.bloemetje_consents
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.street_id == street_id, t.c.month == month, t.c.nominee_id == nominee_id)
            .values(answer=answer, answered_at=now)
        )
        return bool(result.rowcount)
