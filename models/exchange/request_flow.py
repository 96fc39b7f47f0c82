"""Asking the street for help, or making a one-off offer, as a channel-neutral flow.

Steps: (not waiting) started, with or without a text (after /vragen), or `prefill` (a
search that found nobody offers to ask with its words) → `text` (typed, or a category
tapped first) → screened (a heavy text is kept private at once, with the offer of a
professional) → `category` (the proposed one, or all of them) → `when` → `date` (only
for "on a date": a button or a typed date) → `name` (first name or "een buur") →
`confirm` (the card as it will look) → posted. "Stoppen" ends it at any step.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, get_args

from models.clock import Clock
from models.core import Street
from models.errors import StaleAction
from models.escalation.words import offer_message
from models.exchange.model import Request, RequestKind, RequestStatus, When
from models.exchange.requests import Draft, Posted, RequestView
from models.exchange.service import Exchange
from models.exchange.taxonomy import OTHER
from models.exchange.words import card_text, category_buttons, day_label, parse_day
from models.flows import (
    Flow,
    FlowInput,
    FlowState,
    Person,
    Pressed,
    Screened,
    ScreenText,
    Turn,
    day_data,
)
from models.messages import Button, OutgoingMessage, keyboard, outgoing, press

ACTION = "xa"
DATE_BUTTONS = 7
WHEN_CHOICES = (When.TODAY, When.TOMORROW, When.WEEK, When.DATE, When.ANY)
Step = Literal["prefill", "text", "category", "when", "date", "name", "confirm"]
STEPS: tuple[Step, ...] = get_args(Step)


class RequestState(FlowState):
    """A request or offer on its way: what is filled in so far."""

    step: Step
    kind: RequestKind = RequestKind.ASK
    text: str = ""
    category: str | None = None
    proposed: str | None = None
    when: When = When.ANY
    day: date | None = None
    show_name: bool = True
    prefill: str | None = None

    def draft(self) -> Draft:
        """What will be posted; a state without text or category is stale."""
        if not self.text or self.category is None:
            raise StaleAction()
        return Draft(
            kind=self.kind,
            category=self.category,
            text=self.text,
            when=self.when,
            when_date=self.day if self.when is When.DATE else None,
            show_name=self.show_name,
            checked=self.checked,
        )


class RequestFlow(Flow[RequestState]):
    """A resident asks the street for help, or offers something once."""

    name = "exchange.ask"
    actions = (ACTION,)
    state_type = RequestState

    def __init__(self, exchange: Exchange, clock: Clock) -> None:
        self._exchange = exchange
        self._clock = clock

    async def start(
        self, me: Person, kind: RequestKind = RequestKind.ASK, text: str | None = None
    ) -> Turn[RequestState]:
        """The first question, or straight on with a text given already."""
        await self._exchange.requests.may_post(me.user)  # a member, within the daily limit
        state = RequestState(step="text", kind=kind)
        if text:
            return await self._take(me, state, text)
        s = me.say
        rows = category_buttons(self._exchange.taxonomy, me.language, ACTION, "cat")
        rows.append([press(s.p("exchange.stop"), ACTION, "stop")])
        return Turn.wait(state, outgoing(s.t(f"exchange.ask.intro_{kind.value}"), keyboard(rows)))

    async def prefill(self, me: Person, words: str) -> Turn[RequestState]:
        """Wait, silently, for "Vraag het de straat" with the words of a search."""
        return Turn.wait(RequestState(step="prefill", prefill=words))

    async def step(
        self, me: Person, state: RequestState | None, given: FlowInput
    ) -> Turn[RequestState]:
        s = me.say
        if isinstance(given, Pressed):
            return await self._pressed(me, self.at(state, *STEPS), given)
        if isinstance(given, Screened):
            return self._after_text(me, self.at(state, "text"))
        state = self.at(state, *STEPS)
        if state.step == "text":
            return await self._take(me, state, given.text)
        if state.step == "date":
            day = parse_day(given.text, self._today(me))
            if day is None:
                return Turn.wait(state, outgoing(s.t("exchange.ask.bad_date")))
            return self._ask_name(me, state, when=When.DATE, day=day)
        return Turn.wait(state, outgoing(s.t("exchange.ask.use_buttons")))

    async def _take(self, me: Person, state: RequestState, raw: str) -> Turn[RequestState]:
        """The typed text: a heavy one is kept private at once; the rest is screened."""
        requests = self._exchange.requests
        text = requests.clean(raw)
        if requests.assess(text, me.language).flagged:
            category = state.category or self._proposed(text) or OTHER
            draft = Draft(kind=state.kind, category=category, text=text, show_name=False)
            return Turn.end(held(me, await requests.post(me.user, draft)))
        going = state.typed(text=text)
        return Turn.check(going, ScreenText(text=text, field="text"))

    def _after_text(self, me: Person, state: RequestState) -> Turn[RequestState]:
        """Screened: on to the moment (category known), or to the category."""
        s = me.say
        if state.category:
            return self._ask_when(me, state)
        proposed = self._proposed(state.text)
        if proposed is None:
            return self._ask_category(me, state)
        title = self._exchange.taxonomy.get(proposed).title(me.language)
        rows = [
            [press(s.p("exchange.yes"), ACTION, "ok")],
            [press(s.p("exchange.ask.other_category"), ACTION, "other")],
        ]
        going = state.model_copy(update={"step": "category", "proposed": proposed})
        return Turn.wait(
            going, outgoing(s.t("exchange.ask.propose", category=title), keyboard(rows))
        )

    async def _pressed(
        self, me: Person, state: RequestState, given: Pressed
    ) -> Turn[RequestState]:
        s = me.say
        choice = given.arg(0)
        if choice == "stop":
            return Turn.end(outgoing(s.t("exchange.ask.stopped")))
        if choice == "prefill":
            state = self.at(state, "prefill")
            return await self.start(me, RequestKind.ASK, state.prefill)
        if choice == "cat":
            state = self.at(state, "text", "category")
            category = self._category(given.arg(1))
            if state.text:
                return self._ask_when(me, state, category=category)
            going = state.model_copy(update={"category": category})
            rows = [[press(s.p("exchange.ask.no_text"), ACTION, "notext")]]
            # "Wat je zoekt" to one who asks, "wat je aanbiedt" to one who offers.
            key = f"exchange.ask.type_text_{state.kind.value}"
            return Turn.wait(going, outgoing(s.t(key), keyboard(rows)))
        if choice == "notext":
            state = self.at(state, "text")
            if state.category is None:
                raise StaleAction()
            label = self._exchange.taxonomy.get(state.category).label(me.language)
            return self._ask_when(me, state, text=label)
        if choice == "ok":
            state = self.at(state, "category")
            if state.proposed is None:
                raise StaleAction()
            return self._ask_when(me, state, category=state.proposed)
        if choice == "other":
            return self._ask_category(me, self.at(state, "category"))
        if choice == "when":
            state = self.at(state, "when")
            if given.arg(1) not in set(When):
                raise StaleAction()
            when = When(given.arg(1))
            if when is When.DATE:
                return self._ask_date(me, state)
            return self._ask_name(me, state, when=when, day=None)
        if choice == "date":
            state = self.at(state, "date")
            day = given.day_arg(1)
            if day < self._today(me):
                raise StaleAction()
            return self._ask_name(me, state, when=When.DATE, day=day)
        if choice == "name":
            return self._summary(me, self.at(state, "name"), show_name=given.arg(1) == "1")
        if choice == "post":
            return await self._post(me, self.at(state, "confirm"))
        raise StaleAction()

    # Questions ---------------------------------------------------------------------------

    def _ask_category(self, me: Person, state: RequestState) -> Turn[RequestState]:
        rows = category_buttons(self._exchange.taxonomy, me.language, ACTION, "cat")
        going = state.model_copy(update={"step": "category"})
        return Turn.wait(going, outgoing(me.say.t("exchange.ask.which_category"), keyboard(rows)))

    def _ask_when(self, me: Person, state: RequestState, **answers: object) -> Turn[RequestState]:
        s = me.say
        going = state.model_copy(update={**answers, "step": "when"})
        rows = [
            [press(s.p(f"exchange.when.button_{w.value}"), ACTION, "when", w.value)]
            for w in WHEN_CHOICES
        ]
        question = s.t(f"exchange.ask.when_{going.kind.value}")
        return Turn.wait(going, outgoing(question, keyboard(rows)))

    def _ask_date(self, me: Person, state: RequestState) -> Turn[RequestState]:
        s = me.say
        start = self._today(me)
        days = [start + timedelta(days=i) for i in range(DATE_BUTTONS)]
        buttons = [press(day_label(s, d), ACTION, "date", day_data(d)) for d in days]
        rows: list[list[Button]] = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
        going = state.model_copy(update={"step": "date"})
        return Turn.wait(going, outgoing(s.t("exchange.ask.pick_date"), keyboard(rows)))

    def _ask_name(self, me: Person, state: RequestState, **answers: object) -> Turn[RequestState]:
        s = me.say
        name = me.resident.display_name if me.resident else ""
        rows = [
            [press(s.p("exchange.ask.show_name", name=name), ACTION, "name", 1)],
            [press(s.p("exchange.ask.as_neighbour"), ACTION, "name", 0)],
        ]
        going = state.model_copy(update={**answers, "step": "name"})
        return Turn.wait(going, outgoing(s.t("exchange.ask.which_name"), keyboard(rows)))

    def _summary(self, me: Person, state: RequestState, *, show_name: bool) -> Turn[RequestState]:
        """The card as it will look, before anything is stored."""
        s = me.say
        going = state.model_copy(update={"step": "confirm", "show_name": show_name})
        card = card_text(s, self._exchange.taxonomy, me.language, self._preview(me, going.draft()))
        rows = [
            [press(s.p(f"exchange.ask.post_{going.kind.value}"), ACTION, "post")],
            [press(s.p("exchange.stop"), ACTION, "stop")],
        ]
        return Turn.wait(
            going, outgoing(s.t("exchange.ask.summary") + "\n\n" + card, keyboard(rows))
        )

    async def _post(self, me: Person, state: RequestState) -> Turn[RequestState]:
        s = me.say
        posted = await self._exchange.requests.post(me.user, state.draft())
        if posted.held:
            return Turn.end(held(me, posted))
        kind = posted.request.kind.value
        if posted.request.kind is RequestKind.ASK and posted.notified == 0:
            kind = "ask_none"
        rows = [[press(s.p("menu.mine"), "m", "mine")]]
        text = s.t(f"exchange.ask.posted_{kind}", count=posted.notified)
        return Turn.end(outgoing(text, keyboard(rows)))

    # Helpers -----------------------------------------------------------------------------

    def _today(self, me: Person) -> date:
        """Today where people live."""
        return self._clock.now().astimezone(me.say.tz).date()

    def _proposed(self, text: str) -> str | None:
        best = self._exchange.taxonomy.best(text)
        return best.id if best else None

    def _category(self, value: str) -> str:
        """A known category (UnknownCategory says so kindly otherwise)."""
        return self._exchange.taxonomy.get(value).id

    def _preview(self, me: Person, draft: Draft) -> RequestView:
        """The request as it will be stored, for its card (nothing is stored yet)."""
        now = self._clock.now()
        request = Request(
            id=0,
            street_id=0,
            resident_id=0,
            kind=draft.kind,
            category=draft.category,
            text=draft.text,
            when=draft.when,
            when_date=draft.when_date,
            show_name=draft.show_name,
            status=RequestStatus.OPEN,
            created_at=now,
            updated_at=now,
            active_since=now,
        )
        name = me.resident.display_name if me.resident else ""
        street = Street(
            id=0, neighbourhood_id=0, name="", chat=None, join_code="-", created_at=now
        )
        return RequestView(request=request, owner_name=name, street=street)


def held(me: Person, posted: Posted) -> OutgoingMessage:
    """A heavy text stays private: escalation's offer of a professional, prefilled.

    One consent path for every way into a case (issue 6, route 2): the crisis numbers first
    where life or safety is at stake, "Ja, graag" starts route 1 with the theme and the
    text filled in, "Nee, dank je" shares nothing.
    """
    if posted.offer is None:
        return outgoing(me.say.t("exchange.mine.held_note"))
    return offer_message(me.say, posted.offer, posted.neighbourhood_name)
