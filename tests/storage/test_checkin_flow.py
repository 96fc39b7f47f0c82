"""The opt-in flow as a table of presses and what the resident is asked next."""

from __future__ import annotations

import pytest

from bot.storage.db import SqlDatabase
from config.i18n import Translator
from models.checkins.flow import CheckInFlow, OptInState
from models.checkins.model import State
from models.clock import FakeClock
from models.errors import StaleAction
from models.flows import Person, Pressed, Typed
from models.say import Say
from tests.storage.test_checkin_service import AMS, ANNA, JOOST, World, make_world

SAY = Say(Translator.load(), "nl", AMS)


def press(*args: object) -> Pressed:
    return Pressed(action="ci", args=tuple(str(a) for a in args))


@pytest.fixture
async def world(db: SqlDatabase, clock: FakeClock) -> World:
    return await make_world(db, clock)


async def person(world: World) -> Person:
    async with world.db.read() as tx:
        anna = await tx.residents.get(world.ids["anna"])
    return Person(user=ANNA, resident=anna, language="nl", say=SAY)


# (press, the step it waits at next, a text the question contains)
WEEKLY = [
    (press("start"), "often", "Hoe vaak"),
    (press("f", "weekly"), "days", "Op welke dag?"),
    (press("d", 3), "time", "Hoe laat"),
    (press("t", 10 * 60), "window", "elke donderdag om 10:00"),
    (press("w", 4), "workers", "opbouwwerkers"),
    (press("k", 0), "buddy", "Nodig een buur uit"),
]


async def test_a_weekly_check_in_step_by_step(world: World) -> None:
    flow = CheckInFlow(world.service, "patchwork_test_bot")
    me = await person(world)
    state: OptInState | None = None
    for given, step, text in WEEKLY:
        turn = await flow.step(me, state, given)
        assert turn.state is not None
        assert turn.state.step == step
        assert text in turn.messages[-1].text
        state = turn.state
    view = await world.service.overview(ANNA)
    assert view is not None
    assert view.checkin.schedule.days == (3,)
    assert view.checkin.schedule.window_hours == 4
    assert not view.checkin.workers


async def test_presses_of_another_step_are_stale_and_typing_asks_again(world: World) -> None:
    flow = CheckInFlow(world.service, "patchwork_test_bot")
    me = await person(world)
    turn = await flow.step(me, None, press("start"))
    with pytest.raises(StaleAction):
        await flow.step(me, turn.state, press("t", 9 * 60))  # a time, while asked how often
    with pytest.raises(StaleAction):
        await flow.step(me, None, press("f", "daily"))  # not waiting
    again = await flow.step(me, turn.state, Typed(text="elke dag graag"))
    assert again.notice == "Kies met de knoppen."
    assert again.state == turn.state


async def test_days_need_one_before_going_on_and_a_buddy_link_ends_the_flow(
    world: World,
) -> None:
    flow = CheckInFlow(world.service, "patchwork_test_bot")
    me = await person(world)
    state = (await flow.step(me, None, press("start"))).state
    state = (await flow.step(me, state, press("f", "days"))).state
    held = await flow.step(me, state, press("next"))
    assert held.notice == "Kies eerst minstens één dag."
    for day in (0, 3, 0, 4):  # Monday on, Thursday on, Monday off, Friday on
        state = (await flow.step(me, state, press("d", day))).state
    state = (await flow.step(me, state, press("next"))).state
    state = (await flow.step(me, state, press("t", 9 * 60))).state
    window = await flow.step(me, state, press("w", 2))
    state = window.state
    state = (await flow.step(me, state, press("k", 1))).state
    done = await flow.step(me, state, press("link"))
    assert done.state is None
    assert "https://t.me/patchwork_test_bot?start=cb" in done.messages[0].text
    view = await world.service.overview(ANNA)
    assert view is not None
    assert view.checkin.schedule.days == (3, 4)
    assert view.checkin.state is State.WAITING


async def test_start_again_shows_the_check_in_there_is(world: World) -> None:
    flow = CheckInFlow(world.service, "patchwork_test_bot")
    me = await person(world)
    await world.service.set_volunteer(JOOST, True)
    state = (await flow.step(me, None, press("start"))).state
    for given in (press("f", "daily"), press("t", 9 * 60), press("w", 2), press("k", 1)):
        state = (await flow.step(me, state, given)).state
    done = await flow.step(me, state, press("b", world.ids["joost"]))
    assert "Ik heb het aan Joost gevraagd" in done.messages[0].text
    shown = await flow.step(me, None, press("start"))
    assert shown.state is None
    assert "Het begint als je buddy ja zegt." in shown.messages[0].text
