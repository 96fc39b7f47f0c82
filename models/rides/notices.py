"""What the rides capability says on its own initiative, as outbox notifications.

Each carries ids only; the renderer reads the current ride when the message is sent, so a
reminder always shows the passenger list as it is at that moment. A notification about a
proxy passenger (a neighbour without Telegram) goes to a coordinator and names the proxy.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from models.notifications import Notification

Moment = Literal["evening", "hour"]


class PassengerNotice(Notification):
    """A notification about one passenger's place on a ride (to them, or their coordinator)."""

    ride_id: int
    passenger_id: int
    proxy: bool = False


class RideReminder(PassengerNotice):
    """To a passenger (or the coordinator of a proxy passenger): your ride is tomorrow / soon."""

    kind: ClassVar[str] = "rides.reminder"
    moment: Moment


class DriverReminder(Notification):
    """To the driver: tomorrow / in an hour you drive, these people at these pickup points."""

    kind: ClassVar[str] = "rides.driver_reminder"
    ride_id: int
    moment: Moment


class SeatGiven(PassengerNotice):
    """To someone on the waiting list (or their coordinator): a seat came free for you."""

    kind: ClassVar[str] = "rides.seat_given"


class MovedToWaitlist(PassengerNotice):
    """To a passenger whose seat went because the driver has fewer seats now."""

    kind: ClassVar[str] = "rides.moved_to_waitlist"


class RideCancelled(PassengerNotice):
    """To a passenger or someone waiting (or their coordinator): the ride does not go."""

    kind: ClassVar[str] = "rides.cancelled"
    waitlisted: bool = False


class RideCancelledForCoordinator(Notification):
    """To every coordinator of the neighbourhood: a ride was cancelled, who was on it."""

    kind: ClassVar[str] = "rides.cancelled_coordinator"
    ride_id: int


class PassengerChanged(Notification):
    """One late change (rows queued before `PassengersChanged` replaced it, still sent)."""

    kind: ClassVar[str] = "rides.passenger_changed"
    ride_id: int
    passenger_id: int
    change: Literal["booked", "cancelled"]


class PassengersChanged(Notification):
    """To the driver once the ride is close: who booked, cancelled, moved up or changed
    their pickup since `since`, with the passenger list as it is when it is sent."""

    kind: ClassVar[str] = "rides.passengers_changed"
    ride_id: int
    since: datetime


class RideWrapUp(Notification):
    """To the driver once the ride is over: thank you; was anyone not there?"""

    kind: ClassVar[str] = "rides.wrap_up"
    ride_id: int


class CoordinatorGranted(Notification):
    """To a resident who became coordinator of the rides in a neighbourhood."""

    kind: ClassVar[str] = "rides.coordinator_granted"
    neighbourhood_id: int


class CoordinatorRevoked(Notification):
    """To a resident who is no longer coordinator of the rides in a neighbourhood."""

    kind: ClassVar[str] = "rides.coordinator_revoked"
    neighbourhood_id: int
