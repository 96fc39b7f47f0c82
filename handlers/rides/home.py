"""Passengers: the rides page, a ride in detail, booking with one tap, pickup, cancelling."""

from __future__ import annotations

from telegram import Update

from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.common import answer, button, is_private, keyboard, send, show, user_of
from handlers.context import PatchworkContext
from handlers.menu import Section, menu_action, overview_section
from handlers.rides.common import on, pressed, reader, reply_private, say, show_done
from handlers.rides.say import RideSay
from models.core import Language
from models.errors import StaleAction
from models.messages import Button
from models.residents import Profile
from models.rides.model import BookingStatus, PickupKind, RideFull, RideStatus
from models.rides.times import hour_reminder_at, reminder_promise
from models.rides.views import RideCard, RideView

PICKUP_FLOW = "rides.pickup"
HOUSE_FLOW = "rides.house"
OVERVIEW_BUTTONS = 5


def ride_label(s: RideSay, card: RideCard) -> str:
    """A ride as a button: date, time, destination and how full it is."""
    ride = card.ride
    state = (
        s.p("rides.home.free", count=ride.free_seats)
        if ride.free_seats
        else s.p("rides.home.full")
    )
    return f"{s.short(card)} · {state}"


@menu_action("rides")
async def rides_home(update: Update, context: PatchworkContext) -> None:
    """ "Boodschappenritten": rides in my neighbourhood, offer a ride, coordinate."""
    me, s = await reader(update, context)
    home = await context.services.rides.home(me.user)
    text = s.t("rides.home.title", neighbourhood=home.neighbourhood.name)
    mine = me.resident is not None and all(c.ride.driver_id == me.resident.id for c in home.rides)
    # A driver looking at only their own rides is not asked to tap one to ride along.
    intro = "rides.home.list_mine" if mine else "rides.home.list"
    text += "\n" + (s.t(intro) if home.rides else s.t("rides.home.none"))
    rows = [[button(ride_label(s, card), "r.v", card.ride.id)] for card in home.rides]
    rows.append([button(s.p("rides.home.drive"), "r.p", "new")])
    if home.is_coordinator:
        rows.append([button(s.p("rides.home.coordinator"), "r.c")])
    rows.append([button(s.p("rides.home.back"), "m", "menu")])
    await show(update, text, keyboard(rows))


@on("r.home")
async def on_home(update: Update, context: PatchworkContext) -> None:
    """The "back to the rides" button."""
    await dialogs.finish(update, context)
    await rides_home(update, context)


def view_text(s: RideSay, view: RideView, *, place: bool = True) -> str:
    """A ride in a private chat: the card, my place (unless the text above said it), and
    the lists if I may see them."""
    parts = [s.card(view.card)]
    mine = s.my_place(view) if place else None
    if mine:
        parts.append(mine)
    if view.may_see_passengers:
        parts.append(s.passenger_list(view))
    return "\n\n".join(parts)


def _passenger_rows(s: RideSay, view: RideView) -> list[list[Button]]:
    ride = view.ride
    booking = view.my_booking
    if booking is not None and booking.status == BookingStatus.BOOKED:
        kinds = [PickupKind.HOME, PickupKind.MEETING, PickupKind.OTHER]
        if not ride.meeting_point:
            kinds.remove(PickupKind.MEETING)
        current = view.my_pickup.kind if view.my_pickup else None
        choices = [
            button(
                s.p(f"rides.pickup.button_{kind.value}") + (" ✓" if kind == current else ""),
                "r.pu",
                ride.id,
                kind.value,
            )
            for kind in kinds
        ]
        rows = [choices]
        point = view.my_pickup
        if point is not None and point.kind == PickupKind.HOME and not point.house_number:
            rows.append([button(s.p("rides.pickup.button_house"), "r.hn", ride.id)])
        rows.append([button(s.p("rides.view.cancel"), "r.x", ride.id)])
        return rows
    if booking is not None and booking.status == BookingStatus.WAITLISTED:
        return [[button(s.p("rides.view.leave_waitlist"), "r.x", ride.id)]]
    if ride.free_seats:
        return [[button(s.p("rides.view.book"), "r.b", ride.id)]]
    return [[button(s.p("rides.view.waitlist"), "r.w", ride.id)]]


def _driver_rows(s: RideSay, view: RideView) -> list[list[Button]]:
    ride = view.ride
    rows = [
        [button(s.p("rides.driver.seats"), "r.ds", ride.id)],
        [button(s.p("rides.driver.cancel"), "r.dx", ride.id)],
    ]
    if view.series is not None and view.series.active:
        rows.append([button(s.p("rides.driver.skip"), "r.dk", ride.id)])
        rows.append([button(s.p("rides.driver.stop"), "r.dt", view.series.id)])
    return rows


