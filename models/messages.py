"""What the bot says, channel-neutral: outgoing messages, their choices, and the sender port.

A renderer (or a handler) builds an `OutgoingMessage`; each channel's sender turns it into
its own markup (Telegram: HTML and inline or reply keyboards; WhatsApp: reply buttons and
lists) and maps its own failures to the `SendError`s below, so the outbox never needs to
know which channel it is talking to.

Text markup is a small subset of HTML, the same on every channel:
`<b>`, `<i>`, `<u>`, `<s>`, `<code>`, `<blockquote>` and `<a href="…">`, with `&amp;`,
`&lt;`, `&gt;` and `&quot;` for those characters. Everything a person typed is escaped
before it goes in. Telegram sends it as it is; a channel without HTML translates or drops
the tags (WhatsApp: `*bold*`, `_italic_`, a link as its address).

A pressed button comes back as its `action` and `args`: short, plain, and never trusted
(the handler re-checks everything in the database). They are kept within the strictest
channel's limit (Telegram's 64 bytes of callback data) so every channel can carry them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.core import ChatRef

MAX_ACTION_BYTES = 64
SEPARATOR = ":"
_ACTION = re.compile(r"^[a-z][a-z0-9_.]{0,15}$")
_ARG = re.compile(r"^[A-Za-z0-9_-]{0,40}$")


class BadAction(ValueError):
    """Pressed-button data that is not ours or not well-formed."""


@dataclass(frozen=True)
class Action:
    """A pressed button's action and arguments, parsed but not trusted."""

    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int:
        """Argument `index` as a non-negative integer, or BadAction."""
        try:
            value = self.args[index]
        except IndexError:
            raise BadAction("missing argument") from None
        if not value.isdigit() or len(value) > 12:
            raise BadAction("not a number")
        return int(value)

    def arg(self, index: int) -> str:
        """Argument `index` as text, or BadAction."""
        try:
            return self.args[index]
        except IndexError:
            raise BadAction("missing argument") from None


def encode_action(action: str, *args: object) -> str:
    """A button's action as one short string; ValueError when it is malformed or too long."""
    if not _ACTION.match(action):
        raise ValueError(f"bad action name {action!r}")
    parts = [str(a) for a in args]
    for part in parts:
        if not _ARG.match(part):
            raise ValueError(f"bad callback argument {part!r}")
    data = SEPARATOR.join([action, *parts])
    if len(data.encode()) > MAX_ACTION_BYTES:
        raise ValueError(f"action data over {MAX_ACTION_BYTES} bytes")
    return data


def decode_action(data: str | None) -> Action:
    """Parse what a channel hands back for a pressed button; BadAction for anything else."""
    if not data or len(data.encode()) > MAX_ACTION_BYTES:
        raise BadAction("empty or too long")
    action, *args = data.split(SEPARATOR)
    if not _ACTION.match(action) or not all(_ARG.match(a) for a in args):
        raise BadAction("malformed")
    return Action(action, tuple(args))


class Button(BaseModel):
    """A button under a message: pressing it hands back `action` and `args`, or opens `url`."""

    model_config = ConfigDict(frozen=True)

    label: str = Field(min_length=1)
    action: str | None = None
    args: tuple[str, ...] = ()
    url: str | None = None

    @field_validator("args", mode="before")
    @classmethod
    def _plain_args(cls, value: Sequence[object]) -> tuple[str, ...]:
        return tuple(str(v) for v in value)

    @model_validator(mode="after")
    def _action_or_link(self) -> Button:
        if (self.action is None) == (self.url is None):
            raise ValueError("a button either has an action or opens a link")
        if self.action is not None:
            encode_action(self.action, *self.args)  # fits every channel, or fails here
        return self

    @property
    def data(self) -> str:
        """The encoded action (for channels that carry one string per button)."""
        if self.action is None:
            raise ValueError("a link button has no action data")
        return encode_action(self.action, *self.args)


def press(label: str, action: str, *args: object) -> Button:
    """A button that hands back `action` and `args` when pressed."""
    return Button(label=label, action=action, args=tuple(str(a) for a in args))


def link(label: str, url: str) -> Button:
    """A button that opens a link (a deep link back into the bot, a share link)."""
    return Button(label=label, url=url)


