"""Escalation and moderation values: cases, offers, reports, link codes, and their errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import ClassVar, Literal

from models.core import Frozen
from models.errors import DomainError, InvalidInput, NotAllowed, StaleAction
from models.notifications import Notification
from models.sensitivity import Level, Theme

CASE_TEXT_MAX = 500
CASE_MESSAGE_MAX = 1000
NOTE_MAX = 1000
SAFE_TIME_MAX = 60
ORGANISATION_MAX = 60
CASE_REF = "case"
REPORT_REF = "report"


class CaseStatus(StrEnum):
    """Where a case is: waiting for a worker, with a worker, or done."""

    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class Outcome(StrEnum):
    """How a case ended."""

    REFERRED = "referred"
    SOLVED = "solved"
    NO_CONTACT = "no_contact"
    OTHER = "other"
    WITHDRAWN = "withdrawn"


CLOSING_OUTCOMES: tuple[Outcome, ...] = (
    Outcome.REFERRED,
    Outcome.SOLVED,
    Outcome.NO_CONTACT,
    Outcome.OTHER,
)


class ContactWay(StrEnum):
    """How the resident wants to be reached."""

    BOT = "bot"
    PHONE = "phone"


class SourceKind(StrEnum):
    """Which way led into a case (PRODUCT.md §3.6, issue 6 "Ways into a case")."""

    SELF = "self"  # route 1: the resident chose "hulp van een professional"
    TEXT = "text"  # a sensitive text typed to the bot outside any flow
    REQUEST = "request"  # route 2: a request kept out of the group
    RELAY = "relay"  # route 2: a relayed message kept back
    TOO_HEAVY = "too_heavy"  # route 3: a helper pressed "te zwaar voor buren"
    NO_HELPER = "no_helper"  # route 4: a request without a helper after 3 days


class CaseSource(Frozen):
    """Where an offer of professional help comes from, and what it can fill in already."""

    kind: SourceKind = SourceKind.SELF
    ref_id: int | None = None
    street_id: int | None = None
    prefilled_theme: Theme | None = None
    prefilled_text: str | None = None
    helper_resident_id: int | None = None


class Case(Frozen):
    """A resident's consented question for the community workers of their neighbourhood."""

    id: int
    neighbourhood_id: int
    street_id: int | None
    resident_id: int
    theme: Theme
    level: Level
    source_kind: SourceKind
    source_ref_id: int | None = None
    text: str | None = None
    contact: ContactWay = ContactWay.BOT
    phone: str | None = None
    safe_time: str | None = None
    status: CaseStatus = CaseStatus.OPEN
    claimed_by: int | None = None
    claimed_at: datetime | None = None
    closed_by: int | None = None
    closed_at: datetime | None = None
    outcome: Outcome | None = None
    unread_since: datetime | None = None
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None
    created_at: datetime
    erased_at: datetime | None = None

    @property
    def closed(self) -> bool:
        """Whether nothing more happens on this case."""
        return self.status is CaseStatus.CLOSED

    def age(self, now: datetime) -> timedelta:
        """How long ago the resident gave consent."""
        return now - self.created_at


class CaseMessage(Frozen):
    """One message between a worker and the resident, relayed by the bot."""

    id: int
    case_id: int
    direction: Literal["to_resident", "from_resident"]
    author_resident_id: int
    text: str | None
    created_at: datetime


class CaseNote(Frozen):
    """A worker's note, for the workers of the neighbourhood only."""

    id: int
    case_id: int
    author_resident_id: int
    text: str | None
    created_at: datetime


class CaseDraft(Frozen):
    """What a resident filled in on the way into a case, before consent."""

    theme: Theme
    text: str | None = None
    contact: ContactWay = ContactWay.BOT
    phone: str | None = None
    safe_time: str | None = None
    offer_id: int | None = None


class CaseCard(Frozen):
    """What the moderators chat card may show: no name, no text."""

    case: Case
    street_name: str | None
    claimer_name: str | None
    closer_name: str | None
    moderators_chat_id: str | None


class CaseDetails(Frozen):
    """Everything about a case, for a community worker in a private chat."""

    case: Case
    resident_name: str
    street_name: str | None
    neighbourhood_name: str
    claimer_name: str | None
    messages: tuple[CaseMessage, ...]
    notes: tuple[tuple[CaseNote, str], ...]


class ResidentCaseView(Frozen):
    """A case as its resident sees it: status and who picked it up."""

    case: Case
    neighbourhood_name: str
    claimer_name: str | None


class AuditLine(Frozen):
    """One audit line made readable: when, who (a worker's name, or a role), what."""

    at: datetime
    actor: str
    action: str
    detail: str | None = None


