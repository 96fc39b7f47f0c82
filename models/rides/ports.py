"""What the rides capability needs from storage, as a Protocol (`tx.rides`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Protocol

from models.core import Frozen, Resident
from models.rides.model import (
    Booking,
    BookingStatus,
    PickupKind,
    PickupMode,
    Ride,
    RideSeries,
    RideStatus,
)


class FeedbackDue(Frozen):
    """A passenger who went along on a ride and is owed the feedback questions."""

    id: int
    ride_id: int
    resident_id: int
    created_at: datetime


class CardContact(Frozen):
    """A coordinator's phone number for the printed street cards of a neighbourhood."""

    neighbourhood_id: int
    resident_id: int
    phone: str
    agreed_at: datetime


class NewRide(Frozen):
    """The columns of a ride to create."""

    neighbourhood_id: int
    driver_id: int
    series_id: int | None = None
    departs_at: datetime
    local_date: date
    return_at: datetime | None = None
    ends_at: datetime
    destination: str
    seats: int
    pickup_mode: PickupMode
    meeting_point: str | None = None
    street_ids: tuple[int, ...]


class NewSeries(Frozen):
    """The columns of a weekly template to create."""

    neighbourhood_id: int
    driver_id: int
    weekday: int
    local_time: time
    return_time: time | None = None
    destination: str
    seats: int
    pickup_mode: PickupMode
    meeting_point: str | None = None
    street_ids: tuple[int, ...]
    first_date: date


class RideRepository(Protocol):
    """Rides, bookings, weekly series and feedback hooks."""

    async def add(self, ride: NewRide, now: datetime) -> Ride | None:
        """Create a ride; None when the series already has a ride on that date."""
        ...

    async def get(self, ride_id: int) -> Ride | None: ...

    async def bookings(self, ride_id: int) -> Sequence[Booking]: ...

    async def booking(self, ride_id: int, resident_id: int) -> Booking | None: ...

    async def booking_by_id(self, booking_id: int) -> Booking | None: ...

    async def insert_booking(
        self,
        ride_id: int,
        resident_id: int,
        status: BookingStatus,
        pickup_kind: PickupKind,
        pickup_text: str | None,
        booked_by: int | None,
        now: datetime,
    ) -> Booking: ...

    async def update_booking(self, booking_id: int, **fields: object) -> None: ...

    async def take_seat(self, ride_id: int) -> bool:
        """Count one more passenger unless the ride is full (a conditional update)."""
        ...

    async def free_seat(self, ride_id: int) -> bool:
        """Count one passenger less, never below zero."""
        ...

    async def set_seats(self, ride_id: int, seats: int, now: datetime) -> bool:
        """Change the capacity unless it would drop below the passengers counted."""
        ...

    async def move_status(
        self, ride_id: int, old: RideStatus, new: RideStatus, now: datetime
    ) -> bool:
        """Conditionally change the status; False when someone else changed it first."""
        ...

    async def claim_reminder(self, ride_id: int, moment: str, now: datetime) -> bool:
        """Mark the evening or hour reminder of a ride as sent (once)."""
        ...

    async def upcoming(
        self, neighbourhood_ids: Sequence[int], now: datetime, limit: int
    ) -> Sequence[Ride]: ...

    async def of_driver(self, driver_id: int, now: datetime) -> Sequence[Ride]: ...

    async def of_passenger(
        self, resident_id: int, now: datetime
    ) -> Sequence[tuple[Ride, Booking]]: ...

    async def departing_between(
        self, start: datetime, end: datetime, status: RideStatus
    ) -> Sequence[Ride]: ...

    async def ending_before(self, now: datetime) -> Sequence[Ride]:
        """Departed rides whose return (or departure plus a few hours) has passed."""
        ...

    async def add_series(self, series: NewSeries, now: datetime) -> RideSeries: ...

    async def get_series(self, series_id: int) -> RideSeries | None: ...

    async def active_series(self) -> Sequence[RideSeries]: ...

    async def stop_series(self, series_id: int, now: datetime) -> bool: ...

    async def series_rides_from(self, series_id: int, now: datetime) -> Sequence[Ride]: ...

    async def add_feedback_due(self, ride_id: int, resident_id: int, now: datetime) -> bool: ...

    async def skip_feedback(self, ride_id: int, resident_id: int, now: datetime) -> None: ...

    async def pending_feedback(
        self, limit: int, created_before: datetime | None = None
    ) -> Sequence[FeedbackDue]: ...

    async def claim_feedback(self, feedback_id: int, now: datetime) -> bool: ...

    async def set_card_contact(
        self, neighbourhood_id: int, resident_id: int, phone: str, now: datetime
    ) -> None:
        """Put (or replace) a coordinator's number on the neighbourhood's street cards."""
        ...

    async def remove_card_contact(self, neighbourhood_id: int, resident_id: int) -> bool:
        """Take a coordinator's number off the cards; False when it was not there."""
        ...

    async def card_contacts(self, neighbourhood_id: int) -> Sequence[CardContact]:
        """Numbers coordinators agreed to put on the cards, the earliest agreement first."""
        ...

    async def card_contacts_of(self, resident_id: int) -> Sequence[CardContact]:
        """A resident's numbers on cards, in every neighbourhood."""
        ...

    async def proxies_in(self, neighbourhood_id: int) -> Sequence[tuple[Resident, int]]:
        """Proxy residents with a street in the neighbourhood, with that street's id."""
        ...
