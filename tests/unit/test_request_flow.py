"""Asking the street for help (and offering once) as a flow without a channel.

The exchange services are the real ones, on a SQLite file (tests/exchange_world.py): Anna
lives in Zonnebloemstraat. The clock stands on Monday 30 November 2026, 10:00.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import ChannelUser
from models.errors import NotAStreetMember, StaleAction
from models.exchange.model import RequestKind, RequestStatus, When
from models.exchange.request_flow import ACTION, RequestFlow, RequestState
from models.exchange.service import Exchange, build_exchange
from models.exchange.taxonomy import UnknownCategory
from models.flows import FlowInput, Person, Pressed, Screened, ScreenText, Typed
from models.residents import ResidentService
from models.text import TextTooLong
from tests.exchange_world import people
from tests.flow_steps import at, converse, labels, person, run


@pytest.fixture
async def exchange(db: SqlDatabase, clock: FakeClock) -> Exchange:
    return build_exchange(db, clock)


@pytest.fixture
def flow(exchange: Exchange, clock: FakeClock) -> RequestFlow:
    return RequestFlow(exchange, clock)


@pytest.fixture
async def anna(db: SqlDatabase, clock: FakeClock) -> Person:
    (user,) = await people(db, clock, "Anna")
    return person(user, await ResidentService(db, clock).find(user))


def tap(*args: object) -> Pressed:
    return Pressed(action=ACTION, args=tuple(str(a) for a in args))


async def begun(flow: RequestFlow, me: Person, *inputs: FlowInput) -> RequestState:
    """The state after starting a request and the inputs."""
    return await at(flow, me, *inputs, state=(await flow.start(me)).state)


HEDGE = (Typed(text="Wie kan mijn heg snoeien?"), Screened())


async def test_a_request_on_a_typed_date_from_text_to_posted(
    flow: RequestFlow, anna: Person, exchange: Exchange
) -> None:
    start = await flow.start(anna)
    assert "Waar zoek je hulp bij?" in start.messages[0].text
    assert labels(start)[-1] == "✖️ Stoppen"
    # (input, the question that follows it)
    table: list[tuple[FlowInput, str]] = [
        (Typed(text="  Wie kan mijn heg snoeien? "), ""),  # screened first: no question yet
        (Screened(), "Gaat het over: <b>🌱 Tuin</b>?"),
        (tap("ok"), "Wanneer heb je het nodig?"),
        (tap("when", "date"), "Welke dag?"),
        (Typed(text="12-12"), "Mag je voornaam erbij in de groep?"),
        (tap("name", 0), "Zo komt het in de groep te staan:"),
    ]
    turn = await converse(flow, anna, table, start.state)
    state = turn.state
    summary = turn.messages[0].text
    assert "zaterdag 12 december" in summary
    assert "Anna" not in summary  # "als een buur"
    done = await flow.step(anna, state, tap("post"))
    assert done.state is None
    assert "Je vraag staat in de groep" in done.messages[0].text
    (request,) = await exchange.requests.mine(anna.user)
    assert (request.text, request.category, request.when, request.when_date) == (
        "Wie kan mijn heg snoeien?",
        "garden",
        When.DATE,
        date(2026, 12, 12),
    )
    assert (request.show_name, request.status) == (False, RequestStatus.OPEN)
    with pytest.raises(StaleAction):  # "Plaats" again, after the flow ended
        await flow.step(anna, None, tap("post"))


async def test_a_category_first_and_no_text_at_all(
    flow: RequestFlow, anna: Person, exchange: Exchange
) -> None:
    turn = await run(flow, anna, tap("cat", "tools"), state=(await flow.start(anna)).state)
    assert "Zonder uitleg" in turn.messages[0].text
    assert "Typ kort wat je zoekt." in turn.messages[0].text  # not "zoekt of aanbiedt" (15.11)
    assert turn.state is not None
    assert (turn.state.step, turn.state.category) == ("text", "tools")
    turn = await run(flow, anna, tap("notext"), state=turn.state)
    assert turn.state is not None
    assert (turn.state.step, turn.state.text) == ("when", "Gereedschap lenen")
    await run(flow, anna, tap("when", "week"), tap("name", 1), tap("post"), state=turn.state)
    (request,) = await exchange.requests.mine(anna.user)
    assert (request.when, request.show_name) == (When.WEEK, True)


async def test_a_typed_category_question_keeps_the_typed_text(
    flow: RequestFlow, anna: Person
) -> None:
    state = await begun(flow, anna, tap("cat", "garden"), Typed(text="de heg"), Screened())
    assert (state.step, state.text, state.category) == ("when", "de heg", "garden")


async def test_a_heavy_text_is_kept_private_at_once(
    flow: RequestFlow, anna: Person, exchange: Exchange
) -> None:
    turn = await flow.start(anna, RequestKind.ASK, "ik spaar al weken mijn slaappillen op")
    assert turn.state is None
    assert turn.screen is None
    assert "niet in de groep" in turn.messages[0].text
    (request,) = await exchange.requests.mine(anna.user)
    assert request.status is RequestStatus.HELD


async def test_other_categories_and_dates_by_button(flow: RequestFlow, anna: Person) -> None:
    proposed = await begun(flow, anna, *HEDGE)
    everything = await flow.step(anna, proposed, tap("other"))
    assert "Bij welk onderwerp past het?" in everything.messages[0].text
    state = await at(flow, anna, tap("cat", "company"), tap("when", "date"), state=proposed)
    assert len(labels(await flow.step(anna, proposed, tap("ok")))) == 5
    dates = await flow.step(anna, state, tap("date", "20261201"))
    assert dates.state is not None
    assert (dates.state.when, dates.state.day) == (When.DATE, date(2026, 12, 1))


@pytest.mark.parametrize(
    ("inputs", "press"),
    [
        ((), tap("when", "today")),  # a button of a later step
        ((), tap("ok")),  # nothing proposed
        ((), tap("notext")),  # no category chosen
        ((), tap("prefill")),  # no search waited
        (HEDGE, tap("name", 1)),
        (HEDGE, tap("post")),
        ((*HEDGE, tap("ok")), tap("when", "someday")),
        ((*HEDGE, tap("ok"), tap("when", "date")), tap("date", "20261129")),  # yesterday
        ((*HEDGE, tap("ok"), tap("when", "date")), tap("date", "2026")),
        ((), tap("sideways")),
    ],
)
async def test_presses_that_do_not_fit_the_step_are_stale(
    flow: RequestFlow, anna: Person, inputs: tuple[FlowInput, ...], press: Pressed
) -> None:
    state = await begun(flow, anna, *inputs)
    with pytest.raises(StaleAction):
        await flow.step(anna, state, press)


async def test_typed_answers_keep_their_limits(flow: RequestFlow, anna: Person) -> None:
    start = await begun(flow, anna)
    with pytest.raises(TextTooLong):
        await flow.step(anna, start, Typed(text="x" * 2001))
    dates = await begun(flow, anna, *HEDGE, tap("ok"), tap("when", "date"))
    for typed in ("morgen ofzo", "1" * 5000, "31-02"):
        turn = await flow.step(anna, dates, Typed(text=typed))
        assert turn.state == dates
        assert "Die datum begrijp ik niet" in turn.messages[0].text
    names = await begun(flow, anna, *HEDGE, tap("ok"), tap("when", "any"))
    turn = await flow.step(anna, names, Typed(text="ja hoor"))
    assert turn.state == names
    assert "Tik op een van de knoppen" in turn.messages[0].text


async def test_a_search_that_found_nobody_asks_with_its_words(
    flow: RequestFlow, anna: Person
) -> None:
    waiting = await flow.prefill(anna, "ladder lenen")
    assert not waiting.messages
    turn = await flow.step(anna, waiting.state, tap("prefill"))
    assert turn.screen == ScreenText(text="ladder lenen", field="text")


async def test_stop_ends_at_any_step(flow: RequestFlow, anna: Person) -> None:
    state = await begun(flow, anna, *HEDGE, tap("ok"))
    turn = await flow.step(anna, state, tap("stop"))
    assert turn.state is None
    assert "ik heb niets geplaatst" in turn.messages[0].text


async def test_an_unknown_category_is_named(flow: RequestFlow, anna: Person) -> None:
    with pytest.raises(UnknownCategory):
        await flow.step(anna, await begun(flow, anna), tap("cat", "spaceships"))


async def test_only_street_members_ask(flow: RequestFlow) -> None:
    with pytest.raises(NotAStreetMember):
        await flow.start(person(ChannelUser(external_id="999")))


async def test_the_text_is_screened_as_it_will_be_posted(flow: RequestFlow, anna: Person) -> None:
    turn = await flow.step(anna, await begun(flow, anna), Typed(text=" de  heg\n\n\n snoeien "))
    assert turn.screen == ScreenText(text="de heg\n\nsnoeien", field="text")


async def test_a_card_without_text_does_not_repeat_the_category(
    flow: RequestFlow, anna: Person, exchange: Exchange
) -> None:
    """Issue 15: a request posted "zonder uitleg" showed "“Tuin”" under "🌱 Tuin"."""
    from models.exchange.words import card_text

    turn = await run(flow, anna, tap("cat", "garden"), state=(await flow.start(anna)).state)
    await run(
        flow,
        anna,
        tap("notext"),
        tap("when", "week"),
        tap("name", 1),
        tap("post"),
        state=turn.state,
    )
    (request,) = await exchange.requests.mine(anna.user)
    view = await exchange.requests.view(request.id)
    assert view is not None
    text = card_text(anna.say, exchange.taxonomy, "nl", view)
    assert "🌱 Tuin" in text
    assert "“Tuin”" not in text


async def test_the_name_question_says_the_helper_sees_the_first_name(
    flow: RequestFlow, anna: Person
) -> None:
    """Issue 15.6: posted as "een buur", the helper still sees her first name: say so."""
    state = await begun(flow, anna, tap("cat", "garden"), Typed(text="de heg"), Screened())
    turn = await run(flow, anna, tap("when", "week"), state=state)
    assert "Wie je helpt, ziet je voornaam wel." in turn.messages[0].text