class OfferStatus(StrEnum):
    """An offer of professional help waits for the resident's answer."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class Offer(Frozen):
    """Professional help offered to a resident; nothing is shared until they consent."""

    id: int
    resident_id: int
    source: CaseSource
    level: Level
    status: OfferStatus = OfferStatus.PENDING
    created_at: datetime
    answered_at: datetime | None = None
    case_id: int | None = None


class StartInfo(Frozen):
    """What route 1 needs to know before its first question."""

    neighbourhood_name: str
    has_team: bool
    open_case: ResidentCaseView | None


class ReportReason(StrEnum):
    """Why someone reports a post."""

    OFFENSIVE = "offensive"
    WRONG = "wrong"
    SPAM = "spam"
    UNSAFE = "unsafe"
    OTHER = "other"


class ReportStatus(StrEnum):
    """Where a report is."""

    OPEN = "open"
    HANDLED = "handled"
    DISMISSED = "dismissed"


class Report(Frozen):
    """A report of a post, for the moderators chat."""

    id: int
    neighbourhood_id: int
    street_id: int | None
    post_id: int
    ref_kind: str
    ref_id: int
    reporter_resident_id: int | None
    reporter_external_id: str
    reason: ReportReason
    owner_resident_id: int | None
    status: ReportStatus = ReportStatus.OPEN
    post_removed_at: datetime | None = None
    owner_blocked_at: datetime | None = None
    handled_by: int | None = None
    created_at: datetime


class ReportCard(Frozen):
    """What the moderators chat card of a report shows."""

    report: Report
    street_name: str | None
    owner_name: str | None
    owner_blocked: bool
    handler_name: str | None


class OwnerInfo(Frozen):
    """Who placed the object behind a post, and in which street (from a capability's hook)."""

    resident_id: int
    street_id: int | None = None


class LinkCode(Frozen):
    """A one-time code that links a group as the moderators chat of a neighbourhood."""

    code: str
    neighbourhood_id: int
    expires_at: datetime


# Notifications --------------------------------------------------------------------


class CaseReminder(Notification):
    """In the moderators chat: a case is waiting for someone to pick it up."""

    kind: ClassVar[str] = "case.reminder"
    case_id: int
    hours: int


class CaseUnclaimedAlert(Notification):
    """To the operator: a case is still unclaimed (number and neighbourhood only)."""

    kind: ClassVar[str] = "case.unclaimed_alert"
    case_id: int
    hours: int


class TeamMissingAlert(Notification):
    """To the operator: a resident asked for a professional in a wijk without a team chat."""

    kind: ClassVar[str] = "case.team_missing"
    neighbourhood_id: int


class CaseStatusChanged(Notification):
    """To the resident: their case was picked up or closed."""

    kind: ClassVar[str] = "case.status"
    case_id: int
    status: CaseStatus


class CaseMessageToResident(Notification):
    """A worker's message, relayed to the resident (text read at delivery, never stored here)."""

    kind: ClassVar[str] = "case.to_resident"
    case_id: int
    message_id: int


class CaseMessageToWorker(Notification):
    """A resident's reply, relayed privately to the worker who claimed the case."""

    kind: ClassVar[str] = "case.to_worker"
    case_id: int
    message_id: int
    worker_resident_id: int


class CaseWithdrawn(Notification):
    """To the worker who had the case: the resident withdrew consent."""

    kind: ClassVar[str] = "case.withdrawn"
    case_id: int


class EscalationOffered(Notification):
    """To a resident: would they like a professional to help? (routes 2-4)."""

    kind: ClassVar[str] = "case.offer"
    offer_id: int


class TooHeavyOutcome(Notification):
    """To the helper who said "te zwaar voor buren": passed on, or not. Nothing more."""

    kind: ClassVar[str] = "case.too_heavy_outcome"
    offer_id: int
    passed_on: bool


class ModerationNotice(Notification):
    """To a resident: a worker removed their post, blocked or unblocked them (politely)."""

    kind: ClassVar[str] = "moderation.notice"
    action: Literal["post_removed", "message_removed", "blocked", "unblocked"]
    street_id: int | None


class ReportHandled(Notification):
    """To the reporter: thank you, a worker looked at it."""

    kind: ClassVar[str] = "moderation.report_handled"
    report_id: int


# Errors -----------------------------------------------------------------------------


class NotACommunityWorker(NotAllowed):
    """Only community workers of this neighbourhood may do this."""

    message_key = "escalation.errors.not_worker"


class CaseClosed(StaleAction):
    """The case is closed (or its consent was withdrawn)."""

    message_key = "escalation.errors.case_closed"


class NoTeamYet(DomainError):
    """The resident's neighbourhood has no moderators chat yet."""

    message_key = "escalation.errors.no_team"


class InvalidLinkCode(DomainError):
    """A link code that is unknown, used or expired."""

    message_key = "escalation.errors.link_code"


class StreetChatCannotModerate(DomainError):
    """A street group cannot also be a moderators chat (cases would reach the street)."""

    message_key = "escalation.errors.street_chat"


class ModeratorsChatTaken(DomainError):
    """This group is already the moderators chat of another neighbourhood."""

    message_key = "escalation.errors.chat_taken"


class InvalidPhone(InvalidInput):
    """Not a phone number we can call."""

    message_key = "escalation.errors.phone"


class WorkerUnreachable(DomainError):
    """The worker has not opened a private chat with the bot yet."""

    message_key = "escalation.errors.start_private"


class CannotReportThis(StaleAction):
    """Not a post of the bot that can be reported."""

    message_key = "moderation.errors.cannot_report"


class NoOwnerKnown(DomainError):
    """The reported object has no known resident behind it."""

    message_key = "moderation.errors.no_owner"
