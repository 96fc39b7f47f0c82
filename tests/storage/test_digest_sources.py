"""The exchange's and the rides' digest and street-card sources on a real database.

Each test builds the situation through the real services (posting, helping, thanking,
booking) and checks what the sources hand to the digest: only what people chose to show.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import NeighbourhoodRole
from models.digest.card import RideContact
from models.exchange.after import NoRideFeedback, ask_after_ride
from models.exchange.digest import (
    ExchangeCardEntries,
    ExchangeNewEntries,
    ExchangeOpenRequests,
    ExchangeThanks,
)
from models.exchange.model import Availability, HelpfulAnswer, RequestKind
from models.exchange.requests import Draft
from models.exchange.service import Exchange, build_exchange
from models.rides.coordination import InvalidPhone
from models.rides.digest import CardPhoneData, CoordinatorOnTheCard, RidesWithSeats
from models.rides.model import NotACoordinator
from tests.conftest import AMSTERDAM
from tests.rides_world import World, make_world, outbox


@pytest.fixture
async def world(db: SqlDatabase, clock: FakeClock) -> World:
    """Oost with two streets; Joost..Gijs live in the Zonnebloemstraat."""
    return await make_world(db, clock)


@pytest.fixture
def x(db: SqlDatabase, clock: FakeClock) -> Exchange:
    """The exchange services on the same database."""
    return build_exchange(db, clock)


async def _block(world: World, name: str, street: int = 0) -> None:
    async with world.db.write() as tx:
        membership = await tx.memberships.get(world.people[name].id, world.streets[street].id)
        assert membership is not None
        await tx.memberships.set_blocked(membership.id, world.clock.now())


async def _helped(world: World, x: Exchange, asker: str, helper: str, text: str) -> int:
    posted = await x.requests.post(
        world.user(asker), Draft(category="garden", text=text, show_name=True)
    )
    conversation = await x.requests.help(world.user(helper), posted.request.id)
    await x.requests.done(world.user(asker), posted.request.id)
    return conversation.id


async def test_thanks_only_public_of_the_week_newest_first(world: World, x: Exchange) -> None:
    street = world.streets[0].id
    week_start = world.clock.now()
    first = await _helped(world, x, "Anna", "Bram", "heg snoeien")
    await x.after.thank(world.user("Anna"), first, "Dank voor de heg", public=True)
    world.clock.advance(timedelta(hours=1))
    private = await _helped(world, x, "Cor", "Bram", "gras maaien")
    await x.after.thank(world.user("Cor"), private, "Alleen voor Bram", public=False)
    world.clock.advance(timedelta(hours=1))
    # Dina posted as "een buur": her thank-you names her as "een buur" too.
    posted = await x.requests.post(
        world.user("Dina"), Draft(category="garden", text="bladeren vegen", show_name=False)
    )
    conversation = await x.requests.help(world.user("Eva"), posted.request.id)
    await x.requests.done(world.user("Dina"), posted.request.id)
    await x.after.thank(world.user("Dina"), conversation.id, "Top!", public=True)
    end = world.clock.now() + timedelta(minutes=1)

    async with world.db.read() as tx:
        notes = await ExchangeThanks().thanks(tx, street, week_start, end)
        assert [(n.from_name, n.to_name, n.text) for n in notes] == [
            (None, "Eva", "Top!"),
            ("Anna", "Bram", "Dank voor de heg"),
        ]
        # Outside the window: nothing; another street: nothing.
        assert await ExchangeThanks().thanks(tx, street, end, end + timedelta(days=7)) == []
        assert await ExchangeThanks().thanks(tx, world.streets[1].id, week_start, end) == []
    # A helper blocked in the street is no longer thanked in its digest.
    await _block(world, "Eva")
    async with world.db.read() as tx:
        notes = await ExchangeThanks().thanks(tx, street, week_start, end)
    assert [n.to_name for n in notes] == ["Bram"]


async def test_open_requests_only_what_the_group_may_see(world: World, x: Exchange) -> None:
    street = world.streets[0].id
    shown = await x.requests.post(world.user("Anna"), Draft(category="household", text="lamp"))
    anonymous = await x.requests.post(
        world.user("Bram"), Draft(category="garden", text="planten water", show_name=False)
    )
    held = await x.requests.post(
        world.user("Cor"),
        Draft(category="paperwork", text="De deurwaarder komt voor mijn schulden"),
    )
    assert held.held
    offer = await x.requests.post(
        world.user("Dina"),
        Draft(kind=RequestKind.OFFER, category="cooking", text="soep over"),
    )
    matched = await x.requests.post(world.user("Eva"), Draft(category="pets", text="hond"))
    await x.requests.help(world.user("Fenna"), matched.request.id)
    blocked = await x.requests.post(world.user("Gijs"), Draft(category="garden", text="heg"))
    await _block(world, "Gijs")

    async with world.db.read() as tx:
        notes = await ExchangeOpenRequests().open_requests(tx, street, world.clock.now())
    assert [(n.request_id, n.requester_name, n.summary) for n in notes] == [
        (shown.request.id, "Anna", "lamp"),
        (anonymous.request.id, None, "planten water"),
    ]
    everything = {held.request.id, offer.request.id, matched.request.id, blocked.request.id}
    assert everything.isdisjoint({n.request_id for n in notes})


async def test_new_entries_and_the_card(world: World, x: Exchange) -> None:
    street = world.streets[0]
    start = world.clock.now()
    add = x.register.add
    ladder = await add(
        world.user("Anna"),
        category="tools",
        text="Ladder lenen",
        availability=Availability.WEEKENDS,
        on_card=True,
    )
    world.clock.advance(timedelta(minutes=5))
    await add(
        world.user("Bram"),
        category="company",
        text="Koffie en een praatje",
        availability=Availability.ANYTIME,
        on_card=False,
    )
    world.clock.advance(timedelta(minutes=5))
    paused = await add(
        world.user("Cor"),
        category="garden",
        text="Heg snoeien",
        availability=Availability.WEEKENDS,
        on_card=True,
    )
    await x.register.update(world.user("Cor"), paused.id, paused=True)
    world.clock.advance(timedelta(minutes=5))
    await add(
        world.user("Dina"),
        category="cooking",
        text="Soep koken",
        availability=Availability.EVENINGS,
        on_card=True,
    )
    await _block(world, "Dina")
    world.clock.advance(timedelta(minutes=5))
    await add(
        world.user("Eva"),
        category="language",
        text="Nederlands oefenen",
        availability=Availability.ANYTIME,
        on_card=None,  # never answered the card question: not on it
    )
    end = world.clock.now() + timedelta(minutes=1)

    async with world.db.read() as tx:
        notes = await ExchangeNewEntries().new_entries(tx, street.id, start, end)
        assert [(n.first_name, n.summary) for n in notes] == [
            ("Eva", "Nederlands oefenen"),
            ("Bram", "Koffie en een praatje"),
            ("Anna", "Ladder lenen"),
        ]
        assert notes[-1].entry_id == ladder.id
        card = ExchangeCardEntries(x.taxonomy)
        dutch = await card.card_entries(tx, street, "nl")
        english = await card.card_entries(tx, street, "en")
        other_street = await card.card_entries(tx, world.streets[1], "nl")
    assert [(e.first_name, e.category, e.offer) for e in dutch] == [
        ("Anna", "Gereedschap lenen", "Ladder lenen")
    ]
    assert [e.category for e in english] == ["Tools to lend"]
    assert other_street == []


async def test_rides_with_free_seats_for_the_street(world: World) -> None:
    joost, anna = world.user("Joost"), world.user("Anna")
    start = world.clock.now()
    first = await world.rides.publish(joost, world.draft(seats=2))
    full = await world.rides.publish(joost, world.draft(seats=1, destination="Markt"))
    await world.rides.book(anna, full.rides[0].id, waitlist_ok=False)
    other = await world.rides.publish(
        joost, world.draft(destination="Lidl", street_ids=(world.streets[1].id,))
    )
    later = await world.rides.publish(
        joost,
        world.draft(day=start.astimezone(AMSTERDAM).date() + timedelta(days=9)),
    )
    cancelled = await world.rides.publish(joost, world.draft(destination="Jumbo"))
    await world.rides.cancel_ride(joost, cancelled.rides[0].id)
    await world.rides.book(anna, first.rides[0].id, waitlist_ok=False)

    async with world.db.read() as tx:
        notes = await RidesWithSeats().rides_with_seats(
            tx, world.streets[0].id, start, start + timedelta(days=7)
        )
        tulp = await RidesWithSeats().rides_with_seats(
            tx, world.streets[1].id, start, start + timedelta(days=7)
        )
    assert [(n.ride_id, n.destination, n.free_seats) for n in notes] == [
        (first.rides[0].id, "AH Amsterdamstraat", 1)
    ]
    assert [n.destination for n in tulp] == ["Lidl"]
    assert later.rides[0].id not in {n.ride_id for n in notes}
    assert other.rides[0].id not in {n.ride_id for n in notes}


async def test_the_coordinator_on_the_card_only_by_choice(world: World) -> None:
    street = world.streets[0]
    source = CoordinatorOnTheCard()
    async with world.db.read() as tx:
        assert await source.ride_contact(tx, street) is None
    with pytest.raises(NotACoordinator):
        await world.coordinators.put_on_card(world.user("Gijs"), world.hood_id, "06 12345678")
    await world.grant("Gijs", NeighbourhoodRole.COORDINATOR)
    state = await world.coordinators.card_phone(world.user("Gijs"))
    assert state.phone is None
    async with world.db.read() as tx:
        assert await source.ride_contact(tx, street) is None  # a coordinator, but no yes
    with pytest.raises(InvalidPhone):
        await world.coordinators.put_on_card(world.user("Gijs"), world.hood_id, "12")
    state = await world.coordinators.put_on_card(world.user("Gijs"), world.hood_id, "0612345678")
    assert state.phone == "06 12345678"
    async with world.db.read() as tx:
        assert await source.ride_contact(tx, street) == RideContact(
            name="Gijs", phone="06 12345678"
        )
        assert await source.ride_contact(tx, world.streets[1]) == RideContact(
            name="Gijs", phone="06 12345678"
        )
        exported = await CardPhoneData().export(tx, world.people["Gijs"])
    assert [row["phone"] for row in exported] == ["06 12345678"]
    # No longer coordinator: off the card, even though the number is still stored.
    async with world.db.write() as tx:
        await tx.memberships.revoke(
            world.people["Gijs"].id, world.hood_id, NeighbourhoodRole.COORDINATOR
        )
        assert await source.ride_contact(tx, street) is None
    # Taking it off (also without the role) removes the number.
    off = await world.coordinators.off_card(world.user("Gijs"), world.hood_id)
    assert off.phone is None
    await world.grant("Gijs", NeighbourhoodRole.COORDINATOR)
    async with world.db.write() as tx:
        assert await tx.rides.card_contacts(world.hood_id) == []
        await tx.rides.set_card_contact(world.hood_id, world.people["Gijs"].id, "06 1", now())
        await CardPhoneData().erase(tx, world.people["Gijs"], now())
        assert await tx.rides.card_contacts_of(world.people["Gijs"].id) == []


HOUR = timedelta(hours=1)


def now() -> datetime:
    """A moment for rows written directly."""
    return datetime(2026, 11, 30, 12, 0, tzinfo=AMSTERDAM)


async def test_ride_feedback_through_the_hook(world: World, x: Exchange) -> None:
    joost, anna, bram = world.user("Joost"), world.user("Anna"), world.user("Bram")
    world.rides.feedback_hooks.append(ask_after_ride)
    ride = (await world.rides.publish(joost, world.draft())).rides[0]
    await world.rides.book(anna, ride.id, waitlist_ok=False)
    await world.rides.book(bram, ride.id, waitlist_ok=False)
    # Truus has no Telegram; Gijs, coordinator, registers her and books her seat.
    await world.grant("Gijs", NeighbourhoodRole.COORDINATOR)
    gijs = world.user("Gijs")
    truus = await world.coordinators.register_proxy(
        gijs, world.streets[0].id, "Truus", "3", "06 12345678"
    )
    await world.coordinators.book_for(gijs, ride.id, truus.resident_id)

    world.clock.set(datetime(2026, 12, 1, 10, 1, tzinfo=AMSTERDAM))
    await world.rides.sweep()
    view = await world.rides.view(joost, ride.id)
    bram_booking = next(p for p in view.passengers if p.name == "Bram").booking
    await world.rides.mark_no_show(joost, bram_booking.id)
    world.clock.set(datetime(2026, 12, 1, 13, 1, tzinfo=AMSTERDAM))
    await world.rides.sweep()
    assert await outbox(world.db, "exchange.ride_feedback_ask") == []  # not yet
    world.clock.set(datetime(2026, 12, 1, 16, 1, tzinfo=AMSTERDAM))
    await world.rides.sweep()
    await world.rides.sweep()
    asked = await outbox(world.db, "exchange.ride_feedback_ask")
    # Anna only: Bram was not there, Truus has no Telegram (her coordinator is not asked).
    assert [(a["recipient"]["id"], a["payload"]["ride_id"]) for a in asked] == [
        (world.people["Anna"].id, ride.id)
    ]
    await x.after.answer_ride(anna, ride.id, helped=HelpfulAnswer.LITTLE)
    await x.after.answer_ride(anna, ride.id, knew_before=False)
    with pytest.raises(NoRideFeedback):
        await x.after.answer_ride(bram, ride.id, helped=HelpfulAnswer.YES)
    summary = await x.after.feedback_summary(
        [world.streets[0].id], world.clock.now() - timedelta(days=1), world.clock.now() + HOUR
    )
    assert summary.model_dump() == {
        "answers": 1,
        "helped": {"little": 1},
        "knew_before": 0,
        "new_connections": 1,
        "rides": 1,
    }
