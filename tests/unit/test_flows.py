"""The channel-neutral flow contract (models/flows.py): inputs, states, stale presses."""

from __future__ import annotations

from typing import Literal

import pytest

from models.errors import StaleAction
from models.flows import Flow, FlowInput, FlowState, Person, Pressed, Screened, ScreenText, Turn
from models.messages import outgoing


class CountState(FlowState):
    step: Literal["counting", "done"]
    count: int = 0


class Count(Flow[CountState]):
    """Press "+" three times; typed text is not for this flow."""

    name = "test.count"
    actions = ("tc",)
    state_type = CountState

    async def step(
        self, me: Person, state: CountState | None, given: FlowInput
    ) -> Turn[CountState]:
        if isinstance(given, Pressed) and given.arg(0) == "start":
            return Turn.wait(CountState(step="counting"), outgoing("0"))
        state = self.at(state, "counting")
        if isinstance(given, Screened):
            return Turn.end(outgoing("screened"))
        if not isinstance(given, Pressed) or given.arg(0) != "+":
            raise StaleAction()
        count = state.count + 1
        if count == 3:
            return Turn.check(state.model_copy(update={"count": count}), ScreenText(text="x"))
        return Turn.wait(state.model_copy(update={"count": count}), outgoing(str(count)))


def test_a_press_without_its_arguments_or_with_a_bad_number_is_stale() -> None:
    with pytest.raises(StaleAction):
        Pressed(action="tc").arg(0)
    with pytest.raises(StaleAction):
        Pressed(action="tc", args=("x", "-1")).int_arg(1)
    assert Pressed(action="tc", args=("x", "12")).int_arg(1) == 12


def test_a_saved_state_from_another_version_is_stale() -> None:
    flow = Count()
    assert flow.restore({"step": "counting", "count": 2}).count == 2
    with pytest.raises(StaleAction):
        flow.restore({"step": "elsewhere"})
    with pytest.raises(StaleAction):
        flow.restore({"count": "many"})


async def test_a_flow_runs_without_a_channel_and_refuses_presses_of_other_steps() -> None:
    flow = Count()
    me = Person(user=None, resident=None, language="nl", say=None)  # type: ignore[arg-type]
    turn = await flow.step(me, None, Pressed(action="tc", args=("start",)))
    assert turn.state is not None
    assert turn.messages[0].text == "0"
    with pytest.raises(StaleAction):
        await flow.step(me, None, Pressed(action="tc", args=("+",)))  # not waiting
    state = turn.state
    for _ in range(2):
        state = (await flow.step(me, state, Pressed(action="tc", args=("+",)))).state
        assert state is not None
    checked = await flow.step(me, state, Pressed(action="tc", args=("+",)))
    assert checked.screen == ScreenText(text="x")
    assert checked.state is not None
    assert checked.state.count == 3
    done = await flow.step(me, checked.state, Screened())
    assert done.state is None
    assert done.messages[0].text == "screened"
    with pytest.raises(StaleAction):
        await flow.step(me, CountState(step="done"), Pressed(action="tc", args=("+",)))


def test_a_newly_typed_text_is_screened_afresh() -> None:
    asked = CountState(step="counting", count=1, checked=True, contacts="removed")
    state = asked.typed(count=2)
    assert (state.count, state.checked, state.contacts) == (2, False, None)
    assert state.step == "counting"
