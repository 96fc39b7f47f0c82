"""Renderers for what the rides capability says on its own: group cards, reminders, news.

Each reads the ride as it is when the message goes out; a reminder for a seat that was
given up in the meantime is not sent at all (the renderer returns None).
"""

from __future__ import annotations

from bot.outbox import RenderContext, Renderers
from config.i18n import Safe
from handlers.common import button, keyboard
from handlers.escalation.moderation import report_button
from handlers.rides.home import after_rows, after_text
from handlers.rides.say import RideSay
from models.messages import Button, OutgoingMessage, outgoing
from models.rides.model import BookingStatus, RideStatus
from models.rides.notices import (
    CoordinatorGranted,
    CoordinatorRevoked,
    DriverReminder,
    MovedToWaitlist,
    PassengerChanged,
    PassengerNotice,
    PassengersChanged,
    RideCancelled,
    RideCancelledForCoordinator,
    RideReminder,
    RideWrapUp,
    SeatGiven,
)
from models.rides.ops import POST_KIND
from models.rides.views import PassengerLine, RideCard


def _say(ctx: RenderContext) -> RideSay:
    return RideSay(ctx.services.i18n, ctx.language, ctx.services.settings.tz)


def _open_rows(s: RideSay, ride_id: int) -> list[list[Button]]:
    return [[button(s.p("rides.notice.open"), "r.v", ride_id)]]


async def _passenger(
    ctx: RenderContext, notice: PassengerNotice
) -> tuple[RideSay, RideCard, PassengerLine] | None:
    found = await ctx.services.rides.passenger(notice.ride_id, notice.passenger_id)
    if found is None:
        return None
    card, line = found
    return _say(ctx), card, line


def _about(s: RideSay, notice: PassengerNotice, line: PassengerLine, key: str) -> str:
    """For a proxy passenger the coordinator reads who it is about and whom to phone."""
    if not notice.proxy:
        return ""
    return "\n" + s.t(key, name=line.name, phone=line.phone or "?")


async def ride_card(ctx: RenderContext, ride_id: int) -> OutgoingMessage | None:
    card = await ctx.services.rides.card(ride_id)
    if card is None:
        return None
    s = _say(ctx)
    ride = card.ride
    rows = []
    if ride.status == RideStatus.SCHEDULED and ride.departs_at > ctx.services.clock.now():
        if ride.free_seats:
            rows.append([button(s.p("rides.view.book"), "r.b", ride.id)])
        else:
            rows.append([button(s.p("rides.card.waitlist_button"), "r.w", ride.id)])
    if ctx.street is not None:
        rows.append([report_button(ctx, ctx.language)])
    return outgoing(s.card(card), keyboard(rows))


async def reminder(ctx: RenderContext, notice: RideReminder) -> OutgoingMessage | None:
    found = await _passenger(ctx, notice)
    if found is None:
        return None
    s, card, line = found
    if card.ride.status != RideStatus.SCHEDULED or line.booking.status != BookingStatus.BOOKED:
        return None
    head = "rides.reminder.proxy_" if notice.proxy else "rides.reminder."
    text = s.t(
        head + notice.moment,
        name=line.name,
        destination=card.ride.destination,
        when=s.when(card),
        time=s.clock(card.ride.departs_at),
        driver=card.driver_name,
        pickup=Safe(s.pickup(line.pickup)),
        phone=line.phone or "?",
    )
    rows = _open_rows(s, card.ride.id)
    if not notice.proxy:
        rows.insert(0, [button(s.p("rides.reminder.cannot"), "r.x", card.ride.id)])
    return outgoing(text, keyboard(rows))


async def driver_reminder(ctx: RenderContext, notice: DriverReminder) -> OutgoingMessage | None:
    assert ctx.recipient.id is not None
    view = await ctx.services.rides.view_for(ctx.recipient.id, notice.ride_id)
    if view is None or not view.is_driver or view.ride.status != RideStatus.SCHEDULED:
        return None
    s = _say(ctx)
    text = s.t(
        f"rides.reminder.driver_{notice.moment}",
        destination=view.ride.destination,
        when=s.when(view.card),
        time=s.clock(view.ride.departs_at),
    )
    rows = _open_rows(s, view.ride.id)
    if not view.passengers and notice.moment == "hour":
        # "Nobody rides along" once, with the question, not the empty list as well.
        text += "\n\n" + s.t("rides.reminder.driver_empty")
        rows.insert(0, [button(s.p("rides.driver.cancel"), "r.dx", view.ride.id)])
    else:
        text += "\n\n" + s.passenger_list(view)
    return outgoing(text, keyboard(rows))


async def seat_given(ctx: RenderContext, notice: SeatGiven) -> OutgoingMessage | None:
    found = await _passenger(ctx, notice)
    if found is None:
        return None
    s, card, line = found
    if card.ride.status != RideStatus.SCHEDULED or line.booking.status != BookingStatus.BOOKED:
        return None
    text = s.t("rides.notice.seat_given", when=s.when(card), destination=card.ride.destination)
    text += _about(s, notice, line, "rides.notice.about_proxy")
    return outgoing(text + "\n\n" + s.card(card), keyboard(_open_rows(s, card.ride.id)))


