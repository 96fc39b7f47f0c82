"""Adding to "wie kan wat", and changing an entry's text, as channel-neutral flows.

Adding (`EntryFlow`): (not waiting) started with or without a text (after /aanbieden) →
`text` (typed, screened: neighbours read it; or one of the small examples) → `category`
(the proposed ones, or all of them) → `availability` → `card` (may it go on the paper
street card?) → saved. "Stoppen" ends it at any step.

Changing the text (`EntryEditFlow`): started from the entry's own buttons → `text`
(typed, screened again) → saved, and the entry shown with its buttons.
"""

from __future__ import annotations

from typing import Literal, get_args

from models.errors import StaleAction
from models.exchange.model import ENTRY_TEXT_MAX, Availability
from models.exchange.service import Exchange
from models.exchange.words import (
    availability,
    availability_buttons,
    category_buttons,
    entry_rows,
    entry_text,
)
from models.flows import Flow, FlowInput, FlowState, Person, Pressed, Screened, ScreenText, Turn
from models.messages import keyboard, outgoing, press
from models.residents import ResidentService
from models.text import clean_text

ACTION = "xe"
# Small things anyone can give: (category, text key); shown as quick picks.
EXAMPLES = (
    ("company", "exchange.examples.chat"),
    ("garden", "exchange.examples.plants"),
    ("paperwork", "exchange.examples.letter"),
    ("cooking", "exchange.examples.cooking"),
)
EntryStep = Literal["text", "category", "availability", "card"]
ENTRY_STEPS: tuple[EntryStep, ...] = get_args(EntryStep)


class EntryState(FlowState):
    """A register entry on its way: its text, category and availability once chosen."""

    step: EntryStep
    text: str = ""
    category: str | None = None
    availability: Availability | None = None


def typed_entry_text(raw: str) -> str:
    """What someone offers, as typed: one line within the entry's length limit."""
    return clean_text(raw, max_length=ENTRY_TEXT_MAX, multiline=False)


