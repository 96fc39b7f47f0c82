"""The ride wizard as a flow, without a channel: questions, choices, checks, next steps.

The rides service is the real one, on a SQLite file (tests/rides_world.py): Joost lives in
Zonnebloemstraat, whose neighbourhood also has Tulpstraat. The clock stands on Monday
30 November 2026, 10:00 in Amsterdam.
"""

from __future__ import annotations

from datetime import datetime, time

import pytest

from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.errors import StaleAction
from models.flows import FlowInput, Person, Pressed, Screened, ScreenText, Typed
from models.rides.model import DepartureInPast, PickupMode, ReturnBeforeDeparture
from models.rides.publish_flow import ACTION, PublishFlow
from models.rides.times import TimeOutsideDay, UnclearTime
from models.text import TextTooLong
from tests.conftest import AMSTERDAM
from tests.flow_steps import at, converse, labels, person, run
from tests.rides_world import World, make_world


@pytest.fixture
async def world(db: SqlDatabase, clock: FakeClock) -> World:
    return await make_world(db, clock)


@pytest.fixture
def flow(world: World) -> PublishFlow:
    return PublishFlow(world.rides, world.clock)


@pytest.fixture
def joost(world: World) -> Person:
    return person(world.user("Joost"), world.people["Joost"])


def tap(*args: object) -> Pressed:
    return Pressed(action=ACTION, args=tuple(str(a) for a in args))


TO_DESTINATION = (tap("new"), tap("day", "20261201"), tap("time", "1000"))
TO_SEATS = (*TO_DESTINATION, Typed(text="  AH   Amsterdamstraat "), Screened())


async def test_a_ride_with_a_meeting_point_in_two_streets(
    flow: PublishFlow, joost: Person, world: World
) -> None:
    # (input, the question that follows it)
    table: list[tuple[FlowInput, str]] = [
        (tap("new"), "Op welke dag ga je?"),
        (tap("day", "20261201"), "Hoe laat vertrek je op dinsdag 1 december?"),
        (Typed(text="half 11"), "Waar ga je naartoe?"),
        (Typed(text="Markt Oost"), ""),  # screened first: no question yet
        (Screened(), "Hoeveel mensen kunnen er mee?"),
        (tap("seats", 3), "Waar haal je de mensen op?"),
        (tap("mode", "meeting"), "Wat is het verzamelpunt?"),
        (Typed(text="bij de kerk"), ""),
        (Screened(), "Hoe laat ben je ongeveer terug?"),
        (Typed(text="12u"), "één keer, of elke week?"),
        (tap("weekly", 0), "In welke straatgroepen"),
        (tap("st", world.streets[1].id), "In welke straatgroepen"),
        (tap("st", "done"), "Klopt dit?"),
    ]
    turn = await converse(flow, joost, table)
    state = turn.state
    assert "dinsdag 1 december om 10:30 (terug rond 12:00)" in turn.messages[0].text
    assert "Verzamelen: bij de kerk" in turn.messages[0].text
    assert "In de groep van: Tulpstraat, Zonnebloemstraat" in turn.messages[0].text
    assert labels(turn) == ["✅ Rit plaatsen", "↩️ Opnieuw", "✖️ Stoppen"]

    done = await flow.step(joost, state, tap("ok"))
    assert done.state is None
    assert "Je rit staat in de groep" in done.messages[0].text
    (card,) = (await world.rides.home(world.user("Joost"))).rides
    ride = card.ride
    assert (ride.destination, ride.seats, ride.meeting_point) == ("Markt Oost", 3, "bij de kerk")
    assert ride.pickup_mode == PickupMode.MEETING
    assert set(ride.street_ids) == {world.streets[0].id, world.streets[1].id}
    # The same confirmation pressed again, after the flow ended, publishes nothing twice.
    with pytest.raises(StaleAction):
        await flow.step(joost, None, tap("ok"))


async def test_a_typed_text_is_screened_for_the_group_with_its_field(
    flow: PublishFlow, joost: Person
) -> None:
    turn = await run(flow, joost, *TO_DESTINATION, Typed(text="  AH   Amsterdamstraat "))
    assert turn.screen == ScreenText(text="AH Amsterdamstraat", field="destination")
    assert turn.state is not None
    assert turn.state.step == "destination"
    passed = await flow.step(joost, turn.state, Screened())
    assert passed.state is not None
    assert passed.state.step == "seats"
    assert passed.state.destination == "AH Amsterdamstraat"


async def test_a_new_text_is_screened_afresh(flow: PublishFlow, joost: Person) -> None:
    state = await at(flow, joost, *TO_SEATS, tap("seats", 2), tap("mode", "meeting"))
    asked = state.model_copy(update={"checked": True, "contacts": "kept"})
    turn = await flow.step(joost, asked, Typed(text="bij de kerk, bel 0612345678"))
    assert turn.screen == ScreenText(text="bij de kerk, bel 0612345678", field="meeting")
    assert turn.state is not None
    assert (turn.state.checked, turn.state.contacts) == (False, None)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("na de lunch", UnclearTime),
        ("kwart over 3 's nachts", TimeOutsideDay),
        ("09:30", DepartureInPast),  # today, already past
        ("x" * 41, UnclearTime),  # over the length limit of a typed time
    ],
)
async def test_a_typed_time_is_checked(
    flow: PublishFlow, joost: Person, typed: str, error: type[Exception]
) -> None:
    state = await at(flow, joost, tap("new"), tap("day", "20261130"))
    with pytest.raises(error):
        await flow.step(joost, state, Typed(text=typed))


