"""What the rides services hand to an adapter: rides with the names and places around them."""

from __future__ import annotations

from typing import Literal

from models.core import Frozen, Neighbourhood, Street
from models.rides.model import Booking, PickupKind, Ride, RideSeries


class PickupPoint(Frozen):
    """Where a passenger is picked up; the house number is for the driver's eyes only."""

    kind: PickupKind
    street: str | None = None
    house_number: str | None = None
    text: str | None = None


class PassengerLine(Frozen):
    """A passenger (or someone waiting) as the driver or a coordinator sees them."""

    booking: Booking
    name: str
    is_proxy: bool = False
    pickup: PickupPoint
    phone: str | None = None


class PassengerChange(Frozen):
    """One change to a ride's passengers, as the driver hears of it."""

    line: PassengerLine
    change: Literal["booked", "moved_up", "cancelled", "pickup"]


class RideCard(Frozen):
    """The public face of a ride (the group card): no passenger names, only counts."""

    ride: Ride
    driver_name: str
    street_names: tuple[str, ...]
    waiting: int
    weekly: bool


class RideView(Frozen):
    """A ride as one person sees it in private: their own place, and lists if they may."""

    card: RideCard
    my_booking: Booking | None = None
    my_pickup: PickupPoint | None = None
    waiting_position: int | None = None
    is_driver: bool = False
    is_coordinator: bool = False
    passengers: tuple[PassengerLine, ...] = ()
    waiting_list: tuple[PassengerLine, ...] = ()
    absent: tuple[PassengerLine, ...] = ()
    series: RideSeries | None = None

    @property
    def ride(self) -> Ride:
        """The ride."""
        return self.card.ride

    @property
    def may_see_passengers(self) -> bool:
        """The driver and the coordinators see who rides along and where to pick them up."""
        return self.is_driver or self.is_coordinator


class BookingResult(Frozen):
    """The outcome of a booking: a seat, or a place on the waiting list."""

    card: RideCard
    booking: Booking
    waiting_position: int | None = None
    pickup: PickupPoint


class CancelResult(Frozen):
    """The outcome of giving up a seat or waiting-list place."""

    card: RideCard
    was_waiting: bool


class RidesHome(Frozen):
    """The rides page: rides with seats in my neighbourhood, and my roles."""

    neighbourhood: Neighbourhood
    rides: tuple[RideCard, ...]
    is_coordinator: bool


class PublishOptions(Frozen):
    """What the publishing steps offer a driver: dates and the streets to post to."""

    neighbourhood: Neighbourhood
    streets: tuple[Street, ...]
    home_street_id: int


class PublishResult(Frozen):
    """A published ride (and its weekly series with the dates generated so far)."""

    rides: tuple[Ride, ...]
    series: RideSeries | None = None


class MyRides(Frozen):
    """My upcoming rides, as driver and as passenger (for "Mijn overzicht")."""

    driving: tuple[RideCard, ...] = ()
    riding: tuple[tuple[RideCard, Booking], ...] = ()


class ProxyLine(Frozen):
    """A neighbour without Telegram, as coordinators see them (phone included)."""

    resident_id: int
    name: str
    street: str
    house_number: str | None
    phone: str | None


class CoordinatorPanel(Frozen):
    """A coordinator's view of the neighbourhood: all upcoming rides and the proxies."""

    neighbourhood: Neighbourhood
    rides: tuple[RideCard, ...]
    proxies: tuple[ProxyLine, ...]
    streets: tuple[Street, ...]


class CardPhone(Frozen):
    """Whether a coordinator's number is on the neighbourhood's printed street cards."""

    neighbourhood: Neighbourhood
    phone: str | None = None