class EntryFlow(Flow[EntryState]):
    """A resident adds something they can do for the neighbours."""

    name = "exchange.entry"
    actions = (ACTION,)
    state_type = EntryState

    def __init__(self, exchange: Exchange, residents: ResidentService) -> None:
        self._exchange = exchange
        self._residents = residents

    async def start(self, me: Person, text: str | None = None) -> Turn[EntryState]:
        """The first question, or straight on with a text given already."""
        await self._residents.require_member(me.user)
        state = EntryState(step="text")
        if text:
            return self._take(state, text)
        s = me.say
        rows = [[press(s.p(key), ACTION, "ex", i)] for i, (_, key) in enumerate(EXAMPLES)]
        rows.append([press(s.p("exchange.stop"), ACTION, "stop")])
        return Turn.wait(state, outgoing(s.t("exchange.entry.intro"), keyboard(rows)))

    async def step(
        self, me: Person, state: EntryState | None, given: FlowInput
    ) -> Turn[EntryState]:
        s = me.say
        if isinstance(given, Pressed):
            return await self._pressed(me, self.at(state, *ENTRY_STEPS), given)
        if isinstance(given, Screened):
            return self._categories(me, self.at(state, "text"))
        state = self.at(state, *ENTRY_STEPS)
        if state.step != "text":
            return Turn.wait(state, outgoing(s.t("exchange.ask.use_buttons")))
        return self._take(state, given.text)

    def _take(self, state: EntryState, raw: str) -> Turn[EntryState]:
        """The typed text, screened before anything else (neighbours read it)."""
        going = state.typed(text=typed_entry_text(raw))
        return Turn.check(going, ScreenText(text=going.text, field="text"))

    def _categories(self, me: Person, state: EntryState) -> Turn[EntryState]:
        """The categories that fit the text, or all of them when none does."""
        s = me.say
        going = state.model_copy(update={"step": "category"})
        proposals = self._exchange.register.propose(state.text)
        if not proposals:
            return self._all_categories(me, going)
        rows = [[press(c.title(me.language), ACTION, "cat", c.id)] for c in proposals]
        rows.append([press(s.p("exchange.ask.other_category"), ACTION, "other")])
        return Turn.wait(going, outgoing(s.t("exchange.entry.propose"), keyboard(rows)))

    def _all_categories(self, me: Person, state: EntryState) -> Turn[EntryState]:
        rows = category_buttons(self._exchange.taxonomy, me.language, ACTION, "cat")
        return Turn.wait(state, outgoing(me.say.t("exchange.ask.which_category"), keyboard(rows)))

    async def _pressed(self, me: Person, state: EntryState, given: Pressed) -> Turn[EntryState]:
        s = me.say
        choice = given.arg(0)
        if choice == "stop":
            return Turn.end(outgoing(s.t("exchange.ask.stopped")))
        if choice == "ex":
            state = self.at(state, "text")
            index = given.int_arg(1)
            if index >= len(EXAMPLES):
                raise StaleAction()
            category, key = EXAMPLES[index]
            # The button reads "📄 Een brief voorlezen"; the entry is the words alone, the
            # category's emoji goes with it wherever it is shown (not "📄 📄 …").
            text = s.p(key).split(" ", 1)[-1]
            return self._ask_availability(me, state, text=text, category=category)
        if choice == "cat":
            state = self.at(state, "category")
            category = self._exchange.taxonomy.get(given.arg(1)).id  # or UnknownCategory
            return self._ask_availability(me, state, category=category)
        if choice == "other":
            return self._all_categories(me, self.at(state, "category"))
        if choice == "av":
            state = self.at(state, "availability")
            if given.arg(1) not in set(Availability):
                raise StaleAction()
            going = state.model_copy(
                update={"step": "card", "availability": Availability(given.arg(1))}
            )
            rows = [
                [press(s.p("exchange.entry.card_yes"), ACTION, "card", 1)],
                [press(s.p("exchange.entry.card_no"), ACTION, "card", 0)],
            ]
            return Turn.wait(going, outgoing(s.t("exchange.entry.card_question"), keyboard(rows)))
        if choice == "card":
            return await self._save(me, self.at(state, "card"), on_card=given.arg(1) == "1")
        raise StaleAction()

    def _ask_availability(
        self, me: Person, state: EntryState, **answers: object
    ) -> Turn[EntryState]:
        going = state.model_copy(update={**answers, "step": "availability"})
        rows = availability_buttons(me.say, ACTION, "av")
        return Turn.wait(going, outgoing(me.say.t("exchange.entry.when"), keyboard(rows)))

    async def _save(self, me: Person, state: EntryState, *, on_card: bool) -> Turn[EntryState]:
        if state.category is None or state.availability is None or not state.text:
            raise StaleAction()
        entry = await self._exchange.register.add(
            me.user,
            category=state.category,
            text=state.text,
            availability=state.availability,
            on_card=on_card,
            checked=state.checked,
        )
        s = me.say
        rows = [
            [press(s.p("exchange.entry.add_more"), "xo", "reg")],
            [press(s.p("menu.back"), "m", "menu")],
        ]
        saved = s.t(
            "exchange.entry.saved", text=entry.text, when=availability(s, entry.availability)
        )
        return Turn.end(outgoing(saved, keyboard(rows)))


class EditState(FlowState):
    """A new text for one of the resident's own entries."""

    step: Literal["text"]
    entry_id: int
    text: str = ""


class EntryEditFlow(Flow[EditState]):
    """The owner types a new text for an entry (it has no buttons of its own)."""

    name = "exchange.entry_edit"
    actions = ()
    state_type = EditState

    def __init__(self, exchange: Exchange) -> None:
        self._exchange = exchange

    async def start(self, me: Person, entry_id: int) -> Turn[EditState]:
        """Ask for the new text, with the old one to go by (only the owner's own entry)."""
        entry = await self._exchange.register.own(me.user, entry_id)
        state = EditState(step="text", entry_id=entry.id)
        return Turn.wait(state, outgoing(me.say.t("exchange.manage.type_text", text=entry.text)))

    async def step(self, me: Person, state: EditState | None, given: FlowInput) -> Turn[EditState]:
        state = self.at(state, "text")
        if isinstance(given, Pressed):
            raise StaleAction()
        if not isinstance(given, Screened):
            going = state.typed(text=typed_entry_text(given.text))
            return Turn.check(going, ScreenText(text=going.text, field="text"))
        if not state.text:
            raise StaleAction()
        entry = await self._exchange.register.update(
            me.user, state.entry_id, text=state.text, checked=state.checked
        )
        s = me.say
        text = entry_text(s, self._exchange.taxonomy, me.language, entry)
        return Turn.end(outgoing(text, keyboard(entry_rows(s, entry))))
