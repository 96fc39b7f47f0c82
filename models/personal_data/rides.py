"""The rides' share of a person's data: rides driven, weekly rides, bookings and pickup
choices; for coordinators, the neighbours without Telegram they registered and the seats
they booked for others.

What a coordinator's export does *not* hold: the phone numbers and house numbers of the
neighbours they registered. Those belong to the neighbours (they are the neighbour's own
data, kept so that a coordinator and that day's driver can phone them); a coordinator sees
them in the coordinator panel, where the role is checked at every tap, and a file that is
easily forwarded must not spread them further. The export names the neighbour and the
street, which is what the coordinator did.

Erasure: future seats are given up (the waiting list moves up, the driver hears it kindly,
without a name), the person's future rides are cancelled (passengers and coordinators are
told the driver stopped), weekly rides stop, and every group card of their rides is taken
down (it shows their name). Past rides and bookings stay, pointing to the anonymised
resident, so rides and seats used keep counting; typed pickup points, destinations and
meeting points are removed.
"""

from __future__ import annotations

from datetime import datetime

from models.audit import audit
from models.core import Resident
from models.notifications import Recipient
from models.personal_data.notices import DriverLeft, DriverLeftForCoordinator, PassengerLeft
from models.ports import Transaction
from models.privacy import Record, take_down
from models.rides import ops
from models.rides.model import BookingStatus, Ride, RideStatus, check_ride_transition, plan_cancel

ITEMS = ("ride_driven", "series", "booking", "proxy_registered", "booked_for")


class RidesData:
    """PersonalDataProvider of the grocery rides."""

    name = "rides"

    async def export(self, tx: Transaction, resident: Resident) -> list[Record]:
        """Rides driven, weekly rides, bookings; what a coordinator did for others."""
        me = resident.id
        records: list[Record] = []
        for ride_id in await tx.personal_data.rides_driven(me):
            ride = await tx.rides.get(ride_id)
            if ride is not None:
                records.append(
                    {
                        "what": "ride_driven",
                        "departs": ride.departs_at,
                        "destination": ride.destination,
                        "seats": ride.seats,
                        "passengers": ride.booked,
                        "meeting_point": ride.meeting_point,
                        "ride_status": ride.status.value,
                    }
                )
        for series_id in await tx.personal_data.series_driven(me):
            series = await tx.rides.get_series(series_id)
            if series is not None:
                records.append(
                    {
                        "what": "series",
                        "weekday": str(series.weekday),
                        "time": series.local_time.strftime("%H:%M"),
                        "destination": series.destination,
                        "seats": series.seats,
                        "active": series.active,
                    }
                )
        for booking_id in await tx.personal_data.booking_ids(me):
            booking = await tx.rides.booking_by_id(booking_id)
            ride = await tx.rides.get(booking.ride_id) if booking else None
            if booking is None or ride is None:
                continue
            records.append(
                {
                    "what": "booking",
                    "departs": ride.departs_at,
                    "destination": ride.destination,
                    "booking": booking.status.value,
                    "pickup": booking.pickup_kind.value,
                    "text": booking.pickup_text,
                    "by_coordinator": booking.booked_by not in (None, me),
                }
            )
        for proxy in await tx.personal_data.proxies_registered_by(me):
            street = await tx.streets.get(proxy.street_id) if proxy.street_id else None
            records.append(
                {
                    "what": "proxy_registered",
                    "name": proxy.name,
                    "street": street.name if street else None,
                    "created_at": proxy.registered_at,
                }
            )
        for booking_id in await tx.personal_data.bookings_for_others(me):
            booking = await tx.rides.booking_by_id(booking_id)
            ride = await tx.rides.get(booking.ride_id) if booking else None
            if booking is None or ride is None:
                continue
            neighbour = await tx.residents.get(booking.resident_id)
            records.append(
                {
                    "what": "booked_for",
                    "name": neighbour.display_name if neighbour else None,
                    "departs": ride.departs_at,
                    "destination": ride.destination,
                    "their_booking": booking.status.value,
                }
            )
        return records

    async def texts(self, tx: Transaction, resident: Resident) -> list[str]:
        """Typed pickup points, destinations and meeting points."""
        texts: list[str] = []
        for booking_id in await tx.personal_data.booking_ids(resident.id):
            booking = await tx.rides.booking_by_id(booking_id)
            if booking is not None and booking.pickup_text:
                texts.append(booking.pickup_text)
        for ride_id in await tx.personal_data.rides_driven(resident.id):
            ride = await tx.rides.get(ride_id)
            if ride is not None:
                texts.extend(t for t in (ride.destination, ride.meeting_point) if t)
        return texts

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None:
        """Give up seats, cancel and stop what they drive, take cards down, drop texts."""
        me = resident.id
        for series_id in await tx.personal_data.series_driven(me):
            await tx.rides.stop_series(series_id, now)
        for ride in await tx.rides.of_driver(me, now):
            await _cancel_ride(tx, ride, me, now)
        for ride, _ in await tx.rides.of_passenger(me, now):
            await _give_up_seat(tx, ride, me, now)
        for ride_id in await tx.personal_data.rides_driven(me):
            await take_down(tx, ops.ride_ref(ride_id), now)
        await tx.personal_data.erase_ride_texts(me)


async def _cancel_ride(tx: Transaction, ride: Ride, me: int, now: datetime) -> None:
    """Like a driver's own cancellation, with texts that do not name the driver."""
    check_ride_transition(ride.status, RideStatus.CANCELLED)
    if not await tx.rides.move_status(ride.id, ride.status, RideStatus.CANCELLED, now):
        return
    for booking in await tx.rides.bookings(ride.id):
        if booking.active:
            await ops.tell_passenger(
                tx,
                ride,
                booking,
                DriverLeft,
                now,
                key=f"privacy:driver-left:{ride.id}:{booking.resident_id}",
                waitlisted=booking.status == BookingStatus.WAITLISTED,
            )
    for coordinator in await ops.coordinators(tx, ride.neighbourhood_id):
        if coordinator.id != me:
            await tx.outbox.enqueue(
                Recipient.resident(coordinator.id),
                DriverLeftForCoordinator(ride_id=ride.id),
                key=f"privacy:driver-left:{ride.id}:coordinator:{coordinator.id}",
                now=now,
            )
    await audit(tx, now, "ride.cancelled", "ride", ride.id, actor_resident_id=me, erased=True)


async def _give_up_seat(tx: Transaction, ride: Ride, me: int, now: datetime) -> None:
    """A seat or waiting place goes; the first waiting moves up; the driver is told kindly."""
    changes = plan_cancel(ride, await tx.rides.bookings(ride.id), me, now)
    own, promotions = changes[0], changes[1:]
    await ops.apply_change(tx, ride, own, now)
    await ops.promote(tx, ride, promotions, now)
    if own.old == BookingStatus.BOOKED:
        await tx.outbox.enqueue(
            Recipient.resident(ride.driver_id),
            PassengerLeft(ride_id=ride.id, promoted=bool(promotions)),
            key=f"privacy:passenger-left:{ride.id}:{me}",
            now=now,
        )
    await ops.refresh_card(tx, ride, now)
    await audit(
        tx, now, "ride.cancelled_seat", "ride", ride.id, actor_resident_id=me, passenger=me
    )
