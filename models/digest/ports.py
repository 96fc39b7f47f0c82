"""What the digest, the Bloemetje and the street card need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from models.core import Frozen
from models.digest.model import DigestSettings


class DueDigest(Frozen):
    """A street whose digest moment has come (or passed)."""

    street_id: int
    due_at: datetime


class BloemetjeRound(Frozen):
    """One month of the Bloemetje in one street."""

    street_id: int
    month: str
    asked_at: datetime | None = None
    announced_at: datetime | None = None
    closed: bool = False


class Nomination(Frozen):
    """One resident's nomination in one month."""

    street_id: int
    month: str
    nominator_id: int
    nominee_id: int
    reason: str | None = None


class DigestRepository(Protocol):
    """Digest schedules and runs, private opt-ins, and the Bloemetje."""

    # Schedules -----------------------------------------------------------------

    async def settings(self, street_id: int) -> DigestSettings | None: ...

    async def streets_without_settings(self) -> Sequence[tuple[int, datetime]]: ...

    async def put_settings(
        self,
        street_id: int,
        *,
        weekday: int,
        minute_of_day: int,
        bloemetje: bool,
        next_due_at: datetime,
        now: datetime,
    ) -> None: ...

    async def due(self, now: datetime, limit: int) -> Sequence[DueDigest]: ...

    async def advance(self, street_id: int, old_due: datetime, new_due: datetime) -> bool: ...

    async def claim_run(
        self, street_id: int, iso_week: str, due_at: datetime, outcome: str, now: datetime
    ) -> bool: ...

    async def set_run_outcome(
        self, street_id: int, iso_week: str, outcome: str, recipients: int
    ) -> None: ...

    async def run_outcome(self, street_id: int, iso_week: str) -> str | None: ...

    # Private copies ------------------------------------------------------------

    async def private_optin(self, resident_id: int) -> bool: ...

    async def set_private_optin(self, resident_id: int, on: bool, now: datetime) -> None: ...

    async def private_readers(self, street_id: int) -> Sequence[int]: ...

    # Bloemetje -----------------------------------------------------------------

    async def bloemetje_round(self, street_id: int, month: str) -> BloemetjeRound | None: ...

    async def claim_bloemetje_ask(self, street_id: int, month: str, now: datetime) -> bool: ...

    async def claim_bloemetje_announce(
        self, street_id: int, month: str, now: datetime
    ) -> bool: ...

    async def close_bloemetje(self, street_id: int, month: str, now: datetime) -> bool: ...

    async def bloemetje_street_ids(self) -> Sequence[int]: ...

    async def asked_bloemetje_streets(self, month: str) -> set[int]: ...

    async def unannounced_bloemetje_rounds(self) -> Sequence[BloemetjeRound]: ...

    async def nomination_by(
        self, street_id: int, month: str, nominator_id: int
    ) -> Nomination | None: ...

    async def put_nomination(
        self,
        street_id: int,
        month: str,
        nominator_id: int,
        nominee_id: int,
        reason: str | None,
        now: datetime,
    ) -> None: ...

    async def set_nomination_reason(
        self, street_id: int, month: str, nominator_id: int, reason: str | None, now: datetime
    ) -> bool: ...

    async def nominations(self, street_id: int, month: str) -> Sequence[Nomination]: ...

    async def consent(self, street_id: int, month: str, nominee_id: int) -> str | None: ...

    async def ask_consent(
        self, street_id: int, month: str, nominee_id: int, now: datetime
    ) -> bool: ...

    async def answer_consent(
        self, street_id: int, month: str, nominee_id: int, answer: str, now: datetime
    ) -> bool: ...
