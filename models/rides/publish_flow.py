"""Publishing a ride, as a channel-neutral flow: ten short questions, then the ride.

Steps: (not waiting) "new" → `day` → `time` (a button, or typed: "half 11") →
`destination` (typed, screened: it reaches the group) → `seats` → `pickup` (at home or a
meeting point) → `meeting` (typed, screened; only for a meeting point) → `return` (a
button or typed) → `weekly` → `streets` (only when the neighbourhood has several street
groups) → `confirm` → published. "Stoppen" ends it at any step, "Opnieuw" starts over.

Every answer is checked where it is given (a time in the daytime and in the future, a
return after the departure, a day that can be booked, a street of the neighbourhood), and
again by `RideService.publish`, so an old or forged button publishes nothing wrong.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from models.clock import Clock
from models.errors import StaleAction
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
from models.rides.model import (
    MAX_SEATS,
    MIN_SEATS,
    DepartureInPast,
    PickupMode,
    ReturnBeforeDeparture,
    RideDraft,
    clean_destination,
    clean_pickup_text,
)
from models.rides.service import RideService
from models.rides.times import (
    at_local,
    check_departure_time,
    hhmm,
    hour_reminder_at,
    parse_time,
    reminder_promise,
)
from models.say import Say

ACTION = "r.p"
TIME_CHOICES = ("09:00", "09:30", "10:00", "10:30", "11:00", "13:00", "14:00", "15:00")
RETURN_AFTER = (60, 90, 120)

Step = Literal[
    "day",
    "time",
    "destination",
    "seats",
    "pickup",
    "meeting",
    "return",
    "weekly",
    "streets",
    "confirm",
]
STEPS: tuple[Step, ...] = get_args(Step)
# Where the flow goes once a typed text has passed the screening.
AFTER_SCREENING: dict[str, Step] = {"destination": "seats", "meeting": "return"}


class StreetChoice(BaseModel):
    """A street group the ride can be posted in."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str


class PublishState(FlowState):
    """The driver's answers so far, and the streets they may choose from."""

    step: Step
    options: tuple[StreetChoice, ...]
    streets: tuple[int, ...] = ()
    day: date | None = None
    departs: time | None = None
    destination: str = ""
    seats: int = 0
    mode: PickupMode = PickupMode.HOME
    meeting: str | None = None
    returns: time | None = None
    weekly: bool = False

    def draft(self) -> RideDraft:
        """The ride as chosen; an answer missing (a state from an older version) is stale."""
        if self.day is None or self.departs is None or not self.destination or not self.seats:
            raise StaleAction()
        return RideDraft(
            day=self.day,
            departs=self.departs,
            destination=self.destination,
            seats=self.seats,
            pickup_mode=self.mode,
            meeting_point=self.meeting if self.mode == PickupMode.MEETING else None,
            returns=self.returns,
            weekly=self.weekly,
            street_ids=self.streets,
        )

    @property
    def chosen_day(self) -> date:
        """The day, once chosen (stale before)."""
        if self.day is None:
            raise StaleAction()
        return self.day


