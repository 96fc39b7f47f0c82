"""What the data-rights providers need from storage beyond each capability's own repository.

Most reads return ids; the providers load the domain objects through the capability's own
repository (`tx.exchange`, `tx.rides`, `tx.cases`), so there is one way to read a row.
The writes are the bulk clean-ups of an erasure or of the retention sweep.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from models.core import Frozen


class OutboxRow(Frozen):
    """An outbox row as the erasure sees it: who it is for and what it carries."""

    id: int
    kind: str
    status: str
    recipient: dict[str, Any]
    payload: dict[str, Any]


class NominationRecord(Frozen):
    """One Bloemetje nomination, with when it was made."""

    id: int
    street_id: int
    month: str
    nominator_id: int
    nominee_id: int
    reason: str | None = None
    created_at: datetime


class ConsentRecord(Frozen):
    """A nominee's answer to "may we name you in the group?"."""

    street_id: int
    month: str
    answer: str
    asked_at: datetime
    answered_at: datetime | None = None


class ProxyRecord(Frozen):
    """A neighbour without Telegram whom a coordinator registered."""

    resident_id: int
    name: str
    street_id: int | None
    registered_at: datetime


class PersonalDataRepository(Protocol):
    """Queries across capabilities for exports, erasure and retention (`tx.personal_data`)."""

    # Foundation tables ------------------------------------------------------------

    async def forget_channel_identity(
        self, resident_id: int, channel: str, external_id: str, now: datetime
    ) -> None:
        """Remove the channel id from the audit log, dialogs, placed posts and pending groups."""
        ...

    async def outbox_rows(self, *, pending_only: bool) -> Sequence[OutboxRow]:
        """Outbox rows that still carry a payload (every status, or only pending ones)."""
        ...

    async def set_outbox_payload(self, outbox_id: int, payload: dict[str, Any]) -> None: ...

    async def drop_outbox(self, outbox_id: int, now: datetime) -> None:
        """Never send this row; its payload is emptied."""
        ...

    async def clear_finished_payloads(self, finished_before: datetime) -> int:
        """Empty the payloads of rows sent (or given up) before a moment."""
        ...

    # Exchange -----------------------------------------------------------------------

    async def entry_ids(self, resident_id: int) -> Sequence[int]:
        """Every register entry of a resident, removed ones too."""
        ...

    async def thanks_ids(self, resident_id: int) -> Sequence[int]:
        """Thank-yous a resident wrote or received."""
        ...

    async def feedback_conversations(self, resident_id: int) -> Sequence[int]:
        """Conversations a resident has feedback answers for."""
        ...

    async def erase_exchange_texts(self, resident_id: int, now: datetime) -> None:
        """Entries, requests and thank-yous lose their texts; contact handles and focus go."""
        ...

    async def closed_requests_with_text(
        self, closed_before: datetime, limit: int
    ) -> Sequence[int]:
        """Done, cancelled or expired requests closed before a moment that still have a text."""
        ...

    async def clear_request_texts(self, request_ids: Sequence[int]) -> int: ...

    # Rides ---------------------------------------------------------------------------

    async def rides_driven(self, resident_id: int) -> Sequence[int]:
        """Every ride a resident drove or will drive, oldest first."""
        ...

    async def series_driven(self, resident_id: int) -> Sequence[int]:
        """Every weekly ride a resident set up."""
        ...

    async def booking_ids(self, resident_id: int) -> Sequence[int]:
        """Every booking of a resident (seat, waiting list, cancelled, no-show)."""
        ...

    async def bookings_for_others(self, resident_id: int) -> Sequence[int]:
        """Bookings a coordinator made for someone else."""
        ...

    async def proxies_registered_by(self, resident_id: int) -> Sequence[ProxyRecord]: ...

    async def erase_ride_texts(self, resident_id: int) -> None:
        """Typed pickup points of the person's bookings; destinations and meeting points of
        the rides and weekly rides they drive."""
        ...

    # Escalation ----------------------------------------------------------------------

    async def case_ids(self, resident_id: int) -> Sequence[int]:
        """Every case of a resident, oldest first."""
        ...

    async def offer_ids(self, resident_id: int) -> Sequence[int]:
        """Every offer of professional help made to a resident."""
        ...

    async def report_ids(self, resident_id: int, *, as_owner: bool) -> Sequence[int]:
        """Reports a resident made (or, as_owner, about a resident's posts)."""
        ...

    async def cases_handled(self, resident_id: int) -> Sequence[int]:
        """Case numbers a community worker claimed, closed, wrote to or noted on."""
        ...

    async def forget_reporter(self, resident_id: int, external_id: str) -> None:
        """Reports keep counting, without the reporter's channel id."""
        ...

    async def forget_worker_profile(self, resident_id: int) -> None: ...

    async def closed_cases_with_text(self, closed_before: datetime, limit: int) -> Sequence[int]:
        """Closed cases whose texts were not removed yet."""
        ...

    # Digest --------------------------------------------------------------------------

    async def nominations(self, resident_id: int) -> Sequence[NominationRecord]:
        """Bloemetje nominations a resident made or received."""
        ...

    async def consents(self, resident_id: int) -> Sequence[ConsentRecord]: ...

    async def erase_bloemetje(self, resident_id: int) -> None:
        """Nominations naming the person and their answers go; their own lose the reason."""
        ...
