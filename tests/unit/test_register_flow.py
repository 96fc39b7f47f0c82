"""Adding to "wie kan wat" and changing an entry's text, as flows without a channel.

The exchange services are the real ones, on a SQLite file (tests/exchange_world.py): Anna
and Bram live in Zonnebloemstraat.
"""

from __future__ import annotations

import pytest

from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import ChannelUser
from models.errors import NotAllowed, NotAStreetMember, StaleAction
from models.exchange.model import Availability
from models.exchange.register_flow import ACTION, EntryEditFlow, EntryFlow
from models.exchange.service import Exchange, build_exchange
from models.exchange.taxonomy import UnknownCategory
from models.flows import FlowInput, Person, Pressed, Screened, ScreenText, Typed
from models.residents import ResidentService
from models.sensitivity.model import NeedsCheck
from models.text import TextTooLong
from tests.exchange_world import people
from tests.flow_steps import labels, person, run


@pytest.fixture
async def exchange(db: SqlDatabase, clock: FakeClock) -> Exchange:
    return build_exchange(db, clock)


@pytest.fixture
async def neighbours(db: SqlDatabase, clock: FakeClock) -> list[ChannelUser]:
    return await people(db, clock, "Anna", "Bram")


@pytest.fixture
def flow(db: SqlDatabase, clock: FakeClock, exchange: Exchange) -> EntryFlow:
    return EntryFlow(exchange, ResidentService(db, clock))


@pytest.fixture
def anna(neighbours: list[ChannelUser]) -> Person:
    return person(neighbours[0])


def tap(*args: object) -> Pressed:
    return Pressed(action=ACTION, args=tuple(str(a) for a in args))


async def test_an_entry_from_typed_text_to_saved(
    flow: EntryFlow, anna: Person, exchange: Exchange
) -> None:
    start = await flow.start(anna)
    assert "Wat kun je doen of uitlenen?" in start.messages[0].text
    assert "🌱 Planten water geven" in labels(start)
    typed = await flow.step(anna, start.state, Typed(text="  ik repareer   fietsen "))
    assert typed.screen == ScreenText(text="ik repareer fietsen", field="text")
    assert not typed.messages
    proposed = await flow.step(anna, typed.state, Screened())
    assert "Bij welk onderwerp past dit?" in proposed.messages[0].text
    assert labels(proposed)[-1] == "Ander onderwerp"
    category = proposed.messages[0].keyboard.buttons[0].args[-1]  # type: ignore[union-attr]
    when = await flow.step(anna, proposed.state, tap("cat", category))
    assert "Wanneer kun je meestal?" in when.messages[0].text
    card = await flow.step(anna, when.state, tap("av", Availability.WEEKENDS.value))
    assert labels(card) == ["Ja, mag op de kaart", "Nee, liever niet"]
    saved = await flow.step(anna, card.state, tap("card", 0))
    assert saved.state is None
    board = saved.messages[0].keyboard
    assert board is not None
    assert [(b.action, b.args) for b in board.buttons] == [("xo", ("reg",)), ("m", ("menu",))]
    (entry,) = await exchange.register.mine(anna.user)
    assert (entry.text, entry.category, entry.availability, entry.on_card) == (
        "ik repareer fietsen",
        category,
        Availability.WEEKENDS,
        False,
    )
    with pytest.raises(StaleAction):  # the same button again, after the flow ended
        await flow.step(anna, None, tap("card", 0))


async def test_a_text_given_at_the_start_is_screened_at_once(
    flow: EntryFlow, anna: Person
) -> None:
    turn = await flow.start(anna, "ik geef bijles wiskunde")
    assert turn.screen == ScreenText(text="ik geef bijles wiskunde", field="text")
    assert turn.state is not None
    assert turn.state.step == "text"


async def test_an_example_needs_no_typing(
    flow: EntryFlow, anna: Person, exchange: Exchange
) -> None:
    turn = await run(flow, anna, tap("ex", 1), state=(await flow.start(anna)).state)
    assert turn.state is not None
    assert (turn.state.step, turn.state.text, turn.state.category) == (
        "availability",
        "Planten water geven",  # the words; the category's emoji goes with them
        "garden",
    )
    await run(flow, anna, tap("av", "anytime"), tap("card", 1), state=turn.state)
    (entry,) = await exchange.register.mine(anna.user)
    assert entry.on_card


async def test_all_categories_on_request(flow: EntryFlow, anna: Person) -> None:
    start = (await flow.start(anna)).state
    proposed = await run(flow, anna, Typed(text="ladder lenen"), Screened(), state=start)
    everything = await flow.step(anna, proposed.state, tap("other"))
    assert "Bij welk onderwerp past het?" in everything.messages[0].text
    assert len(labels(everything)) > len(labels(proposed))
    assert everything.state == proposed.state


