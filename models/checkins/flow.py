"""Opting in to a check-in, as a channel-neutral flow (models/flows.py), buttons only.

Steps: how often → (which days) → what time → how long to answer → the community workers
after the buddies, or not → who is asked first (a neighbour who agreed to be asked, or a
personal invite link). Every choice is written to the resident's draft check-in at once
(the service re-checks it in the database on every press), so the flow's state is only
the step it waits at. The check-in starts when the buddy says yes.
"""

from __future__ import annotations

from typing import Literal

from models.checkins.model import TIMES, WINDOW_HOURS, Frequency, Overview, State
from models.checkins.service import CheckInService
from models.checkins.texts import clock, day_name, overview, when
from models.errors import StaleAction
from models.flows import Flow, FlowInput, FlowState, Person, Pressed, Turn
from models.messages import Button, OutgoingMessage, keyboard, link, outgoing, press

ACTION = "ci"
Step = Literal["often", "days", "time", "window", "workers", "buddy"]
LIVE = (State.ACTIVE, State.PAUSED, State.WAITING)


class OptInState(FlowState):
    """Which question the resident is answering."""

    step: Step


def invite_url(bot_username: str, code: str) -> str:
    """The personal deep link a buddy opens (t.me/<bot>?start=cb<code>)."""
    return f"https://t.me/{bot_username}?start=cb{code}"


