"""Check-in values: the schedule a resident chose, their buddies, each day's round.

A check-in is staying in touch, not being watched: the resident chooses how often, when,
how long they may take to answer, and who is told when they do not. Nothing about it ever
reaches a street group.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field

from models.core import Frozen
from models.errors import DomainError, InvalidInput, NotAllowed, StaleAction
from models.notifications import Notification

WINDOW_HOURS: tuple[int, ...] = (1, 2, 4)
TIMES: tuple[int, ...] = tuple(h * 60 for h in (7, 8, 9, 10, 11, 12, 14, 16, 18, 20))
PAUSE_DAYS: tuple[int, ...] = (7, 14, 30, 60)
PAUSE_MAX_DAYS = 60
MAX_BUDDIES = 2
# A check-in that fell due while the bot was down is sent once after start, its window
# starting then; one that is more than this late is skipped (no message, no alarm).
LATE_LIMIT = timedelta(hours=6)
CHECKIN_REF = "checkin"


class Frequency(StrEnum):
    """How often the resident gets the message."""

    DAILY = "daily"
    WEEKDAYS = "days"  # on chosen days of the week
    WEEKLY = "weekly"  # one chosen day a week


class State(StrEnum):
    """Where a resident's check-in is."""

    DRAFT = "draft"  # being chosen in the opt-in flow
    WAITING = "waiting"  # waiting for a buddy to accept
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class BuddyStatus(StrEnum):
    """A buddy's answer to being asked."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    STOPPED = "stopped"


class RoundStatus(StrEnum):
    """One day's check-in."""

    OPEN = "open"  # sent, waiting for an answer within the window
    ANSWERED = "answered"  # answered within the window
    ALARM = "alarm"  # no answer: someone in the chain is being asked to look
    ALL_CLEAR = "all_clear"  # answered after the alarm went out
    CLOSED = "closed"  # whoever took the alarm closed it with an outcome
    MISSED = "missed"  # the bot was down too long to send it: no message, no alarm
    SKIPPED = "skipped"  # the resident cannot be reached (blocked the bot) or has an alarm open


OPEN_STATUSES = (RoundStatus.OPEN, RoundStatus.ALARM)


class Answer(StrEnum):
    """What the resident answered."""

    GOOD = "good"
    NOT_GOOD = "not_good"
    TALK = "talk"
    SIGN = "sign"  # any message, pause or stop in the window


class Outcome(StrEnum):
    """How whoever went to look closed the alarm (counted in the impact report)."""

    ALL_GOOD = "all_good"
    HELP_NEEDED = "help_needed"
    NOT_REACHED = "not_reached"
    NOBODY = "nobody"  # the chain ran out: nobody could look


CLOSING_OUTCOMES = (Outcome.ALL_GOOD, Outcome.HELP_NEEDED, Outcome.NOT_REACHED)


class Schedule(Frozen):
    """When the message comes: how often, on which days, at what local time, how long."""

    frequency: Frequency = Frequency.DAILY
    days: tuple[int, ...] = ()  # weekday numbers (Monday 0) for WEEKDAYS, one for WEEKLY
    minute_of_day: int = Field(default=9 * 60, ge=0, lt=24 * 60)
    window_hours: int = 2

    def runs_on(self, day: date) -> bool:
        """Whether a check-in comes on this local day."""
        if self.frequency is Frequency.DAILY:
            return True
        return day.weekday() in self.days

    @property
    def complete(self) -> bool:
        """Whether every choice is made (a weekly or weekday schedule needs its days)."""
        if self.frequency is Frequency.WEEKLY:
            return len(self.days) == 1
        if self.frequency is Frequency.WEEKDAYS:
            return len(self.days) >= 1
        return True

    @property
    def window(self) -> timedelta:
        """How long the resident may take to answer."""
        return timedelta(hours=self.window_hours)


class CheckIn(Frozen):
    """A resident's check-in: their schedule, chain and state."""

    id: int
    resident_id: int
    street_id: int
    schedule: Schedule
    workers: bool = False  # the community workers come after the buddies in the chain
    caller_id: int | None = None  # a neighbour without a phone: the coordinator who calls
    state: State = State.DRAFT
    paused_until: date | None = None
    next_due_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class Buddy(Frozen):
    """A neighbour in a resident's chain (position 1 first)."""

    id: int
    checkin_id: int
    resident_id: int | None  # None: an invite link nobody opened yet
    position: int
    status: BuddyStatus
    code: str | None = None
    created_at: datetime
    answered_at: datetime | None = None


class Round(Frozen):
    """One check-in message and what came of it."""

    id: int
    checkin_id: int
    local_date: str  # the Amsterdam date it belongs to, "2026-12-01"
    due_at: datetime
    sent_at: datetime | None = None
    window_ends_at: datetime | None = None
    reminder_at: datetime | None = None
    reminded_at: datetime | None = None
    status: RoundStatus
    answer: Answer | None = None
    answered_at: datetime | None = None
    alarm_step: int = 0  # 0 none; n: the n-th in the chain is being asked
    alarm_target_id: int | None = None  # the buddy asked now (None: the workers)
    alarm_deadline: datetime | None = None
    taken_by: int | None = None
    outcome: Outcome | None = None
    closed_at: datetime | None = None

    @property
    def open(self) -> bool:
        """Whether an answer still changes something."""
        return self.status in OPEN_STATUSES


class Alert(Frozen):
    """Someone in the chain was told about a round (for the all-clear)."""

    round_id: int
    step: int
    resident_id: int | None  # a buddy; None for the community workers
    neighbourhood_id: int | None = None
    answer: Literal["going", "cannot"] | None = None


