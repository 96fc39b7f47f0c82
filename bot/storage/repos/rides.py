"""The rides repository over SQL: rides, bookings, weekly series and feedback hooks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from bot.storage import dialects
from bot.storage import schema as s
from bot.storage.repos.base import SqlRepository
from bot.storage.repos.core import resident_from_row
from bot.storage.tables import rides as r
from models.core import Resident
from models.rides.model import (
    Booking,
    BookingStatus,
    PickupKind,
    PickupMode,
    Ride,
    RideSeries,
    RideStatus,
)
from models.rides.ports import CardContact, FeedbackDue, NewRide, NewSeries
from models.rides.times import from_hhmm, hhmm

_ACTIVE = (BookingStatus.BOOKED.value, BookingStatus.WAITLISTED.value)
_STATUS_STAMP = {
    RideStatus.CANCELLED: "cancelled_at",
    RideStatus.DEPARTED: "departed_at",
    RideStatus.DONE: "done_at",
}


def _booking(row: sa.RowMapping) -> Booking:
    return Booking(
        id=row["id"],
        ride_id=row["ride_id"],
        resident_id=row["resident_id"],
        status=BookingStatus(row["status"]),
        pickup_kind=PickupKind(row["pickup_kind"]),
        pickup_text=row["pickup_text"],
        booked_by=row["booked_by"],
        created_at=row["created_at"],
        booked_at=row["booked_at"],
        queued_at=row["queued_at"],
        updated_at=row["updated_at"],
    )


def _series(row: sa.RowMapping, street_ids: tuple[int, ...]) -> RideSeries:
    return RideSeries(
        id=row["id"],
        neighbourhood_id=row["neighbourhood_id"],
        driver_id=row["driver_id"],
        weekday=row["weekday"],
        local_time=from_hhmm(row["local_time"]),
        return_time=from_hhmm(row["return_time"]) if row["return_time"] else None,
        destination=row["destination"],
        seats=row["seats"],
        pickup_mode=PickupMode(row["pickup_mode"]),
        meeting_point=row["meeting_point"],
        street_ids=street_ids,
        first_date=row["first_date"],
        active=row["active"],
        created_at=row["created_at"],
        stopped_at=row["stopped_at"],
    )


class SqlRides(SqlRepository):
    """Rides and everything hanging off them."""

    async def _street_ids(self, ride_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
        if not ride_ids:
            return {}
        t = r.ride_streets
        rows = await self._all(
            sa.select(t.c.ride_id, t.c.street_id)
            .where(t.c.ride_id.in_(ride_ids))
            .order_by(t.c.ride_id, t.c.position)
        )
        found: dict[int, list[int]] = {}
        for row in rows:
            found.setdefault(row["ride_id"], []).append(row["street_id"])
        return {k: tuple(v) for k, v in found.items()}

    async def _rides(self, stmt: sa.Select[tuple[object, ...]]) -> list[Ride]:
        rows = await self._all(stmt)
        streets = await self._street_ids([row["id"] for row in rows])
        return [self._ride(row, streets.get(row["id"], ())) for row in rows]

    @staticmethod
    def _ride(row: sa.RowMapping, street_ids: tuple[int, ...]) -> Ride:
        return Ride(
            id=row["id"],
            neighbourhood_id=row["neighbourhood_id"],
            driver_id=row["driver_id"],
            series_id=row["series_id"],
            departs_at=row["departs_at"],
            local_date=row["local_date"],
            return_at=row["return_at"],
            ends_at=row["ends_at"],
            destination=row["destination"],
            seats=row["seats"],
            booked=row["booked"],
            pickup_mode=PickupMode(row["pickup_mode"]),
            meeting_point=row["meeting_point"],
            status=RideStatus(row["status"]),
            street_ids=street_ids,
            created_at=row["created_at"],
            cancelled_at=row["cancelled_at"],
            evening_reminded_at=row["evening_reminded_at"],
            hour_reminded_at=row["hour_reminded_at"],
        )

    # Rides ---------------------------------------------------------------------------

    async def add(self, ride: NewRide, now: datetime) -> Ride | None:
        """Create a ride; None when its series already has a ride on that date."""
        t = r.rides
        if ride.series_id is not None:
            existing = await self._one(
                sa.select(t.c.id).where(
                    t.c.series_id == ride.series_id, t.c.local_date == ride.local_date
                )
            )
            if existing is not None:
                return None
        ride_id = await self._insert_id(
            t,
            neighbourhood_id=ride.neighbourhood_id,
            driver_id=ride.driver_id,
            series_id=ride.series_id,
            departs_at=ride.departs_at,
            local_date=ride.local_date,
            return_at=ride.return_at,
            ends_at=ride.ends_at,
            destination=ride.destination,
            seats=ride.seats,
            booked=0,
            pickup_mode=ride.pickup_mode.value,
            meeting_point=ride.meeting_point,
            status=RideStatus.SCHEDULED.value,
            created_at=now,
            updated_at=now,
        )
        if ride.street_ids:
            await self.conn.execute(
                sa.insert(r.ride_streets),
                [
                    {"ride_id": ride_id, "street_id": street_id, "position": n}
                    for n, street_id in enumerate(ride.street_ids)
                ],
            )
        return await self.get(ride_id)

    async def get(self, ride_id: int) -> Ride | None:
        """By id."""
        found = await self._rides(sa.select(r.rides).where(r.rides.c.id == ride_id))
        return found[0] if found else None

    async def take_seat(self, ride_id: int) -> bool:
        """One more passenger, unless every seat is taken (a conditional update)."""
        t = r.rides
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.id == ride_id, t.c.booked < t.c.seats)
            .values(booked=t.c.booked + 1)
        )
        return bool(result.rowcount)

    async def free_seat(self, ride_id: int) -> bool:
        """One passenger less, never below zero."""
        t = r.rides
        result = await self.conn.execute(
            sa.update(t).where(t.c.id == ride_id, t.c.booked > 0).values(booked=t.c.booked - 1)
        )
        return bool(result.rowcount)

    async def set_seats(self, ride_id: int, seats: int, now: datetime) -> bool:
        """A new capacity, unless it is below the passengers counted."""
        t = r.rides
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.id == ride_id, t.c.booked <= seats)
            .values(seats=seats, updated_at=now)
        )
        return bool(result.rowcount)

    async def move_status(
        self, ride_id: int, old: RideStatus, new: RideStatus, now: datetime
    ) -> bool:
        """Conditionally change the status (whoever changes it first wins)."""
        t = r.rides
        values: dict[str, object] = {"status": new.value, "updated_at": now}
        if new in _STATUS_STAMP:
            values[_STATUS_STAMP[new]] = now
        result = await self.conn.execute(
            sa.update(t).where(t.c.id == ride_id, t.c.status == old.value).values(**values)
        )
        return bool(result.rowcount)

    async def claim_reminder(self, ride_id: int, moment: str, now: datetime) -> bool:
        """Mark a reminder moment of a ride as handled, once."""
        t = r.rides
        column = t.c.hour_reminded_at if moment == "hour" else t.c.evening_reminded_at
        result = await self.conn.execute(
            sa.update(t).where(t.c.id == ride_id, column.is_(None)).values({column.name: now})
        )
        return bool(result.rowcount)

    async def upcoming(
        self, neighbourhood_ids: Sequence[int], now: datetime, limit: int
    ) -> Sequence[Ride]:
        """Scheduled rides that have not left yet, soonest first."""
        t = r.rides
        return await self._rides(
            sa.select(t)
            .where(
                t.c.neighbourhood_id.in_(neighbourhood_ids),
                t.c.status == RideStatus.SCHEDULED.value,
                t.c.departs_at > now,
            )
            .order_by(t.c.departs_at, t.c.id)
            .limit(limit)
        )

    async def of_driver(self, driver_id: int, now: datetime) -> Sequence[Ride]:
        """A driver's scheduled rides still to come."""
        t = r.rides
        return await self._rides(
            sa.select(t)
            .where(
                t.c.driver_id == driver_id,
                t.c.status == RideStatus.SCHEDULED.value,
                t.c.departs_at > now,
            )
            .order_by(t.c.departs_at, t.c.id)
        )

    async def of_passenger(
        self, resident_id: int, now: datetime
    ) -> Sequence[tuple[Ride, Booking]]:
        """Scheduled rides to come where a resident has a seat or waits."""
        t, b = r.rides, r.ride_bookings
        rows = await self._all(
            sa.select(b)
            .join(t, t.c.id == b.c.ride_id)
            .where(
                b.c.resident_id == resident_id,
                b.c.status.in_(_ACTIVE),
                t.c.status == RideStatus.SCHEDULED.value,
                t.c.departs_at > now,
            )
            .order_by(t.c.departs_at, t.c.id)
        )
        result = []
        for row in rows:
            ride = await self.get(row["ride_id"])
            assert ride is not None
            result.append((ride, _booking(row)))
        return result

    async def departing_between(
        self, start: datetime, end: datetime, status: RideStatus
    ) -> Sequence[Ride]:
        """Rides in a status that depart in [start, end]."""
        t = r.rides
        return await self._rides(
            sa.select(t)
            .where(t.c.status == status.value, t.c.departs_at >= start, t.c.departs_at <= end)
            .order_by(t.c.departs_at, t.c.id)
        )

    async def ending_before(self, now: datetime) -> Sequence[Ride]:
        """Departed rides that are over."""
        t = r.rides
        return await self._rides(
            sa.select(t)
            .where(t.c.status == RideStatus.DEPARTED.value, t.c.ends_at <= now)
            .order_by(t.c.ends_at, t.c.id)
        )

    # Bookings ------------------------------------------------------------------------

    async def bookings(self, ride_id: int) -> Sequence[Booking]:
        """Every booking of a ride (any status)."""
        b = r.ride_bookings
        rows = await self._all(sa.select(b).where(b.c.ride_id == ride_id).order_by(b.c.id))
        return [_booking(row) for row in rows]

    async def booking(self, ride_id: int, resident_id: int) -> Booking | None:
        """One person's booking of a ride."""
        b = r.ride_bookings
        row = await self._one(
            sa.select(b).where(b.c.ride_id == ride_id, b.c.resident_id == resident_id)
        )
        return _booking(row) if row else None

    async def booking_by_id(self, booking_id: int) -> Booking | None:
        """By id."""
        b = r.ride_bookings
        row = await self._one(sa.select(b).where(b.c.id == booking_id))
        return _booking(row) if row else None

    async def insert_booking(
        self,
        ride_id: int,
        resident_id: int,
        status: BookingStatus,
        pickup_kind: PickupKind,
        pickup_text: str | None,
        booked_by: int | None,
        now: datetime,
    ) -> Booking:
        """A new booking row (the unique key refuses a second one per person and ride)."""
        booking_id = await self._insert_id(
            r.ride_bookings,
            ride_id=ride_id,
            resident_id=resident_id,
            status=status.value,
            pickup_kind=pickup_kind.value,
            pickup_text=pickup_text,
            booked_by=booked_by,
            created_at=now,
            booked_at=now if status == BookingStatus.BOOKED else None,
            queued_at=now if status == BookingStatus.WAITLISTED else None,
            updated_at=now,
        )
        booking = await self.booking_by_id(booking_id)
        assert booking is not None
        return booking

    async def update_booking(self, booking_id: int, **fields: object) -> None:
        """Change columns of a booking."""
        values = {
            k: (v.value if isinstance(v, BookingStatus | PickupKind) else v)
            for k, v in fields.items()
        }
        b = r.ride_bookings
        await self.conn.execute(sa.update(b).where(b.c.id == booking_id).values(**values))

    # Series --------------------------------------------------------------------------

    async def add_series(self, series: NewSeries, now: datetime) -> RideSeries:
        """Create a weekly template."""
        series_id = await self._insert_id(
            r.ride_series,
            neighbourhood_id=series.neighbourhood_id,
            driver_id=series.driver_id,
            weekday=series.weekday,
            local_time=hhmm(series.local_time),
            return_time=hhmm(series.return_time) if series.return_time else None,
            destination=series.destination,
            seats=series.seats,
            pickup_mode=series.pickup_mode.value,
            meeting_point=series.meeting_point,
            first_date=series.first_date,
            active=True,
            created_at=now,
        )
        if series.street_ids:
            await self.conn.execute(
                sa.insert(r.ride_series_streets),
                [
                    {"series_id": series_id, "street_id": street_id, "position": n}
                    for n, street_id in enumerate(series.street_ids)
                ],
            )
        found = await self.get_series(series_id)
        assert found is not None
        return found

    async def _series_list(self, stmt: sa.Select[tuple[object, ...]]) -> list[RideSeries]:
        rows = await self._all(stmt)
        result = []
        for row in rows:
            t = r.ride_series_streets
            streets = await self._all(
                sa.select(t.c.street_id).where(t.c.series_id == row["id"]).order_by(t.c.position)
            )
            result.append(_series(row, tuple(x["street_id"] for x in streets)))
        return result

    async def get_series(self, series_id: int) -> RideSeries | None:
        """By id."""
        found = await self._series_list(
            sa.select(r.ride_series).where(r.ride_series.c.id == series_id)
        )
        return found[0] if found else None

    async def active_series(self) -> Sequence[RideSeries]:
        """Every series that still runs."""
        t = r.ride_series
        return await self._series_list(sa.select(t).where(t.c.active.is_(True)).order_by(t.c.id))

    async def stop_series(self, series_id: int, now: datetime) -> bool:
        """Stop a series (once)."""
        t = r.ride_series
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.id == series_id, t.c.active.is_(True))
            .values(active=False, stopped_at=now)
        )
        return bool(result.rowcount)

    async def series_rides_from(self, series_id: int, now: datetime) -> Sequence[Ride]:
        """The rides of a series that have not left yet."""
        t = r.rides
        return await self._rides(
            sa.select(t)
            .where(t.c.series_id == series_id, t.c.departs_at > now)
            .order_by(t.c.departs_at)
        )

    # Feedback hooks ------------------------------------------------------------------

    async def add_feedback_due(self, ride_id: int, resident_id: int, now: datetime) -> bool:
        """Remember that a passenger is owed the feedback questions (again, after an undo)."""
        f = r.ride_feedback
        existing = await self._one(
            sa.select(f).where(f.c.ride_id == ride_id, f.c.resident_id == resident_id)
        )
        if existing is None:
            await self.conn.execute(
                sa.insert(f).values(
                    ride_id=ride_id, resident_id=resident_id, status="pending", created_at=now
                )
            )
            return True
        if existing["status"] == "skipped":
            await self.conn.execute(
                sa.update(f).where(f.c.id == existing["id"]).values(status="pending")
            )
            return True
        return False

    async def skip_feedback(self, ride_id: int, resident_id: int, now: datetime) -> None:
        """A no-show is not asked how the ride was."""
        f = r.ride_feedback
        await self.conn.execute(
            sa.update(f)
            .where(f.c.ride_id == ride_id, f.c.resident_id == resident_id, f.c.status == "pending")
            .values(status="skipped", handled_at=now)
        )

    async def pending_feedback(
        self, limit: int, created_before: datetime | None = None
    ) -> Sequence[FeedbackDue]:
        """Passengers waiting for their feedback questions, oldest first (optionally only
        those owed since before a moment)."""
        f = r.ride_feedback
        stmt = sa.select(f).where(f.c.status == "pending")
        if created_before is not None:
            stmt = stmt.where(f.c.created_at <= created_before)
        rows = await self._all(stmt.order_by(f.c.id).limit(limit))
        return [
            FeedbackDue(
                id=row["id"],
                ride_id=row["ride_id"],
                resident_id=row["resident_id"],
                created_at=row["created_at"],
            )
            for row in rows
        ]

    async def claim_feedback(self, feedback_id: int, now: datetime) -> bool:
        """Hand one feedback record over (once)."""
        f = r.ride_feedback
        result = await self.conn.execute(
            sa.update(f)
            .where(f.c.id == feedback_id, f.c.status == "pending")
            .values(status="handed", handled_at=now)
        )
        return bool(result.rowcount)

    # Coordinators on the street card ---------------------------------------------------

    async def set_card_contact(
        self, neighbourhood_id: int, resident_id: int, phone: str, now: datetime
    ) -> None:
        """Put (or replace) a coordinator's number on the neighbourhood's street cards."""
        t = r.ride_card_contacts
        changed = await self.conn.execute(
            sa.update(t)
            .where(t.c.neighbourhood_id == neighbourhood_id, t.c.resident_id == resident_id)
            .values(phone=phone, agreed_at=now)
        )
        if not changed.rowcount:
            await self._insert_ignore(
                t,
                neighbourhood_id=neighbourhood_id,
                resident_id=resident_id,
                phone=phone,
                agreed_at=now,
            )

    async def remove_card_contact(self, neighbourhood_id: int, resident_id: int) -> bool:
        """Take a coordinator's number off the cards."""
        t = r.ride_card_contacts
        result = await self.conn.execute(
            sa.delete(t).where(
                t.c.neighbourhood_id == neighbourhood_id, t.c.resident_id == resident_id
            )
        )
        return bool(result.rowcount)

    async def card_contacts(self, neighbourhood_id: int) -> Sequence[CardContact]:
        """Numbers coordinators agreed to put on the cards, the earliest agreement first."""
        t = r.ride_card_contacts
        rows = await self._all(
            sa.select(t)
            .where(t.c.neighbourhood_id == neighbourhood_id)
            .order_by(t.c.agreed_at, t.c.resident_id)
        )
        return [CardContact(**row) for row in rows]

    async def card_contacts_of(self, resident_id: int) -> Sequence[CardContact]:
        """A resident's numbers on cards, in every neighbourhood."""
        t = r.ride_card_contacts
        rows = await self._all(
            sa.select(t).where(t.c.resident_id == resident_id).order_by(t.c.neighbourhood_id)
        )
        return [CardContact(**row) for row in rows]

    # Proxies -------------------------------------------------------------------------

    async def proxies_in(self, neighbourhood_id: int) -> Sequence[tuple[Resident, int]]:
        """Proxy residents with a current street in the neighbourhood."""
        res, m, st = s.residents, s.memberships, s.streets
        rows = await self._all(
            sa.select(res, m.c.street_id.label("proxy_street_id"))
            .join(m, m.c.resident_id == res.c.id)
            .join(st, st.c.id == m.c.street_id)
            .where(
                res.c.is_proxy.is_(True),
                res.c.erased_at.is_(None),
                m.c.ended_at.is_(None),
                m.c.blocked_at.is_(None),
                st.c.neighbourhood_id == neighbourhood_id,
            )
            .order_by(dialects.by_text(self.conn, res.c.display_name), res.c.id)
        )
        seen: set[int] = set()
        result = []
        for row in rows:
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            result.append((resident_from_row(row), int(row["proxy_street_id"])))
        return result