def later(at: time, minutes: int) -> time | None:
    """A time some minutes later on the same day (None past midnight)."""
    total = at.hour * 60 + at.minute + minutes
    return time(total // 60, total % 60) if total < 24 * 60 else None


def compact(at: time) -> str:
    """A time as button data: "1030"."""
    return at.strftime("%H%M")


def from_compact(value: str) -> time:
    """The inverse of `compact`; a malformed one is stale."""
    if len(value) != 4 or not value.isdigit() or int(value[:2]) > 23 or int(value[2:]) > 59:
        raise StaleAction()
    return time(int(value[:2]), int(value[2:]))


class PublishFlow(Flow[PublishState]):
    """A driver offers a ride to the neighbours."""

    name = "rides.publish"
    actions = (ACTION,)
    state_type = PublishState

    def __init__(self, rides: RideService, clock: Clock) -> None:
        self._rides = rides
        self._clock = clock

    async def step(
        self, me: Person, state: PublishState | None, given: FlowInput
    ) -> Turn[PublishState]:
        if isinstance(given, Pressed):
            return await self._pressed(me, state, given)
        if isinstance(given, Screened):
            state = self.at(state, *AFTER_SCREENING)
            return self.ask(me.say, state, AFTER_SCREENING[state.step])
        state = self.at(state, *STEPS)
        text = given.text
        if state.step == "time":
            departs = self._check_departure(state, parse_time(text))
            return self.ask(me.say, state, "destination", departs=departs)
        if state.step == "destination":
            going = state.typed(destination=clean_destination(text))
            # A ride's words reach the group: heavy never, doubtful asked, contacts asked.
            return Turn.check(going, ScreenText(text=going.destination, field="destination"))
        if state.step == "meeting":
            going = state.typed(meeting=clean_pickup_text(text))
            return Turn.check(going, ScreenText(text=going.meeting or "", field="meeting"))
        if state.step == "return":
            return self.ask(me.say, state, "weekly", returns=self._return(state, parse_time(text)))
        return Turn.wait(state, outgoing(me.say.t("rides.publish.tap_button")))

    async def _pressed(
        self, me: Person, state: PublishState | None, given: Pressed
    ) -> Turn[PublishState]:
        s = me.say
        choice = given.arg(0)
        if choice == "new":
            return await self.start(me)
        state = self.at(state, *STEPS)
        if choice == "stop":
            back = press(s.p("rides.view.back"), "r.home")
            return Turn.end(outgoing(s.t("rides.publish.stopped"), keyboard([[back]])))
        if choice == "day":
            state = self.at(state, "day")
            day = given.day_arg(1)
            if day not in self._rides.dates():
                raise StaleAction()
            return self.ask(s, state, "time", day=day)
        if choice == "time":
            state = self.at(state, "time")
            departs = self._check_departure(state, from_compact(given.arg(1)))
            return self.ask(s, state, "destination", departs=departs)
        if choice == "seats":
            state = self.at(state, "seats")
            seats = given.int_arg(1)
            if not MIN_SEATS <= seats <= MAX_SEATS:
                raise StaleAction()
            return self.ask(s, state, "pickup", seats=seats)
        if choice == "mode":
            state = self.at(state, "pickup")
            mode = given.arg(1)
            if mode not in {PickupMode.HOME.value, PickupMode.MEETING.value}:
                raise StaleAction()
            following: Step = "meeting" if mode == PickupMode.MEETING.value else "return"
            return self.ask(s, state, following, mode=PickupMode(mode))
        if choice == "ret":
            state = self.at(state, "return")
            value = given.arg(1)
            returns = None if value == "none" else self._return(state, from_compact(value))
            return self.ask(s, state, "weekly", returns=returns)
        if choice == "weekly":
            state = self.at(state, "weekly")
            following = "streets" if len(state.options) > 1 else "confirm"
            return self.ask(s, state, following, weekly=given.arg(1) == "1")
        if choice == "st":
            return self._toggle(s, self.at(state, "streets"), given.arg(1))
        if choice == "ok":
            state = self.at(state, "confirm")
            result = await self._rides.publish(me.user, state.draft())
            first = result.rides[0]
            # Promise only the reminders that will come: a ride published the evening
            # before (after 18:00) gets no evening reminder (the sweep's own rule).
            promise = reminder_promise(first.departs_at, first.created_at, s.tz)
            key = "rides.publish.done_weekly" if result.series else f"rides.publish.done_{promise}"
            rows = [
                [press(s.p("rides.publish.see"), "r.v", first.id)],
                [press(s.p("rides.view.back"), "r.home")],
            ]
            text = s.t(
                key, count=len(result.rides), time=s.clock(hour_reminder_at(first.departs_at))
            )
            return Turn.end(outgoing(text, keyboard(rows)))
        raise StaleAction()

    async def start(self, me: Person) -> Turn[PublishState]:
        """The first question, with the driver's own street chosen for the ride."""
        options = await self._rides.publish_options(me.user)
        streets = tuple(StreetChoice(id=st.id, name=st.name) for st in options.streets)
        ids = [st.id for st in streets]
        home = (options.home_street_id,) if options.home_street_id in ids else tuple(ids[:1])
        state = PublishState(step="day", options=streets, streets=home)
        return self.ask(me.say, state, "day")

    def _toggle(self, s: Say, state: PublishState, value: str) -> Turn[PublishState]:
        """A street on or off, or "Verder" (with at least one street chosen)."""
        if value == "done":
            if not state.streets:
                return Turn.wait(state, notice=s.p("rides.publish.streets_none"))
            return self.ask(s, state, "confirm")
        if not value.isdigit() or int(value) not in {st.id for st in state.options}:
            raise StaleAction()
        street_id = int(value)
        chosen = [st for st in state.streets if st != street_id]
        if street_id not in state.streets:
            chosen.append(street_id)
        return self.ask(s, state, "streets", streets=tuple(chosen))

    def _check_departure(self, state: PublishState, at: time) -> time:
        """A departure in the daytime, and not in the past."""
        check_departure_time(at)
        if at_local(state.chosen_day, at, self._rides.tz) <= self._clock.now():
            raise DepartureInPast()
        return at

    @staticmethod
    def _return(state: PublishState, at: time) -> time:
        """A return after the departure."""
        if state.departs is None or at <= state.departs:
            raise ReturnBeforeDeparture()
        return at

    # Questions -------------------------------------------------------------------------

    def ask(
        self, s: Say, state: PublishState, step: Step, **answers: object
    ) -> Turn[PublishState]:
        """Keep the answers, move to `step` and ask its question."""
        going = state.model_copy(update={**answers, "step": step})
        return Turn.wait(going, self.question(s, going))

    def question(self, s: Say, state: PublishState) -> OutgoingMessage:
        """The question of the step the flow waits at, with its buttons and "Stoppen"."""
        stop = [press(s.p("rides.publish.stop"), ACTION, "stop")]
        if state.step == "confirm":
            rows = [
                [press(s.p("rides.publish.confirm"), ACTION, "ok")],
                [press(s.p("rides.publish.redo"), ACTION, "new"), *stop],
            ]
            return outgoing(summary(s, state), keyboard(rows))
        text, rows = self._choices(s, state)
        return outgoing(text, keyboard([*rows, stop]))

    def _choices(self, s: Say, state: PublishState) -> tuple[str, list[list[Button]]]:
        """A step's question and its own buttons."""
        step = state.step
        if step == "day":
            labels = [s.p("rides.publish.today"), s.p("rides.publish.tomorrow")]
            buttons = [
                press(labels[n] if n < 2 else s.short_day(d), ACTION, "day", day_data(d))
                for n, d in enumerate(self._rides.dates())
            ]
            return s.t("rides.publish.ask_day"), _rows(buttons, 2)
        if step == "time":
            day = state.chosen_day
            soon = self._clock.now() + timedelta(hours=1)
            buttons = [
                press(c, ACTION, "time", c.replace(":", ""))
                for c in TIME_CHOICES
                if at_local(day, time.fromisoformat(c), self._rides.tz) > soon
            ]
            return s.t("rides.publish.ask_time", day=s.day(day)), _rows(buttons, 4)
        if step == "destination":
            return s.t("rides.publish.ask_destination"), []
        if step == "seats":
            buttons = [press(str(n), ACTION, "seats", n) for n in range(MIN_SEATS, MAX_SEATS + 1)]
            return s.t("rides.publish.ask_seats"), _rows(buttons, 4)
        if step == "pickup":
            rows = [
                [press(s.p("rides.publish.pickup_home"), ACTION, "mode", PickupMode.HOME.value)],
                [
                    press(
                        s.p("rides.publish.pickup_meeting"),
                        ACTION,
                        "mode",
                        PickupMode.MEETING.value,
                    )
                ],
            ]
            return s.t("rides.publish.ask_pickup"), rows
        if step == "meeting":
            return s.t("rides.publish.ask_meeting"), []
        if step == "return":
            departs = state.departs or time(0, 0)
            times = [t for t in (later(departs, m) for m in RETURN_AFTER) if t is not None]
            buttons = [
                press(s.p("rides.publish.return_at", time=hhmm(t)), ACTION, "ret", compact(t))
                for t in times
            ]
            unknown = press(s.p("rides.publish.return_unknown"), ACTION, "ret", "none")
            return s.t("rides.publish.ask_return"), [buttons, [unknown]]
        if step == "weekly":
            weekday = s.weekday(state.chosen_day)
            rows = [
                [press(s.p("rides.publish.once"), ACTION, "weekly", 0)],
                [press(s.p("rides.publish.weekly", weekday=weekday), ACTION, "weekly", 1)],
            ]
            return s.t("rides.publish.ask_weekly"), rows
        rows = [
            [press(("✅ " if st.id in state.streets else "▫️ ") + st.name, ACTION, "st", st.id)]
            for st in state.options
        ]
        rows.append([press(s.p("rides.publish.streets_done"), ACTION, "st", "done")])
        return s.t("rides.publish.ask_streets"), rows


def summary(s: Say, state: PublishState) -> str:
    """ "Klopt dit?" with the ride as the neighbours will see it."""
    draft = state.draft()
    when = s.p("rides.card.date_time", day=s.day(draft.day), time=hhmm(draft.departs))
    lines = [
        s.t("rides.publish.summary"),
        s.t("rides.card.title", destination=draft.destination),
        s.t("rides.card.when", when=when),
    ]
    if draft.returns is not None:
        lines[-1] += " " + s.t("rides.card.back", time=hhmm(draft.returns))
    if draft.meeting_point is not None:
        lines.append(s.t("rides.card.meeting", place=draft.meeting_point))
    else:
        lines.append(s.t("rides.card.home"))
    lines.append(s.t("rides.publish.summary_seats", count=draft.seats))
    if draft.weekly:
        lines.append(s.t("rides.card.weekly", weekday=s.weekday(draft.day)))
    names = [st.name for st in state.options if st.id in draft.street_ids]
    lines.append(s.t("rides.publish.summary_streets", streets=", ".join(names)))
    return "\n".join(lines)


def _rows(buttons: list[Button], width: int) -> list[list[Button]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]