async def moved(ctx: RenderContext, notice: MovedToWaitlist) -> OutgoingMessage | None:
    found = await _passenger(ctx, notice)
    if found is None:
        return None
    s, card, line = found
    text = s.t("rides.notice.moved", when=s.when(card), destination=card.ride.destination)
    text += _about(s, notice, line, "rides.notice.about_proxy")
    return outgoing(text, keyboard(_open_rows(s, card.ride.id)))


async def cancelled(ctx: RenderContext, notice: RideCancelled) -> OutgoingMessage | None:
    found = await _passenger(ctx, notice)
    if found is None:
        return None
    s, card, line = found
    key = "rides.notice.cancelled_waiting" if notice.waitlisted else "rides.notice.cancelled"
    text = s.t(key, when=s.when(card), destination=card.ride.destination, driver=card.driver_name)
    text += _about(s, notice, line, "rides.notice.about_proxy_call")
    rows = [[button(s.p("rides.notice.other_rides"), "r.home")]]
    return outgoing(text, keyboard(rows))


async def cancelled_coordinator(
    ctx: RenderContext, notice: RideCancelledForCoordinator
) -> OutgoingMessage | None:
    assert ctx.recipient.id is not None
    view = await ctx.services.rides.view_for(ctx.recipient.id, notice.ride_id)
    if view is None or not view.is_coordinator:
        return None
    s = _say(ctx)
    text = s.t(
        "rides.notice.cancelled_coordinator",
        driver=view.card.driver_name,
        when=s.when(view.card),
        destination=view.ride.destination,
    )
    text += "\n\n" + s.passenger_list(view, cancelled=True)
    return outgoing(text)


async def changes(ctx: RenderContext, notice: PassengersChanged) -> OutgoingMessage | None:
    """The driver's one message about recent changes, with who to pick up as it is now."""
    assert ctx.recipient.id is not None
    rides = ctx.services.rides
    view = await rides.view_for(ctx.recipient.id, notice.ride_id)
    if view is None or not view.is_driver or view.ride.status != RideStatus.SCHEDULED:
        return None
    found = await rides.changes_since(notice.ride_id, notice.since)
    if not found:
        return None  # booked and cancelled again within the batch: nothing to tell
    s = _say(ctx)
    lines = [
        s.t(
            "rides.notice.changes",
            destination=view.ride.destination,
            when=s.when(view.card),
        )
    ]
    for item in found:
        pickup = Safe(s.pickup(item.line.pickup))
        lines.append(s.t(f"rides.notice.change_{item.change}", name=item.line.name, pickup=pickup))
    text = "\n".join(lines) + "\n\n" + s.passenger_list(view)
    return outgoing(text, keyboard(_open_rows(s, view.ride.id)))


async def changed(ctx: RenderContext, notice: PassengerChanged) -> OutgoingMessage | None:
    found = await ctx.services.rides.passenger(notice.ride_id, notice.passenger_id)
    if found is None:
        return None
    card, line = found
    s = _say(ctx)
    if notice.change == "booked":
        text = s.t(
            "rides.notice.late_booked",
            name=line.name,
            when=s.when(card),
            pickup=Safe(s.pickup(line.pickup)),
        )
    else:
        text = s.t("rides.notice.late_cancelled", name=line.name, when=s.when(card))
    return outgoing(text, keyboard(_open_rows(s, card.ride.id)))


async def wrap_up(ctx: RenderContext, notice: RideWrapUp) -> OutgoingMessage | None:
    assert ctx.recipient.id is not None
    view = await ctx.services.rides.view_for(ctx.recipient.id, notice.ride_id)
    if view is None or not view.is_driver:
        return None
    s = _say(ctx)
    return outgoing(after_text(s, view), keyboard(after_rows(s, view)))


async def granted(ctx: RenderContext, notice: CoordinatorGranted) -> OutgoingMessage:
    s = _say(ctx)
    hood = await ctx.services.streets.neighbourhood(notice.neighbourhood_id)
    # Asked once, kindly: may neighbours without Telegram phone you for a ride?
    rows = [
        [button(s.p("rides.card_phone.yes"), "r.kp", notice.neighbourhood_id)],
        [button(s.p("rides.card_phone.no"), "r.kn")],
        [button(s.p("rides.home.coordinator"), "r.c")],
    ]
    text = s.t("rides.notice.coordinator", neighbourhood=hood.name)
    text += "\n\n" + s.t("rides.card_phone.question")
    return outgoing(text, keyboard(rows))


async def revoked(ctx: RenderContext, notice: CoordinatorRevoked) -> OutgoingMessage:
    s = _say(ctx)
    hood = await ctx.services.streets.neighbourhood(notice.neighbourhood_id)
    return outgoing(s.t("rides.notice.coordinator_revoked", neighbourhood=hood.name))


def register(renderers: Renderers) -> None:
    """Install the rides renderers."""
    renderers.post(POST_KIND)(ride_card)
    renderers.message(RideReminder)(reminder)
    renderers.message(DriverReminder)(driver_reminder)
    renderers.message(SeatGiven)(seat_given)
    renderers.message(MovedToWaitlist)(moved)
    renderers.message(RideCancelled)(cancelled)
    renderers.message(RideCancelledForCoordinator)(cancelled_coordinator)
    renderers.message(PassengerChanged)(changed)
    renderers.message(PassengersChanged)(changes)
    renderers.message(RideWrapUp)(wrap_up)
    renderers.message(CoordinatorGranted)(granted)
    renderers.message(CoordinatorRevoked)(revoked)
