"""Grocery rides: rides, bookings, weekly series, their state machines and seat rules.

Everything here is pure: the seat plans take the current bookings of a ride and say what
must change, so the rules can be tested without a database and the service applies the
changes inside one write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from enum import StrEnum

from pydantic import Field

from models.core import Frozen
from models.errors import DomainError, InvalidInput, NotAllowed, StaleAction
from models.text import clean_text

MIN_SEATS = 1
MAX_SEATS = 8
DESTINATION_MAX = 60
PICKUP_TEXT_MAX = 60


class RideStatus(StrEnum):
    """Where a ride is in its life."""

    SCHEDULED = "scheduled"
    DEPARTED = "departed"
    DONE = "done"
    CANCELLED = "cancelled"


class BookingStatus(StrEnum):
    """A passenger's place on a ride."""

    BOOKED = "booked"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class PickupMode(StrEnum):
    """How the driver picks people up: at their homes, or at one meeting point."""

    HOME = "home"
    MEETING = "meeting"


class PickupKind(StrEnum):
    """Where one passenger is picked up."""

    HOME = "home"
    MEETING = "meeting"
    OTHER = "other"


RIDE_TRANSITIONS: dict[RideStatus, frozenset[RideStatus]] = {
    RideStatus.SCHEDULED: frozenset({RideStatus.DEPARTED, RideStatus.CANCELLED}),
    RideStatus.DEPARTED: frozenset({RideStatus.DONE}),
    RideStatus.DONE: frozenset(),
    RideStatus.CANCELLED: frozenset(),
}

BOOKING_TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    # A seat can be given up, handed back to the waiting list (fewer seats), or missed.
    BookingStatus.BOOKED: frozenset(
        {BookingStatus.CANCELLED, BookingStatus.WAITLISTED, BookingStatus.NO_SHOW}
    ),
    # The waiting list moves up, or the person leaves it.
    BookingStatus.WAITLISTED: frozenset({BookingStatus.BOOKED, BookingStatus.CANCELLED}),
    # Someone who cancelled may book again (one row per person and ride).
    BookingStatus.CANCELLED: frozenset({BookingStatus.BOOKED, BookingStatus.WAITLISTED}),
    # The driver marked a no-show by mistake and takes it back.
    BookingStatus.NO_SHOW: frozenset({BookingStatus.BOOKED}),
}


# Errors ----------------------------------------------------------------------------


class InvalidTransition(StaleAction):
    """A state change the life cycle does not allow (usually a button that is out of date)."""

    message_key = "rides.errors.changed"


class RideNotFound(StaleAction):
    """The ride does not exist (any more)."""

    message_key = "rides.errors.not_found"


class RideClosed(DomainError):
    """The ride has left, is over, or was cancelled: no more changes for passengers."""

    message_key = "rides.errors.closed"


class RideFull(DomainError):
    """Every seat is taken; the waiting list is offered instead."""

    message_key = "rides.errors.full"


class AlreadyBooked(DomainError):
    """The person has a seat (or a waiting-list place) on this ride already."""

    message_key = "rides.errors.already_booked"


class OwnRide(NotAllowed):
    """A driver cannot book a seat in their own car."""

    message_key = "rides.errors.own_ride"


class NotBooked(StaleAction):
    """There is no seat or waiting-list place to cancel or change."""

    message_key = "rides.errors.not_booked"


class NotTheDriver(NotAllowed):
    """Only the driver (or a coordinator) may do this to a ride."""

    message_key = "rides.errors.not_driver"


class NotACoordinator(NotAllowed):
    """Only a coordinator of the neighbourhood may do this."""

    message_key = "rides.errors.not_coordinator"


class NotACommunityWorker(NotAllowed):
    """Only a community worker of the neighbourhood may give the coordinator role."""

    message_key = "rides.errors.not_community_worker"


class SeatsBelowBooked(DomainError):
    """Fewer seats than booked passengers, and not enough of them chosen for the waiting list."""

    message_key = "rides.errors.seats_below_booked"


class InvalidSeats(InvalidInput):
    """Seats outside 1 to 8."""

    message_key = "rides.errors.seats"


class DateOutOfRange(InvalidInput):
    """A ride date in the past or further ahead than the buttons offer."""

    message_key = "rides.errors.date"


class DepartureInPast(InvalidInput):
    """The chosen moment has passed already."""

    message_key = "rides.errors.departure_past"


class ReturnBeforeDeparture(InvalidInput):
    """A return time that is not after the departure."""

    message_key = "rides.errors.return_before"


class NoShowTooEarly(DomainError):
    """No-shows can be marked only once the ride has left."""

    message_key = "rides.errors.no_show_early"


class NotASeries(StaleAction):
    """The ride is not part of a weekly series (any more)."""

    message_key = "rides.errors.not_series"


class UnknownStreet(InvalidInput):
    """A street that is not in the ride's neighbourhood."""

    message_key = "rides.errors.street"


# Values ------------------------------------------------------------------------------


