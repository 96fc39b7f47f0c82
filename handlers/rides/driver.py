"""Drivers: fewer or more seats, cancelling, skipping a week, stopping, no-shows."""

from __future__ import annotations

from telegram import Update

from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.common import answer, button, keyboard, send, show
from handlers.context import PatchworkContext
from handlers.rides.common import on, pressed, reader, show_done
from handlers.rides.home import after_rows, after_text, show_ride
from handlers.rides.say import RideSay
from models.rides.model import MAX_SEATS, MIN_SEATS, NotTheDriver, SeatsBelowBooked
from models.rides.views import RideView

RESIZE_FLOW = "rides.resize"


async def _driver_view(update: Update, context: PatchworkContext, ride_id: int) -> RideView:
    me, _ = await reader(update, context)
    view = await context.services.rides.view(me.user, ride_id)
    if not view.is_driver:
        raise NotTheDriver()
    return view


@on("r.ds")
async def on_seats(update: Update, context: PatchworkContext) -> None:
    """ "Plekken aanpassen": how many seats are there now?"""
    _, s = await reader(update, context)
    ride_id = pressed(update).int_arg(0)
    view = await _driver_view(update, context, ride_id)
    buttons = [
        button(f"{n} ✓" if n == view.ride.seats else str(n), "r.dn", ride_id, n)
        for n in range(MIN_SEATS, MAX_SEATS + 1)
    ]
    await answer(update)
    await show(
        update,
        s.t("rides.driver.ask_seats", count=len(view.passengers)),
        keyboard([buttons[:4], buttons[4:], [button(s.p("rides.driver.back"), "r.v", ride_id)]]),
    )


@on("r.dn")
async def on_seats_number(update: Update, context: PatchworkContext) -> None:
    """A number of seats was chosen; fewer than the passengers asks who waits."""
    me, s = await reader(update, context)
    callback = pressed(update)
    ride_id, seats = callback.int_arg(0), callback.int_arg(1)
    try:
        view = await context.services.rides.resize(me.user, ride_id, seats)
    except SeatsBelowBooked:
        await dialogs.expect(update, context, RESIZE_FLOW, ride=ride_id, seats=seats, chosen=[])
        await answer(update)
        await _show_choice(update, context, s, ride_id, seats, [])
        return
    await answer(update, s.p("rides.toast.seats_saved"))
    await show_ride(update, context, s, view)


async def _show_choice(
    update: Update,
    context: PatchworkContext,
    s: RideSay,
    ride_id: int,
    seats: int,
    chosen: list[int],
) -> None:
    view = await _driver_view(update, context, ride_id)
    need = len(view.passengers) - seats
    rows = [
        [
            button(
                ("⏳ " if line.booking.id in chosen else "🪑 ") + line.name,
                "r.dw",
                line.booking.id,
            )
        ]
        for line in view.passengers
    ]
    rows.append([button(s.p("rides.driver.move_confirm"), "r.dy")])
    rows.append([button(s.p("rides.driver.back"), "r.v", ride_id)])
    text = s.t(
        "rides.driver.choose_waiting",
        count=need,
        seats=seats,
        passengers=len(view.passengers),
        chosen=len(chosen),
    )
    await show(update, text, keyboard(rows))


@on("r.dw")
async def on_choose_waiting(update: Update, context: PatchworkContext) -> None:
    """Tap a passenger to move them to the waiting list (tap again to keep their seat)."""
    _, s = await reader(update, context)
    data = await dialogs.answers(update, context, RESIZE_FLOW)
    booking_id = pressed(update).int_arg(0)
    ride_id, seats = int(data["ride"]), int(data["seats"])
    chosen = [int(b) for b in data.get("chosen", [])]
    chosen = (
        [b for b in chosen if b != booking_id] if booking_id in chosen else [*chosen, booking_id]
    )
    await dialogs.expect(update, context, RESIZE_FLOW, ride=ride_id, seats=seats, chosen=chosen)
    await answer(update)
    await _show_choice(update, context, s, ride_id, seats, chosen)


@on("r.dy")
async def on_choose_confirm(update: Update, context: PatchworkContext) -> None:
    """Save the fewer seats; the chosen passengers go to the front of the waiting list."""
    me, s = await reader(update, context)
    data = await dialogs.answers(update, context, RESIZE_FLOW)
    ride_id, seats = int(data["ride"]), int(data["seats"])
    chosen = [int(b) for b in data.get("chosen", [])]
    view = await context.services.rides.resize(me.user, ride_id, seats, chosen)
    await dialogs.finish(update, context)
    await answer(update, s.p("rides.toast.seats_saved"))
    await show_ride(update, context, s, view)


