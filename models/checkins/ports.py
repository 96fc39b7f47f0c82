"""What check-ins need from storage."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from models.checkins.model import (
    Alert,
    Buddy,
    BuddyStatus,
    Candidate,
    CheckIn,
    ImpactCounts,
    Round,
    RoundStatus,
)


class CheckInRepository(Protocol):
    """Check-ins, buddies, volunteers, rounds and alerts."""

    # Check-ins -------------------------------------------------------------------

    async def get(self, checkin_id: int) -> CheckIn | None: ...

    async def of_resident(self, resident_id: int) -> CheckIn | None: ...

    async def put_draft(self, resident_id: int, street_id: int, now: datetime) -> CheckIn: ...

    async def update(self, checkin_id: int, now: datetime, **fields: Any) -> None: ...

    async def due(self, now: datetime, limit: int) -> Sequence[CheckIn]: ...

    async def advance(
        self, checkin_id: int, old_due: datetime, new_due: datetime | None, **fields: Any
    ) -> bool: ...

    async def called_by(self, caller_id: int) -> Sequence[CheckIn]: ...

    # Buddies ---------------------------------------------------------------------

    async def buddies(self, checkin_id: int) -> Sequence[Buddy]: ...

    async def buddy(self, buddy_id: int) -> Buddy | None: ...

    async def buddy_by_code(self, code: str) -> Buddy | None: ...

    async def add_buddy(
        self,
        checkin_id: int,
        resident_id: int | None,
        position: int,
        code: str | None,
        now: datetime,
    ) -> Buddy: ...

    async def answer_buddy(
        self,
        buddy_id: int,
        expected: Sequence[BuddyStatus],
        status: BuddyStatus,
        now: datetime,
        resident_id: int | None = None,
    ) -> bool: ...

    async def buddy_of(self, resident_id: int) -> Sequence[Buddy]: ...

    async def forget_buddies(self, resident_id: int) -> None: ...

    # Residents who agreed to be asked ----------------------------------------------

    async def is_volunteer(self, resident_id: int) -> bool: ...

    async def set_volunteer(self, resident_id: int, on: bool, now: datetime) -> None: ...

    async def volunteers(self, street_id: int) -> Sequence[Candidate]: ...

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
    ) -> Round | None: ...

    async def round(self, round_id: int) -> Round | None: ...

    async def rounds(self, checkin_id: int) -> Sequence[Round]: ...

    async def open_rounds(self, checkin_id: int) -> Sequence[Round]: ...

    async def reminders_due(self, now: datetime, limit: int) -> Sequence[Round]: ...

    async def windows_ended(self, now: datetime, limit: int) -> Sequence[Round]: ...

    async def alarms_due(self, now: datetime, limit: int) -> Sequence[Round]: ...

    async def transition(
        self, round_id: int, where: Mapping[str, Any], values: Mapping[str, Any]
    ) -> bool: ...

    async def add_alert(
        self,
        round_id: int,
        step: int,
        resident_id: int | None,
        neighbourhood_id: int | None,
        now: datetime,
    ) -> None: ...

    async def alerts(self, round_id: int) -> Sequence[Alert]: ...

    async def answer_alert(self, round_id: int, step: int, answer: str) -> None: ...

    # Impact ----------------------------------------------------------------------

    async def counts(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> ImpactCounts: ...
