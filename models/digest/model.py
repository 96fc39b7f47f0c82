"""Digest values: settings per street, the week window, sections and their items."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import Field, model_validator

from models.core import Frozen, Language
from models.errors import DomainError, InvalidInput, NotAllowed, StaleAction
from models.notifications import Notification

MESSAGE_LIMIT = 4096
ITEMS_PER_SECTION = 10
PARAM_MAX = 200

DEFAULT_WEEKDAY = 6  # Sunday (Monday is 0, as in datetime.weekday())
DEFAULT_MINUTE = 17 * 60  # 17:00 local time
WEEK = timedelta(days=7)


class Weekday(IntEnum):
    """Days of the week as datetime.weekday() numbers them."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


class DigestSettings(Frozen):
    """When a street gets its digest, and whether it takes part in the Bloemetje."""

    street_id: int
    weekday: int = Field(default=DEFAULT_WEEKDAY, ge=0, le=6)
    minute_of_day: int = Field(default=DEFAULT_MINUTE, ge=0, lt=24 * 60)
    bloemetje: bool = True
    next_due_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def hour(self) -> int:
        """The hour of the local send time."""
        return self.minute_of_day // 60

    @property
    def minute(self) -> int:
        """The minute of the local send time."""
        return self.minute_of_day % 60


class WeekWindow(Frozen):
    """The week a digest looks back on (start..end) and the moment it is sent (end)."""

    start: datetime
    end: datetime
    week: str  # ISO week of the send moment in local time, "2026-W49"

    @property
    def coming_end(self) -> datetime:
        """End of the coming week (for rides ahead)."""
        return self.end + WEEK


class ItemAction(Frozen):
    """A button under the digest for one item; the adapter decides how it looks and works."""

    kind: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.]{0,30}$")]
    ref_id: int


Param = Annotated[str, Field(max_length=PARAM_MAX)]


class DigestItem(Frozen):
    """One line of a section: a message key and its (already cleaned) parameters."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.]{0,60}$")]
    params: dict[str, Param] = Field(default_factory=dict, max_length=6)
    when: datetime | None = None
    count: int | None = None
    action: ItemAction | None = None


class SectionKind:
    """The sections the issue names, in the order they appear in the digest."""

    THANKS = "thanks"
    REQUESTS = "requests"
    NEW_ENTRIES = "new_entries"
    RIDES = "rides"
    BLOEMETJE = "bloemetje"
    INVITE = "invite"

    ORDER: ClassVar[tuple[str, ...]] = (
        THANKS,
        REQUESTS,
        NEW_ENTRIES,
        RIDES,
        BLOEMETJE,
        INVITE,
    )


class Priority(IntEnum):
    """Which sections are shortened first when the digest is too long (lowest first)."""

    NEW_ENTRIES = 10
    THANKS = 20
    RIDES = 30
    REQUESTS = 40
    BLOEMETJE = 50
    INVITE = 60


class DigestSection(Frozen):
    """One block of the digest: a title, the items shown, and how many there are in all."""

    kind: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,30}$")]
    title_key: str | None
    items: tuple[DigestItem, ...] = ()
    total: int = 0
    priority: int = 0
    filler: bool = False

    @model_validator(mode="before")
    @classmethod
    def _total_covers_items(cls, data: Any) -> Any:
        """`total` defaults to (and is never below) the number of items given."""
        if isinstance(data, dict):
            shown = len(data.get("items") or ())
            total = data.get("total")
            if total is None or total < shown:
                return {**data, "total": shown}
        return data

    @property
    def more(self) -> int:
        """How many items are left out ("en nog N meer")."""
        return self.total - len(self.items)

    @property
    def empty(self) -> bool:
        """Nothing to say in this section."""
        return self.total == 0


class Digest(Frozen):
    """A composed digest for one street and week, language-neutral."""

    street_id: int
    street_name: str
    window: WeekWindow
    sections: tuple[DigestSection, ...]

    def section(self, kind: str) -> DigestSection | None:
        """The section of a kind, if it is in the digest."""
        return next((s for s in self.sections if s.kind == kind), None)


class Preview(Frozen):
    """What the next digest of a street would say now, and when it is due."""

    street_id: int
    street_name: str
    due_at: datetime
    digest: Digest | None


class SendNow(StrEnum):
    """What became of "send the digest now": sent, or why not."""

    SENT = "sent"
    ALREADY = "already"  # this week's digest went out already
    EMPTY = "empty"  # nothing to tell this week
    NO_CHAT = "no_chat"  # the street has no active group


class SettingsView(Frozen):
    """A street's digest settings as the street contact sees them."""

    street_id: int
    street_name: str
    language: Language
    settings: DigestSettings


class StreetChoice(Frozen):
    """A street someone may act for (when they belong to more than one)."""

    street_id: int
    name: str


# Outbox messages -------------------------------------------------------------------


class WeeklyDigest(Notification):
    """The digest of a week, for a street group or an opted-in resident."""

    kind: ClassVar[str] = "digest.weekly"
    digest: Digest


# Errors ------------------------------------------------------------------------------


class NoDigestStreet(DomainError):
    """The person belongs to no street whose digest we could show."""

    message_key = "digest.errors.no_street"


class NotStreetContact(NotAllowed):
    """Only a street contact (group administrator) or a community worker may do this."""

    message_key = "digest.errors.not_contact"


class BadSetting(InvalidInput):
    """A settings button with a value we do not offer."""

    message_key = "errors.invalid_input"


class StaleSetting(StaleAction):
    """A settings button for a street that is gone."""

    message_key = "errors.stale"
