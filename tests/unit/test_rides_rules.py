"""The rules of rides without a database: life cycles, seats, the waiting list."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from models.errors import DomainError, StaleAction
from models.rides.model import (
    BOOKING_TRANSITIONS,
    RIDE_TRANSITIONS,
    AlreadyBooked,
    Booking,
    BookingStatus,
    InvalidSeats,
    InvalidTransition,
    NotBooked,
    OwnRide,
    Ride,
    RideClosed,
    RideFull,
    RideStatus,
    SeatsBelowBooked,
    apply_changes,
    booked_count,
    check_booking_transition,
    check_ride_transition,
    passengers,
    plan_booking,
    plan_cancel,
    plan_resize,
    waiting_list,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DRIVER = 1

ALLOWED_RIDE = {
    ("scheduled", "departed"),
    ("scheduled", "cancelled"),
    ("departed", "done"),
}
ALLOWED_BOOKING = {
    ("booked", "cancelled"),
    ("booked", "waitlisted"),
    ("booked", "no_show"),
    ("waitlisted", "booked"),
    ("waitlisted", "cancelled"),
    ("cancelled", "booked"),
    ("cancelled", "waitlisted"),
    ("no_show", "booked"),
}


def _ride(seats: int = 2, status: RideStatus = RideStatus.SCHEDULED, **changes: object) -> Ride:
    values: dict[str, object] = {
        "id": 1,
        "neighbourhood_id": 1,
        "driver_id": DRIVER,
        "departs_at": NOW + timedelta(days=1),
        "local_date": date(2026, 12, 1),
        "ends_at": NOW + timedelta(days=1, hours=3),
        "destination": "AH",
        "seats": seats,
        "status": status,
        "created_at": NOW,
    }
    values.update(changes)
    return Ride.model_validate(values)


@pytest.mark.parametrize(("current", "target"), list(product(RideStatus, RideStatus)))
def test_ride_life_cycle(current: RideStatus, target: RideStatus) -> None:
    if (current.value, target.value) in ALLOWED_RIDE:
        assert check_ride_transition(current, target) == target
    else:
        with pytest.raises(InvalidTransition):
            check_ride_transition(current, target)


@pytest.mark.parametrize(("current", "target"), list(product(BookingStatus, BookingStatus)))
def test_booking_life_cycle(current: BookingStatus, target: BookingStatus) -> None:
    if (current.value, target.value) in ALLOWED_BOOKING:
        assert check_booking_transition(current, target) == target
    else:
        with pytest.raises(InvalidTransition):
            check_booking_transition(current, target)


def test_the_tables_are_what_the_tests_say() -> None:
    assert {(a.value, b.value) for a, bs in RIDE_TRANSITIONS.items() for b in bs} == ALLOWED_RIDE
    assert {
        (a.value, b.value) for a, bs in BOOKING_TRANSITIONS.items() for b in bs
    } == ALLOWED_BOOKING


def test_invalid_transitions_are_stale_buttons() -> None:
    assert issubclass(InvalidTransition, StaleAction)


def _book(bookings: list[Booking], ride: Ride, who: int, *, waitlist_ok: bool) -> list[Booking]:
    change = plan_booking(ride, bookings, who, NOW, waitlist_ok=waitlist_ok)
    return apply_changes(bookings, [change], NOW, ride.id)


def test_booking_refusals() -> None:
    ride = _ride(seats=1)
    with pytest.raises(OwnRide):
        plan_booking(ride, [], DRIVER, NOW, waitlist_ok=True)
    bookings = _book([], ride, 2, waitlist_ok=False)
    with pytest.raises(AlreadyBooked):
        plan_booking(ride, bookings, 2, NOW, waitlist_ok=True)
    with pytest.raises(RideFull):
        plan_booking(ride, bookings, 3, NOW, waitlist_ok=False)
    for status in (RideStatus.DEPARTED, RideStatus.DONE, RideStatus.CANCELLED):
        with pytest.raises(RideClosed):
            plan_booking(_ride(status=status), [], 3, NOW, waitlist_ok=True)
    with pytest.raises(RideClosed):
        plan_booking(ride, [], 3, ride.departs_at, waitlist_ok=True)
    with pytest.raises(NotBooked):
        plan_cancel(ride, bookings, 9, NOW)


def test_resize_refusals() -> None:
    ride = _ride(seats=3)
    bookings: list[Booking] = []
    for who in (2, 3, 4):
        bookings = _book(bookings, ride, who, waitlist_ok=False)
    with pytest.raises(InvalidSeats):
        plan_resize(ride, bookings, 9)
    with pytest.raises(SeatsBelowBooked):
        plan_resize(ride, bookings, 1, [bookings[0].id])
    with pytest.raises(StaleAction):
        plan_resize(ride, bookings, 3, [bookings[0].id])
    with pytest.raises(StaleAction):
        plan_resize(ride, bookings, 2, [999])


class SeatLedger(RuleBasedStateMachine):
    """Random bookings, cancellations and seat changes never break the seat rules."""

    def __init__(self) -> None:
        super().__init__()
        self.ride = _ride(seats=2)
        self.bookings: list[Booking] = []
        self.clock = NOW

    def _apply(self, changes: list[object]) -> None:
        self.clock += timedelta(minutes=1)
        self.bookings = apply_changes(self.bookings, changes, self.clock, self.ride.id)  # type: ignore[arg-type]

    @rule(who=st.integers(2, 9), waitlist_ok=st.booleans())
    def book(self, who: int, waitlist_ok: bool) -> None:
        before = waiting_list(self.bookings)
        try:
            change = plan_booking(
                self.ride, self.bookings, who, self.clock, waitlist_ok=waitlist_ok
            )
        except (AlreadyBooked, RideFull):
            return
        self._apply([change])
        if change.new == BookingStatus.WAITLISTED:
            # A newcomer waits behind everyone who was already waiting.
            assert [b.resident_id for b in waiting_list(self.bookings)][:-1] == [
                b.resident_id for b in before
            ]

    @rule(who=st.integers(2, 9))
    def cancel(self, who: int) -> None:
        first = waiting_list(self.bookings)[:1]
        try:
            changes = plan_cancel(self.ride, self.bookings, who, self.clock)
        except NotBooked:
            return
        was_seated = changes[0].old == BookingStatus.BOOKED
        self._apply(changes)
        if was_seated and first:
            # The first one waiting got the seat.
            mine = next(b for b in self.bookings if b.id == first[0].id)
            assert mine.status == BookingStatus.BOOKED

    @rule(seats=st.integers(1, 8), data=st.data())
    def resize(self, seats: int, data: st.DataObject) -> None:
        seated = passengers(self.bookings)
        over = max(0, len(seated) - seats)
        chosen = data.draw(
            st.lists(st.sampled_from([b.id for b in seated]), min_size=over, max_size=over,
                     unique=True) if over else st.just([])
        )  # fmt: skip
        try:
            changes = plan_resize(self.ride, self.bookings, seats, chosen)
        except DomainError:
            raise AssertionError("a valid choice was refused") from None
        self._apply(changes)
        self.ride = self.ride.model_copy(update={"seats": seats})

    @invariant()
    def seats_stay_within_capacity(self) -> None:
        assert 0 <= booked_count(self.bookings) <= self.ride.seats

    @invariant()
    def nobody_waits_while_a_seat_is_free(self) -> None:
        if waiting_list(self.bookings):
            assert booked_count(self.bookings) == self.ride.seats

    @invariant()
    def one_booking_per_person(self) -> None:
        people = [b.resident_id for b in self.bookings]
        assert len(people) == len(set(people))
        assert DRIVER not in people


TestSeatLedger = SeatLedger.TestCase
TestSeatLedger.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)


@given(st.integers(1, 8), st.integers(0, 12))
def test_filling_a_ride_books_exactly_its_seats(seats: int, people: int) -> None:
    ride = _ride(seats=seats)
    bookings: list[Booking] = []
    for who in range(2, 2 + people):
        bookings = _book(bookings, ride, who, waitlist_ok=True)
    assert booked_count(bookings) == min(seats, people)
    assert len(waiting_list(bookings)) == max(0, people - seats)