def _coordinator_rows(s: RideSay, view: RideView) -> list[list[Button]]:
    ride = view.ride
    rows = [[button(s.p("rides.coord.book_for"), "r.cb", ride.id)]]
    rows += [
        [
            button(
                s.p("rides.coord.cancel_for", name=line.name),
                "r.cx",
                ride.id,
                line.booking.resident_id,
            )
        ]
        for line in (*view.passengers, *view.waiting_list)
        if line.is_proxy
    ]
    return rows


def after_text(s: RideSay, view: RideView) -> str:
    """After the ride: thanks, and who was not there?"""
    return s.t("rides.after.ask", name=view.card.driver_name) + "\n\n" + s.passenger_list(view)


def after_rows(s: RideSay, view: RideView) -> list[list[Button]]:
    """No-show buttons for each passenger, a way back for a mistake, and "all there"."""
    rows = [
        [button(s.p("rides.after.absent", name=line.name), "r.ns", line.booking.id, 1)]
        for line in view.passengers
    ]
    rows += [
        [button(s.p("rides.after.present", name=line.name), "r.ns", line.booking.id, 0)]
        for line in view.absent
    ]
    done = "rides.after.done" if view.absent else "rides.after.all_there"
    rows.append([button(s.p(done), "r.all", view.ride.id)])
    return rows


def view_rows(s: RideSay, view: RideView, *, back: bool = True) -> list[list[Button]]:
    """The buttons under a ride, for who is looking and where the ride stands."""
    ride = view.ride
    rows: list[list[Button]] = []
    if ride.status == RideStatus.SCHEDULED:
        if view.is_coordinator:
            rows += _coordinator_rows(s, view)
        if view.is_driver:
            rows += _driver_rows(s, view)
        else:
            rows += _passenger_rows(s, view)
    elif view.is_driver and ride.status in {RideStatus.DEPARTED, RideStatus.DONE}:
        rows += after_rows(s, view)
    if back:
        rows.append([button(s.p("rides.view.back"), "r.home")])
    return rows


async def show_ride(
    update: Update, context: PatchworkContext, s: RideSay, view: RideView, intro: str | None = None
) -> None:
    """Draw a ride in the private chat (in place of the pressed message)."""
    text = view_text(s, view)
    if intro:
        text = intro + "\n\n" + text
    await show(update, text, keyboard(view_rows(s, view)))


@on("r.v")
async def on_view(update: Update, context: PatchworkContext) -> None:
    """Open a ride."""
    me, s = await reader(update, context)
    view = await context.services.rides.view(me.user, pressed(update).int_arg(0))
    await answer(update)
    text = view_text(s, view)
    markup = keyboard(view_rows(s, view))
    if is_private(update):
        await show(update, text, markup)
    else:
        await reply_private(update, context, me, text, markup)


async def _book(update: Update, context: PatchworkContext, *, waitlist_ok: bool) -> None:
    me, s = await reader(update, context)
    ride_id = pressed(update).int_arg(0)
    try:
        result = await context.services.rides.book(me.user, ride_id, waitlist_ok=waitlist_ok)
    except RideFull:
        view = await context.services.rides.view(me.user, ride_id)
        await answer(update, s.p("rides.toast.full"), alert=not is_private(update))
        await reply_private(
            update,
            context,
            me,
            s.t("rides.view.full_offer") + "\n\n" + view_text(s, view),
            keyboard(view_rows(s, view)),
        )
        return
    view = await context.services.rides.view(me.user, ride_id)
    waiting = result.booking.status == BookingStatus.WAITLISTED
    if waiting:
        intro = s.t("rides.booked.waiting", position=result.waiting_position or "?")
    else:
        departs = result.card.ride.departs_at
        booked = result.booking.booked_at or context.services.clock.now()
        # Never promise a reminder that will not come (a late booking misses the evening one).
        promise = reminder_promise(departs, booked, s.tz)
        intro = s.t(
            f"rides.booked.seat_{promise}",
            driver=result.card.driver_name,
            time=s.clock(hour_reminder_at(departs)),
        )
    # The waiting-list intro says where she stands: the card below does not say it again.
    text = intro + "\n\n" + view_text(s, view, place=not waiting)
    reached = await reply_private(update, context, me, text, keyboard(view_rows(s, view)))
    if not is_private(update):
        toast = "rides.toast.waiting" if waiting else "rides.toast.booked"
        await answer(update, s.p(toast if reached else toast + "_no_chat"), alert=True)


