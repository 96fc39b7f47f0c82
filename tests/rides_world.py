"""A small neighbourhood for rides tests on a real database: streets, residents, helpers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

import sqlalchemy as sa

from bot.storage import schema as s
from bot.storage.db import SqlDatabase
from bot.storage.tables import rides as rt
from models.clock import FakeClock
from models.core import ChannelUser, ChatRef, MembershipRole, NeighbourhoodRole, Resident, Street
from models.rides.coordination import CoordinatorService
from models.rides.model import PickupMode, RideDraft
from models.rides.service import RideService
from tests.conftest import AMSTERDAM

NAMES = ("Joost", "Anna", "Bram", "Cor", "Dina", "Eva", "Fenna", "Gijs")


@dataclass
class World:
    """One neighbourhood with two streets and a few residents (all in the first street)."""

    db: SqlDatabase
    clock: FakeClock
    rides: RideService
    coordinators: CoordinatorService
    hood_id: int
    streets: list[Street]
    people: dict[str, Resident] = field(default_factory=dict)

    def user(self, name: str) -> ChannelUser:
        """The channel identity of a resident."""
        resident = self.people[name]
        assert resident.external_id is not None
        return ChannelUser(external_id=resident.external_id, first_name=name)

    def draft(self, **changes: Any) -> RideDraft:
        """Tomorrow 10:00 to the AH, 3 seats, posted in the first street."""
        values: dict[str, Any] = {
            "day": self.clock.now().astimezone(AMSTERDAM).date() + timedelta(days=1),
            "departs": time(10, 0),
            "destination": "AH Amsterdamstraat",
            "seats": 3,
            "pickup_mode": PickupMode.HOME,
            "street_ids": (self.streets[0].id,),
        }
        values.update(changes)
        return RideDraft(**values)

    async def add_person(
        self, name: str, street: int = 0, house: str | None = "12", external: str | None = None
    ) -> Resident:
        """Another resident of a street."""
        now = self.clock.now()
        async with self.db.write() as tx:
            external_id = external or str(5000 + len(self.people))
            resident = await tx.residents.add(
                "telegram", external_id, name, "nl", now, house_number=house
            )
            await tx.memberships.add(
                resident.id, self.streets[street].id, MembershipRole.MEMBER, now
            )
        self.people[name] = resident
        return resident

    async def grant(self, name: str, role: NeighbourhoodRole) -> None:
        """Give a neighbourhood role."""
        async with self.db.write() as tx:
            await tx.memberships.grant(
                self.people[name].id, self.hood_id, role, None, self.clock.now()
            )


async def make_world(db: SqlDatabase, clock: FakeClock) -> World:
    """Neighbourhood Oost with Zonnebloemstraat and Tulpstraat, and residents Joost..Gijs."""
    now = clock.now()
    async with db.write() as tx:
        hood = await tx.neighbourhoods.add("Oost", "Vlietstad", now)
        streets = [
            await tx.streets.add(
                hood.id, name, ChatRef(chat_id=chat), f"{name} buren", "nl", code, now
            )
            for name, chat, code in (
                ("Zonnebloemstraat", "-1001", "aaaaaaaaaa"),
                ("Tulpstraat", "-1002", "bbbbbbbbbb"),
            )
        ]
    world = World(
        db=db,
        clock=clock,
        rides=RideService(db, clock, AMSTERDAM),
        coordinators=CoordinatorService(db, clock),
        hood_id=hood.id,
        streets=streets,
    )
    for n, name in enumerate(NAMES):
        await world.add_person(name, house=str(10 + n), external=str(1000 + n))
    return world


async def outbox(db: SqlDatabase, kind: str | None = None) -> list[dict[str, Any]]:
    """Every outbox row (optionally of one kind), oldest first, decoded."""
    t = s.outbox
    stmt = sa.select(t).order_by(t.c.id)
    if kind is not None:
        stmt = stmt.where(t.c.kind == kind)
    async with db.read() as tx:
        rows = (await tx.conn.execute(stmt)).mappings().all()
    return [
        {
            "key": row["idempotency_key"],
            "kind": row["kind"],
            "recipient": json.loads(row["recipient"]),
            "payload": json.loads(row["payload"]),
            "not_before": row["not_before"],
        }
        for row in rows
    ]


async def seat_counter(db: SqlDatabase, ride_id: int) -> tuple[int, int]:
    """(the ride's seat counter, the number of booked rows): they must always agree."""
    async with db.read() as tx:
        counter = (
            await tx.conn.execute(sa.select(rt.rides.c.booked).where(rt.rides.c.id == ride_id))
        ).scalar_one()
        rows = (
            await tx.conn.execute(
                sa.select(sa.func.count()).where(
                    rt.ride_bookings.c.ride_id == ride_id, rt.ride_bookings.c.status == "booked"
                )
            )
        ).scalar_one()
    return int(counter), int(rows)