async def test_time_buttons_today_start_an_hour_from_now(flow: PublishFlow, joost: Person) -> None:
    turn = await run(flow, joost, tap("new"), tap("day", "20261130"))
    assert labels(turn) == ["13:00", "14:00", "15:00", "✖️ Stoppen"]
    with pytest.raises(DepartureInPast):
        await flow.step(joost, turn.state, tap("time", "0900"))


async def test_a_return_comes_after_the_departure(flow: PublishFlow, joost: Person) -> None:
    state = await at(flow, joost, *TO_SEATS, tap("seats", 2), tap("mode", "home"))
    assert state.step == "return"
    with pytest.raises(ReturnBeforeDeparture):
        await flow.step(joost, state, Typed(text="10 uur"))
    with pytest.raises(ReturnBeforeDeparture):
        await flow.step(joost, state, tap("ret", "0930"))
    turn = await flow.step(joost, state, tap("ret", "none"))
    assert turn.state is not None
    assert (turn.state.step, turn.state.returns) == ("weekly", None)
    turn = await flow.step(joost, state, tap("ret", "1130"))
    assert turn.state is not None
    assert turn.state.returns == time(11, 30)


async def test_the_destination_keeps_its_length_limit(flow: PublishFlow, joost: Person) -> None:
    state = await at(flow, joost, *TO_DESTINATION)
    with pytest.raises(TextTooLong):
        await flow.step(joost, state, Typed(text="x" * 61))


@pytest.mark.parametrize(
    "press",
    [
        tap("seats", 3),  # a button of another step
        tap("day", "20261201"),  # the step before, pressed late
        tap("time", "2561"),  # not a time
        tap("time"),  # no argument at all
        tap("ok"),
        tap("sideways"),
    ],
)
async def test_presses_that_do_not_fit_the_step_are_stale(
    flow: PublishFlow, joost: Person, press: Pressed
) -> None:
    state = await at(flow, joost, tap("new"), tap("day", "20261201"))
    with pytest.raises(StaleAction):
        await flow.step(joost, state, press)


@pytest.mark.parametrize(
    "press",
    [
        tap("day", "20261214"),  # fourteen days ahead: one too far
        tap("day", "20261129"),  # yesterday
        tap("day", "20261341"),  # no such day
    ],
)
async def test_only_bookable_days(flow: PublishFlow, joost: Person, press: Pressed) -> None:
    state = await at(flow, joost, tap("new"))
    with pytest.raises(StaleAction):
        await flow.step(joost, state, press)


async def test_seats_and_streets_only_from_the_choices(
    flow: PublishFlow, joost: Person, world: World
) -> None:
    state = await at(flow, joost, *TO_SEATS)
    for seats in (0, 9):
        with pytest.raises(StaleAction):
            await flow.step(joost, state, tap("seats", seats))
    state = await at(flow, joost, *TO_SEATS, tap("seats", 2), tap("mode", "home"))
    state = (await run(flow, joost, tap("ret", "none"), tap("weekly", 1), state=state)).state
    assert state is not None
    assert state.step == "streets"
    with pytest.raises(StaleAction):
        await flow.step(joost, state, tap("st", 999))  # not a street of the neighbourhood
    # Turning off the only street: "Verder" then only says so, and the flow stays.
    off = await flow.step(joost, state, tap("st", world.streets[0].id))
    assert off.state is not None
    assert off.state.streets == ()
    alone = await flow.step(joost, off.state, tap("st", "done"))
    assert alone.notice == "Kies minstens één straat."
    assert not alone.messages
    assert alone.state == off.state


async def test_text_at_a_button_step_points_at_the_buttons(
    flow: PublishFlow, joost: Person
) -> None:
    state = await at(flow, joost, *TO_SEATS)
    turn = await flow.step(joost, state, Typed(text="drie"))
    assert turn.state == state
    assert "Tik op een van de knoppen" in turn.messages[0].text


async def test_stop_ends_and_an_old_stop_is_stale(flow: PublishFlow, joost: Person) -> None:
    state = await at(flow, joost, *TO_DESTINATION)
    turn = await flow.step(joost, state, tap("stop"))
    assert turn.state is None
    assert "ik plaats niets" in turn.messages[0].text
    with pytest.raises(StaleAction):
        await flow.step(joost, None, tap("stop"))


async def test_a_weekly_ride_on_one_street(flow: PublishFlow, joost: Person, world: World) -> None:
    async with world.db.write() as tx:  # Tulpstraat takes a break: one street to choose
        await tx.streets.set_active(world.streets[1].id, False)
    state = await at(flow, joost, *TO_SEATS, tap("seats", 4), tap("mode", "home"))
    turn = await run(flow, joost, tap("ret", "none"), tap("weekly", 1), state=state)
    assert turn.state is not None
    assert turn.state.step == "confirm"  # no street question
    assert "Elke dinsdag" in turn.messages[0].text
    done = await flow.step(joost, turn.state, tap("ok"))
    assert "wekelijkse rit" in done.messages[0].text


async def test_a_ride_published_after_six_the_evening_before_promises_the_hour_reminder(
    flow: PublishFlow, joost: Person, world: World
) -> None:
    """Issue 15.3 for drivers: no evening reminder is promised that will not come."""
    world.clock.set(datetime(2026, 11, 30, 20, 0, tzinfo=AMSTERDAM))
    turn = await run(
        flow,
        joost,
        *TO_SEATS,
        tap("seats", 2),
        tap("mode", "home"),
        tap("ret", "none"),
        tap("weekly", 0),
    )
    while turn.state is not None and turn.state.step != "confirm":
        turn = await flow.step(joost, turn.state, tap("st", "done"))
    done = await flow.step(joost, turn.state, tap("ok"))
    text = done.messages[0].text
    assert "De avond ervoor" not in text
    assert "Om 09:00, een uur voor vertrek" in text
