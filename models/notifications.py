"""What the bot says on its own initiative, as channel-neutral data for the outbox.

The domain enqueues a Notification for a Recipient inside the transaction that changed
the state, so a message is sent if and only if the change was committed. An adapter
renders each kind at delivery time, in the recipient's language and current chat.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from models.core import ChatRef


class Recipient(BaseModel):
    """Who a notification is for; resolved to a chat only when it is delivered."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["resident", "street", "moderators", "operator", "chat"]
    id: int | None = None
    chat: ChatRef | None = None

    @classmethod
    def resident(cls, resident_id: int) -> Recipient:
        """A resident's private chat."""
        return cls(kind="resident", id=resident_id)

    @classmethod
    def street(cls, street_id: int) -> Recipient:
        """A street's group chat."""
        return cls(kind="street", id=street_id)

    @classmethod
    def moderators(cls, neighbourhood_id: int) -> Recipient:
        """The moderators chat of a neighbourhood."""
        return cls(kind="moderators", id=neighbourhood_id)

    @classmethod
    def operator(cls) -> Recipient:
        """The operator chat from the settings."""
        return cls(kind="operator")

    @classmethod
    def raw_chat(cls, chat: ChatRef) -> Recipient:
        """A chat that belongs to no street yet (an unconfigured group)."""
        return cls(kind="chat", chat=chat)


class Notification(BaseModel):
    """Base of everything the outbox carries; `kind` names the adapter's renderer."""

    model_config = ConfigDict(frozen=True)

    kind: ClassVar[str]


class PostRef(BaseModel):
    """A domain object that has posts in group chats (a request, a ride...)."""

    model_config = ConfigDict(frozen=True)

    ref_kind: str
    ref_id: int


class PlacedPost(BaseModel):
    """A message the bot placed in a chat for a domain object."""

    model_config = ConfigDict(frozen=True)

    id: int
    ref: PostRef
    chat: ChatRef
    message_id: int
    street_id: int | None
    posted_at: datetime
    removed_at: datetime | None


class PlacePost(Notification):
    """Post the current card of a domain object to the recipient's chat and remember it."""

    kind: ClassVar[str] = "post.place"
    ref: PostRef


class RefreshPosts(Notification):
    """Re-render every placed post of a domain object (its state changed)."""

    kind: ClassVar[str] = "post.refresh"
    ref: PostRef


class RemovePosts(Notification):
    """Take every placed post of a domain object down (delete, or mark removed when old)."""

    kind: ClassVar[str] = "post.remove"
    ref: PostRef


class GroupFarewell(Notification):
    """Explain that nobody set the group up, then leave it."""

    kind: ClassVar[str] = "group.farewell"
    language: Literal["nl", "en"] = "nl"


class OperatorAlert(Notification):
    """A short alert for the operator chat (no personal data, no message texts)."""

    kind: ClassVar[str] = "operator.alert"
    summary: str
