"""The impact report's counts over a real database, and its month arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import ChatRef
from models.escalation.model import NotACommunityWorker
from models.escalation.workers import WorkerCheck
from models.impact.ports import Connection, RequestFact
from models.impact.service import (
    BadMonth,
    ImpactService,
    month_bounds,
    new_connections,
    shift_month,
    street_figures,
)
from models.ports import ChatStanding
from tests.conftest import AMSTERDAM
from tests.rides_world import World, make_world


class NobodyIsAWorker:
    """A channel in which no one administers or joined any chat."""

    async def is_administrator(self, chat: ChatRef, external_id: str) -> bool:
        return False

    async def standing(self, chat: ChatRef, external_id: str) -> ChatStanding:
        return "absent"


@pytest.fixture
async def world(db: SqlDatabase, clock: FakeClock) -> World:
    return await make_world(db, clock)


def _impact(world: World) -> ImpactService:
    workers = WorkerCheck(world.db, world.clock, NobodyIsAWorker())
    return ImpactService(world.db, world.clock, workers, AMSTERDAM)


def test_months_are_local_calendar_months() -> None:
    assert shift_month("2026-12", 1) == "2027-01"
    assert shift_month("2026-01", -1) == "2025-12"
    start, end = month_bounds("2026-10", AMSTERDAM)
    # October ends in winter time: 23:00 UTC on the 31st, an hour later than it began.
    assert start.astimezone(UTC) == datetime(2026, 9, 30, 22, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    for wrong in ("2026-13", "november", "2026"):
        with pytest.raises(BadMonth):
            shift_month(wrong, 1)


def test_a_connection_is_new_only_the_first_time_two_neighbours_talk() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    end = datetime(2026, 12, 1, tzinfo=UTC)
    october, november = start - timedelta(days=3), start + timedelta(days=3)
    talks = [
        Connection(street_id=1, first_id=1, second_id=2, created_at=october),
        Connection(street_id=1, first_id=1, second_id=2, created_at=november),  # met before
        Connection(street_id=1, first_id=1, second_id=3, created_at=november),
        Connection(street_id=1, first_id=1, second_id=3, created_at=november),  # same pair
        Connection(street_id=2, first_id=4, second_id=5, created_at=november),
    ]
    assert new_connections(talks, start, end) == {1: 1, 2: 1}


def test_street_figures_count_asks_and_take_the_median_wait() -> None:
    created = datetime(2026, 11, 2, 9, tzinfo=UTC)

    def fact(kind: str, hours: float | None, status: str) -> RequestFact:
        matched = created + timedelta(hours=hours) if hours is not None else None
        return RequestFact(
            street_id=1,
            kind=kind,
            category="tools",
            created_at=created,
            matched_at=matched,
            status=status,
        )

    facts = [
        fact("ask", 2, "done"),
        fact("ask", 4, "matched"),
        fact("ask", 30, "done"),
        fact("ask", None, "open"),
        fact("offer", 1, "done"),  # an offer is counted as an offer, not as a request
    ]
    row = street_figures(1, "Zonnebloemstraat", facts, 0, 0, [])
    assert (row.asked, row.matched, row.done, row.offers) == (4, 3, 2, 1)
    assert row.median_hours_to_match == 4.0


async def test_rides_count_seats_used_and_different_passengers(world: World) -> None:
    impact = _impact(world)
    tomorrow = await world.rides.publish(world.user("Joost"), world.draft(seats=3))
    ride_id = tomorrow.rides[0].id
    for name in ("Anna", "Bram"):
        await world.rides.book(world.user(name), ride_id, waitlist_ok=True)
    cancelled = await world.rides.publish(
        world.user("Joost"), world.draft(destination="Lidl", seats=2)
    )
    await world.rides.book(world.user("Anna"), cancelled.rides[0].id, waitlist_ok=True)
    await world.rides.cancel_ride(world.user("Joost"), cancelled.rides[0].id)
    world.clock.advance(timedelta(days=2))
    await world.rides.sweep()

    report = await impact.report(world.hood_id, "2026-12")
    assert report is not None
    assert (report.rides.rides, report.rides.seats_used, report.rides.passengers) == (1, 2, 2)
    assert report.complete is False
    november = await impact.report(world.hood_id, "2026-11")
    assert november is not None
    assert november.rides.rides == 0
    assert [s.street for s in november.streets] == ["Tulpstraat", "Zonnebloemstraat"]
    assert november.empty


async def test_only_a_worker_sees_the_report_and_the_refusal_is_audited(world: World) -> None:
    impact = _impact(world)
    with pytest.raises(BadMonth):
        await impact.for_worker(world.user("Anna"), world.hood_id, "2027-01")
    with pytest.raises(NotACommunityWorker):
        await impact.for_worker(world.user("Anna"), world.hood_id)
    async with world.db.read() as tx:
        refused = await tx.audit.for_subject("neighbourhood", str(world.hood_id))
    assert [(a.action, a.detail.get("tried")) for a in refused] == [("worker.refused", "impact")]


async def test_a_hand_counted_month_of_register_entries_and_a_quick_helper(
    world: World,
) -> None:
    """Issue 15.10: '0 aanbiedingen' after two register entries; '1 uur' for a minute."""
    from models.exchange.model import Availability, RequestKind
    from models.exchange.requests import Draft
    from models.exchange.service import build_exchange
    from models.impact.service import StreetImpact

    exchange = build_exchange(world.db, world.clock)
    # Two entries in "wie kan wat", this month.
    for name, text in (("Anna", "ladder lenen"), ("Bram", "boodschappen doen")):
        await exchange.register.add(
            world.user(name),
            text=text,
            category="tools",
            availability=Availability.ANYTIME,
            on_card=False,
        )
    posted = await exchange.requests.post(
        world.user("Anna"), Draft(kind=RequestKind.ASK, category="garden", text="Wie snoeit?")
    )
    world.clock.advance(timedelta(minutes=1))
    await exchange.requests.help(world.user("Bram"), posted.request.id)
    report = await _impact(world).report(world.hood_id, "2026-11")
    assert report is not None
    total: StreetImpact = report.total
    assert (total.entries, total.offers, total.asked, total.matched) == (2, 0, 1, 1)
    assert total.median_hours_to_match == 0.02  # a minute, not rounded to nothing
