"""What the impact report reads from storage: id-only facts and counts (never a name or
a text), per neighbourhood and period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from models.core import Frozen


class RequestFact(Frozen):
    """One request or one-off offer placed in a street (never one held back as sensitive)."""

    street_id: int
    kind: str  # "ask" or "offer"
    category: str
    created_at: datetime
    matched_at: datetime | None
    status: str


class Connection(Frozen):
    """A conversation between two neighbours, in the street of its request or entry."""

    street_id: int
    first_id: int  # the lower resident id of the pair
    second_id: int
    created_at: datetime


class FeedbackFact(Frozen):
    """One answered "did it help?" (after help or after a ride)."""

    street_id: int
    helped: str | None  # yes / little / no (the helper's answer says whether it went well)
    knew_before: bool | None
    helper: bool = False  # the one who gave the help answered


class RideFigures(Frozen):
    """Rides that went, the seats used on them and how many different people rode."""

    rides: int = 0
    seats_used: int = 0
    passengers: int = 0


class CaseFigures(Frozen):
    """Cases opened, and the outcomes of cases closed, in a period."""

    opened: int = 0
    outcomes: tuple[str, ...] = ()


class ImpactRepository(Protocol):
    """Counting queries over one neighbourhood and a period [start, end)."""

    async def requests_placed(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> Sequence[RequestFact]: ...

    async def connections_until(
        self, neighbourhood_id: int, end: datetime
    ) -> Sequence[Connection]: ...

    async def feedback_answered(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> Sequence[FeedbackFact]: ...

    async def thanks_sent(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> dict[int, int]: ...

    async def entries_added(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> dict[int, int]: ...

    async def rides_done(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> RideFigures: ...

    async def cases(
        self, neighbourhood_id: int, start: datetime, end: datetime
    ) -> CaseFigures: ...

    async def claimed(self, month: str) -> set[int]:
        """The neighbourhoods whose report for the month went out already."""
        ...

    async def claim_monthly(self, neighbourhood_id: int, month: str, now: datetime) -> bool:
        """Mark the month's report sent for the neighbourhood; False when it was already."""
        ...