@pytest.mark.parametrize(
    ("inputs", "press"),
    [
        ((), tap("cat", "garden")),  # a category before there is a text
        ((), tap("ex", 9)),  # no such example
        ((), tap("ex", "x")),
        ((tap("ex", 0),), tap("av", "sometimes")),  # no such availability
        ((tap("ex", 0),), tap("card", 1)),  # the card question was not asked yet
        ((tap("ex", 0),), tap("ex", 1)),  # an example pressed late
        ((), tap("sideways")),
    ],
)
async def test_presses_that_do_not_fit_the_step_are_stale(
    flow: EntryFlow, anna: Person, inputs: tuple[FlowInput, ...], press: Pressed
) -> None:
    state = (await flow.start(anna)).state
    if inputs:
        state = (await run(flow, anna, *inputs, state=state)).state
    with pytest.raises(StaleAction):
        await flow.step(anna, state, press)


async def test_text_keeps_its_limit_and_buttons_are_pointed_at(
    flow: EntryFlow, anna: Person
) -> None:
    state = (await flow.start(anna)).state
    with pytest.raises(TextTooLong):
        await flow.step(anna, state, Typed(text="x" * 121))
    later = (await flow.step(anna, state, tap("ex", 0))).state
    turn = await flow.step(anna, later, Typed(text="toch iets anders"))
    assert turn.state == later
    assert "Tik op een van de knoppen" in turn.messages[0].text


async def test_stop_ends_at_any_step(flow: EntryFlow, anna: Person) -> None:
    later = (await run(flow, anna, tap("ex", 0), state=(await flow.start(anna)).state)).state
    turn = await flow.step(anna, later, tap("stop"))
    assert turn.state is None
    assert "ik heb niets geplaatst" in turn.messages[0].text


async def test_an_unknown_category_is_named(flow: EntryFlow, anna: Person) -> None:
    start = (await flow.start(anna)).state
    state = (await run(flow, anna, Typed(text="ladder lenen"), Screened(), state=start)).state
    with pytest.raises(UnknownCategory):
        await flow.step(anna, state, tap("cat", "spaceships"))


async def test_only_street_members_add_entries(flow: EntryFlow) -> None:
    with pytest.raises(NotAStreetMember):
        await flow.start(person(ChannelUser(external_id="999")))


async def test_a_new_text_for_an_own_entry_is_screened_then_saved(
    exchange: Exchange, neighbours: list[ChannelUser]
) -> None:
    anna, bram = (person(u) for u in neighbours)
    entry = await exchange.register.add(
        anna.user,
        category="garden",
        text="heg snoeien",
        availability=Availability.ANYTIME,
        on_card=True,
    )
    edit = EntryEditFlow(exchange)
    with pytest.raises(NotAllowed):  # only the owner changes an entry
        await edit.start(bram, entry.id)
    asked = await edit.start(anna, entry.id)
    assert "heg snoeien" in asked.messages[0].text
    typed = await edit.step(anna, asked.state, Typed(text="heg en gras maaien"))
    assert typed.screen == ScreenText(text="heg en gras maaien", field="text")
    with pytest.raises(StaleAction):
        await edit.step(anna, typed.state, Pressed(action="xe", args=("card", "1")))
    with pytest.raises(TextTooLong):
        await edit.step(anna, asked.state, Typed(text="x" * 121))
    saved = await edit.step(anna, typed.state, Screened())
    assert saved.state is None
    assert "heg en gras maaien" in saved.messages[0].text
    board = saved.messages[0].keyboard
    assert board is not None
    assert "✏️ Tekst" in [b.label for b in board.buttons]
    (changed,) = await exchange.register.mine(anna.user)
    assert changed.text == "heg en gras maaien"


async def test_a_doubtful_text_is_saved_only_with_the_residents_yes(
    flow: EntryFlow, anna: Person, exchange: Exchange
) -> None:
    doubtful = "het is deze maand wat krap, wie heeft een winterjas voor mijn zoon"
    state = (await flow.start(anna)).state
    typed = (await flow.step(anna, state, Typed(text=doubtful))).state
    assert typed is not None
    card = await run(
        flow, anna, Screened(), tap("cat", "other"), tap("av", "anytime"), state=typed
    )
    with pytest.raises(NeedsCheck):  # screened, but nobody said "voor de buren"
        await flow.step(anna, card.state, tap("card", 0))
    assert card.state is not None
    yes = card.state.model_copy(update={"checked": True})
    await flow.step(anna, yes, tap("card", 0))
    assert len(await exchange.register.mine(anna.user)) == 1


async def test_an_example_becomes_an_entry_of_its_words_without_the_emoji(
    flow: EntryFlow, anna: Person, exchange: Exchange
) -> None:
    """Issue 15: "📄 📄 Een brief voorlezen" (the category's emoji, then the label's)."""
    start = await flow.start(anna)
    index = labels(start).index("📄 Een brief voorlezen")
    when = await flow.step(anna, start.state, tap("ex", index))
    assert when.state is not None
    assert when.state.text == "Een brief voorlezen"
    assert when.state.category == "paperwork"
    # Mid-line the availability is lower case; the buttons keep their capital.
    assert "’s Avonds" in labels(when)  # noqa: RUF001
    card = await flow.step(anna, when.state, tap("av", Availability.EVENINGS.value))
    saved = await flow.step(anna, card.state, tap("card", 0))
    assert "’s avonds" in saved.messages[0].text  # noqa: RUF001
