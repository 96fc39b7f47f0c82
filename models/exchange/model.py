"""Domain models of the help exchange: register entries, requests, conversations, thanks.

A request (or a one-off offer) follows an explicit state machine:

    HELD ──cancel──▶ CANCELLED          (a sensitive text: kept private, never posted)
    OPEN ──match──▶ MATCHED ──done──▶ DONE
    OPEN ──cancel──▶ CANCELLED ◀──cancel── MATCHED
    OPEN ──expire──▶ EXPIRED
    MATCHED ──release──▶ OPEN           (the helper steps back before it was done)
    MATCHED ──match──▶ MATCHED          (offers only: another neighbour is interested)

DONE, CANCELLED and EXPIRED are final. Every pair not listed is refused with
IllegalTransition, which handlers show as a polite "this has changed" answer.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from models.core import Frozen, Language
from models.errors import DomainError, NotAllowed, RateLimited, StaleAction
from models.exchange.taxonomy import EntryKind

ENTRY_TEXT_MAX = 120
REQUEST_TEXT_MAX = 500
THANKS_TEXT_MAX = 300
RELAY_TEXT_MAX = 1000
MAX_REQUESTS_PER_DAY = 5
MAX_MATCH_NOTIFICATIONS = 5
MAX_OFFER_TAKERS = 3

__all__ = ["EntryKind"]


class Availability(StrEnum):
    """When someone can usually help."""

    WEEKDAYS = "weekdays"
    EVENINGS = "evenings"
    WEEKENDS = "weekends"
    APPOINTMENT = "appointment"
    ANYTIME = "anytime"


class RequestKind(StrEnum):
    """A request for help, or a one-off offer ("I'm going to the market on Saturday")."""

    ASK = "ask"
    OFFER = "offer"


class When(StrEnum):
    """The wished moment of a request."""

    TODAY = "today"
    TOMORROW = "tomorrow"
    WEEK = "week"
    DATE = "date"
    ANY = "any"


class RequestStatus(StrEnum):
    """Where a request is in its life."""

    HELD = "held"
    OPEN = "open"
    MATCHED = "matched"
    DONE = "done"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def final(self) -> bool:
        """Whether nothing can happen to the request any more."""
        return self in {RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.EXPIRED}


class RequestEvent(StrEnum):
    """What can happen to a request."""

    MATCH = "match"
    RELEASE = "release"
    DONE = "done"
    CANCEL = "cancel"
    EXPIRE = "expire"


_TRANSITIONS: dict[tuple[RequestStatus, RequestEvent], RequestStatus] = {
    (RequestStatus.OPEN, RequestEvent.MATCH): RequestStatus.MATCHED,
    (RequestStatus.OPEN, RequestEvent.CANCEL): RequestStatus.CANCELLED,
    (RequestStatus.OPEN, RequestEvent.EXPIRE): RequestStatus.EXPIRED,
    (RequestStatus.MATCHED, RequestEvent.DONE): RequestStatus.DONE,
    (RequestStatus.MATCHED, RequestEvent.CANCEL): RequestStatus.CANCELLED,
    (RequestStatus.MATCHED, RequestEvent.RELEASE): RequestStatus.OPEN,
    (RequestStatus.HELD, RequestEvent.CANCEL): RequestStatus.CANCELLED,
}
_OFFER_ONLY: dict[tuple[RequestStatus, RequestEvent], RequestStatus] = {
    (RequestStatus.MATCHED, RequestEvent.MATCH): RequestStatus.MATCHED,
}


class IllegalTransition(StaleAction):
    """The request is no longer in a state where this can happen."""

    message_key = "exchange.errors.changed"

    def __init__(self, status: RequestStatus, event: RequestEvent) -> None:
        super().__init__()
        self.status = status
        self.event = event


def transition(status: RequestStatus, event: RequestEvent, kind: RequestKind) -> RequestStatus:
    """The next status, or IllegalTransition."""
    target = _TRANSITIONS.get((status, event))
    if target is None and kind is RequestKind.OFFER:
        target = _OFFER_ONLY.get((status, event))
    if target is None:
        raise IllegalTransition(status, event)
    return target


def allowed_events(status: RequestStatus, kind: RequestKind) -> set[RequestEvent]:
    """Every event the state machine accepts in a status (for tests and buttons)."""
    events = {e for (s, e) in _TRANSITIONS if s is status}
    if kind is RequestKind.OFFER:
        events |= {e for (s, e) in _OFFER_ONLY if s is status}
    return events


# Refusals --------------------------------------------------------------------------


class RequestClosed(StaleAction):
    """The request was done, cancelled, removed or expired."""

    message_key = "exchange.errors.closed"


class AlreadyMatched(StaleAction):
    """Someone else already helps with this request."""

    message_key = "exchange.errors.already_matched"


class OfferFull(StaleAction):
    """Enough neighbours already showed interest in this offer."""

    message_key = "exchange.errors.offer_full"


class OwnRequest(NotAllowed):
    """Pressing "Ik help" on one's own request."""

    message_key = "exchange.errors.own_request"


class OwnEntry(NotAllowed):
    """Asking oneself through the register."""

    message_key = "exchange.errors.own_entry"


class TooManyRequests(RateLimited):
    """More new requests in a day than the limit."""

    message_key = "exchange.errors.too_many_requests"


class Unreachable(DomainError):
    """The other person cannot receive messages from the bot now."""

    message_key = "exchange.errors.unreachable"