@on("r.b")
async def on_book(update: Update, context: PatchworkContext) -> None:
    """ "Ik rij mee": one tap books a seat (in the group card or in private)."""
    await _book(update, context, waitlist_ok=False)


@on("r.w")
async def on_waitlist(update: Update, context: PatchworkContext) -> None:
    """ "Wachtlijst": a seat if one is free, else a place on the waiting list."""
    await _book(update, context, waitlist_ok=True)


@on("r.pu")
async def on_pickup(update: Update, context: PatchworkContext) -> None:
    """Choose the pickup point: home, the meeting point, or type another place."""
    me, s = await reader(update, context)
    callback = pressed(update)
    ride_id, choice = callback.int_arg(0), callback.arg(1)
    if choice == "other":
        await dialogs.expect(update, context, PICKUP_FLOW, ride=ride_id)
        await answer(update)
        await send(update, s.t("rides.pickup.ask_other"))
        return
    kinds = {"home": PickupKind.HOME, "meeting": PickupKind.MEETING}
    if choice not in kinds:
        raise StaleAction()
    view = await context.services.rides.set_pickup(me.user, ride_id, kinds[choice])
    await answer(update, s.p("rides.toast.pickup_saved"))
    await show_ride(update, context, s, view)


@dialogs.text_step(PICKUP_FLOW)
async def on_pickup_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """Another pickup place was typed."""
    me, s = await reader(update, context)
    assert update.effective_message is not None
    view = await context.services.rides.set_pickup(
        me.user, int(dialog.data["ride"]), PickupKind.OTHER, update.effective_message.text
    )
    await dialogs.finish(update, context)
    await send(update, view_text(s, view), keyboard(view_rows(s, view)))


@on("r.hn")
async def on_house(update: Update, context: PatchworkContext) -> None:
    """Give the house number, so the driver knows where to ring."""
    _, s = await reader(update, context)
    ride_id = pressed(update).int_arg(0)
    await dialogs.expect(update, context, HOUSE_FLOW, ride=ride_id)
    await answer(update)
    await send(update, s.t("rides.pickup.ask_house"))


@dialogs.text_step(HOUSE_FLOW)
async def on_house_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """The house number was typed: save it (never shown in a group) and show the ride."""
    assert update.effective_message is not None
    await context.services.residents.set_house_number(
        user_of(update), update.effective_message.text or ""
    )
    await dialogs.finish(update, context)
    me, s = await reader(update, context)
    view = await context.services.rides.view(me.user, int(dialog.data["ride"]))
    await send(update, view_text(s, view), keyboard(view_rows(s, view)))


@on("r.x")
async def on_cancel(update: Update, context: PatchworkContext) -> None:
    """ "Afmelden": ask once more before giving up the seat."""
    me, s = await reader(update, context)
    ride_id = pressed(update).int_arg(0)
    view = await context.services.rides.view(me.user, ride_id)
    if view.my_booking is None or not view.my_booking.active:
        raise StaleAction()
    rows = [
        [button(s.p("rides.cancel.yes"), "r.xy", ride_id)],
        [button(s.p("rides.cancel.no"), "r.v", ride_id)],
    ]
    await answer(update)
    await show(update, s.t("rides.cancel.confirm", when=s.when(view.card)), keyboard(rows))


@on("r.xy")
async def on_cancel_yes(update: Update, context: PatchworkContext) -> None:
    """Give up the seat or waiting-list place; the first one waiting gets it."""
    me, s = await reader(update, context)
    result = await context.services.rides.cancel(me.user, pressed(update).int_arg(0))
    key = "rides.cancel.done_waiting" if result.was_waiting else "rides.cancel.done"
    await show_done(update, s, s.t(key))


@overview_section
async def my_rides(
    context: PatchworkContext, profile: Profile, language: Language
) -> Section | None:
    """ "Mijn overzicht": my upcoming rides, as driver and as passenger."""
    s = say(context, language)
    mine = await context.services.rides.mine(profile.resident.id)
    if not mine.driving and not mine.riding:
        return None
    lines = [s.t("rides.overview.title")]
    rows: list[list[Button]] = []
    for card in mine.driving:
        lines.append(s.t("rides.overview.driving", ride=s.short(card), seats=s.seats(card)))
        rows.append([button(s.short(card), "r.v", card.ride.id)])
    for card, booking in mine.riding:
        key = (
            "rides.overview.riding"
            if booking.status == BookingStatus.BOOKED
            else "rides.overview.waiting"
        )
        lines.append(s.t(key, ride=s.short(card), driver=card.driver_name))
        rows.append([button(s.short(card), "r.v", card.ride.id)])
    return Section("\n".join(lines), rows[:OVERVIEW_BUTTONS])
