"""What the bot tells others when someone is forgotten: kindly, without their name.

The erased person's name is gone by the time these are sent, so they never name them;
they carry ids (and a category id) only, like every other outbox message.
"""

from __future__ import annotations

from typing import ClassVar

from models.notifications import Notification
from models.rides.notices import PassengerNotice


class PartnerLeft(Notification):
    """To the other side of a relayed conversation: the neighbour no longer takes part."""

    kind: ClassVar[str] = "privacy.partner_left"
    conversation_id: int
    category: str
    reopened: bool = False


class PassengerLeft(Notification):
    """To a driver: a passenger can no longer come (and whether someone waiting moved up)."""

    kind: ClassVar[str] = "privacy.passenger_left"
    ride_id: int
    promoted: bool = False


class DriverLeft(PassengerNotice):
    """To a passenger (or a proxy's coordinator): the ride does not go, the driver stopped."""

    kind: ClassVar[str] = "privacy.driver_left"
    waitlisted: bool = False


class DriverLeftForCoordinator(Notification):
    """To the neighbourhood's coordinators: a ride does not go, the driver stopped."""

    kind: ClassVar[str] = "privacy.driver_left_coordinator"
    ride_id: int