class SelfUnreachable(DomainError):
    """The person pressing has no private chat with the bot we may write to."""

    message_key = "exchange.errors.open_private_chat"


class EntryUnavailable(StaleAction):
    """A register entry that is paused or removed."""

    message_key = "exchange.errors.entry_unavailable"


class ConversationClosed(StaleAction):
    """A conversation that has ended."""

    message_key = "exchange.errors.conversation_closed"


class NotInConversation(NotAllowed):
    """Someone pressed a button of a conversation that is not theirs."""

    message_key = "exchange.errors.not_yours"


class DoneProposedAlready(StaleAction):
    """ "Klaar?" was already asked in this conversation."""

    message_key = "exchange.errors.done_proposed"


class RelayTooFast(RateLimited):
    """Too many relayed messages in a short time."""

    message_key = "exchange.errors.relay_too_fast"


# Models ------------------------------------------------------------------------------


class RegisterEntry(Frozen):
    """Something a resident can offer: a skill, a tool to lend, transport, time."""

    id: int
    resident_id: int
    street_id: int
    kind: EntryKind
    category: str
    text: str
    availability: Availability
    on_card: bool | None = None
    paused: bool = False
    confirmed_at: datetime
    check_sent_at: datetime | None = None
    created_at: datetime
    removed_at: datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the entry shows up in searches and matching."""
        return not self.paused and self.removed_at is None


class Request(Frozen):
    """A request for help, or a one-off offer, in one street."""

    id: int
    street_id: int
    resident_id: int
    kind: RequestKind
    category: str
    text: str
    when: When
    when_date: date | None = None
    show_name: bool
    status: RequestStatus
    language: Language = "nl"
    sensitivity: str | None = None
    created_at: datetime
    updated_at: datetime
    matched_at: datetime | None = None
    closed_at: datetime | None = None
    active_since: datetime
    stale_asked_at: datetime | None = None
    no_helper_at: datetime | None = None


class ConversationStatus(StrEnum):
    """A relayed conversation is running or has ended."""

    ACTIVE = "active"
    ENDED = "ended"


class Role(StrEnum):
    """A side of a conversation: who gives help, who receives it."""

    GIVER = "giver"
    RECEIVER = "receiver"


class Conversation(Frozen):
    """Two neighbours talking through the bot, about a request or a register entry."""

    id: int
    request_id: int | None = None
    entry_id: int | None = None
    giver_id: int
    receiver_id: int
    status: ConversationStatus = ConversationStatus.ACTIVE
    created_at: datetime
    ended_at: datetime | None = None
    ended_by: int | None = None
    helped_at: datetime | None = None
    done_proposed_at: datetime | None = None
    giver_shares: bool = False
    receiver_shares: bool = False
    giver_contact: str | None = None
    receiver_contact: str | None = None

    @property
    def active(self) -> bool:
        """Whether messages still go through."""
        return self.status is ConversationStatus.ACTIVE

    def role_of(self, resident_id: int) -> Role:
        """The side a resident is on, or NotInConversation."""
        if resident_id == self.giver_id:
            return Role.GIVER
        if resident_id == self.receiver_id:
            return Role.RECEIVER
        raise NotInConversation()

    def other(self, resident_id: int) -> int:
        """The resident on the other side."""
        return self.receiver_id if self.role_of(resident_id) is Role.GIVER else self.giver_id

    def shares(self, role: Role) -> bool:
        """Whether a side agreed to share contact details."""
        return self.giver_shares if role is Role.GIVER else self.receiver_shares

    @property
    def contact_shared(self) -> bool:
        """Both sides agreed: details are exchanged."""
        return self.giver_shares and self.receiver_shares


class HelpfulAnswer(StrEnum):
    """ "Heeft dit geholpen?"."""

    YES = "yes"
    LITTLE = "little"
    NO = "no"


class Feedback(Frozen):
    """One person's answers about one conversation, for the impact report."""

    conversation_id: int
    resident_id: int
    role: Role
    helped: HelpfulAnswer | None = None
    knew_before: bool | None = None
    answered_at: datetime | None = None


class RideFeedback(Frozen):
    """A passenger's answers to the same two questions after a grocery ride."""

    ride_id: int
    resident_id: int
    street_id: int
    helped: HelpfulAnswer | None = None
    knew_before: bool | None = None
    asked_at: datetime
    answered_at: datetime | None = None


class ThankYou(Frozen):
    """A bedankje from the one who was helped to the one who helped."""

    id: int
    conversation_id: int
    request_id: int | None
    street_id: int
    from_id: int
    to_id: int
    text: str
    public: bool
    created_at: datetime


class Reciprocity(Frozen):
    """How often a person helped and was helped; shown only to themselves."""

    given: int
    received: int
    entries: int
    requests: int


class Timings(Frozen):
    """How long things wait; the defaults follow the issue, a deployment may tune them."""

    stale_after: timedelta = timedelta(days=5)
    expire_after: timedelta = timedelta(days=14)
    no_helper_after: timedelta = timedelta(days=3)
    check_entry_after: timedelta = timedelta(days=182)
    pause_after_check: timedelta = timedelta(days=14)
    invite_every: timedelta = timedelta(days=30)


class InviteState(Frozen):
    """When a resident was last invited to add an entry, and whether they opted out."""

    resident_id: int
    last_invited_at: datetime | None = None
    invites: int = 0
    opted_out_at: datetime | None = None