class Ride(Frozen):
    """One trip on one date: a driver, a destination, a number of seats."""

    id: int
    neighbourhood_id: int
    driver_id: int
    series_id: int | None = None
    departs_at: datetime
    local_date: date
    return_at: datetime | None = None
    destination: str
    seats: int
    booked: int = 0
    pickup_mode: PickupMode = PickupMode.HOME
    meeting_point: str | None = None
    status: RideStatus = RideStatus.SCHEDULED
    street_ids: tuple[int, ...] = ()
    ends_at: datetime
    created_at: datetime
    cancelled_at: datetime | None = None
    evening_reminded_at: datetime | None = None
    hour_reminded_at: datetime | None = None

    @property
    def free_seats(self) -> int:
        """Seats nobody has taken."""
        return max(0, self.seats - self.booked)

    @property
    def open(self) -> bool:
        """Whether passengers can still change anything (scheduled, not left)."""
        return self.status == RideStatus.SCHEDULED

    def bookable(self, now: datetime) -> bool:
        """Whether a seat can be asked for right now."""
        return self.open and self.departs_at > now


class Booking(Frozen):
    """One person's seat or waiting-list place on a ride."""

    id: int
    ride_id: int
    resident_id: int
    status: BookingStatus
    pickup_kind: PickupKind = PickupKind.HOME
    pickup_text: str | None = None
    booked_by: int | None = None
    created_at: datetime
    booked_at: datetime | None = None
    queued_at: datetime | None = None
    updated_at: datetime

    @property
    def active(self) -> bool:
        """A seat or a waiting-list place (not cancelled, not missed)."""
        return self.status in {BookingStatus.BOOKED, BookingStatus.WAITLISTED}


class RideSeries(Frozen):
    """A weekly template: every week on one weekday, at one local time."""

    id: int
    neighbourhood_id: int
    driver_id: int
    weekday: int = Field(ge=0, le=6)
    local_time: time
    return_time: time | None = None
    destination: str
    seats: int
    pickup_mode: PickupMode = PickupMode.HOME
    meeting_point: str | None = None
    street_ids: tuple[int, ...] = ()
    first_date: date
    active: bool = True
    created_at: datetime
    stopped_at: datetime | None = None


class RideDraft(Frozen):
    """What a driver chose in the publishing steps, before it is checked and saved."""

    day: date
    departs: time
    destination: str
    seats: int
    pickup_mode: PickupMode = PickupMode.HOME
    meeting_point: str | None = None
    returns: time | None = None
    weekly: bool = False
    street_ids: tuple[int, ...] = ()


class SeatChange(Frozen):
    """One booking moving to a new status (booking_id None: a new booking row)."""

    booking_id: int | None
    resident_id: int
    old: BookingStatus | None
    new: BookingStatus
    reason: str = ""


# State machines ----------------------------------------------------------------------


def check_ride_transition(current: RideStatus, target: RideStatus) -> RideStatus:
    """The target status if the ride's life cycle allows it, else InvalidTransition."""
    if target not in RIDE_TRANSITIONS[current]:
        raise InvalidTransition(current=current.value, target=target.value)
    return target


def check_booking_transition(current: BookingStatus, target: BookingStatus) -> BookingStatus:
    """The target status if a booking's life cycle allows it, else InvalidTransition."""
    if target not in BOOKING_TRANSITIONS[current]:
        raise InvalidTransition(current=current.value, target=target.value)
    return target


# Seat plans --------------------------------------------------------------------------


def _queue_key(booking: Booking) -> tuple[datetime, int]:
    moment = booking.queued_at or booking.created_at
    return moment, booking.id


def waiting_list(bookings: Iterable[Booking]) -> list[Booking]:
    """The waiting list in order: first come, first served."""
    return sorted((b for b in bookings if b.status == BookingStatus.WAITLISTED), key=_queue_key)


def passengers(bookings: Iterable[Booking]) -> list[Booking]:
    """Bookings that hold a seat, in the order they got it."""
    return sorted(
        (b for b in bookings if b.status == BookingStatus.BOOKED),
        key=lambda b: (b.booked_at or b.created_at, b.id),
    )


def booked_count(bookings: Iterable[Booking]) -> int:
    """How many seats are taken."""
    return sum(1 for b in bookings if b.status == BookingStatus.BOOKED)


def _find(bookings: Sequence[Booking], resident_id: int) -> Booking | None:
    return next((b for b in bookings if b.resident_id == resident_id), None)


def plan_booking(
    ride: Ride,
    bookings: Sequence[Booking],
    resident_id: int,
    now: datetime,
    *,
    waitlist_ok: bool,
) -> SeatChange:
    """Give a person a seat, or a waiting-list place when allowed and the ride is full."""
    if resident_id == ride.driver_id:
        raise OwnRide()
    if not ride.bookable(now):
        raise RideClosed()
    existing = _find(bookings, resident_id)
    if existing is not None and existing.active:
        raise AlreadyBooked(status=existing.status.value)
    full = booked_count(bookings) >= ride.seats
    if full and not waitlist_ok:
        raise RideFull(waiting=len(waiting_list(bookings)))
    new = BookingStatus.WAITLISTED if full else BookingStatus.BOOKED
    if existing is not None:
        check_booking_transition(existing.status, new)
        return SeatChange(
            booking_id=existing.id, resident_id=resident_id, old=existing.status, new=new
        )
    return SeatChange(booking_id=None, resident_id=resident_id, old=None, new=new)


