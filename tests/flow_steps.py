"""Driving a channel-neutral flow in tests: inputs in, turns out, no channel in between."""

from __future__ import annotations

from typing import Any, TypeVar

from config.i18n import Translator
from models.core import ChannelUser, Language, Resident
from models.flows import Flow, FlowInput, FlowState, Person, Turn
from models.say import Say
from tests.conftest import AMSTERDAM

I18N = Translator.load()
S = TypeVar("S", bound=FlowState)


def person(
    user: ChannelUser, resident: Resident | None = None, language: Language = "nl"
) -> Person:
    """Someone in a flow, with texts in their language."""
    return Person(user, resident, language, Say(I18N, language, AMSTERDAM))


def labels(turn: Turn[Any]) -> list[str]:
    """The labels of the buttons under the turn's last message."""
    board = turn.messages[-1].keyboard
    return [b.label for b in board.buttons] if board is not None else []


async def run(flow: Flow[S], me: Person, *inputs: FlowInput, state: S | None = None) -> Turn[S]:
    """Feed the inputs one after another, from `state`; the last turn."""
    turn: Turn[S] = Turn.end()
    for given in inputs:
        turn = await flow.step(me, state, given)
        state = turn.state
    return turn


async def at(flow: Flow[S], me: Person, *inputs: FlowInput, state: S | None = None) -> S:
    """The state after the inputs (the flow still waiting)."""
    reached = (await run(flow, me, *inputs, state=state)).state if inputs else state
    assert reached is not None
    return reached


async def converse(
    flow: Flow[S],
    me: Person,
    table: list[tuple[FlowInput, str]],
    state: S | None = None,
) -> Turn[S]:
    """A conversation as a table of (input, a text the flow's next question holds); an
    empty text means the input's text is screened first, with nothing said yet. The last
    turn; the flow still waits after each."""
    turn: Turn[S] = Turn.end()
    for given, question in table:
        turn = await flow.step(me, state, given)
        assert turn.state is not None, given
        if question:
            assert question in turn.messages[0].text, given
        else:
            assert turn.screen is not None, given
            assert not turn.messages, given
        state = turn.state
    return turn
