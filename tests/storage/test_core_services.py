"""Street and resident services over a real SQLite file."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import ChannelUser, ChatRef, MembershipRole, NeighbourhoodRole
from models.errors import BlockedFromStreet, NotAdministrator, NotAStreetMember, UnknownJoinCode
from models.notifications import OperatorAlert, Recipient
from models.residents import InvalidHouseNumber, ResidentService
from models.streets import StreetLinkedElsewhere, StreetService

GROUP = ChatRef(chat_id="-400001")
OTHER = ChatRef(chat_id="-400002")
PIET = ChannelUser(external_id="11", first_name="Piet")
ANNA = ChannelUser(external_id="12", first_name="Anna", language_hint="en-GB")


class Admins:
    """A ChatDirectory that knows who administers which chat."""

    def __init__(self) -> None:
        self.admins: set[tuple[str, str]] = set()

    async def is_administrator(self, chat: ChatRef, external_id: str) -> bool:
        return (chat.chat_id, external_id) in self.admins


@pytest.fixture
def admins() -> Admins:
    table = Admins()
    table.admins |= {(GROUP.chat_id, PIET.external_id), (OTHER.chat_id, PIET.external_id)}
    return table


@pytest.fixture
def streets(db: SqlDatabase, clock: FakeClock, admins: Admins) -> StreetService:
    return StreetService(db, clock, admins)


@pytest.fixture
def residents(db: SqlDatabase, clock: FakeClock) -> ResidentService:
    return ResidentService(db, clock)


async def test_setup_creates_then_updates(streets: StreetService) -> None:
    first = await streets.setup(
        PIET, GROUP, "Buren", "Zonnebloemstraat", "Oost", "Vlietstad", "nl"
    )
    assert first.created
    again = await streets.setup(
        PIET, GROUP, "Buren", "Zonnebloemstraat", "oost", "VLIETSTAD", "nl"
    )
    assert not again.created
    assert again.street.id == first.street.id
    assert again.neighbourhood.id == first.neighbourhood.id
    assert again.street.join_code == first.street.join_code


async def test_setup_refuses_non_admin_and_second_group(streets: StreetService) -> None:
    with pytest.raises(NotAdministrator):
        await streets.setup(ANNA, GROUP, None, "Lindelaan", "Oost", "Vlietstad", "nl")
    await streets.setup(PIET, GROUP, None, "Lindelaan", "Oost", "Vlietstad", "nl")
    with pytest.raises(StreetLinkedElsewhere):
        await streets.setup(PIET, OTHER, None, "lindelaan", "Oost", "Vlietstad", "nl")


async def test_join_flow(streets: StreetService, residents: ResidentService) -> None:
    street = (
        await streets.setup(PIET, GROUP, None, "Lindelaan", "Oost", "Vlietstad", "nl")
    ).street
    preview = await residents.preview_join(ANNA, street.join_code)
    assert (preview.suggested_name, preview.language, preview.already_member) == (
        "Anna",
        "en",
        False,
    )
    result = await residents.join(ANNA, street.join_code, "  Annie ", "nl")
    assert result.resident.display_name == "Annie"
    assert result.membership.role is MembershipRole.MEMBER
    again = await residents.join(ANNA, street.join_code, "Annie", "nl")
    assert again.already_member
    profile = await residents.require_member(ANNA)
    assert profile.home_street is not None
    assert profile.home_street.id == street.id
    with pytest.raises(UnknownJoinCode):
        await residents.preview_join(ANNA, "zzzzzzzzzz")


async def test_blocked_member_cannot_rejoin_or_act(
    db: SqlDatabase, streets: StreetService, residents: ResidentService, clock: FakeClock
) -> None:
    street = (
        await streets.setup(PIET, GROUP, None, "Lindelaan", "Oost", "Vlietstad", "nl")
    ).street
    joined = await residents.join(ANNA, street.join_code, "Anna", "nl")
    async with db.write() as tx:
        await tx.memberships.set_blocked(joined.membership.id, clock.now())
    with pytest.raises(NotAStreetMember):
        await residents.require_member(ANNA)
    with pytest.raises(BlockedFromStreet):
        await residents.join(ANNA, street.join_code, "Anna", "nl")


async def test_house_numbers(streets: StreetService, residents: ResidentService) -> None:
    street = (
        await streets.setup(PIET, GROUP, None, "Lindelaan", "Oost", "Vlietstad", "nl")
    ).street
    await residents.join(ANNA, street.join_code, "Anna", "nl")
    for good in ("12", "12a", "12-2", "12 bis", "3B"):
        assert (await residents.set_house_number(ANNA, good)).house_number == good
    for bad in ("twaalf", "12345678", "-", "12/3/4"):
        with pytest.raises(InvalidHouseNumber):
            await residents.set_house_number(ANNA, bad)
    assert (await residents.set_house_number(ANNA, None)).house_number is None


async def test_migrate_chat_moves_street_and_moderators_chat(
    db: SqlDatabase, streets: StreetService
) -> None:
    street = (
        await streets.setup(PIET, GROUP, None, "Lindelaan", "Oost", "Vlietstad", "nl")
    ).street
    new = ChatRef(chat_id="-100999")
    assert await streets.migrate_chat(GROUP, new)
    assert (await streets.get(street.id)).chat == new
    assert not await streets.migrate_chat(GROUP, new)  # the second service message changes nothing


async def test_unconfigured_groups_get_one_farewell(
    db: SqlDatabase, streets: StreetService, clock: FakeClock
) -> None:
    assert await streets.bot_added(OTHER, "Feest", PIET)
    assert await streets.sweep_unconfigured(timedelta(minutes=10)) == 0
    clock.advance(timedelta(minutes=11))
    results = await asyncio.gather(
        *(streets.sweep_unconfigured(timedelta(minutes=10)) for _ in range(3))
    )
    assert sorted(results) == [0, 0, 1]
    async with db.read() as tx:
        counts = await tx.outbox.counts()
    assert counts == {"pending": 1}


async def test_roles(
    db: SqlDatabase, streets: StreetService, residents: ResidentService, clock: FakeClock
) -> None:
    result = await streets.setup(PIET, GROUP, None, "Lindelaan", "Oost", "Vlietstad", "nl")
    anna = (await residents.join(ANNA, result.street.join_code, "Anna", "nl")).resident
    async with db.write() as tx:
        assert await tx.memberships.grant(
            anna.id, result.neighbourhood.id, NeighbourhoodRole.COORDINATOR, None, clock.now()
        )
        assert not await tx.memberships.grant(
            anna.id, result.neighbourhood.id, NeighbourhoodRole.COORDINATOR, None, clock.now()
        )
        holders = await tx.memberships.holders(
            result.neighbourhood.id, NeighbourhoodRole.COORDINATOR
        )
    assert [h.id for h in holders] == [anna.id]
    profile = await residents.profile(ANNA)
    assert profile is not None
    assert profile.has_role(NeighbourhoodRole.COORDINATOR, result.neighbourhood.id)
    assert not profile.has_role(NeighbourhoodRole.COMMUNITY_WORKER)


async def test_concurrent_writers_queue_instead_of_failing(
    db: SqlDatabase, clock: FakeClock
) -> None:
    async def add(i: int) -> None:
        async with db.write() as tx:
            await tx.residents.add("telegram", str(1000 + i), f"R{i}", "nl", clock.now())

    await asyncio.gather(*(add(i) for i in range(40)))
    async with db.read() as tx:
        assert await tx.residents.by_external("telegram", "1039") is not None


async def test_an_outbox_row_is_claimed_once_just_before_its_send(
    db: SqlDatabase, clock: FakeClock
) -> None:
    now = clock.now()
    async with db.write() as tx:
        for n in range(3):
            await tx.outbox.enqueue(
                Recipient(kind="operator"), OperatorAlert(summary=f"alert {n}"), now=now
            )
    async with db.read() as tx:
        due = await tx.outbox.due(now, 10)
    assert len(due) == 3
    async with db.write() as tx:
        first = await tx.outbox.claim(due[0], now)
        again = await tx.outbox.claim(due[0], now)
    assert first is not None
    assert first.attempts == 1
    assert again is None  # claimed once, by one sender
    async with db.read() as tx:
        # Looking at due rows claims nothing: only the row whose send began is "sending".
        assert await tx.outbox.counts() == {"pending": 2, "sending": 1}
    async with db.write() as tx:
        recovered = await tx.outbox.recover(now + timedelta(seconds=1))
    assert recovered == 1  # after a crash, only that one is sent again
