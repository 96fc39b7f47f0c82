"""Repositories of escalation and moderation over SQL; they return domain models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.storage.repos.base import SqlRepository
from bot.storage.tables import escalation as e
from models.escalation.model import (
    Case,
    CaseMessage,
    CaseNote,
    CaseSource,
    CaseStatus,
    ContactWay,
    Offer,
    OfferStatus,
    Outcome,
    Report,
    ReportReason,
    ReportStatus,
    SourceKind,
)
from models.sensitivity import Level, Theme


def _case(row: sa.RowMapping) -> Case:
    return Case(
        id=row["id"],
        neighbourhood_id=row["neighbourhood_id"],
        street_id=row["street_id"],
        resident_id=row["resident_id"],
        theme=Theme(row["theme"]),
        level=Level(row["level"]),
        source_kind=SourceKind(row["source_kind"]),
        source_ref_id=row["source_ref_id"],
        text=row["text"],
        contact=ContactWay(row["contact"]),
        phone=row["phone"],
        safe_time=row["safe_time"],
        status=CaseStatus(row["status"]),
        claimed_by=row["claimed_by"],
        claimed_at=row["claimed_at"],
        closed_by=row["closed_by"],
        closed_at=row["closed_at"],
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        unread_since=row["unread_since"],
        reminded_at=row["reminded_at"],
        escalated_at=row["escalated_at"],
        created_at=row["created_at"],
        erased_at=row["erased_at"],
    )


def _offer(row: sa.RowMapping) -> Offer:
    return Offer(
        id=row["id"],
        resident_id=row["resident_id"],
        source=CaseSource(
            kind=SourceKind(row["source_kind"]),
            ref_id=row["ref_id"],
            street_id=row["street_id"],
            prefilled_theme=Theme(row["theme"]) if row["theme"] else None,
            prefilled_text=row["text"],
            helper_resident_id=row["helper_resident_id"],
        ),
        level=Level(row["level"]),
        status=OfferStatus(row["status"]),
        created_at=row["created_at"],
        answered_at=row["answered_at"],
        case_id=row["case_id"],
    )


def _report(row: sa.RowMapping) -> Report:
    return Report(
        id=row["id"],
        neighbourhood_id=row["neighbourhood_id"],
        street_id=row["street_id"],
        post_id=row["post_id"],
        ref_kind=row["ref_kind"],
        ref_id=row["ref_id"],
        reporter_resident_id=row["reporter_resident_id"],
        reporter_external_id=row["reporter_external_id"],
        reason=ReportReason(row["reason"]),
        owner_resident_id=row["owner_resident_id"],
        status=ReportStatus(row["status"]),
        post_removed_at=row["post_removed_at"],
        owner_blocked_at=row["owner_blocked_at"],
        handled_by=row["handled_by"],
        created_at=row["created_at"],
    )


class SqlCases(SqlRepository):
    """Cases, messages, notes and offers in SQL."""

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
    ) -> Case:
        """Create an open case."""
        new_id = await self._insert_id(
            e.cases,
            neighbourhood_id=neighbourhood_id,
            street_id=street_id,
            resident_id=resident_id,
            theme=theme.value,
            level=level.value,
            source_kind=source.kind.value,
            source_ref_id=source.ref_id,
            text=text,
            contact=contact,
            phone=phone,
            safe_time=safe_time,
            status=CaseStatus.OPEN.value,
            created_at=now,
        )
        case = await self.get(new_id)
        assert case is not None
        return case

    async def get(self, case_id: int) -> Case | None:
        """By id."""
        row = await self._one(sa.select(e.cases).where(e.cases.c.id == case_id))
        return _case(row) if row else None

    async def open_of_resident(self, resident_id: int) -> Case | None:
        """The resident's case that is not closed, if any."""
        t = e.cases
        row = await self._one(
            sa.select(t)
            .where(t.c.resident_id == resident_id, t.c.status != CaseStatus.CLOSED.value)
            .order_by(t.c.id.desc())
        )
        return _case(row) if row else None

    async def update(self, case_id: int, **fields: Any) -> None:
        """Change columns."""
        await self.conn.execute(sa.update(e.cases).where(e.cases.c.id == case_id).values(**fields))

    async def mark_once(
        self, case_id: int, column: Literal["reminded_at", "escalated_at"], now: datetime
    ) -> bool:
        """Set a reminder column if it is still empty; False when someone did already."""
        t = e.cases
        result = await self.conn.execute(
            sa.update(t).where(t.c.id == case_id, t.c[column].is_(None)).values({column: now})
        )
        return bool(result.rowcount)

    async def unclaimed_since(
        self, before: datetime, column: Literal["reminded_at", "escalated_at"]
    ) -> Sequence[Case]:
        """Open, unclaimed cases older than a moment whose reminder column is empty."""
        t = e.cases
        rows = await self._all(
            sa.select(t)
            .where(
                t.c.status == CaseStatus.OPEN.value,
                t.c.created_at <= before,
                t.c[column].is_(None),
            )
            .order_by(t.c.id)
        )
        return [_case(r) for r in rows]

    async def open_in(self, neighbourhood_id: int, limit: int) -> Sequence[Case]:
        """A neighbourhood's cases that are not closed, oldest first (the worker's home)."""
        t = e.cases
        rows = await self._all(
            sa.select(t)
            .where(t.c.neighbourhood_id == neighbourhood_id, t.c.status != CaseStatus.CLOSED.value)
            .order_by(t.c.created_at, t.c.id)
            .limit(limit)
        )
        return [_case(r) for r in rows]

    async def erase(self, case_id: int, now: datetime) -> None:
        """Remove every text of a case (consent withdrawn): case, messages, notes."""
        await self.update(case_id, text=None, phone=None, safe_time=None, erased_at=now)
        for table in (e.case_messages, e.case_notes):
            await self.conn.execute(
                sa.update(table).where(table.c.case_id == case_id).values(text=None)
            )

    async def add_message(
        self,
        case_id: int,
        direction: Literal["to_resident", "from_resident"],
        author_resident_id: int,
        text: str,
        now: datetime,
    ) -> CaseMessage:
        """Store a relayed message."""
        new_id = await self._insert_id(
            e.case_messages,
            case_id=case_id,
            direction=direction,
            author_resident_id=author_resident_id,
            text=text,
            created_at=now,
        )
        message = await self.message(new_id)
        assert message is not None
        return message

    async def message(self, message_id: int) -> CaseMessage | None:
        """A relayed message by id."""
        row = await self._one(sa.select(e.case_messages).where(e.case_messages.c.id == message_id))
        return CaseMessage.model_validate(dict(row)) if row else None

    async def messages(self, case_id: int) -> Sequence[CaseMessage]:
        """Every message of a case, oldest first."""
        t = e.case_messages
        rows = await self._all(sa.select(t).where(t.c.case_id == case_id).order_by(t.c.id))
        return [CaseMessage.model_validate(dict(r)) for r in rows]

    async def add_note(
        self, case_id: int, author_resident_id: int, text: str, now: datetime
    ) -> CaseNote:
        """Store a worker's note."""
        new_id = await self._insert_id(
            e.case_notes,
            case_id=case_id,
            author_resident_id=author_resident_id,
            text=text,
            created_at=now,
        )
        row = await self._one(sa.select(e.case_notes).where(e.case_notes.c.id == new_id))
        assert row is not None
        return CaseNote.model_validate(dict(row))

    async def notes(self, case_id: int) -> Sequence[CaseNote]:
        """Every note of a case, oldest first."""
        t = e.case_notes
        rows = await self._all(sa.select(t).where(t.c.case_id == case_id).order_by(t.c.id))
        return [CaseNote.model_validate(dict(r)) for r in rows]

    async def add_offer(
        self, resident_id: int, source: CaseSource, level: Level, now: datetime
    ) -> Offer:
        """Record an offer of professional help."""
        new_id = await self._insert_id(
            e.case_offers,
            resident_id=resident_id,
            source_kind=source.kind.value,
            ref_id=source.ref_id,
            street_id=source.street_id,
            theme=source.prefilled_theme.value if source.prefilled_theme else None,
            text=source.prefilled_text,
            helper_resident_id=source.helper_resident_id,
            level=level.value,
            status=OfferStatus.PENDING.value,
            created_at=now,
        )
        offer = await self.offer(new_id)
        assert offer is not None
        return offer

    async def offer(self, offer_id: int) -> Offer | None:
        """An offer by id."""
        row = await self._one(sa.select(e.case_offers).where(e.case_offers.c.id == offer_id))
        return _offer(row) if row else None

    async def pending_offer(self, resident_id: int, kind: str, ref_id: int | None) -> Offer | None:
        """A pending offer from the same source (for sources with an id)."""
        if ref_id is None:
            return None
        t = e.case_offers
        row = await self._one(
            sa.select(t).where(
                t.c.resident_id == resident_id,
                t.c.source_kind == kind,
                t.c.ref_id == ref_id,
                t.c.status == OfferStatus.PENDING.value,
            )
        )
        return _offer(row) if row else None

    async def answer_offer(
        self, offer_id: int, status: OfferStatus, now: datetime, case_id: int | None = None
    ) -> bool:
        """Answer a pending offer (its text is dropped); False when it was answered before."""
        t = e.case_offers
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.id == offer_id, t.c.status == OfferStatus.PENDING.value)
            .values(status=status.value, answered_at=now, case_id=case_id, text=None)
        )
        return bool(result.rowcount)

    async def stale_offers(self, before: datetime) -> Sequence[Offer]:
        """Pending offers made before a moment."""
        t = e.case_offers
        rows = await self._all(
            sa.select(t)
            .where(t.c.status == OfferStatus.PENDING.value, t.c.created_at <= before)
            .order_by(t.c.id)
        )
        return [_offer(r) for r in rows]


