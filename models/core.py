"""Core domain models: who and where (neighbourhoods, streets, residents, roles)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")


def as_language(value: str | None, default: Language = "nl") -> Language:
    """Map a channel's language hint ("en-GB", "nl") to a supported language."""
    code = (value or "").split("-")[0].lower()
    if code == "en":
        return "en"
    if code == "nl":
        return "nl"
    return default


class Frozen(BaseModel):
    """Base for immutable domain values."""

    model_config = ConfigDict(frozen=True)


class ChannelUser(Frozen):
    """A person as a messaging channel knows them, before we know them as a resident."""

    channel: str = "telegram"
    external_id: str
    first_name: str | None = None
    language_hint: str | None = None


class ChatRef(Frozen):
    """A chat (private, group, moderators) on a channel."""

    channel: str = "telegram"
    chat_id: str


class Neighbourhood(Frozen):
    """A wijk: a few streets where one team of community workers is active."""

    id: int
    name: str
    municipality: str
    moderators_chat: ChatRef | None = None


class Street(Frozen):
    """A street with its group chat; the unit of the product."""

    id: int
    neighbourhood_id: int
    name: str
    chat: ChatRef | None
    chat_title: str | None = None
    language: Language = "nl"
    join_code: str
    active: bool = True
    created_at: datetime


class Resident(Frozen):
    """A person known to Patchwork: through a channel, or a proxy without one."""

    id: int
    channel: str | None
    external_id: str | None
    display_name: str
    language: Language = "nl"
    active: bool = True
    is_proxy: bool = False
    house_number: str | None = None
    phone: str | None = None
    created_at: datetime

    @property
    def chat(self) -> ChatRef | None:
        """The private chat with this resident, if they have a channel."""
        if self.channel is None or self.external_id is None:
            return None
        return ChatRef(channel=self.channel, chat_id=self.external_id)


class MembershipRole(StrEnum):
    """A person's role in one street."""

    MEMBER = "member"
    STREET_CONTACT = "street_contact"


class Membership(Frozen):
    """A resident belonging to a street."""

    id: int
    resident_id: int
    street_id: int
    role: MembershipRole = MembershipRole.MEMBER
    joined_at: datetime
    blocked_at: datetime | None = None

    @property
    def blocked(self) -> bool:
        """Whether a community worker blocked this membership."""
        return self.blocked_at is not None


class NeighbourhoodRole(StrEnum):
    """Roles held for a whole neighbourhood."""

    COORDINATOR = "coordinator"
    COMMUNITY_WORKER = "community_worker"
    DRIVER = "driver"


class AuditEntry(Frozen):
    """One line of the append-only audit log: who did what to which object, never content."""

    id: int | None = None
    at: datetime
    actor_resident_id: int | None = None
    actor_external_id: str | None = None
    action: str
    subject_kind: str
    subject_id: str
    detail: dict[str, Any] = Field(default_factory=dict)


class PendingGroup(Frozen):
    """A group the bot was added to that has no setup yet."""

    chat: ChatRef
    title: str | None
    added_by_external_id: str | None
    added_at: datetime
