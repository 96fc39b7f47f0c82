"""Escalation's share of a person's data: their cases with status and their own texts,
offers of professional help, reports they made; for community workers, the cases they
handled (by number only) and their organisation.

Not exported: the workers' internal notes on a case. They are the professionals' working
notes (their assessment, their contacts with other agencies), written for colleagues in
the same team, and may hold what others told the team in confidence. A resident who wants
to see their file asks the organisation, which weighs the rights of others (AVG art. 15
lid 4) and professional confidentiality; Patchwork cannot make that judgement. The notes
are erased with the case texts when the resident is forgotten or retention runs out.
Workers' messages to the resident are not repeated either: the resident received them,
and the export holds what the person wrote themself. For workers, case numbers only:
the cases are other people's, and their contents are not the worker's personal data.

Erasure: an open case is closed as "consent withdrawn" (the worker who had it is told),
every case of the person loses its texts (their text, phone, safe time, messages both
ways and the workers' notes), pending offers are declined (a helper who said "te zwaar"
hears "niet doorgegeven"), reports keep counting without the reporter's channel id. Case
rows stay, pointing to the anonymised resident, so the number of cases per theme and
outcome stays right. A worker's own notes and messages on other people's cases stay with
those cases (they are the resident's case history, not the worker's data); the worker's
name and organisation go, and open cases they held are unclaimed so the team sees them.
"""

from __future__ import annotations

from datetime import datetime

from models.audit import audit
from models.core import Resident
from models.escalation.model import (
    CASE_REF,
    CaseStatus,
    CaseWithdrawn,
    OfferStatus,
    Outcome,
    TooHeavyOutcome,
)
from models.notifications import PostRef, Recipient, RefreshPosts
from models.ports import Transaction
from models.privacy import Record

ITEMS = ("case", "case_message", "pro_offer", "report", "reported", "case_handled", "organisation")


class EscalationData:
    """PersonalDataProvider of escalation and moderation."""

    name = "escalation"

    async def export(self, tx: Transaction, resident: Resident) -> list[Record]:
        """Cases, offers, reports; for workers, case numbers and organisation."""
        me = resident.id
        records: list[Record] = []
        for case_id in await tx.personal_data.case_ids(me):
            case = await tx.cases.get(case_id)
            if case is None:
                continue
            records.append(
                {
                    "what": "case",
                    "number": case.id,
                    "theme": case.theme.value,
                    "case_status": case.status.value,
                    "outcome": case.outcome.value if case.outcome else None,
                    "contact": case.contact.value,
                    "phone": case.phone,
                    "safe_time": case.safe_time,
                    "text": case.text,
                    "created_at": case.created_at,
                    "closed_at": case.closed_at,
                }
            )
            records.extend(
                {
                    "what": "case_message",
                    "number": case.id,
                    "text": message.text,
                    "created_at": message.created_at,
                }
                for message in await tx.cases.messages(case.id)
                if message.direction == "from_resident" and message.author_resident_id == me
            )
        for offer_id in await tx.personal_data.offer_ids(me):
            offer = await tx.cases.offer(offer_id)
            if offer is not None:
                records.append(
                    {
                        "what": "pro_offer",
                        "source": offer.source.kind.value,
                        "offer_status": offer.status.value,
                        "text": offer.source.prefilled_text,
                        "created_at": offer.created_at,
                    }
                )
        for report_id in await tx.personal_data.report_ids(me, as_owner=False):
            report = await tx.reports.get(report_id)
            if report is not None:
                records.append(
                    {
                        "what": "report",
                        "reason": report.reason.value,
                        "report_status": report.status.value,
                        "created_at": report.created_at,
                    }
                )
        for report_id in await tx.personal_data.report_ids(me, as_owner=True):
            report = await tx.reports.get(report_id)
            if report is not None:
                # Never who reported: that is the reporter's data, and could set neighbours
                # against each other.
                records.append(
                    {
                        "what": "reported",
                        "report_status": report.status.value,
                        "created_at": report.created_at,
                    }
                )
        handled = await tx.personal_data.cases_handled(me)
        if handled:
            records.append(
                {"what": "case_handled", "numbers": ", ".join(f"#{n}" for n in handled)}
            )
        organisation = await tx.moderators.organisation(me)
        if organisation:
            records.append({"what": "organisation", "organisation": organisation})
        return records

    async def texts(self, tx: Transaction, resident: Resident) -> list[str]:
        """Case texts and the person's own case messages; texts of pending offers."""
        texts: list[str] = []
        for case_id in await tx.personal_data.case_ids(resident.id):
            case = await tx.cases.get(case_id)
            if case is None:
                continue
            texts.extend(t for t in (case.text, case.safe_time) if t)
            texts.extend(
                m.text
                for m in await tx.cases.messages(case.id)
                if m.text and m.author_resident_id == resident.id
            )
        for offer_id in await tx.personal_data.offer_ids(resident.id):
            offer = await tx.cases.offer(offer_id)
            if offer is not None and offer.source.prefilled_text:
                texts.append(offer.source.prefilled_text)
        return texts

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None:
        """Close with consent withdrawn, remove every case text, decline offers."""
        me = resident.id
        for case_id in await tx.personal_data.case_ids(me):
            case = await tx.cases.get(case_id)
            if case is None:
                continue
            if not case.closed:
                await tx.cases.update(
                    case.id,
                    status=CaseStatus.CLOSED.value,
                    outcome=Outcome.WITHDRAWN.value,
                    closed_at=now,
                    closed_by=me,
                    unread_since=None,
                )
                if case.claimed_by is not None:
                    await tx.outbox.enqueue(
                        Recipient.resident(case.claimed_by),
                        CaseWithdrawn(case_id=case.id),
                        key=f"privacy:case-withdrawn:{case.id}",
                        now=now,
                    )
                await _refresh(tx, case.neighbourhood_id, case.id, now)
                await audit(
                    tx, now, "case.withdrawn", "case", case.id, actor_resident_id=me, erased=True
                )
            await tx.cases.erase(case.id, now)
        for offer_id in await tx.personal_data.offer_ids(me):
            offer = await tx.cases.offer(offer_id)
            if offer is None or offer.status is not OfferStatus.PENDING:
                continue
            if await tx.cases.answer_offer(offer.id, OfferStatus.DECLINED, now):
                helper = offer.source.helper_resident_id
                if helper is not None:
                    await tx.outbox.enqueue(
                        Recipient.resident(helper),
                        TooHeavyOutcome(offer_id=offer.id, passed_on=False),
                        key=f"offer:{offer.id}:outcome",
                        now=now,
                    )
        for case_id in await tx.personal_data.cases_handled(me):
            case = await tx.cases.get(case_id)
            if case is not None and not case.closed and case.claimed_by == me:
                await tx.cases.update(
                    case.id, status=CaseStatus.OPEN.value, claimed_by=None, claimed_at=None
                )
                await _refresh(tx, case.neighbourhood_id, case.id, now)
        if resident.external_id is not None:
            await tx.personal_data.forget_reporter(me, resident.external_id)
        await tx.personal_data.forget_worker_profile(me)


async def _refresh(tx: Transaction, neighbourhood_id: int, case_id: int, now: datetime) -> None:
    """Redraw the case card in the moderators chat (it never shows a name or text)."""
    await tx.outbox.enqueue(
        Recipient.moderators(neighbourhood_id),
        RefreshPosts(ref=PostRef(ref_kind=CASE_REF, ref_id=case_id)),
        now=now,
    )