class Candidate(Frozen):
    """A neighbour who agreed to be asked as a buddy."""

    resident_id: int
    name: str


class Overview(Frozen):
    """A resident's check-in as they see it, with their buddies' names."""

    checkin: CheckIn
    buddies: tuple[tuple[Buddy, str | None], ...]

    @property
    def accepted(self) -> list[tuple[Buddy, str | None]]:
        """Buddies who said yes and still are."""
        return [(b, n) for b, n in self.buddies if b.status is BuddyStatus.ACCEPTED]


class AnswerResult(Frozen):
    """What became of an answer: late (all-clear sent), and who the first buddy is."""

    round: Round
    late: bool = False
    buddy_name: str | None = None
    already: bool = False


class AlarmView(Frozen):
    """An alarm as the person asked to look sees it (a buddy, or a worker privately)."""

    round: Round
    resident_name: str
    street_name: str
    house_number: str | None = None
    phone: str | None = None
    buddy_names: tuple[str, ...] = ()


class CheckInCard(Frozen):
    """The moderators chat card: the street and the time, never a name."""

    round: Round
    street_name: str
    taker_name: str | None = None
    called: bool = False  # the telephone circle's neighbour (no buddy in between)


class ImpactCounts(Frozen):
    """Numbers only, per neighbourhood and month."""

    residents: int = 0
    rounds: int = 0
    on_time: int = 0
    alarms: int = 0
    outcomes: dict[str, int] = Field(default_factory=dict)


# Outbox messages (ids only: names are looked up when the message is drawn, so an erased
# person's name never waits in the outbox) ------------------------------------------------


class CheckInPrompt(Notification):
    """ "Goedemorgen Anna, alles goed?" with three buttons."""

    kind: ClassVar[str] = "checkin.prompt"
    round_id: int


class CheckInReminder(Notification):
    """Halfway through the window: a gentle second message."""

    kind: ClassVar[str] = "checkin.reminder"
    round_id: int


class BuddyAlarm(Notification):
    """To a buddy: the resident did not answer; will you look or call?"""

    kind: ClassVar[str] = "checkin.alarm"
    round_id: int
    step: int


class AllClear(Notification):
    """To everyone alerted: the resident answered after all."""

    kind: ClassVar[str] = "checkin.all_clear"
    round_id: int


class BuddyRequest(Notification):
    """To a resident who agreed to be asked: will you be my buddy?"""

    kind: ClassVar[str] = "checkin.buddy_request"
    buddy_id: int


class BuddyAnswered(Notification):
    """To the resident: the buddy said yes (the check-in starts) or no."""

    kind: ClassVar[str] = "checkin.buddy_answered"
    buddy_id: int
    accepted: bool


class BuddyLeft(Notification):
    """To the resident, kindly: a buddy stopped, left the street or cannot be reached."""

    kind: ClassVar[str] = "checkin.buddy_left"
    buddy_id: int
    reason: Literal["stopped", "unreachable"] = "stopped"
    others: bool = False  # the chain still has someone


class ResidentStopped(Notification):
    """To a buddy: the resident stopped their check-in (thanks for being there)."""

    kind: ClassVar[str] = "checkin.resident_stopped"
    buddy_id: int


class CheckInResumed(Notification):
    """The day a pause ends."""

    kind: ClassVar[str] = "checkin.resumed"
    checkin_id: int


class PleaseCall(Notification):
    """To the first buddy: the resident is not so well, or would like a chat, and said so."""

    kind: ClassVar[str] = "checkin.please_call"
    round_id: int
    reason: Literal["not_good", "talk"]


class CallList(Notification):
    """To the coordinator who calls: the neighbours still to call today."""

    kind: ClassVar[str] = "checkin.calls"
    local_date: str
    reminder: bool = False


class NobodyCould(Notification):
    """To the buddies who were asked: the chain ran out, nobody else could look."""

    kind: ClassVar[str] = "checkin.nobody"
    round_id: int


# Errors -------------------------------------------------------------------------------


class NoCheckIn(DomainError):
    """The person has no check-in (any more)."""

    message_key = "checkins.errors.none"


class OwnBuddy(InvalidInput):
    """A resident cannot be their own buddy."""

    message_key = "checkins.errors.own_buddy"


class NotYourAlarm(NotAllowed):
    """Only the person asked to look may answer this."""

    message_key = "checkins.errors.not_yours"


class OldCheckIn(StaleAction):
    """A button of a check-in that is over."""

    message_key = "checkins.errors.old"


class BadChoice(InvalidInput):
    """A button with a value we do not offer."""

    message_key = "errors.invalid_input"


class ChainFull(InvalidInput):
    """A resident has as many buddies as there may be."""

    message_key = "checkins.errors.chain_full"


class CallLine(Frozen):
    """One neighbour to call today (the telephone circle)."""

    round_id: int
    name: str
    phone: str | None = None
    street: str
    house_number: str | None = None


class ProxyCall(Frozen):
    """A neighbour without Telegram whom a coordinator may call every day."""

    proxy_id: int
    name: str
    phone: str | None = None
    street: str
    minute_of_day: int | None = None  # None: not in the telephone circle


class RoundInfo(Frozen):
    """A round with the names its messages need (read when a message is drawn)."""

    round: Round
    checkin: CheckIn
    resident_name: str
    street_name: str
    buddy_name: str | None = None  # the first buddy who said yes
