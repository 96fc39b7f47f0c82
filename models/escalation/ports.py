"""Repository Protocols of escalation and moderation (implemented in bot/storage/repos)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, Protocol

from models.escalation.model import (
    Case,
    CaseMessage,
    CaseNote,
    CaseSource,
    Offer,
    OfferStatus,
    Report,
    ReportReason,
)
from models.sensitivity import Level, Theme


class CaseRepository(Protocol):
    """Cases, their relayed messages and notes, and offers of professional help."""

    async def add(
        self,
        *,
        neighbourhood_id: int,
        street_id: int | None,
        resident_id: int,
        theme: Theme,
        level: Level,
        source: CaseSource,
        text: str | None,
        contact: str,
        phone: str | None,
        safe_time: str | None,
        now: datetime,
    ) -> Case: ...

    async def get(self, case_id: int) -> Case | None: ...

    async def open_of_resident(self, resident_id: int) -> Case | None: ...

    async def update(self, case_id: int, **fields: Any) -> None: ...

    async def mark_once(
        self, case_id: int, column: Literal["reminded_at", "escalated_at"], now: datetime
    ) -> bool: ...

    async def unclaimed_since(
        self, before: datetime, column: Literal["reminded_at", "escalated_at"]
    ) -> Sequence[Case]: ...

    async def open_in(self, neighbourhood_id: int, limit: int) -> Sequence[Case]: ...

    async def erase(self, case_id: int, now: datetime) -> None: ...

    async def add_message(
        self,
        case_id: int,
        direction: Literal["to_resident", "from_resident"],
        author_resident_id: int,
        text: str,
        now: datetime,
    ) -> CaseMessage: ...

    async def message(self, message_id: int) -> CaseMessage | None: ...

    async def messages(self, case_id: int) -> Sequence[CaseMessage]: ...

    async def add_note(
        self, case_id: int, author_resident_id: int, text: str, now: datetime
    ) -> CaseNote: ...

    async def notes(self, case_id: int) -> Sequence[CaseNote]: ...

    async def add_offer(
        self, resident_id: int, source: CaseSource, level: Level, now: datetime
    ) -> Offer: ...

    async def offer(self, offer_id: int) -> Offer | None: ...

    async def pending_offer(
        self, resident_id: int, kind: str, ref_id: int | None
    ) -> Offer | None: ...

    async def answer_offer(
        self, offer_id: int, status: OfferStatus, now: datetime, case_id: int | None = None
    ) -> bool: ...

    async def stale_offers(self, before: datetime) -> Sequence[Offer]: ...


class ReportRepository(Protocol):
    """Reports of posts, for the moderators chat."""

    async def add(
        self,
        *,
        neighbourhood_id: int,
        street_id: int | None,
        post_id: int,
        ref_kind: str,
        ref_id: int,
        reporter_resident_id: int | None,
        reporter_external_id: str,
        reason: ReportReason,
        owner_resident_id: int | None,
        now: datetime,
    ) -> Report | None: ...

    async def get(self, report_id: int) -> Report | None: ...

    async def update(self, report_id: int, **fields: Any) -> None: ...


class ModeratorsRepository(Protocol):
    """One-time link codes and community workers' organisations."""

    async def add_code(
        self, code_hash: str, neighbourhood_id: int, expires_at: datetime, now: datetime
    ) -> None: ...

    async def use_code(self, code_hash: str, chat_id: str, now: datetime) -> int | None: ...

    async def organisation(self, resident_id: int) -> str | None: ...

    async def set_organisation(
        self, resident_id: int, organisation: str | None, now: datetime
    ) -> None: ...
