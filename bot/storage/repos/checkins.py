"""The check-in repository over SQL: schedules claimed by conditional updates, rounds, alerts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.storage import dialects
from bot.storage import schema as s
from bot.storage.repos.base import SqlRepository
from bot.storage.tables import checkins as t
from models.checkins.model import (
    Alert,
    Buddy,
    BuddyStatus,
    Candidate,
    CheckIn,
    Frequency,
    ImpactCounts,
    Round,
    RoundStatus,
    Schedule,
    State,
)

_ROUND_FIELDS = frozenset(c.name for c in t.checkin_rounds.columns) - {"id", "checkin_id"}
_CHECKIN_FIELDS = frozenset(
    {
        "frequency",
        "days",
        "minute_of_day",
        "window_hours",
        "workers",
        "caller_id",
        "state",
        "paused_until",
        "next_due_at",
    }
)


def _days(value: str) -> tuple[int, ...]:
    return tuple(int(d) for d in value.split(",") if d)


def _checkin(row: sa.RowMapping) -> CheckIn:
    return CheckIn(
        id=row["id"],
        resident_id=row["resident_id"],
        street_id=row["street_id"],
        schedule=Schedule(
            frequency=Frequency(row["frequency"]),
            days=_days(row["days"]),
            minute_of_day=row["minute_of_day"],
            window_hours=row["window_hours"],
        ),
        workers=row["workers"],
        caller_id=row["caller_id"],
        state=State(row["state"]),
        paused_until=row["paused_until"],
        next_due_at=row["next_due_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _buddy(row: sa.RowMapping) -> Buddy:
    return Buddy(
        id=row["id"],
        checkin_id=row["checkin_id"],
        resident_id=row["resident_id"],
        position=row["position"],
        status=BuddyStatus(row["status"]),
        code=row["code"],
        created_at=row["created_at"],
        answered_at=row["answered_at"],
    )


def _round(row: sa.RowMapping) -> Round:
    return Round.model_validate({k: row[k] for k in (*_ROUND_FIELDS, "id", "checkin_id")})


def _values(fields: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(fields)
    if "days" in values:
        values["days"] = ",".join(str(d) for d in values["days"])
    return values


class SqlCheckIns(SqlRepository):
    """The CheckInRepository port in SQL."""

    # Check-ins -------------------------------------------------------------------

    async def get(self, checkin_id: int) -> CheckIn | None:
        """One check-in."""
        c = t.checkins
        row = await self._one(sa.select(c).where(c.c.id == checkin_id))
        return _checkin(row) if row else None

    async def of_resident(self, resident_id: int) -> CheckIn | None:
        """A resident's check-in (there is at most one)."""
        c = t.checkins
        row = await self._one(sa.select(c).where(c.c.resident_id == resident_id))
        return _checkin(row) if row else None

    async def put_draft(self, resident_id: int, street_id: int, now: datetime) -> CheckIn:
        """A fresh draft with the defaults (a stopped check-in starts over on the same row)."""
        c = t.checkins
        defaults = Schedule()
        values = {
            "street_id": street_id,
            "frequency": defaults.frequency.value,
            "days": "",
            "minute_of_day": defaults.minute_of_day,
            "window_hours": defaults.window_hours,
            "workers": False,
            "caller_id": None,
            "state": State.DRAFT.value,
            "paused_until": None,
            "next_due_at": None,
            "updated_at": now,
        }
        result = await self.conn.execute(
            sa.update(c).where(c.c.resident_id == resident_id).values(**values)
        )
        if not result.rowcount:
            await self.conn.execute(
                sa.insert(c).values(resident_id=resident_id, created_at=now, **values)
            )
        fresh = await self.of_resident(resident_id)
        assert fresh is not None
        return fresh

    async def update(self, checkin_id: int, now: datetime, **fields: Any) -> None:
        """Change schedule, state, pause or next moment."""
        unknown = set(fields) - _CHECKIN_FIELDS
        if unknown:
            raise ValueError(f"unknown check-in fields {sorted(unknown)}")
        c = t.checkins
        await self.conn.execute(
            sa.update(c).where(c.c.id == checkin_id).values(updated_at=now, **_values(fields))
        )

    async def due(self, now: datetime, limit: int) -> Sequence[CheckIn]:
        """Active or paused check-ins whose next moment is not after now, earliest first."""
        c = t.checkins
        rows = await self._all(
            sa.select(c)
            .where(
                c.c.next_due_at <= now,
                c.c.state.in_([State.ACTIVE.value, State.PAUSED.value]),
            )
            .order_by(c.c.next_due_at, c.c.id)
            .limit(limit)
        )
        return [_checkin(r) for r in rows]

    async def advance(
        self, checkin_id: int, old_due: datetime, new_due: datetime | None, **fields: Any
    ) -> bool:
        """Move the next moment on, only if nobody else did (the claim of the sweep)."""
        c = t.checkins
        result = await self.conn.execute(
            sa.update(c)
            .where(c.c.id == checkin_id, c.c.next_due_at == old_due)
            .values(next_due_at=new_due, **_values(fields))
        )
        return bool(result.rowcount)

    async def called_by(self, caller_id: int) -> Sequence[CheckIn]:
        """The telephone circle of one coordinator: check-ins they call for."""
        c = t.checkins
        rows = await self._all(sa.select(c).where(c.c.caller_id == caller_id).order_by(c.c.id))
        return [_checkin(r) for r in rows]

    # Buddies ---------------------------------------------------------------------

    async def buddies(self, checkin_id: int) -> Sequence[Buddy]:
        """Everyone ever asked for this check-in, in chain order."""
        b = t.checkin_buddies
        rows = await self._all(
            sa.select(b).where(b.c.checkin_id == checkin_id).order_by(b.c.position, b.c.id)
        )
        return [_buddy(r) for r in rows]

    async def buddy(self, buddy_id: int) -> Buddy | None:
        """One buddy link."""
        b = t.checkin_buddies
        row = await self._one(sa.select(b).where(b.c.id == buddy_id))
        return _buddy(row) if row else None

    async def buddy_by_code(self, code: str) -> Buddy | None:
        """The buddy link of a personal invite code."""
        b = t.checkin_buddies
        row = await self._one(sa.select(b).where(b.c.code == code))
        return _buddy(row) if row else None

    async def add_buddy(
        self,
        checkin_id: int,
        resident_id: int | None,
        position: int,
        code: str | None,
        now: datetime,
    ) -> Buddy:
        """Ask someone (or make an invite link)."""
        buddy_id = await self._insert_id(
            t.checkin_buddies,
            checkin_id=checkin_id,
            resident_id=resident_id,
            position=position,
            status=BuddyStatus.INVITED.value,
            code=code,
            created_at=now,
        )
        buddy = await self.buddy(buddy_id)
        assert buddy is not None
        return buddy

    async def answer_buddy(
        self,
        buddy_id: int,
        expected: Sequence[BuddyStatus],
        status: BuddyStatus,
        now: datetime,
        resident_id: int | None = None,
    ) -> bool:
        """Change a buddy's status only from an expected one (a conditional update)."""
        b = t.checkin_buddies
        values: dict[str, Any] = {"status": status.value, "answered_at": now}
        where = [b.c.id == buddy_id, b.c.status.in_([e.value for e in expected])]
        if resident_id is not None:
            values = {"resident_id": resident_id}
            where.append(b.c.resident_id.is_(None))
        result = await self.conn.execute(sa.update(b).where(*where).values(**values))
        return bool(result.rowcount)

    async def buddy_of(self, resident_id: int) -> Sequence[Buddy]:
        """Every link where this person is (or was asked to be) the buddy."""
        b = t.checkin_buddies
        rows = await self._all(sa.select(b).where(b.c.resident_id == resident_id))
        return [_buddy(r) for r in rows]

    async def forget_buddies(self, resident_id: int) -> None:
        """Erasure: the person is no longer named in anyone's chain, nor codes in theirs."""
        b, c = t.checkin_buddies, t.checkins
        await self.conn.execute(
            sa.update(b).where(b.c.resident_id == resident_id).values(resident_id=None, code=None)
        )
        own = sa.select(c.c.id).where(c.c.resident_id == resident_id).scalar_subquery()
        await self.conn.execute(
            sa.update(b).where(b.c.checkin_id == own).values(resident_id=None, code=None)
        )

    # Volunteers ------------------------------------------------------------------

    async def is_volunteer(self, resident_id: int) -> bool:
        """Whether the person agreed to be asked."""
        v = t.checkin_volunteers
        return await self._one(sa.select(v).where(v.c.resident_id == resident_id)) is not None

    async def set_volunteer(self, resident_id: int, on: bool, now: datetime) -> None:
        """Agree, or no longer."""
        v = t.checkin_volunteers
        if on:
            await self._insert_ignore(v, resident_id=resident_id, since=now)
        else:
            await self.conn.execute(sa.delete(v).where(v.c.resident_id == resident_id))

    async def volunteers(self, street_id: int) -> Sequence[Candidate]:
        """Residents of the street, reachable and not blocked, who agreed to be asked."""
        v, m, r = t.checkin_volunteers, s.memberships, s.residents
        rows = await self._all(
            sa.select(r.c.id, r.c.display_name)
            .join(v, v.c.resident_id == r.c.id)
            .join(m, m.c.resident_id == r.c.id)
            .where(
                m.c.street_id == street_id,
                m.c.blocked_at.is_(None),
                r.c.active.is_(True),
            )
            .order_by(dialects.by_text(self.conn, r.c.display_name), r.c.id)
        )
        return [Candidate(resident_id=row["id"], name=row["display_name"]) for row in rows]

    # Rounds ----------------------------------------------------------------------

    async def add_round(
        self,
        checkin_id: int,
        local_date: str,
        due_at: datetime,
        status: RoundStatus,
        now: datetime,
        *,
        window_ends_at: datetime | None = None,
        reminder_at: datetime | None = None,
    ) -> Round | None:
        """The day's round; None when the day had one already (unique per local date)."""
        sent = status is RoundStatus.OPEN
        if not await self._insert_ignore(
            t.checkin_rounds,
            checkin_id=checkin_id,
            local_date=local_date,
            due_at=due_at,
            sent_at=now if sent else None,
            window_ends_at=window_ends_at,
            reminder_at=reminder_at,
            status=status.value,
            alarm_step=0,
        ):
            return None
        q = t.checkin_rounds
        row = await self._one(
            sa.select(q).where(q.c.checkin_id == checkin_id, q.c.local_date == local_date)
        )
        return _round(row) if row else None

    async def round(self, round_id: int) -> Round | None:
        """One round."""
        q = t.checkin_rounds
        row = await self._one(sa.select(q).where(q.c.id == round_id))
        return _round(row) if row else None

    async def rounds(self, checkin_id: int) -> Sequence[Round]:
        """Every round of a check-in, oldest first."""
        q = t.checkin_rounds
        rows = await self._all(sa.select(q).where(q.c.checkin_id == checkin_id).order_by(q.c.id))
        return [_round(r) for r in rows]

    async def open_rounds(self, checkin_id: int) -> Sequence[Round]:
        """Rounds still waiting for an answer (sent, or in alarm)."""
        q = t.checkin_rounds
        rows = await self._all(
            sa.select(q)
            .where(
                q.c.checkin_id == checkin_id,
                q.c.status.in_([RoundStatus.OPEN.value, RoundStatus.ALARM.value]),
            )
            .order_by(q.c.id)
        )
        return [_round(r) for r in rows]

    async def reminders_due(self, now: datetime, limit: int) -> Sequence[Round]:
        """Open rounds halfway through their window, not reminded yet."""
        q = t.checkin_rounds
        rows = await self._all(
            sa.select(q)
            .where(
                q.c.status == RoundStatus.OPEN.value,
                q.c.reminded_at.is_(None),
                q.c.reminder_at <= now,
            )
            .order_by(q.c.reminder_at, q.c.id)
            .limit(limit)
        )
        return [_round(r) for r in rows]

    async def windows_ended(self, now: datetime, limit: int) -> Sequence[Round]:
        """Open rounds whose window is over."""
        q = t.checkin_rounds
        rows = await self._all(
            sa.select(q)
            .where(q.c.status == RoundStatus.OPEN.value, q.c.window_ends_at <= now)
            .order_by(q.c.window_ends_at, q.c.id)
            .limit(limit)
        )
        return [_round(r) for r in rows]

    async def alarms_due(self, now: datetime, limit: int) -> Sequence[Round]:
        """Alarms whose buddy did not answer in time (and nobody took them)."""
        q = t.checkin_rounds
        rows = await self._all(
            sa.select(q)
            .where(
                q.c.status == RoundStatus.ALARM.value,
                q.c.taken_by.is_(None),
                q.c.alarm_deadline <= now,
            )
            .order_by(q.c.alarm_deadline, q.c.id)
            .limit(limit)
        )
        return [_round(r) for r in rows]

    async def transition(
        self, round_id: int, where: Mapping[str, Any], values: Mapping[str, Any]
    ) -> bool:
        """Change a round only if it is still as expected; False when someone came first."""
        unknown = (set(where) | set(values)) - _ROUND_FIELDS
        if unknown:
            raise ValueError(f"unknown round fields {sorted(unknown)}")
        q = t.checkin_rounds
        conditions = [q.c.id == round_id]
        for name, value in where.items():
            column = q.c[name]
            conditions.append(column.is_(None) if value is None else column == value)
        result = await self.conn.execute(sa.update(q).where(*conditions).values(**values))
        return bool(result.rowcount)

    async def add_alert(
        self,
        round_id: int,
        step: int,
        resident_id: int | None,
        neighbourhood_id: int | None,
        now: datetime,
    ) -> None:
        """Remember who was told at which step (for the all-clear)."""
        await self._insert_ignore(
            t.checkin_alerts,
            round_id=round_id,
            step=step,
            resident_id=resident_id,
            neighbourhood_id=neighbourhood_id,
            created_at=now,
        )

    async def alerts(self, round_id: int) -> Sequence[Alert]:
        """Everyone told about a round, in order."""
        a = t.checkin_alerts
        rows = await self._all(sa.select(a).where(a.c.round_id == round_id).order_by(a.c.step))
        return [
            Alert(
                round_id=r["round_id"],
                step=r["step"],
                resident_id=r["resident_id"],
                neighbourhood_id=r["neighbourhood_id"],
                answer=r["answer"] if r["answer"] in ("going", "cannot") else None,
            )
            for r in rows
        ]

    async def answer_alert(self, round_id: int, step: int, answer: str) -> None:
        """What the person asked at this step said ("going", "cannot", "timeout")."""
        a = t.checkin_alerts
        await self.conn.execute(
            sa.update(a).where(a.c.round_id == round_id, a.c.step == step).values(answer=answer)
        )

    # Impact ----------------------------------------------------------------------

    async def counts(self, neighbourhood_id: int, start: datetime, end: datetime) -> ImpactCounts:
        """Numbers only: residents with a check-in, rounds answered on time, alarms, outcomes."""
        c, q, st = t.checkins, t.checkin_rounds, s.streets
        in_hood = c.c.street_id.in_(
            sa.select(st.c.id).where(st.c.neighbourhood_id == neighbourhood_id)
        )
        residents = (
            await self.conn.execute(
                sa.select(sa.func.count())
                .select_from(c)
                .where(
                    in_hood,
                    c.c.state.in_([State.ACTIVE.value, State.PAUSED.value, State.WAITING.value]),
                )
            )
        ).scalar_one()
        rows = await self._all(
            sa.select(q.c.status, q.c.alarm_step, q.c.outcome, sa.func.count().label("n"))
            .join(c, c.c.id == q.c.checkin_id)
            .where(in_hood, q.c.sent_at >= start, q.c.sent_at < end)
            .group_by(q.c.status, q.c.alarm_step, q.c.outcome)
        )
        rounds = on_time = alarms = 0
        outcomes: dict[str, int] = {}
        for row in rows:
            n = int(row["n"])
            rounds += n
            if row["status"] == RoundStatus.ANSWERED.value:
                on_time += n
            if row["alarm_step"]:
                alarms += n
            if row["status"] == RoundStatus.ALL_CLEAR.value and row["alarm_step"]:
                outcomes["all_clear"] = outcomes.get("all_clear", 0) + n
            if row["outcome"]:
                outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + n
        return ImpactCounts(
            residents=int(residents),
            rounds=rounds,
            on_time=on_time,
            alarms=alarms,
            outcomes=outcomes,
        )
