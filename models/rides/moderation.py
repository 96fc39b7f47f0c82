"""What moderation (issue 6) needs from rides: who placed a ride card, and taking it down.

A ride card (`PostRef("ride", id)`) belongs to its driver. When a community worker removes
a reported card, a ride that has not left yet is cancelled, so passengers and coordinators
are told as with any cancellation; a ride that left already only loses its cards.
"""

from __future__ import annotations

from datetime import datetime

from models.escalation.model import OwnerInfo
from models.escalation.moderation import ModerationHooks
from models.ports import Transaction
from models.rides.model import RideStatus
from models.rides.ops import POST_KIND, cancel_ride


async def ride_owner(tx: Transaction, ride_id: int) -> OwnerInfo | None:
    """The driver of a ride, and the first street its card went to."""
    ride = await tx.rides.get(ride_id)
    if ride is None:
        return None
    street_id = ride.street_ids[0] if ride.street_ids else None
    return OwnerInfo(resident_id=ride.driver_id, street_id=street_id)


async def remove_reported_ride(tx: Transaction, ride_id: int, now: datetime) -> None:
    """A worker removed the card: a ride still to come is cancelled (everyone is told)."""
    ride = await tx.rides.get(ride_id)
    if ride is not None and ride.status is RideStatus.SCHEDULED:
        await cancel_ride(tx, ride, now, actor_id=None)


def register(hooks: ModerationHooks) -> None:
    """Tell moderation about ride cards."""
    hooks.register_kind(POST_KIND, owner=ride_owner, remove=remove_reported_ride)