def _promotions(bookings: Sequence[Booking], free: int) -> list[SeatChange]:
    return [
        SeatChange(
            booking_id=b.id,
            resident_id=b.resident_id,
            old=BookingStatus.WAITLISTED,
            new=BookingStatus.BOOKED,
            reason="promoted",
        )
        for b in waiting_list(bookings)[: max(0, free)]
    ]


def plan_cancel(
    ride: Ride, bookings: Sequence[Booking], resident_id: int, now: datetime
) -> list[SeatChange]:
    """Give up a seat or waiting-list place; a freed seat goes to the first on the list."""
    if not ride.bookable(now):
        raise RideClosed()
    existing = _find(bookings, resident_id)
    if existing is None or not existing.active:
        raise NotBooked()
    check_booking_transition(existing.status, BookingStatus.CANCELLED)
    changes = [
        SeatChange(
            booking_id=existing.id,
            resident_id=resident_id,
            old=existing.status,
            new=BookingStatus.CANCELLED,
        )
    ]
    if existing.status == BookingStatus.BOOKED:
        remaining = [b for b in bookings if b.id != existing.id]
        changes += _promotions(remaining, ride.seats - booked_count(remaining))
    return changes


def plan_resize(
    ride: Ride, bookings: Sequence[Booking], seats: int, to_waitlist: Iterable[int] = ()
) -> list[SeatChange]:
    """Change the number of seats; fewer seats than passengers needs a choice of who waits.

    `to_waitlist` holds booking ids of passengers that go back to the waiting list.
    More seats move the waiting list up.
    """
    if not MIN_SEATS <= seats <= MAX_SEATS:
        raise InvalidSeats(low=MIN_SEATS, high=MAX_SEATS)
    if not ride.open:
        raise RideClosed()
    chosen = set(to_waitlist)
    seated = {b.id: b for b in passengers(bookings)}
    if not chosen <= seated.keys():
        raise StaleAction()
    over = len(seated) - seats
    if over > 0 and len(chosen) != over:
        raise SeatsBelowBooked(booked=len(seated), seats=seats, choose=over)
    if over <= 0 and chosen:
        raise StaleAction()
    changes = [
        SeatChange(
            booking_id=booking_id,
            resident_id=seated[booking_id].resident_id,
            old=BookingStatus.BOOKED,
            new=BookingStatus.WAITLISTED,
            reason="fewer_seats",
        )
        for booking_id in sorted(chosen)
    ]
    if over < 0:
        changes += _promotions(bookings, -over)
    return changes


def apply_changes(
    bookings: Sequence[Booking], changes: Sequence[SeatChange], now: datetime, ride_id: int
) -> list[Booking]:
    """The bookings after a plan (what storage will hold); used by tests and previews."""
    result = {b.id: b for b in bookings}
    next_id = max(result, default=0) + 1
    for change in changes:
        if change.booking_id is None:
            result[next_id] = Booking(
                id=next_id,
                ride_id=ride_id,
                resident_id=change.resident_id,
                status=change.new,
                created_at=now,
                booked_at=now if change.new == BookingStatus.BOOKED else None,
                queued_at=now if change.new == BookingStatus.WAITLISTED else None,
                updated_at=now,
            )
            next_id += 1
            continue
        old = result[change.booking_id]
        result[change.booking_id] = old.model_copy(update=transition_fields(old, change, now))
    return list(result.values())


def transition_fields(old: Booking, change: SeatChange, now: datetime) -> dict[str, object]:
    """The columns a status change sets: when a seat was got, when one started waiting."""
    fields: dict[str, object] = {"status": change.new, "updated_at": now}
    if change.new == BookingStatus.BOOKED and old.status != BookingStatus.NO_SHOW:
        fields["booked_at"] = now
    if change.new == BookingStatus.WAITLISTED:
        # Passengers who lose their seat to fewer seats keep their first-come place.
        fields["queued_at"] = old.created_at if change.reason == "fewer_seats" else now
    return fields


def clean_destination(value: str | None) -> str:
    """Where the ride goes: one short line ("AH Amsterdamstraat", "markt Oost")."""
    return clean_text(value, max_length=DESTINATION_MAX, multiline=False)


def clean_pickup_text(value: str | None) -> str:
    """A meeting point or another pickup address: one short line."""
    return clean_text(value, max_length=PICKUP_TEXT_MAX, multiline=False)


def check_seats(seats: int) -> int:
    """Seats between 1 and 8."""
    if not MIN_SEATS <= seats <= MAX_SEATS:
        raise InvalidSeats(low=MIN_SEATS, high=MAX_SEATS)
    return seats
