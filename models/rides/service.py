"""The rides service: publishing, booking, cancelling, the driver's tools, and the sweeps
that generate weekly rides, send reminders and close rides after they happened."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, Resident
from models.errors import NotAllowed, NotAStreetMember, StaleAction
from models.notifications import Recipient
from models.ports import Database, Transaction
from models.rides import ops
from models.rides.model import (
    Booking,
    BookingStatus,
    DateOutOfRange,
    DepartureInPast,
    NoShowTooEarly,
    NotASeries,
    NotBooked,
    NotTheDriver,
    PickupKind,
    PickupMode,
    ReturnBeforeDeparture,
    Ride,
    RideClosed,
    RideDraft,
    RideSeries,
    RideStatus,
    SeatChange,
    SeatsBelowBooked,
    UnknownStreet,
    check_booking_transition,
    check_ride_transition,
    check_seats,
    clean_destination,
    clean_pickup_text,
    passengers,
    plan_resize,
    waiting_list,
)
from models.rides.notices import DriverReminder, MovedToWaitlist, RideReminder, RideWrapUp
from models.rides.ports import FeedbackDue, NewRide, NewSeries
from models.rides.times import (
    at_local,
    bookable_dates,
    check_departure_time,
    evening_reminder_at,
    hour_reminder_at,
)
from models.rides.views import (
    BookingResult,
    CancelResult,
    MyRides,
    PassengerChange,
    PassengerLine,
    PublishOptions,
    PublishResult,
    RideCard,
    RidesHome,
    RideView,
)

HOME_LIST = 8
REMINDER_HORIZON = timedelta(hours=31)
NO_SHOW_WINDOW = timedelta(days=7)
FEEDBACK_BATCH = 50
# Passengers are asked a while after the ride is over, so that the driver can first say
# who was not there (the wrap-up asks at once); no-shows are then never asked.
FEEDBACK_DELAY = timedelta(hours=3)

FeedbackHook = Callable[[Transaction, FeedbackDue, Ride, datetime], Awaitable[None]]
"""Called once per passenger after a ride, inside the sweep's transaction: the help
exchange plugs its feedback questions in here (see `RideService.feedback_hooks`)."""


class RideService:
    """Grocery rides for residents and drivers; coordinators have `CoordinatorService`."""

    def __init__(
        self, db: Database, clock: Clock, tz: tzinfo, feedback_delay: timedelta = FEEDBACK_DELAY
    ) -> None:
        self._db = db
        self._clock = clock
        self.tz = tz
        self.feedback_delay = feedback_delay
        self.feedback_hooks: list[FeedbackHook] = []

    # Looking ---------------------------------------------------------------------

    async def home(self, user: ChannelUser) -> RidesHome:
        """Upcoming rides in my neighbourhood, and whether I coordinate there."""
        now = self._clock.now()
        async with self._db.read() as tx:
            resident = await ops.resident_of(tx, user)
            hoods = await ops.neighbourhoods_of(tx, resident.id)
            if not hoods:
                raise NotAStreetMember()
            hood_id = await _home_hood(tx, resident.id, hoods)
            hood = await tx.neighbourhoods.get(hood_id)
            assert hood is not None
            rides = await tx.rides.upcoming([hood_id], now, HOME_LIST)
            return RidesHome(
                neighbourhood=hood,
                rides=tuple([await ops.card(tx, r) for r in rides]),
                is_coordinator=await ops.is_coordinator(tx, resident.id, hood_id),
            )

    async def card(self, ride_id: int) -> RideCard | None:
        """The public card of a ride (for group posts); None when it is gone."""
        async with self._db.read() as tx:
            ride = await tx.rides.get(ride_id)
            return await ops.card(tx, ride) if ride is not None else None

    async def view(self, user: ChannelUser, ride_id: int) -> RideView:
        """A ride as this person sees it: their own place; lists for driver and coordinators."""
        async with self._db.read() as tx:
            resident = await ops.resident_of(tx, user)
            ride = await ops.load_ride(tx, ride_id)
            return await _view(tx, ride, resident.id)

    async def view_for(self, resident_id: int, ride_id: int) -> RideView | None:
        """A ride as a resident sees it (for the bot's messages); None if gone or not theirs."""
        async with self._db.read() as tx:
            ride = await tx.rides.get(ride_id)
            if ride is None:
                return None
            try:
                return await _view(tx, ride, resident_id)
            except NotAllowed:
                return None

    async def passenger(
        self, ride_id: int, passenger_id: int
    ) -> tuple[RideCard, PassengerLine] | None:
        """A ride and one passenger's place on it (a proxy's phone included), for reminders."""
        async with self._db.read() as tx:
            ride = await tx.rides.get(ride_id)
            booking = await tx.rides.booking(ride_id, passenger_id)
            if ride is None or booking is None:
                return None
            return await ops.card(tx, ride), await ops.passenger_line(tx, ride, booking)

    async def changes_since(self, ride_id: int, since: datetime) -> list[PassengerChange]:
        """What changed in a ride's passengers since a moment, for the driver's notice."""
        async with self._db.read() as tx:
            ride = await tx.rides.get(ride_id)
            if ride is None:
                return []
            changes = []
            for booking in await tx.rides.bookings(ride_id):
                change = _change_since(booking, since)
                if change is not None:
                    line = await ops.passenger_line(tx, ride, booking)
                    changes.append(PassengerChange(line=line, change=change))
            return changes

    async def mine(self, resident_id: int) -> MyRides:
        """My upcoming rides as driver and as passenger (or waiting)."""
        now = self._clock.now()
        async with self._db.read() as tx:
            driving = [await ops.card(tx, r) for r in await tx.rides.of_driver(resident_id, now)]
            riding = [
                (await ops.card(tx, r), b)
                for r, b in await tx.rides.of_passenger(resident_id, now)
            ]
            return MyRides(driving=tuple(driving), riding=tuple(riding))

    # Publishing ------------------------------------------------------------------

    async def publish_options(self, user: ChannelUser) -> PublishOptions:
        """The neighbourhood a driver publishes in, and its streets to choose from."""
        async with self._db.read() as tx:
            resident = await ops.resident_of(tx, user)
            hoods = await ops.neighbourhoods_of(tx, resident.id)
            if not hoods:
                raise NotAStreetMember()
            hood_id = await _home_hood(tx, resident.id, hoods)
            hood = await tx.neighbourhoods.get(hood_id)
            assert hood is not None
            streets = [
                s for s in await tx.streets.in_neighbourhood(hood_id) if s.active and s.chat
            ]
            return PublishOptions(
                neighbourhood=hood, streets=tuple(streets), home_street_id=hoods[hood_id][-1]
            )

    def dates(self) -> list[date]:
        """The dates a ride can be published for: today and the next 13 days."""
        return bookable_dates(self._clock.now(), self.tz)

    async def publish(self, user: ChannelUser, draft: RideDraft) -> PublishResult:
        """Check a driver's choices and publish the ride (or a weekly series of rides)."""
        now = self._clock.now()
        destination = clean_destination(draft.destination)
        seats = check_seats(draft.seats)
        meeting = (
            clean_pickup_text(draft.meeting_point)
            if draft.pickup_mode == PickupMode.MEETING
            else None
        )
        check_departure_time(draft.departs)
        if draft.day not in bookable_dates(now, self.tz):
            raise DateOutOfRange()
        departs_at = at_local(draft.day, draft.departs, self.tz)
        if departs_at <= now:
            raise DepartureInPast()
        return_at = at_local(draft.day, draft.returns, self.tz) if draft.returns else None
        if return_at is not None and return_at <= departs_at:
            raise ReturnBeforeDeparture()
        async with self._db.write() as tx:
            driver = await ops.resident_of(tx, user)
            hoods = await ops.neighbourhoods_of(tx, driver.id)
            if not hoods:
                raise NotAStreetMember()
            hood_id = await _home_hood(tx, driver.id, hoods)
            street_ids = await _check_streets(
                tx, hood_id, draft.street_ids or (hoods[hood_id][-1],)
            )
            if draft.weekly:
                series = await tx.rides.add_series(
                    NewSeries(
                        neighbourhood_id=hood_id,
                        driver_id=driver.id,
                        weekday=draft.day.weekday(),
                        local_time=draft.departs,
                        return_time=draft.returns,
                        destination=destination,
                        seats=seats,
                        pickup_mode=draft.pickup_mode,
                        meeting_point=meeting,
                        street_ids=street_ids,
                        first_date=draft.day,
                    ),
                    now,
                )
                rides = await _generate(tx, series, now, self.tz)
                await audit(
                    tx,
                    now,
                    "ride.series_published",
                    "ride_series",
                    series.id,
                    actor_resident_id=driver.id,
                )
                return PublishResult(rides=tuple(rides), series=series)
            ride = await ops.add_ride(
                tx,
                NewRide(
                    neighbourhood_id=hood_id,
                    driver_id=driver.id,
                    departs_at=departs_at,
                    local_date=draft.day,
                    return_at=return_at,
                    ends_at=ops.ends_at(departs_at, return_at),
                    destination=destination,
                    seats=seats,
                    pickup_mode=draft.pickup_mode,
                    meeting_point=meeting,
                    street_ids=street_ids,
                ),
                now,
            )
            assert ride is not None
            await audit(tx, now, "ride.published", "ride", ride.id, actor_resident_id=driver.id)
            return PublishResult(rides=(ride,))

    # Passengers ------------------------------------------------------------------

    async def book(self, user: ChannelUser, ride_id: int, *, waitlist_ok: bool) -> BookingResult:
        """One tap: a seat, or (when full and asked for) a place on the waiting list."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await ops.resident_of(tx, user)
            ride = await ops.load_ride(tx, ride_id)
            await ops.require_neighbour(tx, resident, ride.neighbourhood_id)
            return await ops.book(tx, ride, resident, now, waitlist_ok=waitlist_ok)

    async def cancel(self, user: ChannelUser, ride_id: int) -> CancelResult:
        """Give up my seat or waiting-list place; the first waiting gets the seat."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await ops.resident_of(tx, user)
            ride = await ops.load_ride(tx, ride_id)
            was_waiting = await ops.cancel_booking(
                tx, ride, resident.id, now, actor_id=resident.id
            )
            ride = await ops.load_ride(tx, ride_id)
            return CancelResult(card=await ops.card(tx, ride), was_waiting=was_waiting)

    async def set_pickup(
        self, user: ChannelUser, ride_id: int, kind: PickupKind, text: str | None = None
    ) -> RideView:
        """Choose where I am picked up: home, the meeting point, or somewhere I type."""
        now = self._clock.now()
        pickup_text = clean_pickup_text(text) if kind == PickupKind.OTHER else None
        async with self._db.write() as tx:
            resident = await ops.resident_of(tx, user)
            ride = await ops.load_ride(tx, ride_id)
            if not ride.bookable(now):
                raise RideClosed()
            booking = await tx.rides.booking(ride.id, resident.id)
            if booking is None or not booking.active:
                raise NotBooked()
            if kind == PickupKind.MEETING and not ride.meeting_point:
                raise StaleAction()
            await tx.rides.update_booking(
                booking.id, pickup_kind=kind, pickup_text=pickup_text, updated_at=now
            )
            if booking.status == BookingStatus.BOOKED:
                await ops.tell_driver_of_change(tx, ride, now)
            return await _view(tx, ride, resident.id)

    # The driver ------------------------------------------------------------------

    async def cancel_ride(self, user: ChannelUser, ride_id: int) -> RideCard:
        """The driver cannot go: the ride is cancelled and everyone on it is told."""
        now = self._clock.now()
        async with self._db.write() as tx:
            driver, ride = await _as_driver(tx, user, ride_id)
            await ops.cancel_ride(tx, ride, now, actor_id=driver.id)
            return await ops.card(tx, await ops.load_ride(tx, ride_id))

    async def skip(self, user: ChannelUser, ride_id: int) -> RideCard:
        """Skip one date of a weekly ride (the series goes on)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            driver, ride = await _as_driver(tx, user, ride_id)
            if ride.series_id is None:
                raise NotASeries()
            await ops.cancel_ride(tx, ride, now, actor_id=driver.id)
            await audit(tx, now, "ride.skipped", "ride", ride.id, actor_resident_id=driver.id)
            return await ops.card(tx, await ops.load_ride(tx, ride_id))

    async def stop_series(self, user: ChannelUser, series_id: int) -> list[Ride]:
        """Stop a weekly ride: no new dates, and the published ones still to come are cancelled."""
        now = self._clock.now()
        async with self._db.write() as tx:
            driver = await _series_driver(tx, user, series_id)
            if not await tx.rides.stop_series(series_id, now):
                raise NotASeries()
            cancelled = []
            for ride in await tx.rides.series_rides_from(series_id, now):
                if ride.status == RideStatus.SCHEDULED:
                    await ops.cancel_ride(tx, ride, now, actor_id=driver.id)
                    cancelled.append(ride)
            await audit(
                tx,
                now,
                "ride.series_stopped",
                "ride_series",
                series_id,
                actor_resident_id=driver.id,
            )
            return cancelled

    async def series_preview(self, user: ChannelUser, series_id: int) -> list[RideCard]:
        """The published rides a stop would cancel (for the driver's confirmation)."""
        now = self._clock.now()
        async with self._db.read() as tx:
            await _series_driver(tx, user, series_id)
            rides = await tx.rides.series_rides_from(series_id, now)
            return [await ops.card(tx, r) for r in rides if r.status == RideStatus.SCHEDULED]

    async def resize(
        self, user: ChannelUser, ride_id: int, seats: int, to_waitlist: Sequence[int] = ()
    ) -> RideView:
        """Change the seats; with fewer seats than passengers the driver says who waits."""
        now = self._clock.now()
        async with self._db.write() as tx:
            driver, ride = await _as_driver(tx, user, ride_id)
            if not ride.bookable(now):
                raise RideClosed()
            bookings = await tx.rides.bookings(ride.id)
            changes = plan_resize(ride, bookings, seats, to_waitlist)
            moved = [c for c in changes if c.new == BookingStatus.WAITLISTED]
            promoted = [c for c in changes if c.new == BookingStatus.BOOKED]
            for change in moved:
                booking = await ops.apply_change(tx, ride, change, now)
                await ops.tell_passenger(tx, ride, booking, MovedToWaitlist, now)
            if not await tx.rides.set_seats(ride.id, seats, now):
                raise SeatsBelowBooked(booked=len(passengers(bookings)), seats=seats, choose=0)
            ride = await ops.load_ride(tx, ride.id)
            await ops.promote(tx, ride, promoted, now)
            ride = await ops.load_ride(tx, ride.id)
            await ops.refresh_card(tx, ride, now)
            await audit(
                tx,
                now,
                "ride.seats_changed",
                "ride",
                ride.id,
                actor_resident_id=driver.id,
                seats=seats,
            )
            return await _view(tx, ride, driver.id)

    async def mark_no_show(
        self, user: ChannelUser, booking_id: int, *, no_show: bool = True
    ) -> RideView:
        """After the ride the driver says who was not there (or takes that back)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            booking = await tx.rides.booking_by_id(booking_id)
            if booking is None:
                raise StaleAction()
            driver, ride = await _as_driver(tx, user, booking.ride_id, coordinator_ok=False)
            if ride.status not in {RideStatus.DEPARTED, RideStatus.DONE}:
                raise NoShowTooEarly()
            if now - ride.departs_at > NO_SHOW_WINDOW:
                raise RideClosed()
            target = BookingStatus.NO_SHOW if no_show else BookingStatus.BOOKED
            check_booking_transition(booking.status, target)
            change = SeatChange(
                booking_id=booking.id,
                resident_id=booking.resident_id,
                old=booking.status,
                new=target,
            )
            await ops.apply_change(tx, ride, change, now)
            if no_show:
                await tx.rides.skip_feedback(ride.id, booking.resident_id, now)
            elif ride.status == RideStatus.DONE:
                await tx.rides.add_feedback_due(ride.id, booking.resident_id, now)
            await audit(
                tx,
                now,
                f"ride.{target.value}",
                "ride",
                ride.id,
                actor_resident_id=driver.id,
                passenger=booking.resident_id,
            )
            return await _view(tx, await ops.load_ride(tx, ride.id), driver.id)

    # Sweeps ----------------------------------------------------------------------

    async def generate_series(self) -> int:
        """Create the rides of every weekly series for the coming 14 days (idempotent)."""
        now = self._clock.now()
        created = 0
        async with self._db.write() as tx:
            for series in await tx.rides.active_series():
                created += len(await _generate(tx, series, now, self.tz))
        return created

    async def send_reminders(self) -> int:
        """Claim due reminders (the evening before at 18:00, an hour before) and enqueue them."""
        now = self._clock.now()
        sent = 0
        async with self._db.write() as tx:
            rides = await tx.rides.departing_between(
                now, now + REMINDER_HORIZON, RideStatus.SCHEDULED
            )
            for ride in rides:
                evening = evening_reminder_at(ride.departs_at, self.tz)
                hour = hour_reminder_at(ride.departs_at)
                if hour <= now:
                    moment, due = "hour", hour
                elif evening <= now:
                    moment, due = "evening", evening
                else:
                    continue
                if ride.created_at >= due:
                    continue
                if not await tx.rides.claim_reminder(ride.id, moment, now):
                    continue
                sent += await _enqueue_reminders(tx, ride, moment, due, now)
        return sent

    async def advance(self) -> int:
        """Rides that left become departed; rides that are over become done (wrap-up, hooks)."""
        now = self._clock.now()
        moved = 0
        async with self._db.write() as tx:
            left = await tx.rides.departing_between(
                now - timedelta(days=60), now, RideStatus.SCHEDULED
            )
            for ride in left:
                if await tx.rides.move_status(ride.id, ride.status, RideStatus.DEPARTED, now):
                    await ops.refresh_card(tx, ride, now)
                    moved += 1
            for ride in await tx.rides.ending_before(now):
                check_ride_transition(ride.status, RideStatus.DONE)
                if not await tx.rides.move_status(ride.id, ride.status, RideStatus.DONE, now):
                    continue
                moved += 1
                riders = passengers(await tx.rides.bookings(ride.id))
                for booking in riders:
                    await tx.rides.add_feedback_due(ride.id, booking.resident_id, now)
                if riders:
                    await tx.outbox.enqueue(
                        Recipient.resident(ride.driver_id),
                        RideWrapUp(ride_id=ride.id),
                        key=f"ride:{ride.id}:wrapup",
                        now=now,
                    )
                await ops.refresh_card(tx, ride, now)
        return moved

    async def deliver_feedback(self) -> int:
        """Hand passengers who went along to the feedback hooks (kept until a hook exists),
        `feedback_delay` after the ride was over."""
        if not self.feedback_hooks:
            return 0
        now = self._clock.now()
        handed = 0
        async with self._db.write() as tx:
            owed_before = now - self.feedback_delay
            for due in await tx.rides.pending_feedback(FEEDBACK_BATCH, owed_before):
                if not await tx.rides.claim_feedback(due.id, now):
                    continue
                ride = await tx.rides.get(due.ride_id)
                if ride is None:
                    continue
                for hook in self.feedback_hooks:
                    await hook(tx, due, ride, now)
                handed += 1
        return handed

    async def sweep(self) -> None:
        """Every minute: new weekly dates, ride states, reminders, feedback hooks."""
        await self.generate_series()
        await self.advance()
        await self.send_reminders()
        await self.deliver_feedback()


# Helpers -------------------------------------------------------------------------


async def _home_hood(tx: Transaction, resident_id: int, hoods: dict[int, list[int]]) -> int:
    """The neighbourhood of the street a resident joined last."""
    memberships = [m for m in await tx.memberships.of_resident(resident_id) if not m.blocked]
    for membership in reversed(memberships):
        for hood_id, street_ids in hoods.items():
            if membership.street_id in street_ids:
                return hood_id
    return next(iter(hoods))


async def _check_streets(
    tx: Transaction, hood_id: int, street_ids: Sequence[int]
) -> tuple[int, ...]:
    chosen: list[int] = []
    for street_id in street_ids:
        street = await tx.streets.get(street_id)
        if street is None or street.neighbourhood_id != hood_id or not street.active:
            raise UnknownStreet()
        if street_id not in chosen:
            chosen.append(street_id)
    return tuple(chosen)


async def _as_driver(
    tx: Transaction, user: ChannelUser, ride_id: int, *, coordinator_ok: bool = False
) -> tuple[Resident, Ride]:
    resident = await ops.resident_of(tx, user)
    ride = await ops.load_ride(tx, ride_id)
    if ride.driver_id != resident.id and not (
        coordinator_ok and await ops.is_coordinator(tx, resident.id, ride.neighbourhood_id)
    ):
        raise NotTheDriver()
    return resident, ride


async def _series_driver(tx: Transaction, user: ChannelUser, series_id: int) -> Resident:
    """The driver of a weekly ride still running; anyone else is refused."""
    driver = await ops.resident_of(tx, user)
    series = await tx.rides.get_series(series_id)
    if series is None or not series.active:
        raise NotASeries()
    if series.driver_id != driver.id:
        raise NotTheDriver()
    return driver


async def _view(tx: Transaction, ride: Ride, resident_id: int) -> RideView:
    is_driver = ride.driver_id == resident_id
    is_coordinator = await ops.is_coordinator(tx, resident_id, ride.neighbourhood_id)
    neighbour = ride.neighbourhood_id in await ops.neighbourhoods_of(tx, resident_id)
    if not (is_driver or is_coordinator or neighbour):
        raise NotAllowed()
    bookings = await tx.rides.bookings(ride.id)
    mine = next((b for b in bookings if b.resident_id == resident_id), None)
    position = None
    my_pickup = None
    if mine is not None:
        position = next(
            (i + 1 for i, b in enumerate(waiting_list(bookings)) if b.id == mine.id), None
        )
        me = await tx.residents.get(resident_id)
        assert me is not None
        my_pickup = await ops.pickup_point(tx, ride, mine, me)
    seated: list[PassengerLine] = []
    waiting: list[PassengerLine] = []
    absent: list[PassengerLine] = []
    if is_driver or is_coordinator:
        seated, waiting, absent = await ops.passenger_lines(tx, ride, bookings)
    series = await tx.rides.get_series(ride.series_id) if ride.series_id else None
    return RideView(
        card=await ops.card(tx, ride),
        my_booking=mine,
        my_pickup=my_pickup,
        waiting_position=position,
        is_driver=is_driver,
        is_coordinator=is_coordinator,
        passengers=tuple(seated),
        waiting_list=tuple(waiting),
        absent=tuple(absent),
        series=series,
    )


def _change_since(
    booking: Booking, since: datetime
) -> Literal["booked", "moved_up", "cancelled", "pickup"] | None:
    """How a booking changed for the driver since a moment (None: not, or not for them)."""
    seated_since = booking.booked_at is not None and booking.booked_at >= since
    if booking.status == BookingStatus.BOOKED and seated_since:
        return "moved_up" if booking.queued_at is not None else "booked"
    if booking.status == BookingStatus.BOOKED and booking.updated_at >= since:
        return "pickup"
    had_seat = booking.booked_at is not None and not seated_since
    if booking.status == BookingStatus.CANCELLED and booking.updated_at >= since and had_seat:
        return "cancelled"
    return None


async def _generate(tx: Transaction, series: RideSeries, now: datetime, tz: tzinfo) -> list[Ride]:
    """The missing rides of a series on the bookable dates ahead (never twice per date)."""
    created: list[Ride] = []
    for day in bookable_dates(now, tz):
        if day.weekday() != series.weekday or day < series.first_date:
            continue
        departs_at = at_local(day, series.local_time, tz)
        if departs_at <= now:
            continue
        return_at = at_local(day, series.return_time, tz) if series.return_time else None
        ride = await ops.add_ride(
            tx,
            NewRide(
                neighbourhood_id=series.neighbourhood_id,
                driver_id=series.driver_id,
                series_id=series.id,
                departs_at=departs_at,
                local_date=day,
                return_at=return_at,
                ends_at=ops.ends_at(departs_at, return_at),
                destination=series.destination,
                seats=series.seats,
                pickup_mode=series.pickup_mode,
                meeting_point=series.meeting_point,
                street_ids=series.street_ids,
            ),
            now,
        )
        if ride is not None:
            created.append(ride)
    return created


async def _enqueue_reminders(
    tx: Transaction, ride: Ride, moment: str, due: datetime, now: datetime
) -> int:
    """The driver's reminder and one per passenger who had a seat before the moment."""
    which = "hour" if moment == "hour" else "evening"
    await tx.outbox.enqueue(
        Recipient.resident(ride.driver_id),
        DriverReminder(ride_id=ride.id, moment=which),
        key=f"ride:{ride.id}:{which}:driver",
        now=now,
    )
    count = 1
    for booking in passengers(await tx.rides.bookings(ride.id)):
        if (booking.booked_at or booking.created_at) >= due:
            continue  # booked after the moment: the booking message said it all
        await ops.tell_passenger(
            tx,
            ride,
            booking,
            RideReminder,
            now,
            key=f"ride:{ride.id}:{which}:{booking.resident_id}",
            moment=which,
        )
        count += 1
    return count