@dialogs.text_step(RESIZE_FLOW)
async def on_resize_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """Typing while choosing: point at the buttons."""
    _, s = await reader(update, context)
    await send(update, s.t("rides.publish.tap_button"))


@on("r.dx")
async def on_cancel_ride(update: Update, context: PatchworkContext) -> None:
    """ "Rit afzeggen": ask once more, saying who will be told."""
    _, s = await reader(update, context)
    ride_id = pressed(update).int_arg(0)
    view = await _driver_view(update, context, ride_id)
    people = len(view.passengers) + len(view.waiting_list)
    rows = [
        [button(s.p("rides.driver.cancel_yes"), "r.dxy", ride_id)],
        [button(s.p("rides.driver.cancel_no"), "r.v", ride_id)],
    ]
    await answer(update)
    text = s.t("rides.driver.cancel_confirm", count=people, when=s.when(view.card))
    await show(update, text, keyboard(rows))


@on("r.dxy")
async def on_cancel_ride_yes(update: Update, context: PatchworkContext) -> None:
    """Cancel the ride; everyone on it (and the coordinators) hear it kindly."""
    me, s = await reader(update, context)
    card = await context.services.rides.cancel_ride(me.user, pressed(update).int_arg(0))
    await show_done(update, s, s.t("rides.driver.cancelled", when=s.when(card)))


@on("r.dk")
async def on_skip(update: Update, context: PatchworkContext) -> None:
    """ "Deze week overslaan": ask once more."""
    _, s = await reader(update, context)
    ride_id = pressed(update).int_arg(0)
    view = await _driver_view(update, context, ride_id)
    rows = [
        [button(s.p("rides.driver.skip_yes"), "r.dky", ride_id)],
        [button(s.p("rides.driver.cancel_no"), "r.v", ride_id)],
    ]
    await answer(update)
    await show(update, s.t("rides.driver.skip_confirm", when=s.when(view.card)), keyboard(rows))


@on("r.dky")
async def on_skip_yes(update: Update, context: PatchworkContext) -> None:
    """Skip this date; the weekly ride goes on."""
    me, s = await reader(update, context)
    card = await context.services.rides.skip(me.user, pressed(update).int_arg(0))
    await show_done(update, s, s.t("rides.driver.skipped", when=s.when(card)))


@on("r.dt")
async def on_stop(update: Update, context: PatchworkContext) -> None:
    """ "Stoppen met elke week": ask once more, saying which dates are cancelled."""
    me, s = await reader(update, context)
    series_id = pressed(update).int_arg(0)
    cards = await context.services.rides.series_preview(me.user, series_id)
    dates = ", ".join(s.short(c) for c in cards) or "-"
    rows = [
        [button(s.p("rides.driver.stop_yes"), "r.dty", series_id)],
        [button(s.p("rides.view.back"), "r.home")],
    ]
    await answer(update)
    await show(update, s.t("rides.driver.stop_confirm", dates=dates), keyboard(rows))


@on("r.dty")
async def on_stop_yes(update: Update, context: PatchworkContext) -> None:
    """Stop the weekly ride."""
    me, s = await reader(update, context)
    cancelled = await context.services.rides.stop_series(me.user, pressed(update).int_arg(0))
    await show_done(update, s, s.t("rides.driver.stopped", count=len(cancelled)))


@on("r.ns")
async def on_no_show(update: Update, context: PatchworkContext) -> None:
    """After the ride: mark (1) or unmark (0) a passenger who was not there."""
    me, s = await reader(update, context)
    callback = pressed(update)
    booking_id, absent = callback.int_arg(0), callback.int_arg(1) == 1
    view = await context.services.rides.mark_no_show(me.user, booking_id, no_show=absent)
    await answer(update, s.p("rides.toast.noted"))
    await show(update, after_text(s, view), keyboard(after_rows(s, view)))


@on("r.all")
async def on_everyone_there(update: Update, context: PatchworkContext) -> None:
    """After the ride: everyone was there."""
    _, s = await reader(update, context)
    await answer(update)
    await show(update, s.t("rides.after.thanks"))
