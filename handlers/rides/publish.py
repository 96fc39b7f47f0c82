"""Drivers: publishing a ride step by step, with buttons (a typed time is also fine).

The steps keep their answers in the dialog table, so a restart in the middle loses nothing.
Every press checks that the dialog is at the step the button belongs to.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from telegram import Update

from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.common import answer, button, keyboard, send, show
from handlers.context import PatchworkContext
from handlers.escalation.screen import resumer, screen
from handlers.rides.common import on, pressed, reader
from handlers.rides.say import RideSay
from models.core import ChannelUser
from models.errors import StaleAction
from models.messages import Button
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
from models.rides.times import at_local, check_departure_time, from_hhmm, hhmm, parse_time

FLOW = "rides.publish"
TIME_CHOICES = ("09:00", "09:30", "10:00", "10:30", "11:00", "13:00", "14:00", "15:00")
RETURN_AFTER = (60, 90, 120)


async def _dialog(update: Update, context: PatchworkContext, *steps: str) -> dict[str, Any]:
    """The publishing answers so far; StaleAction unless the dialog is at one of steps."""
    return await dialogs.answers(update, context, FLOW, *steps)


async def _next(
    update: Update, context: PatchworkContext, s: RideSay, data: dict[str, Any], step: str
) -> None:
    """Save the answers, move to `step` and ask its question."""
    data["step"] = step
    await dialogs.expect(update, context, FLOW, **data)
    text, rows = await _question(context, s, data)
    await show(update, text, keyboard(rows))


async def _question(
    context: PatchworkContext, s: RideSay, data: dict[str, Any]
) -> tuple[str, list[list[Button]]]:
    step = data["step"]
    stop = [button(s.p("rides.publish.stop"), "r.p", "stop")]
    if step == "day":
        days = context.services.rides.dates()
        labels = [s.p("rides.publish.today"), s.p("rides.publish.tomorrow")]
        buttons = [
            button(labels[n] if n < 2 else s.short_day(d), "r.p", "day", d.strftime("%Y%m%d"))
            for n, d in enumerate(days)
        ]
        rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        return s.t("rides.publish.ask_day"), [*rows, stop]
    day = date.fromisoformat(data["day"])
    if step == "time":
        now = context.services.clock.now()
        choices = [
            c for c in TIME_CHOICES if at_local(day, from_hhmm(c), s.tz) > now + timedelta(hours=1)
        ]
        buttons = [button(c, "r.p", "time", c.replace(":", "")) for c in choices]
        rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
        return s.t("rides.publish.ask_time", day=s.day(day)), [*rows, stop]
    if step == "destination":
        return s.t("rides.publish.ask_destination"), [stop]
    if step == "seats":
        buttons = [button(str(n), "r.p", "seats", n) for n in range(MIN_SEATS, MAX_SEATS + 1)]
        return s.t("rides.publish.ask_seats"), [buttons[:4], buttons[4:], stop]
    if step == "pickup":
        rows = [
            [button(s.p("rides.publish.pickup_home"), "r.p", "mode", "home")],
            [button(s.p("rides.publish.pickup_meeting"), "r.p", "mode", "meeting")],
        ]
        return s.t("rides.publish.ask_pickup"), [*rows, stop]
    if step == "meeting":
        return s.t("rides.publish.ask_meeting"), [stop]
    if step == "return":
        departs = from_hhmm(data["time"])
        later = [_plus(departs, m) for m in RETURN_AFTER]
        buttons = [
            button(
                s.p("rides.publish.return_at", time=hhmm(t)),
                "r.p",
                "ret",
                hhmm(t)[:2] + hhmm(t)[3:],
            )
            for t in later
            if t is not None
        ]
        rows = [buttons, [button(s.p("rides.publish.return_unknown"), "r.p", "ret", "none")]]
        return s.t("rides.publish.ask_return"), [*rows, stop]
    if step == "weekly":
        rows = [
            [button(s.p("rides.publish.once"), "r.p", "weekly", 0)],
            [button(s.p("rides.publish.weekly", weekday=s.weekday(day)), "r.p", "weekly", 1)],
        ]
        return s.t("rides.publish.ask_weekly"), [*rows, stop]
    if step == "streets":
        chosen = set(data.get("streets", []))
        rows = [
            [
                button(
                    ("✅ " if st["id"] in chosen else "▫️ ") + st["name"],
                    "r.p",
                    "st",
                    st["id"],
                )
            ]
            for st in data["options"]
        ]
        rows.append([button(s.p("rides.publish.streets_done"), "r.p", "st", "done")])
        return s.t("rides.publish.ask_streets"), [*rows, stop]
    if step == "confirm":
        rows = [
            [button(s.p("rides.publish.confirm"), "r.p", "ok")],
            [button(s.p("rides.publish.redo"), "r.p", "new"), stop[0]],
        ]
        return _summary(s, data), rows
    raise StaleAction()


def _plus(at: time, minutes: int) -> time | None:
    """A time some minutes later on the same day (None past midnight)."""
    total = at.hour * 60 + at.minute + minutes
    return time(total // 60, total % 60) if total < 24 * 60 else None


def _summary(s: RideSay, data: dict[str, Any]) -> str:
    day = date.fromisoformat(data["day"])
    lines = [
        s.t("rides.publish.summary"),
        s.t("rides.card.title", destination=data["destination"]),
        s.t(
            "rides.card.when", when=s.p("rides.card.date_time", day=s.day(day), time=data["time"])
        ),
    ]
    if data.get("return"):
        lines[-1] += " " + s.t("rides.card.back", time=data["return"])
    if data["mode"] == "meeting":
        lines.append(s.t("rides.card.meeting", place=data["meeting"]))
    else:
        lines.append(s.t("rides.card.home"))
    lines.append(s.t("rides.publish.summary_seats", count=int(data["seats"])))
    if data.get("weekly"):
        lines.append(s.t("rides.card.weekly", weekday=s.weekday(day)))
    names = [st["name"] for st in data["options"] if st["id"] in data["streets"]]
    lines.append(s.t("rides.publish.summary_streets", streets=", ".join(names)))
    return "\n".join(lines)


def _draft(data: dict[str, Any]) -> RideDraft:
    return RideDraft(
        day=date.fromisoformat(data["day"]),
        departs=from_hhmm(data["time"]),
        destination=data["destination"],
        seats=int(data["seats"]),
        pickup_mode=PickupMode(data["mode"]),
        meeting_point=data.get("meeting"),
        returns=from_hhmm(data["return"]) if data.get("return") else None,
        weekly=bool(data.get("weekly")),
        street_ids=tuple(data["streets"]),
    )


def _check_time(s: RideSay, context: PatchworkContext, data: dict[str, Any], at: time) -> str:
    check_departure_time(at)
    departs = at_local(date.fromisoformat(data["day"]), at, s.tz)
    if departs <= context.services.clock.now():
        raise DepartureInPast()
    return hhmm(at)


def _check_return(data: dict[str, Any], at: time) -> str:
    if at <= from_hhmm(data["time"]):
        raise ReturnBeforeDeparture()
    return hhmm(at)


@on("r.p")
async def on_publish(update: Update, context: PatchworkContext) -> None:
    """Every button of the publishing steps."""
    me, s = await reader(update, context)
    callback = pressed(update)
    choice = callback.arg(0)
    if choice == "new":
        options = await context.services.rides.publish_options(me.user)
        streets = [{"id": st.id, "name": st.name} for st in options.streets]
        home = (
            [options.home_street_id]
            if any(st["id"] == options.home_street_id for st in streets)
            else [st["id"] for st in streets[:1]]
        )
        await _next(update, context, s, {"options": streets, "streets": home}, "day")
        return
    if choice == "stop":
        await dialogs.finish(update, context)
        await show(
            update,
            s.t("rides.publish.stopped"),
            keyboard([[button(s.p("rides.view.back"), "r.home")]]),
        )
        return
    await _step_button(update, context, me.user, s, choice, callback.args[1:])


async def _step_button(
    update: Update,
    context: PatchworkContext,
    user: ChannelUser,
    s: RideSay,
    choice: str,
    args: tuple[str, ...],
) -> None:
    if choice == "day":
        data = await _dialog(update, context, "day")
        value = args[0] if args else ""
        day = date(int(value[:4]), int(value[4:6]), int(value[6:8])) if len(value) == 8 else None
        if day is None or day not in context.services.rides.dates():
            raise StaleAction()
        data["day"] = day.isoformat()
        await _next(update, context, s, data, "time")
    elif choice == "time":
        data = await _dialog(update, context, "time")
        value = args[0] if args else ""
        if len(value) != 4 or not value.isdigit():
            raise StaleAction()
        data["time"] = _check_time(s, context, data, time(int(value[:2]), int(value[2:])))
        await _next(update, context, s, data, "destination")
    elif choice == "seats":
        data = await _dialog(update, context, "seats")
        seats = int(args[0]) if args and args[0].isdigit() else 0
        if not MIN_SEATS <= seats <= MAX_SEATS:
            raise StaleAction()
        data["seats"] = seats
        await _next(update, context, s, data, "pickup")
    elif choice == "mode":
        data = await _dialog(update, context, "pickup")
        mode = args[0] if args else ""
        if mode not in {"home", "meeting"}:
            raise StaleAction()
        data["mode"] = mode
        await _next(update, context, s, data, "meeting" if mode == "meeting" else "return")
    elif choice == "ret":
        data = await _dialog(update, context, "return")
        value = args[0] if args else ""
        if value == "none":
            data["return"] = None
        elif len(value) == 4 and value.isdigit():
            data["return"] = _check_return(data, time(int(value[:2]), int(value[2:])))
        else:
            raise StaleAction()
        await _next(update, context, s, data, "weekly")
    elif choice == "weekly":
        data = await _dialog(update, context, "weekly")
        data["weekly"] = bool(args and args[0] == "1")
        many = len(data["options"]) > 1
        await _next(update, context, s, data, "streets" if many else "confirm")
    elif choice == "st":
        await _toggle_street(update, context, s, args[0] if args else "")
    elif choice == "ok":
        data = await _dialog(update, context, "confirm")
        result = await context.services.rides.publish(user, _draft(data))
        await dialogs.finish(update, context)
        first = result.rides[0]
        key = "rides.publish.done_weekly" if result.series else "rides.publish.done"
        rows = [[button(s.p("rides.publish.see"), "r.v", first.id)]]
        rows.append([button(s.p("rides.view.back"), "r.home")])
        await show(update, s.t(key, count=len(result.rides)), keyboard(rows))
    else:
        raise StaleAction()


async def _toggle_street(
    update: Update, context: PatchworkContext, s: RideSay, value: str
) -> None:
    data = await _dialog(update, context, "streets")
    if value == "done":
        if not data["streets"]:
            await answer(update, s.p("rides.publish.streets_none"), alert=True)
            return
        await _next(update, context, s, data, "confirm")
        return
    street_id = int(value) if value.isdigit() else -1
    if street_id not in {st["id"] for st in data["options"]}:
        raise StaleAction()
    chosen = list(data["streets"])
    if street_id in chosen:
        chosen.remove(street_id)
    else:
        chosen.append(street_id)
    data["streets"] = chosen
    await _next(update, context, s, data, "streets")


@dialogs.text_step(FLOW)
async def on_publish_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """Typed answers: a time, the destination, a meeting point or a return time."""
    _, s = await reader(update, context)
    assert update.effective_message is not None
    text = update.effective_message.text or ""
    data = dict(dialog.data)
    step = data.get("step")
    if step == "time":
        data["time"] = _check_time(s, context, data, parse_time(text))
        following = "destination"
    elif step == "destination":
        data["destination"] = clean_destination(text)
        if not await screen(update, context, text, resume=FLOW, data=data, contacts="destination"):
            return  # a ride's words reach the group too: heavy never, doubtful asked
        following = "seats"
    elif step == "meeting":
        data["meeting"] = clean_pickup_text(text)
        if not await screen(update, context, text, resume=FLOW, data=data, contacts="meeting"):
            return
        following = "return"
    elif step == "return":
        data["return"] = _check_return(data, parse_time(text))
        following = "weekly"
    else:
        await send(update, s.t("rides.publish.tap_button"))
        return
    await _go_on(update, context, data, following)


async def _go_on(
    update: Update, context: PatchworkContext, data: dict[str, Any], following: str
) -> None:
    _, s = await reader(update, context)
    data["step"] = following
    await dialogs.expect(update, context, FLOW, **data)
    question, rows = await _question(context, s, data)
    await send(update, question, keyboard(rows))


@resumer(FLOW)
async def _resume(update: Update, context: PatchworkContext, data: dict[str, Any]) -> None:
    """ "Voor de buren" on a doubtful destination or meeting point: go on."""
    following = {"destination": "seats", "meeting": "return"}.get(str(data.get("step")))
    if following is None:
        raise StaleAction()
    await _go_on(update, context, data, following)