class Keyboard(BaseModel):
    """Buttons under one message, in rows."""

    model_config = ConfigDict(frozen=True)

    rows: tuple[tuple[Button, ...], ...] = Field(min_length=1)

    @property
    def buttons(self) -> list[Button]:
        """Every button, row by row."""
        return [b for row in self.rows for b in row]


def keyboard(rows: Sequence[Sequence[Button]]) -> Keyboard | None:
    """A keyboard from rows; empty rows are dropped, and no rows at all is no keyboard."""
    clean = tuple(tuple(row) for row in rows if row)
    return Keyboard(rows=clean) if clean else None


class Menu(BaseModel):
    """A standing menu of choices that a person taps instead of typing (the main menu)."""

    model_config = ConfigDict(frozen=True)

    rows: tuple[tuple[str, ...], ...] = Field(min_length=1)


class AskText(BaseModel):
    """The person is asked to type an answer (in a group, as a reply to this message)."""

    model_config = ConfigDict(frozen=True)

    placeholder: str | None = None


class NoMenu(BaseModel):
    """Take the standing menu away (after being forgotten its buttons would only refuse)."""

    model_config = ConfigDict(frozen=True)


Choices = Keyboard | Menu | AskText | NoMenu


class Document(BaseModel):
    """A file sent with the message (a street card, a data export); the text is its caption."""

    model_config = ConfigDict(frozen=True)

    content: bytes
    filename: str = Field(min_length=1, max_length=120)


class OutgoingMessage(BaseModel):
    """One message as the bot means it, before any channel renders it."""

    model_config = ConfigDict(frozen=True)

    text: str = ""
    choices: Choices | None = None
    document: Document | None = None

    @model_validator(mode="after")
    def _says_something(self) -> OutgoingMessage:
        if not self.text and self.document is None:
            raise ValueError("a message needs a text or a document")
        return self

    @property
    def keyboard(self) -> Keyboard | None:
        """The buttons under the message, if it has any."""
        return self.choices if isinstance(self.choices, Keyboard) else None


def outgoing(
    text: str, choices: Choices | None = None, *, document: Document | None = None
) -> OutgoingMessage:
    """A message: its text (markup subset), its buttons or menu, and maybe a document."""
    return OutgoingMessage(text=text, choices=choices, document=document)


class SentMessage(BaseModel):
    """Where a sent message landed, so it can be edited or taken down later."""

    model_config = ConfigDict(frozen=True)

    chat: ChatRef
    message_id: int


# Failures every channel maps its own errors to ----------------------------------------------


class SendError(Exception):
    """A message could not be sent, edited or removed."""


class Unreachable(SendError):
    """The person blocked the bot, or the bot is no longer in the chat: stop sending there."""


class RetryLater(SendError):
    """The channel asks to wait (flood control) before trying again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:g} s")
        self.seconds = seconds


class Rejected(SendError):
    """The channel refused this message as it is; sending it again will not help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MessageGone(Rejected):
    """The message to edit or remove no longer exists (or may no longer be removed)."""


class NotChanged(Rejected):
    """An edit that would change nothing."""


class TimedOut(SendError):
    """No answer in time: the message may or may not have arrived."""


class ConnectionTrouble(SendError):
    """The channel could not be reached; worth trying again later."""


class ChatMoved(SendError):
    """The chat lives on under another id (a Telegram group upgraded to a supergroup)."""

    def __init__(self, chat: ChatRef) -> None:
        super().__init__("chat moved")
        self.chat = chat


class ChannelSender(Protocol):
    """Sends neutral messages through one channel (Telegram, WhatsApp, …)."""

    @property
    def channel(self) -> str:
        """The channel name in `ChatRef.channel`."""
        ...

    @property
    def delete_window(self) -> timedelta | None:
        """How long after sending a message may still be deleted (None: never)."""
        ...

    async def send(self, chat: ChatRef, message: OutgoingMessage) -> SentMessage:
        """Send one message."""
        ...

    async def edit(self, sent: SentMessage, message: OutgoingMessage) -> None:
        """Replace a sent message's text and buttons."""
        ...

    async def delete(self, sent: SentMessage) -> None:
        """Take a sent message away."""
        ...

    async def leave(self, chat: ChatRef) -> None:
        """Leave a group chat."""
        ...
