"""Steps shared by the rides services, each inside the caller's write transaction.

A seat change, its counter, the notifications it causes and the card refresh happen in
one transaction, so a message goes out if and only if the change was committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from models.audit import audit
from models.core import ChannelUser, NeighbourhoodRole, Resident
from models.errors import NotAStreetMember
from models.notifications import (
    PlacePost,
    PostRef,
    Recipient,
    RefreshPosts,
)
from models.ports import Transaction
from models.rides.model import (
    Booking,
    BookingStatus,
    InvalidTransition,
    PickupKind,
    PickupMode,
    Ride,
    RideFull,
    RideNotFound,
    RideStatus,
    SeatChange,
    check_booking_transition,
    check_ride_transition,
    passengers,
    plan_booking,
    plan_cancel,
    transition_fields,
    waiting_list,
)
from models.rides.notices import (
    PassengerNotice,
    PassengersChanged,
    RideCancelled,
    RideCancelledForCoordinator,
    SeatGiven,
)
from models.rides.ports import NewRide
from models.rides.views import BookingResult, PassengerLine, PickupPoint, RideCard

POST_KIND = "ride"
# How long after the return (or a typical trip) a ride counts as over.
TYPICAL_TRIP = timedelta(hours=2)
AFTER_RETURN = timedelta(hours=1)


def ride_ref(ride_id: int) -> PostRef:
    """The group card of a ride."""
    return PostRef(ref_kind=POST_KIND, ref_id=ride_id)


def ends_at(departs_at: datetime, return_at: datetime | None) -> datetime:
    """When a ride counts as over: an hour after the return, or after a typical trip."""
    return (return_at or departs_at + TYPICAL_TRIP) + AFTER_RETURN


async def resident_of(tx: Transaction, user: ChannelUser) -> Resident:
    """The resident behind a channel user, or NotAStreetMember."""
    resident = await tx.residents.by_external(user.channel, user.external_id)
    if resident is None:
        raise NotAStreetMember()
    return resident


async def neighbourhoods_of(tx: Transaction, resident_id: int) -> dict[int, list[int]]:
    """Neighbourhood id → the active streets (ids) a resident belongs to there, unblocked."""
    result: dict[int, list[int]] = {}
    for membership in await tx.memberships.of_resident(resident_id):
        if membership.blocked:
            continue
        street = await tx.streets.get(membership.street_id)
        if street is not None and street.active:
            result.setdefault(street.neighbourhood_id, []).append(street.id)
    return result


async def has_role(
    tx: Transaction, resident_id: int, neighbourhood_id: int, role: NeighbourhoodRole
) -> bool:
    """Whether a resident holds a neighbourhood role there."""
    return (neighbourhood_id, role) in await tx.memberships.roles(resident_id)


async def is_coordinator(tx: Transaction, resident_id: int, neighbourhood_id: int) -> bool:
    """Whether a resident coordinates the rides of a neighbourhood."""
    return await has_role(tx, resident_id, neighbourhood_id, NeighbourhoodRole.COORDINATOR)


async def require_neighbour(tx: Transaction, resident: Resident, neighbourhood_id: int) -> None:
    """Refuse unless the resident lives in (belongs to a street of) the neighbourhood."""
    if neighbourhood_id not in await neighbourhoods_of(tx, resident.id):
        raise NotAStreetMember()


async def load_ride(tx: Transaction, ride_id: int) -> Ride:
    """A ride by id, or RideNotFound (a stale button)."""
    ride = await tx.rides.get(ride_id)
    if ride is None:
        raise RideNotFound()
    return ride


async def card(tx: Transaction, ride: Ride) -> RideCard:
    """The public face of a ride."""
    driver = await tx.residents.get(ride.driver_id)
    names: list[str] = []
    for street_id in ride.street_ids:
        street = await tx.streets.get(street_id)
        if street is not None:
            names.append(street.name)
    bookings = await tx.rides.bookings(ride.id)
    return RideCard(
        ride=ride,
        driver_name=driver.display_name if driver else "?",
        street_names=tuple(names),
        waiting=len(waiting_list(bookings)),
        weekly=ride.series_id is not None,
    )


async def pickup_point(
    tx: Transaction, ride: Ride, booking: Booking, resident: Resident
) -> PickupPoint:
    """Where a passenger is picked up: home (street and house number), meeting point, other."""
    if booking.pickup_kind == PickupKind.MEETING and ride.meeting_point:
        return PickupPoint(kind=PickupKind.MEETING, text=ride.meeting_point)
    if booking.pickup_kind == PickupKind.OTHER and booking.pickup_text:
        return PickupPoint(kind=PickupKind.OTHER, text=booking.pickup_text)
    street_name: str | None = None
    streets = (await neighbourhoods_of(tx, resident.id)).get(ride.neighbourhood_id, [])
    if streets:
        street = await tx.streets.get(streets[0])
        street_name = street.name if street else None
    return PickupPoint(
        kind=PickupKind.HOME, street=street_name, house_number=resident.house_number
    )


async def passenger_line(tx: Transaction, ride: Ride, booking: Booking) -> PassengerLine:
    """A booking as the driver or a coordinator sees it (a proxy's phone included)."""
    resident = await tx.residents.get(booking.resident_id)
    assert resident is not None
    return PassengerLine(
        booking=booking,
        name=resident.display_name,
        is_proxy=resident.is_proxy,
        pickup=await pickup_point(tx, ride, booking, resident),
        phone=resident.phone if resident.is_proxy else None,
    )


async def passenger_lines(
    tx: Transaction, ride: Ride, bookings: Sequence[Booking] | None = None
) -> tuple[list[PassengerLine], list[PassengerLine], list[PassengerLine]]:
    """(passengers, waiting list, no-shows) of a ride, in order."""
    bookings = bookings if bookings is not None else await tx.rides.bookings(ride.id)
    seated = [await passenger_line(tx, ride, b) for b in passengers(bookings)]
    waiting = [await passenger_line(tx, ride, b) for b in waiting_list(bookings)]
    absent = [
        await passenger_line(tx, ride, b) for b in bookings if b.status == BookingStatus.NO_SHOW
    ]
    return seated, waiting, absent


def default_pickup(ride: Ride) -> PickupKind:
    """Home pickup, unless the driver set one meeting point."""
    return PickupKind.MEETING if ride.pickup_mode == PickupMode.MEETING else PickupKind.HOME


async def apply_change(
    tx: Transaction,
    ride: Ride,
    change: SeatChange,
    now: datetime,
    *,
    booked_by: int | None = None,
) -> Booking:
    """Write one seat change and keep the ride's seat counter in step (never past capacity)."""
    delta = int(change.new == BookingStatus.BOOKED) - int(change.old == BookingStatus.BOOKED)
    if delta > 0 and not await tx.rides.take_seat(ride.id):
        raise RideFull()
    if delta < 0:
        await tx.rides.free_seat(ride.id)
    if change.booking_id is None:
        return await tx.rides.insert_booking(
            ride.id, change.resident_id, change.new, default_pickup(ride), None, booked_by, now
        )
    old = await tx.rides.booking_by_id(change.booking_id)
    if old is None or old.ride_id != ride.id or old.status != change.old:
        raise InvalidTransition()
    check_booking_transition(old.status, change.new)
    fields = transition_fields(old, change, now)
    if booked_by is not None or old.status == BookingStatus.CANCELLED:
        fields["booked_by"] = booked_by
    await tx.rides.update_booking(old.id, **fields)
    fresh = await tx.rides.booking_by_id(old.id)
    assert fresh is not None
    return fresh


async def coordinators(tx: Transaction, neighbourhood_id: int) -> list[Resident]:
    """The coordinators of a neighbourhood."""
    return list(await tx.memberships.holders(neighbourhood_id, NeighbourhoodRole.COORDINATOR))


async def contacts(
    tx: Transaction, ride: Ride, passenger_id: int, booked_by: int | None
) -> list[tuple[Recipient, bool]]:
    """Who hears about a passenger's seat: themself, or for a proxy their coordinator(s)."""
    passenger = await tx.residents.get(passenger_id)
    if passenger is None:
        return []
    if not passenger.is_proxy:
        return [(Recipient.resident(passenger.id), False)]
    ids = [c.id for c in await coordinators(tx, ride.neighbourhood_id)]
    # The coordinator who booked phones the neighbour; if they stopped, every coordinator hears.
    chosen = [booked_by] if booked_by is not None and booked_by in ids else ids
    return [(Recipient.resident(i), True) for i in chosen]


async def tell_passenger(
    tx: Transaction,
    ride: Ride,
    booking: Booking,
    notice: type[PassengerNotice],
    now: datetime,
    key: str | None = None,
    **fields: Any,
) -> None:
    """Enqueue one notice per contact of a passenger (for a proxy: the key names the recipient)."""
    for recipient, proxy in await contacts(tx, ride, booking.resident_id, booking.booked_by):
        full_key = f"{key}:{recipient.id}" if key and proxy else key
        message = notice(ride_id=ride.id, passenger_id=booking.resident_id, proxy=proxy, **fields)
        await tx.outbox.enqueue(recipient, message, key=full_key, now=now)


async def refresh_card(tx: Transaction, ride: Ride, now: datetime) -> None:
    """Redraw the ride's group cards (seats, waiting list or status changed)."""
    for street_id in ride.street_ids:
        street = await tx.streets.get(street_id)
        if street is not None and street.active and street.chat is not None:
            await tx.outbox.enqueue(
                Recipient.street(street_id), RefreshPosts(ref=ride_ref(ride.id)), now=now
            )
            return


async def place_cards(tx: Transaction, ride: Ride, now: datetime) -> None:
    """Post a new ride's card in every street group the driver chose."""
    for street_id in ride.street_ids:
        await tx.outbox.enqueue(
            Recipient.street(street_id),
            PlacePost(ref=ride_ref(ride.id)),
            key=f"ride:{ride.id}:post:{street_id}",
            now=now,
        )


CHANGE_BATCH = timedelta(minutes=2)  # changes this close together reach the driver as one


async def tell_driver_of_change(tx: Transaction, ride: Ride, now: datetime) -> None:
    """After the ride's first reminder, the driver hears of every change to the passengers.

    Until then the reminder itself brings the list (built when it is sent). Changes within
    `CHANGE_BATCH` come as one message (a cancellation and the move-up it causes, a few
    bookings at once), always before departure; it lists the passengers as they are then."""
    reminded = ride.evening_reminded_at is not None or ride.hour_reminded_at is not None
    if now >= ride.departs_at or not reminded:
        return
    start = now - timedelta(seconds=now.timestamp() % CHANGE_BATCH.total_seconds())
    send_at = max(now, min(start + CHANGE_BATCH, ride.departs_at - timedelta(minutes=1)))
    await tx.outbox.enqueue(
        Recipient.resident(ride.driver_id),
        PassengersChanged(ride_id=ride.id, since=start),
        key=f"ride:{ride.id}:changes:{start:%Y%m%dT%H%M%S}",
        not_before=send_at,
        now=now,
    )


async def book(
    tx: Transaction,
    ride: Ride,
    passenger: Resident,
    now: datetime,
    *,
    waitlist_ok: bool,
    booked_by: int | None = None,
) -> BookingResult:
    """Book a seat (or a waiting-list place) and tell whoever needs to know."""
    bookings = await tx.rides.bookings(ride.id)
    change = plan_booking(ride, bookings, passenger.id, now, waitlist_ok=waitlist_ok)
    booking = await apply_change(tx, ride, change, now, booked_by=booked_by)
    ride = await load_ride(tx, ride.id)
    if booking.status == BookingStatus.BOOKED:
        await tell_driver_of_change(tx, ride, now)
    await refresh_card(tx, ride, now)
    await audit(
        tx,
        now,
        f"ride.{booking.status.value}",
        "ride",
        ride.id,
        actor_resident_id=booked_by or passenger.id,
        passenger=passenger.id,
    )
    after = await tx.rides.bookings(ride.id)
    position = next((i + 1 for i, b in enumerate(waiting_list(after)) if b.id == booking.id), None)
    return BookingResult(
        card=await card(tx, ride),
        booking=booking,
        waiting_position=position,
        pickup=await pickup_point(tx, ride, booking, passenger),
    )


async def promote(
    tx: Transaction, ride: Ride, changes: Sequence[SeatChange], now: datetime
) -> None:
    """Apply waiting-list promotions and tell each promoted person (or their coordinator)."""
    for change in changes:
        booking = await apply_change(tx, ride, change, now)
        await tell_passenger(tx, ride, booking, SeatGiven, now)
        await tell_driver_of_change(tx, ride, now)


async def cancel_booking(
    tx: Transaction, ride: Ride, passenger_id: int, now: datetime, *, actor_id: int
) -> bool:
    """Give up a seat or waiting-list place; the first waiting gets the seat. True: was waiting."""
    bookings = await tx.rides.bookings(ride.id)
    changes = plan_cancel(ride, bookings, passenger_id, now)
    own, promotions = changes[0], changes[1:]
    await apply_change(tx, ride, own, now)
    await promote(tx, ride, promotions, now)
    if own.old == BookingStatus.BOOKED:
        await tell_driver_of_change(tx, ride, now)
    await refresh_card(tx, ride, now)
    await audit(
        tx,
        now,
        "ride.cancelled_seat",
        "ride",
        ride.id,
        actor_resident_id=actor_id,
        passenger=passenger_id,
    )
    return own.old == BookingStatus.WAITLISTED


async def cancel_ride(tx: Transaction, ride: Ride, now: datetime, *, actor_id: int | None) -> None:
    """Cancel a ride: everyone with a seat or on the waiting list is told, and the coordinators.

    `actor_id` None: moderation took the ride down (the worker is in moderation's audit).
    """
    check_ride_transition(ride.status, RideStatus.CANCELLED)
    if not await tx.rides.move_status(ride.id, ride.status, RideStatus.CANCELLED, now):
        raise InvalidTransition()
    for booking in await tx.rides.bookings(ride.id):
        if not booking.active:
            continue
        waiting = booking.status == BookingStatus.WAITLISTED
        await tell_passenger(
            tx,
            ride,
            booking,
            RideCancelled,
            now,
            key=f"ride:{ride.id}:cancelled:{booking.resident_id}",
            waitlisted=waiting,
        )
    for coordinator in await coordinators(tx, ride.neighbourhood_id):
        if coordinator.id == actor_id:
            continue
        await tx.outbox.enqueue(
            Recipient.resident(coordinator.id),
            RideCancelledForCoordinator(ride_id=ride.id),
            key=f"ride:{ride.id}:cancelled:coordinator:{coordinator.id}",
            now=now,
        )
    await refresh_card(tx, ride, now)
    await audit(tx, now, "ride.cancelled", "ride", ride.id, actor_resident_id=actor_id)


async def add_ride(tx: Transaction, new: NewRide, now: datetime) -> Ride | None:
    """Create a ride and post its cards (None: the series has that date already)."""
    ride = await tx.rides.add(new, now)
    if ride is not None:
        await place_cards(tx, ride, now)
    return ride
