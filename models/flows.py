"""Conversation flows, channel-neutral: each step's question, choices, validation, next step.

A flow is one conversation of several steps (publishing a ride, asking the street for
help, opting in to a check-in). It lives in `models/`, never sees a channel, and is
driven by what the person did:

- `Pressed(action, args)`: one of the flow's own buttons (never trusted: the flow checks
  that the press fits the step it waits at, and raises `StaleAction` when it does not);
- `Typed(text)`: a text typed while the flow waits;
- `Screened()`: the text the flow asked to have screened may reach the neighbours
  (see `Turn.screen`).

It answers each input with a `Turn`: the messages to show, an optional short `notice`
(a pop-up on channels that have them), and the `state` to wait in next, or None when the
conversation is over. The state is a pydantic model (a `FlowState`); the channel adapter
saves it in the dialog table between inputs, so a restart in the middle loses nothing,
and reads it back, validated, with the next input. A state that no longer validates, or
an input for a flow that is not waiting, is stale: the person is told so, kindly.

A channel adapter (handlers/flows.py for Telegram) only maps "this person pressed or
typed X" to an input and renders the turn (the first message replaces the one whose
button was pressed, where the channel can). The rules stay here, tested without a channel.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from models.core import ChannelUser, Language, Resident
from models.errors import StaleAction
from models.escalation.model import SourceKind
from models.messages import OutgoingMessage
from models.say import Say


class Pressed(BaseModel):
    """The person pressed a button of the flow: its action and arguments, untrusted."""

    model_config = ConfigDict(frozen=True)

    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int) -> str:
        """Argument `index`; a press without it is stale (an old or forged button)."""
        if index >= len(self.args):
            raise StaleAction()
        return self.args[index]

    def int_arg(self, index: int) -> int:
        """Argument `index` as a non-negative number, or stale."""
        value = self.arg(index)
        if not value.isdigit() or len(value) > 12:
            raise StaleAction()
        return int(value)

    def day_arg(self, index: int) -> date:
        """Argument `index` as a day (button data "20261201"), or stale."""
        value = self.arg(index)
        if len(value) != 8 or not value.isdigit():
            raise StaleAction()
        try:
            return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        except ValueError:
            raise StaleAction() from None


def day_data(day: date) -> str:
    """A day as button data, for `Pressed.day_arg`."""
    return day.strftime("%Y%m%d")


class Typed(BaseModel):
    """The person typed a text while the flow waited."""

    model_config = ConfigDict(frozen=True)

    text: str


class Screened(BaseModel):
    """The text the flow asked to screen may go on to the neighbours."""

    model_config = ConfigDict(frozen=True)


FlowInput = Pressed | Typed | Screened


class FlowState(BaseModel):
    """Where a flow waits, and its answers so far (saved between inputs as JSON).

    `checked` and `contacts` carry the resident's answers to the screening questions
    ("voor de buren"; contact details taken out or left in), so they are asked once.
    """

    step: str
    checked: bool = False
    contacts: str | None = None

    def typed(self, **answers: object) -> Self:
        """A copy with a newly typed text among `answers`: the screening answers were about
        the text before it, so they are asked again (a meeting point after a destination)."""
        return self.model_copy(update={**answers, "checked": False, "contacts": None})


S = TypeVar("S", bound=FlowState)


class ScreenText(BaseModel):
    """A typed text the flow wants screened before it goes on (it may reach a group).

    `field` names the state field that holds the text as the neighbours will read it: its
    contact details are asked about, and taken out there if the resident says so. None for
    a text that reaches one neighbour only."""

    model_config = ConfigDict(frozen=True)

    text: str
    field: str | None = None
    kind: SourceKind = SourceKind.TEXT


class Turn(BaseModel, Generic[S]):
    """What a flow answers one input with."""

    model_config = ConfigDict(frozen=True)

    messages: tuple[OutgoingMessage, ...] = ()
    notice: str | None = None
    state: S | None = None
    screen: ScreenText | None = None

    @classmethod
    def wait(cls, state: S, *messages: OutgoingMessage, notice: str | None = None) -> Turn[S]:
        """Show the messages and wait at `state`."""
        return cls(messages=messages, state=state, notice=notice)

    @classmethod
    def end(cls, *messages: OutgoingMessage, notice: str | None = None) -> Turn[S]:
        """Show the messages; the conversation is over."""
        return cls(messages=messages, notice=notice)

    @classmethod
    def check(cls, state: S, text: ScreenText) -> Turn[S]:
        """Screen `text` first; the flow goes on with `Screened()` at `state` when it may."""
        return cls(state=state, screen=text)


@dataclass(frozen=True)
class Person:
    """Who is in the flow: their channel identity, resident record and language."""

    user: ChannelUser
    resident: Resident | None
    language: Language
    say: Say


class Flow(ABC, Generic[S]):
    """A conversation: `name` keys its saved state, `actions` are its buttons' actions."""

    name: ClassVar[str]
    actions: ClassVar[tuple[str, ...]]
    state_type: ClassVar[type[FlowState]]

    @abstractmethod
    async def step(self, me: Person, state: S | None, given: FlowInput) -> Turn[S]:
        """The answer to one input at `state` (None: the flow is not waiting; only its
        start buttons apply, anything else is stale)."""

    def restore(self, data: dict[str, object]) -> S:
        """A saved state, validated; a state from an older version of the flow is stale."""
        try:
            return self.state_type.model_validate(data)  # type: ignore[return-value]
        except ValidationError:
            raise StaleAction() from None

    @staticmethod
    def at(state: S | None, *steps: str) -> S:
        """The state, when the flow waits at one of `steps`; else the input is stale (a
        button of another step, of a finished flow, or typed text nobody waits for)."""
        if state is None or state.step not in steps:
            raise StaleAction()
        return state
