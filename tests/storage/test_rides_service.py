"""The rides services on a real SQLite file: seats, waiting list, concurrency, reminders
(also across the switch to winter time), weekly series, proxies and the coordinator role."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import ChannelUser, NeighbourhoodRole
from models.errors import NotAStreetMember
from models.ports import Transaction
from models.privacy import ERASED_NAME, PrivacyService
from models.rides.coordination import InvalidPhone, NotAProxy
from models.rides.model import (
    AlreadyBooked,
    BookingStatus,
    DateOutOfRange,
    DepartureInPast,
    NoShowTooEarly,
    NotACommunityWorker,
    NotACoordinator,
    NotTheDriver,
    OwnRide,
    PickupKind,
    Ride,
    RideClosed,
    RideFull,
    RideStatus,
    SeatsBelowBooked,
)
from models.rides.ports import FeedbackDue
from models.rides.times import TimeOutsideDay
from tests.conftest import AMSTERDAM
from tests.rides_world import World, make_world, outbox, seat_counter


@pytest.fixture
async def world(db: SqlDatabase, clock: FakeClock) -> World:
    return await make_world(db, clock)


async def _ride(world: World, seats: int = 3, **changes: object) -> int:
    result = await world.rides.publish(world.user("Joost"), world.draft(seats=seats, **changes))
    return result.rides[0].id


async def test_publish_posts_the_card_in_the_chosen_streets(world: World) -> None:
    both = (world.streets[0].id, world.streets[1].id)
    ride_id = await _ride(world, street_ids=both)
    posts = await outbox(world.db, "post.place")
    assert [p["key"] for p in posts] == [f"ride:{ride_id}:post:{s}" for s in both]
    assert [p["recipient"] for p in posts] == [
        {"kind": "street", "id": s, "chat": None} for s in both
    ]


async def test_book_fill_waitlist_cancel_moves_the_first_waiting_up(world: World) -> None:
    ride_id = await _ride(world, seats=2)
    anna = await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    assert anna.booking.status == BookingStatus.BOOKED
    assert anna.pickup.street == "Zonnebloemstraat"
    await world.rides.book(world.user("Bram"), ride_id, waitlist_ok=False)
    with pytest.raises(RideFull):
        await world.rides.book(world.user("Cor"), ride_id, waitlist_ok=False)
    cor = await world.rides.book(world.user("Cor"), ride_id, waitlist_ok=True)
    dina = await world.rides.book(world.user("Dina"), ride_id, waitlist_ok=True)
    assert (cor.booking.status, cor.waiting_position) == (BookingStatus.WAITLISTED, 1)
    assert dina.waiting_position == 2
    assert dina.card.waiting == 2

    await world.rides.cancel(world.user("Anna"), ride_id)
    view = await world.rides.view(world.user("Cor"), ride_id)
    assert view.my_booking is not None
    assert view.my_booking.status == BookingStatus.BOOKED
    dina_view = await world.rides.view(world.user("Dina"), ride_id)
    assert dina_view.waiting_position == 1
    given = await outbox(world.db, "rides.seat_given")
    assert [g["recipient"]["id"] for g in given] == [world.people["Cor"].id]
    assert await seat_counter(world.db, ride_id) == (2, 2)


async def test_booking_rules(world: World) -> None:
    ride_id = await _ride(world)
    with pytest.raises(OwnRide):
        await world.rides.book(world.user("Joost"), ride_id, waitlist_ok=True)
    await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    with pytest.raises(AlreadyBooked):
        await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=True)
    stranger = ChannelUser(external_id="999999")
    with pytest.raises(NotAStreetMember):
        await world.rides.book(stranger, ride_id, waitlist_ok=False)
    world.clock.advance(timedelta(days=1, hours=1))
    with pytest.raises(RideClosed):
        await world.rides.book(world.user("Bram"), ride_id, waitlist_ok=True)
    with pytest.raises(RideClosed):
        await world.rides.cancel(world.user("Anna"), ride_id)


async def test_cancel_then_book_again_reuses_the_row(world: World) -> None:
    ride_id = await _ride(world, seats=1)
    await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    await world.rides.cancel(world.user("Anna"), ride_id)
    again = await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    assert again.booking.status == BookingStatus.BOOKED
    assert await seat_counter(world.db, ride_id) == (1, 1)


async def test_publish_rules(world: World) -> None:
    today = world.clock.now().astimezone(AMSTERDAM).date()
    with pytest.raises(DateOutOfRange):
        await world.rides.publish(world.user("Joost"), world.draft(day=today + timedelta(days=14)))
    with pytest.raises(DepartureInPast):
        # The fixture clock stands at 10:00 on a Monday.
        await world.rides.publish(world.user("Joost"), world.draft(day=today, departs=time(9, 0)))
    with pytest.raises(TimeOutsideDay):
        await world.rides.publish(world.user("Joost"), world.draft(departs=time(23, 0)))
    with pytest.raises(NotAStreetMember):
        await world.rides.publish(ChannelUser(external_id="424242"), world.draft())


@pytest.mark.parametrize("people", [2, 5])
async def test_concurrent_presses_for_the_last_seat_give_exactly_one_booking(
    world: World, people: int
) -> None:
    ride_id = await _ride(world, seats=2)
    await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    names = ["Bram", "Cor", "Dina", "Eva", "Fenna"][:people]
    results = await asyncio.gather(
        *(world.rides.book(world.user(n), ride_id, waitlist_ok=False) for n in names),
        return_exceptions=True,
    )
    booked = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, RideFull)]
    assert len(booked) == 1
    assert len(refused) == people - 1
    assert await seat_counter(world.db, ride_id) == (2, 2)


async def test_fewer_seats_needs_a_choice_of_who_waits(world: World) -> None:
    ride_id = await _ride(world, seats=3)
    for name in ("Anna", "Bram", "Cor"):
        await world.rides.book(world.user(name), ride_id, waitlist_ok=False)
    await world.rides.book(world.user("Dina"), ride_id, waitlist_ok=True)
    with pytest.raises(SeatsBelowBooked):
        await world.rides.resize(world.user("Joost"), ride_id, 2)
    with pytest.raises(NotTheDriver):
        await world.rides.resize(world.user("Anna"), ride_id, 4)
    view = await world.rides.view(world.user("Joost"), ride_id)
    bram = next(p for p in view.passengers if p.name == "Bram")
    view = await world.rides.resize(world.user("Joost"), ride_id, 2, [bram.booking.id])
    assert [p.name for p in view.passengers] == ["Anna", "Cor"]
    # Bram had asked before Dina, so he waits in front of her.
    assert [p.name for p in view.waiting_list] == ["Bram", "Dina"]
    moved = await outbox(world.db, "rides.moved_to_waitlist")
    assert [m["payload"]["passenger_id"] for m in moved] == [world.people["Bram"].id]
    world.clock.advance(timedelta(minutes=1))
    view = await world.rides.resize(world.user("Joost"), ride_id, 4)
    assert [p.name for p in view.passengers] == ["Anna", "Cor", "Bram", "Dina"]
    assert await seat_counter(world.db, ride_id) == (4, 4)


async def test_pickup_choices(world: World) -> None:
    ride_id = await _ride(world)
    await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    view = await world.rides.set_pickup(
        world.user("Anna"), ride_id, PickupKind.OTHER, "Bij de bakker"
    )
    assert view.my_pickup is not None
    assert view.my_pickup.text == "Bij de bakker"
    driver = await world.rides.view(world.user("Joost"), ride_id)
    assert driver.passengers[0].pickup.text == "Bij de bakker"
    view = await world.rides.set_pickup(world.user("Anna"), ride_id, PickupKind.HOME)
    assert view.my_pickup is not None
    assert view.my_pickup.house_number == world.people["Anna"].house_number
    # A passenger sees no passenger list.
    assert view.passengers == ()


async def test_driver_cancels_everyone_and_the_coordinator_are_told(world: World) -> None:
    await world.grant("Gijs", NeighbourhoodRole.COORDINATOR)
    ride_id = await _ride(world, seats=1)
    await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    await world.rides.book(world.user("Bram"), ride_id, waitlist_ok=True)
    with pytest.raises(NotTheDriver):
        await world.rides.cancel_ride(world.user("Anna"), ride_id)
    card = await world.rides.cancel_ride(world.user("Joost"), ride_id)
    assert card.ride.status == RideStatus.CANCELLED
    told = await outbox(world.db, "rides.cancelled")
    assert {(t["recipient"]["id"], t["payload"]["waitlisted"]) for t in told} == {
        (world.people["Anna"].id, False),
        (world.people["Bram"].id, True),
    }
    coordinator = await outbox(world.db, "rides.cancelled_coordinator")
    assert [c["recipient"]["id"] for c in coordinator] == [world.people["Gijs"].id]
    with pytest.raises(RideClosed):
        await world.rides.book(world.user("Cor"), ride_id, waitlist_ok=True)


async def _reminder_keys(world: World) -> list[str]:
    rows = await outbox(world.db, "rides.reminder") + await outbox(
        world.db, "rides.driver_reminder"
    )
    return sorted(r["key"] for r in rows)


async def test_reminders_once_each_at_the_right_moments(world: World) -> None:
    ride_id = await _ride(world)
    await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    anna = world.people["Anna"].id
    # The fixture is Monday 30 November 10:00; the ride is Tuesday 10:00.
    world.clock.set(datetime(2026, 11, 30, 17, 59, tzinfo=AMSTERDAM))
    assert await world.rides.send_reminders() == 0
    world.clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=AMSTERDAM))
    assert await world.rides.send_reminders() == 2
    assert await world.rides.send_reminders() == 0
    assert await _reminder_keys(world) == [
        f"ride:{ride_id}:evening:{anna}",
        f"ride:{ride_id}:evening:driver",
    ]
    world.clock.set(datetime(2026, 12, 1, 8, 59, tzinfo=AMSTERDAM))
    assert await world.rides.send_reminders() == 0
    world.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM))
    assert await world.rides.send_reminders() == 2
    world.clock.advance(timedelta(minutes=5))
    assert await world.rides.send_reminders() == 0
    assert len(await _reminder_keys(world)) == 4


async def test_late_bookings_get_no_evening_reminder_but_the_driver_hears(world: World) -> None:
    ride_id = await _ride(world)
    world.clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=AMSTERDAM))
    await world.rides.send_reminders()
    world.clock.advance(timedelta(hours=1))
    await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    changed = await outbox(world.db, "rides.passengers_changed")
    assert [(c["recipient"]["id"], c["payload"]["ride_id"]) for c in changed] == [
        (world.people["Joost"].id, ride_id)
    ]
    (change,) = await world.rides.changes_since(ride_id, world.clock.now() - timedelta(minutes=1))
    assert (change.line.name, change.change) == ("Anna", "booked")
    assert await world.rides.send_reminders() == 0
    world.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM))
    assert await world.rides.send_reminders() == 2


@pytest.fixture
def clock_before_winter_time() -> FakeClock:
    """Thursday 22 October 2026, 12:00 in Amsterdam (summer time)."""
    return FakeClock(datetime(2026, 10, 22, 12, 0, tzinfo=AMSTERDAM))


async def test_ride_on_the_last_sunday_of_october_reminds_at_local_times(
    db: SqlDatabase, clock_before_winter_time: FakeClock
) -> None:
    clock = clock_before_winter_time
    world = await make_world(db, clock)
    sunday = date(2026, 10, 25)
    result = await world.rides.publish(
        world.user("Joost"), world.draft(day=sunday, departs=time(10, 0))
    )
    ride = result.rides[0]
    assert ride.departs_at == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)  # winter time: UTC+1
    await world.rides.book(world.user("Anna"), ride.id, waitlist_ok=False)
    # Saturday 18:00 is still summer time (UTC+2): 16:00 UTC.
    clock.set(datetime(2026, 10, 24, 15, 59, tzinfo=UTC))
    assert await world.rides.send_reminders() == 0
    clock.set(datetime(2026, 10, 24, 16, 0, tzinfo=UTC))
    assert await world.rides.send_reminders() == 2
    # One hour before 10:00 winter time is 09:00 local, 08:00 UTC.
    clock.set(datetime(2026, 10, 25, 7, 59, tzinfo=UTC))
    assert await world.rides.send_reminders() == 0
    clock.set(datetime(2026, 10, 25, 8, 0, tzinfo=UTC))
    assert await world.rides.send_reminders() == 2


async def test_weekly_series_generates_fourteen_days_ahead_across_the_clock_change(
    db: SqlDatabase, clock_before_winter_time: FakeClock
) -> None:
    clock = clock_before_winter_time
    world = await make_world(db, clock)
    tuesday = date(2026, 10, 27)
    result = await world.rides.publish(
        world.user("Joost"), world.draft(day=tuesday, departs=time(10, 0), weekly=True)
    )
    assert result.series is not None
    # Thursday 22 October: the 14 bookable days end on Wednesday 4 November.
    assert [r.local_date for r in result.rides] == [tuesday, date(2026, 11, 3)]
    assert all(r.departs_at.astimezone(AMSTERDAM).time() == time(10, 0) for r in result.rides)
    assert await world.rides.generate_series() == 0
    clock.advance(timedelta(days=7))
    assert await world.rides.generate_series() == 1
    assert await world.rides.generate_series() == 0
    upcoming = await world.rides.mine(world.people["Joost"].id)
    # Thursday 29 October now: the 27th has been, the 10th of November is new.
    assert [c.ride.local_date for c in upcoming.driving] == [
        date(2026, 11, 3),
        date(2026, 11, 10),
    ]
    # Skip one date: that ride is cancelled and never comes back.
    await world.rides.book(world.user("Anna"), result.rides[1].id, waitlist_ok=False)
    skipped = await world.rides.skip(world.user("Joost"), result.rides[1].id)
    assert skipped.ride.status == RideStatus.CANCELLED
    assert await world.rides.generate_series() == 0
    assert [r["payload"]["passenger_id"] for r in await outbox(db, "rides.cancelled")] == [
        world.people["Anna"].id
    ]
    # Stop the series: the dates still to come are cancelled, no new ones appear.
    cancelled = await world.rides.stop_series(world.user("Joost"), result.series.id)
    assert [r.local_date for r in cancelled] == [date(2026, 11, 10)]
    clock.advance(timedelta(days=14))
    assert await world.rides.generate_series() == 0


async def test_after_the_ride_no_shows_and_feedback_hooks(world: World) -> None:
    ride_id = await _ride(world)
    await world.rides.book(world.user("Anna"), ride_id, waitlist_ok=False)
    await world.rides.book(world.user("Bram"), ride_id, waitlist_ok=False)
    view = await world.rides.view(world.user("Joost"), ride_id)
    bram = next(p for p in view.passengers if p.name == "Bram")
    with pytest.raises(NoShowTooEarly):
        await world.rides.mark_no_show(world.user("Joost"), bram.booking.id)
    world.clock.set(datetime(2026, 12, 1, 10, 1, tzinfo=AMSTERDAM))
    assert await world.rides.advance() == 1
    assert (await world.rides.view(world.user("Joost"), ride_id)).ride.status == "departed"
    await world.rides.mark_no_show(world.user("Joost"), bram.booking.id)
    world.clock.set(datetime(2026, 12, 1, 13, 1, tzinfo=AMSTERDAM))
    assert await world.rides.advance() == 1
    assert await world.rides.advance() == 0
    wrap = await outbox(world.db, "rides.wrap_up")
    assert [w["key"] for w in wrap] == [f"ride:{ride_id}:wrapup"]

    handed: list[tuple[int, int]] = []

    async def hook(tx: Transaction, due: FeedbackDue, ride: Ride, now: datetime) -> None:
        handed.append((ride.id, due.resident_id))

    assert await world.rides.deliver_feedback() == 0  # kept until a hook exists
    world.rides.feedback_hooks.append(hook)
    assert await world.rides.deliver_feedback() == 0  # the driver has a while for no-shows
    world.clock.set(datetime(2026, 12, 1, 16, 1, tzinfo=AMSTERDAM))
    assert await world.rides.deliver_feedback() == 1
    assert await world.rides.deliver_feedback() == 0
    assert handed == [(ride_id, world.people["Anna"].id)]
    # Taking the no-show back owes Bram his questions after all.
    await world.rides.mark_no_show(world.user("Joost"), bram.booking.id, no_show=False)
    assert await world.rides.deliver_feedback() == 0  # the driver may still change his mind
    world.clock.set(datetime(2026, 12, 1, 19, 1, tzinfo=AMSTERDAM))
    assert await world.rides.deliver_feedback() == 1
    assert handed[-1] == (ride_id, world.people["Bram"].id)


async def test_coordinator_registers_a_proxy_and_books_for_them(world: World) -> None:
    gijs = world.user("Gijs")
    with pytest.raises(NotACoordinator):
        await world.coordinators.panel(gijs)
    await world.grant("Gijs", NeighbourhoodRole.COORDINATOR)
    with pytest.raises(InvalidPhone):
        await world.coordinators.register_proxy(gijs, world.streets[1].id, "Truus", "3", "12")
    truus = await world.coordinators.register_proxy(
        gijs, world.streets[1].id, "Truus", "3a", "06-12345678"
    )
    assert (truus.phone, truus.street) == ("06 12345678", "Tulpstraat")
    ride_id = await _ride(world, seats=1)
    result = await world.coordinators.book_for(gijs, ride_id, truus.resident_id)
    assert result.booking.status == BookingStatus.BOOKED
    assert result.booking.booked_by == world.people["Gijs"].id
    assert result.pickup.street == "Tulpstraat"
    assert result.pickup.house_number == "3a"
    driver = await world.rides.view(world.user("Joost"), ride_id)
    assert (driver.passengers[0].name, driver.passengers[0].phone) == ("Truus", "06 12345678")
    # Reminders for Truus go to Gijs, who phones her.
    world.clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=AMSTERDAM))
    await world.rides.send_reminders()
    reminders = await outbox(world.db, "rides.reminder")
    assert [(r["recipient"]["id"], r["payload"]["proxy"]) for r in reminders] == [
        (world.people["Gijs"].id, True)
    ]
    await world.coordinators.cancel_for(gijs, ride_id, truus.resident_id)
    assert await seat_counter(world.db, ride_id) == (0, 0)
    with pytest.raises(NotACoordinator):
        await world.coordinators.book_for(world.user("Anna"), ride_id, truus.resident_id)


async def test_a_coordinator_erases_proxy_residents_only(world: World) -> None:
    privacy = PrivacyService(world.db, world.clock)
    gijs, bram = world.user("Gijs"), world.people["Bram"]
    with pytest.raises(NotACoordinator):
        await privacy.forget_proxy(gijs, bram.id)
    await world.grant("Gijs", NeighbourhoodRole.COORDINATOR)
    truus = await world.coordinators.register_proxy(
        gijs, world.streets[1].id, "Truus", "3a", "06-12345678"
    )
    # A neighbour with Telegram decides about her own data: no coordinator can erase her.
    with pytest.raises(NotAProxy):
        await privacy.forget_proxy(gijs, bram.id)
    with pytest.raises(NotACoordinator):
        await privacy.forget_proxy(world.user("Anna"), truus.resident_id)
    assert await privacy.forget_proxy(gijs, truus.resident_id) == "Truus"
    with pytest.raises(NotAProxy):
        await privacy.forget_proxy(gijs, truus.resident_id)
    async with world.db.read() as tx:
        erased = await tx.residents.get(truus.resident_id)
        kept = await tx.residents.get(bram.id)
    assert erased is not None
    assert kept is not None
    assert (erased.display_name, erased.house_number, erased.phone) == (ERASED_NAME, None, None)
    assert kept.display_name == "Bram"


async def test_only_a_community_worker_grants_the_coordinator_role(world: World) -> None:
    with pytest.raises(NotACommunityWorker):
        await world.coordinators.grant_coordinator(
            world.user("Anna"), world.hood_id, world.people["Bram"].id
        )
    await world.grant("Fenna", NeighbourhoodRole.COMMUNITY_WORKER)
    await world.coordinators.grant_coordinator(
        world.user("Fenna"), world.hood_id, world.people["Bram"].id
    )
    await world.coordinators.panel(world.user("Bram"))
    told = await outbox(world.db, "rides.coordinator_granted")
    assert [t["recipient"]["id"] for t in told] == [world.people["Bram"].id]
    assert await world.coordinators.revoke_coordinator(
        world.user("Fenna"), world.hood_id, world.people["Bram"].id
    )
    with pytest.raises(NotACoordinator):
        await world.coordinators.panel(world.user("Bram"))