class CheckInFlow(Flow[OptInState]):
    """Choose a check-in and a buddy, with buttons only."""

    name = "checkins.optin"
    actions = (ACTION,)
    state_type = OptInState

    def __init__(self, service: CheckInService, bot_username: str) -> None:
        self._service = service
        self._bot = bot_username

    async def step(
        self, me: Person, state: OptInState | None, given: FlowInput
    ) -> Turn[OptInState]:
        if not isinstance(given, Pressed) or given.action != ACTION:
            # Typed text while choosing: show the same question again.
            state = self.at(state, "often", "days", "time", "window", "workers", "buddy")
            view = await self._service.overview(me.user)
            if view is None:
                raise StaleAction()
            return self._ask(me, state.step, view, notice=me.say.p("checkins.optin.use_buttons"))
        choice = given.arg(0)
        if choice == "buddy":
            current = await self._service.overview(me.user)
            if current is not None and current.checkin.state in LIVE:
                return await self._buddy_step(me, current)
            choice = "start"  # nothing to add a buddy to: choose a check-in first
        if choice == "start":
            view = await self._service.begin(me.user)
            if view.checkin.state in LIVE:
                return Turn.end(overview(me.say, view))
            return self._ask(me, "often", view, intro=True)
        if choice == "cancel":
            return Turn.end(outgoing(me.say.t("checkins.optin.cancelled")))
        return await self._answer(me, state, given, choice)

    async def _answer(
        self, me: Person, state: OptInState | None, given: Pressed, choice: str
    ) -> Turn[OptInState]:
        service = self._service
        if choice == "f":
            self.at(state, "often")
            view = await service.set_frequency(me.user, given.arg(1))
            nxt: Step = "time" if view.checkin.schedule.frequency is Frequency.DAILY else "days"
            return self._ask(me, nxt, view)
        if choice == "d":
            self.at(state, "days")
            view = await service.toggle_day(me.user, given.int_arg(1))
            weekly = view.checkin.schedule.frequency is Frequency.WEEKLY
            return self._ask(me, "time" if weekly else "days", view)
        if choice == "next":
            self.at(state, "days")
            current = await service.overview(me.user)
            if current is None:
                raise StaleAction()
            if not current.checkin.schedule.complete:
                notice = me.say.p("checkins.optin.pick_a_day")
                return self._ask(me, "days", current, notice=notice)
            return self._ask(me, "time", current)
        if choice == "t":
            self.at(state, "time")
            return self._ask(me, "window", await service.set_time(me.user, given.int_arg(1)))
        if choice == "w":
            self.at(state, "window")
            return self._ask(me, "workers", await service.set_window(me.user, given.int_arg(1)))
        if choice == "k":
            self.at(state, "workers")
            view = await service.set_workers(me.user, given.arg(1) == "1")
            return await self._buddy_step(me, view)
        if choice == "b":
            self.at(state, "buddy")
            view = await service.ask_buddy(me.user, given.int_arg(1))
            name = next(
                (n for b, n in view.buddies if b.resident_id == given.int_arg(1) and n), ""
            )
            return Turn.end(outgoing(me.say.t("checkins.optin.asked", name=name)))
        if choice == "link":
            self.at(state, "buddy")
            code = await service.invite_code(me.user)
            url = invite_url(self._bot, code)
            s = me.say
            return Turn.end(
                outgoing(s.t("checkins.optin.link", url=url)),
                outgoing(
                    s.t("checkins.optin.link_forward"),
                    keyboard([[link(s.p("checkins.optin.link_button"), url)]]),
                ),
            )
        raise StaleAction()

    async def _buddy_step(self, me: Person, view: Overview) -> Turn[OptInState]:
        if not view.checkin.schedule.complete or view.checkin.state is State.STOPPED:
            raise StaleAction()
        candidates = await self._service.candidates(me.user)
        return self._ask(
            me, "buddy", view, candidates=[(c.resident_id, c.name) for c in candidates]
        )

    def _ask(
        self,
        me: Person,
        step: Step,
        view: Overview,
        *,
        intro: bool = False,
        notice: str | None = None,
        candidates: list[tuple[int, str]] | None = None,
    ) -> Turn[OptInState]:
        message = self._question(me, step, view, candidates or [])
        messages: tuple[OutgoingMessage, ...] = (message,)
        if intro:
            messages = (outgoing(me.say.t("checkins.optin.intro")), message)
        return Turn.wait(OptInState(step=step), *messages, notice=notice)

    def _question(
        self, me: Person, step: Step, view: Overview, candidates: list[tuple[int, str]]
    ) -> OutgoingMessage:
        s = me.say
        schedule = view.checkin.schedule
        cancel = [press(s.p("checkins.optin.cancel"), ACTION, "cancel")]
        rows: list[list[Button]]
        if step == "often":
            rows = [
                [press(s.p(f"checkins.optin.often_{f.value}"), ACTION, "f", f.value)]
                for f in Frequency
            ]
            return outgoing(s.t("checkins.optin.often"), keyboard([*rows, cancel]))
        if step == "days":
            weekly = schedule.frequency is Frequency.WEEKLY
            rows = [
                [
                    press(("✅ " if d in schedule.days else "") + day_name(s, d), ACTION, "d", d)
                    for d in week
                ]
                for week in ((0, 1, 2), (3, 4, 5), (6,))
            ]
            if not weekly:
                rows.append([press(s.p("checkins.optin.next"), ACTION, "next")])
            key = "checkins.optin.day" if weekly else "checkins.optin.days"
            return outgoing(s.t(key), keyboard([*rows, cancel]))
        if step == "time":
            times = [press(clock(m), ACTION, "t", m) for m in TIMES]
            rows = [times[i : i + 3] for i in range(0, len(times), 3)]
            return outgoing(s.t("checkins.optin.time"), keyboard([*rows, cancel]))
        if step == "window":
            rows = [
                [press(s.p("checkins.optin.hours", count=h), ACTION, "w", h)] for h in WINDOW_HOURS
            ]
            return outgoing(
                s.t("checkins.optin.window", when=when(s, schedule)), keyboard([*rows, cancel])
            )
        if step == "workers":
            rows = [
                [press(s.p("checkins.optin.workers_yes"), ACTION, "k", 1)],
                [press(s.p("checkins.optin.workers_no"), ACTION, "k", 0)],
            ]
            return outgoing(s.t("checkins.optin.workers"), keyboard([*rows, cancel]))
        rows = [[press(name, ACTION, "b", rid)] for rid, name in candidates]
        rows.append([press(s.p("checkins.optin.invite"), ACTION, "link")])
        key = "checkins.optin.buddy" if candidates else "checkins.optin.buddy_none"
        return outgoing(s.t(key), keyboard([*rows, cancel]))