class SqlReports(SqlRepository):
    """Reports in SQL."""

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
    ) -> Report | None:
        """Create a report; None when this person reported this post before."""
        t = e.reports
        exists = await self._one(
            sa.select(t.c.id).where(
                t.c.post_id == post_id, t.c.reporter_external_id == reporter_external_id
            )
        )
        if exists is not None:
            return None
        try:
            new_id = await self._insert_id(
                t,
                neighbourhood_id=neighbourhood_id,
                street_id=street_id,
                post_id=post_id,
                ref_kind=ref_kind,
                ref_id=ref_id,
                reporter_resident_id=reporter_resident_id,
                reporter_external_id=reporter_external_id,
                reason=reason.value,
                owner_resident_id=owner_resident_id,
                status=ReportStatus.OPEN.value,
                created_at=now,
            )
        except IntegrityError:
            return None
        return await self.get(new_id)

    async def get(self, report_id: int) -> Report | None:
        """By id."""
        row = await self._one(sa.select(e.reports).where(e.reports.c.id == report_id))
        return _report(row) if row else None

    async def update(self, report_id: int, **fields: Any) -> None:
        """Change columns."""
        await self.conn.execute(
            sa.update(e.reports).where(e.reports.c.id == report_id).values(**fields)
        )


class SqlModerators(SqlRepository):
    """Link codes and workers' organisations in SQL."""

    async def add_code(
        self, code_hash: str, neighbourhood_id: int, expires_at: datetime, now: datetime
    ) -> None:
        """Store a new one-time code (hashed)."""
        await self.conn.execute(
            sa.insert(e.moderator_link_codes).values(
                code_hash=code_hash,
                neighbourhood_id=neighbourhood_id,
                created_at=now,
                expires_at=expires_at,
            )
        )

    async def use_code(self, code_hash: str, chat_id: str, now: datetime) -> int | None:
        """Use a code once (conditional update); its neighbourhood, or None."""
        t = e.moderator_link_codes
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.code_hash == code_hash, t.c.used_at.is_(None), t.c.expires_at > now)
            .values(used_at=now, used_chat_id=chat_id)
        )
        if not result.rowcount:
            return None
        row = await self._one(sa.select(t.c.neighbourhood_id).where(t.c.code_hash == code_hash))
        return int(row["neighbourhood_id"]) if row else None

    async def organisation(self, resident_id: int) -> str | None:
        """The organisation a worker signs with."""
        t = e.worker_profiles
        row = await self._one(sa.select(t.c.organisation).where(t.c.resident_id == resident_id))
        return str(row["organisation"]) if row and row["organisation"] else None

    async def set_organisation(
        self, resident_id: int, organisation: str | None, now: datetime
    ) -> None:
        """Set (or clear) a worker's organisation."""
        t = e.worker_profiles
        await self.conn.execute(sa.delete(t).where(t.c.resident_id == resident_id))
        await self.conn.execute(
            sa.insert(t).values(resident_id=resident_id, organisation=organisation, updated_at=now)
        )
