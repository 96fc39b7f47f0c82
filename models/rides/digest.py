"""What the rides capability gives the weekly digest and the printed street card.

- `RidesWithSeats` (`RidesSource`): scheduled rides posted to the street that leave in
  the coming week and still have a free seat, soonest first.
- `CoordinatorOnTheCard` (`RideContactSource`): the phone number of a coordinator of the
  street's neighbourhood who chose to put it on the card (and still is coordinator).
- `CardPhoneData`: that number in /mijngegevens, and gone with /vergeetmij.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from models.core import Resident, Street
from models.digest.card import RideContact
from models.digest.sources import RideNote
from models.ports import Transaction
from models.rides import ops

RIDES_LOOKED_AT = 200


class RidesWithSeats:
    """Rides with free seats for one street in a period."""

    async def rides_with_seats(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[RideNote]:
        """Soonest first; only rides posted to this street, scheduled, with a seat left."""
        street = await tx.streets.get(street_id)
        if street is None:
            return []
        rides = await tx.rides.upcoming([street.neighbourhood_id], start, RIDES_LOOKED_AT)
        return [
            RideNote(
                ride_id=ride.id,
                departs_at=ride.departs_at,
                destination=ride.destination,
                free_seats=ride.free_seats,
            )
            for ride in rides
            if ride.departs_at < end and street_id in ride.street_ids and ride.free_seats > 0
        ]


class CoordinatorOnTheCard:
    """The coordinator to phone for a ride, only when they agreed to be on the card."""

    async def ride_contact(self, tx: Transaction, street: Street) -> RideContact | None:
        """The earliest agreement of someone who still coordinates this neighbourhood."""
        for contact in await tx.rides.card_contacts(street.neighbourhood_id):
            resident = await tx.residents.get(contact.resident_id)
            if resident is None or resident.is_proxy or resident.external_id is None:
                continue
            if not await ops.is_coordinator(tx, resident.id, street.neighbourhood_id):
                continue
            return RideContact(name=resident.display_name, phone=contact.phone)
        return None


class CardPhoneData:
    """A coordinator's number for the street card (`PersonalDataProvider`)."""

    name = "ride_card"

    async def export(self, tx: Transaction, resident: Resident) -> list[dict[str, Any]]:
        """The numbers on cards, per neighbourhood."""
        rows: list[dict[str, Any]] = []
        for contact in await tx.rides.card_contacts_of(resident.id):
            hood = await tx.neighbourhoods.get(contact.neighbourhood_id)
            rows.append(
                {
                    "what": "card_phone",
                    "neighbourhood": hood.name if hood else None,
                    "phone": contact.phone,
                    "agreed_at": contact.agreed_at,
                }
            )
        return rows

    async def texts(self, tx: Transaction, resident: Resident) -> list[str]:
        """Nothing written here."""
        return []

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None:
        """Take the number off every card."""
        for contact in await tx.rides.card_contacts_of(resident.id):
            await tx.rides.remove_card_contact(contact.neighbourhood_id, resident.id)
