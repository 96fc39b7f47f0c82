"""Coordinators: the rides of a whole neighbourhood, and neighbours without Telegram.

A coordinator registers a proxy resident (first name, street, house number, phone) and
books or cancels seats for them; reminders for a proxy go to the coordinator, who phones.
A proxy's phone number is shown to coordinators and to that ride's driver only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import phonenumbers

from models.audit import audit
from models.clock import Clock
from models.core import (
    ChannelUser,
    Frozen,
    MembershipRole,
    Neighbourhood,
    NeighbourhoodRole,
    Resident,
    Street,
)
from models.errors import InvalidInput, NotFound
from models.notifications import Recipient
from models.ports import Database, Transaction
from models.residents import clean_house_number
from models.rides import ops
from models.rides.model import NotACommunityWorker, NotACoordinator, UnknownStreet
from models.rides.notices import CoordinatorGranted, CoordinatorRevoked
from models.rides.views import (
    BookingResult,
    CancelResult,
    CardPhone,
    CoordinatorPanel,
    ProxyLine,
)
from models.text import clean_name, clean_text

PHONE_TEXT_MAX = 24
PANEL_RIDES = 12
DEFAULT_REGION = "NL"


class InvalidPhone(InvalidInput):
    """Not a phone number we can call."""

    message_key = "rides.errors.phone"


class NotAProxy(NotFound):
    """The neighbour is not (or no longer) a proxy resident of this neighbourhood."""

    message_key = "rides.errors.not_proxy"


def clean_phone(value: str | None, region: str = DEFAULT_REGION) -> str:
    """A callable phone number, written the national way ("06 12345678", "020 123 4567")."""
    text = clean_text(value, max_length=PHONE_TEXT_MAX, multiline=False)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidPhone() from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone()
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class WorkerGate(Protocol):
    """Who counts as a community worker of a neighbourhood (escalation asks the channel)."""

    async def require_worker(
        self, by: ChannelUser, neighbourhood_id: int, action: str
    ) -> Resident: ...


class CoordinatorChoice(Frozen):
    """What a community worker sees before choosing a coordinator: streets, who has it now."""

    neighbourhood: Neighbourhood
    streets: tuple[Street, ...]
    coordinators: tuple[Resident, ...]


class StreetNeighbours(Frozen):
    """The residents of one street a worker can make coordinator (with who is one now)."""

    neighbourhood: Neighbourhood
    street: Street
    residents: tuple[Resident, ...]
    coordinator_ids: frozenset[int]


class CoordinatorService:
    """What coordinators do, and how someone becomes one.

    Without a `WorkerGate` a community worker is whoever holds the role in the database
    (the command line, tests); the bot passes escalation's check, which also counts the
    administrators of the moderators chat and re-checks with Telegram.
    """

    def __init__(self, db: Database, clock: Clock, workers: WorkerGate | None = None) -> None:
        self._db = db
        self._clock = clock
        self._workers = workers

    # The role ---------------------------------------------------------------------

    async def _worker(self, by: ChannelUser, neighbourhood_id: int, action: str) -> int:
        """The acting community worker's resident id, or NotACommunityWorker."""
        if self._workers is not None:
            worker = await self._workers.require_worker(by, neighbourhood_id, action)
            return worker.id
        async with self._db.read() as tx:
            resident = await ops.resident_of(tx, by)
            if not await ops.has_role(
                tx, resident.id, neighbourhood_id, NeighbourhoodRole.COMMUNITY_WORKER
            ):
                raise NotACommunityWorker()
            return resident.id

    async def grant_coordinator(
        self, by: ChannelUser, neighbourhood_id: int, resident_id: int
    ) -> Resident:
        """A community worker of the neighbourhood makes a resident coordinator of its rides.

        The resident must live in the neighbourhood; they are told, and it is audited.
        """
        worker_id = await self._worker(by, neighbourhood_id, "coordinator.grant")
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.get(resident_id)
            if resident is None:
                raise NotFound()
            await ops.require_neighbour(tx, resident, neighbourhood_id)
            return await _grant(tx, neighbourhood_id, resident_id, worker_id, now)

    async def revoke_coordinator(
        self, by: ChannelUser, neighbourhood_id: int, resident_id: int
    ) -> bool:
        """A community worker takes the coordinator role back; False when it was not held."""
        worker_id = await self._worker(by, neighbourhood_id, "coordinator.revoke")
        now = self._clock.now()
        async with self._db.write() as tx:
            done = await tx.memberships.revoke(
                resident_id, neighbourhood_id, NeighbourhoodRole.COORDINATOR
            )
            if done:
                await tx.outbox.enqueue(
                    Recipient.resident(resident_id),
                    CoordinatorRevoked(neighbourhood_id=neighbourhood_id),
                    key=f"role:coordinator:{neighbourhood_id}:{resident_id}:"
                    f"revoked:{int(now.timestamp())}",
                    now=now,
                )
                await audit(
                    tx,
                    now,
                    "role.revoked",
                    "resident",
                    resident_id,
                    actor_resident_id=worker_id,
                    role=NeighbourhoodRole.COORDINATOR.value,
                    neighbourhood=neighbourhood_id,
                )
            return done

    async def coordinator_choice(
        self, by: ChannelUser, neighbourhood_id: int
    ) -> CoordinatorChoice:
        """For a community worker: the streets of the neighbourhood and its coordinators."""
        await self._worker(by, neighbourhood_id, "coordinator.list")
        async with self._db.read() as tx:
            hood = await tx.neighbourhoods.get(neighbourhood_id)
            if hood is None:
                raise NotFound()
            streets = [s for s in await tx.streets.in_neighbourhood(hood.id) if s.active]
            holders = await tx.memberships.holders(hood.id, NeighbourhoodRole.COORDINATOR)
        return CoordinatorChoice(
            neighbourhood=hood, streets=tuple(streets), coordinators=tuple(holders)
        )

    async def candidate(
        self, by: ChannelUser, neighbourhood_id: int, resident_id: int
    ) -> tuple[Resident, bool]:
        """For a community worker: a resident of the neighbourhood, and whether they coordinate."""
        await self._worker(by, neighbourhood_id, "coordinator.view")
        async with self._db.read() as tx:
            resident = await tx.residents.get(resident_id)
            if resident is None or resident.is_proxy:
                raise NotFound()
            coordinator = await ops.is_coordinator(tx, resident.id, neighbourhood_id)
            if not coordinator:
                await ops.require_neighbour(tx, resident, neighbourhood_id)
            return resident, coordinator

    async def street_neighbours(
        self, by: ChannelUser, neighbourhood_id: int, street_id: int
    ) -> StreetNeighbours:
        """For a community worker: who lives in one street (on Telegram, not blocked)."""
        await self._worker(by, neighbourhood_id, "coordinator.list")
        async with self._db.read() as tx:
            hood = await tx.neighbourhoods.get(neighbourhood_id)
            street = await tx.streets.get(street_id)
            if hood is None or street is None or street.neighbourhood_id != hood.id:
                raise UnknownStreet()
            residents = []
            for membership in await tx.memberships.of_street(street.id):
                if membership.blocked:
                    continue
                resident = await tx.residents.get(membership.resident_id)
                if resident is not None and not resident.is_proxy and resident.chat is not None:
                    residents.append(resident)
            holders = await tx.memberships.holders(hood.id, NeighbourhoodRole.COORDINATOR)
        return StreetNeighbours(
            neighbourhood=hood,
            street=street,
            residents=tuple(residents),
            coordinator_ids=frozenset(r.id for r in holders),
        )

    async def operator_grant(
        self, neighbourhood_id: int, resident_id: int, role: NeighbourhoodRole
    ) -> bool:
        """The operator (command line) gives a neighbourhood role; False when it was held."""
        now = self._clock.now()
        async with self._db.write() as tx:
            if await tx.neighbourhoods.get(neighbourhood_id) is None:
                raise NotFound()
            resident = await tx.residents.get(resident_id)
            if resident is None:
                raise NotFound()
            if role == NeighbourhoodRole.COORDINATOR:
                held = await ops.is_coordinator(tx, resident_id, neighbourhood_id)
                await _grant(tx, neighbourhood_id, resident_id, None, now)
                return not held
            granted = await tx.memberships.grant(resident_id, neighbourhood_id, role, None, now)
            if granted:
                await audit(
                    tx,
                    now,
                    "role.granted",
                    "resident",
                    resident_id,
                    role=role.value,
                    neighbourhood=neighbourhood_id,
                )
            return granted

    async def operator_revoke(
        self, neighbourhood_id: int, resident_id: int, role: NeighbourhoodRole
    ) -> bool:
        """The operator takes a neighbourhood role back."""
        now = self._clock.now()
        async with self._db.write() as tx:
            done = await tx.memberships.revoke(resident_id, neighbourhood_id, role)
            if done:
                await audit(
                    tx,
                    now,
                    "role.revoked",
                    "resident",
                    resident_id,
                    role=role.value,
                    neighbourhood=neighbourhood_id,
                )
            return done

    # On the street card ---------------------------------------------------------------

    async def card_phone(self, by: ChannelUser, neighbourhood_id: int | None = None) -> CardPhone:
        """Whether my number is on the street cards of the neighbourhood I coordinate."""
        async with self._db.read() as tx:
            coordinator, hood_id = await _coordinator(tx, by, neighbourhood_id)
            return await _card_phone(tx, coordinator.id, hood_id)

    async def put_on_card(self, by: ChannelUser, neighbourhood_id: int, phone: str) -> CardPhone:
        """The coordinator agrees: this number goes on the next street cards."""
        number = clean_phone(phone)
        now = self._clock.now()
        async with self._db.write() as tx:
            coordinator, hood_id = await _coordinator(tx, by, neighbourhood_id)
            await tx.rides.set_card_contact(hood_id, coordinator.id, number, now)
            await audit(
                tx,
                now,
                "ride.card_phone_on",
                "resident",
                coordinator.id,
                actor_resident_id=coordinator.id,
                neighbourhood=hood_id,
            )
            return await _card_phone(tx, coordinator.id, hood_id)

    async def off_card(self, by: ChannelUser, neighbourhood_id: int) -> CardPhone:
        """The coordinator would rather not: the number is left off the next cards.

        Anyone may take their own number off, also after the coordinator role ended.
        """
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await ops.resident_of(tx, by)
            hood = await tx.neighbourhoods.get(neighbourhood_id)
            if hood is None:
                raise NotFound()
            if await tx.rides.remove_card_contact(neighbourhood_id, resident.id):
                await audit(
                    tx,
                    now,
                    "ride.card_phone_off",
                    "resident",
                    resident.id,
                    actor_resident_id=resident.id,
                    neighbourhood=neighbourhood_id,
                )
            return CardPhone(neighbourhood=hood)

    # The panel --------------------------------------------------------------------

    async def panel(self, by: ChannelUser) -> CoordinatorPanel:
        """All upcoming rides of my neighbourhood and its neighbours without Telegram."""
        now = self._clock.now()
        async with self._db.read() as tx:
            _, hood_id = await _coordinator(tx, by)
            hood = await tx.neighbourhoods.get(hood_id)
            assert hood is not None
            rides = await tx.rides.upcoming([hood_id], now, PANEL_RIDES)
            return CoordinatorPanel(
                neighbourhood=hood,
                rides=tuple([await ops.card(tx, r) for r in rides]),
                proxies=tuple(await _proxies(tx, hood_id)),
                streets=tuple(s for s in await tx.streets.in_neighbourhood(hood_id) if s.active),
            )

    async def register_proxy(
        self,
        by: ChannelUser,
        street_id: int,
        first_name: str,
        house_number: str,
        phone: str,
    ) -> ProxyLine:
        """Register a neighbour without Telegram in a street of my neighbourhood."""
        name = clean_name(first_name)
        house = clean_house_number(house_number)
        number = clean_phone(phone)
        now = self._clock.now()
        async with self._db.write() as tx:
            street = await tx.streets.get(street_id)
            if street is None:
                raise UnknownStreet()
            coordinator, _ = await _coordinator(tx, by, street.neighbourhood_id)
            resident = await tx.residents.add(
                None,
                None,
                name,
                street.language,
                now,
                is_proxy=True,
                house_number=house,
                phone=number,
            )
            await tx.memberships.add(resident.id, street.id, MembershipRole.MEMBER, now)
            await audit(
                tx,
                now,
                "proxy.registered",
                "resident",
                resident.id,
                actor_resident_id=coordinator.id,
                street=street.id,
            )
            return ProxyLine(
                resident_id=resident.id,
                name=name,
                street=street.name,
                house_number=house,
                phone=number,
            )

    async def proxy(self, by: ChannelUser, proxy_id: int) -> ProxyLine:
        """One neighbour without Telegram (coordinators only)."""
        async with self._db.read() as tx:
            _, hood_id = await _coordinator(tx, by)
            for line in await _proxies(tx, hood_id):
                if line.resident_id == proxy_id:
                    return line
        raise NotAProxy()

    async def book_for(self, by: ChannelUser, ride_id: int, proxy_id: int) -> BookingResult:
        """Book a seat (or a waiting-list place) for a neighbour without Telegram."""
        now = self._clock.now()
        async with self._db.write() as tx:
            ride = await ops.load_ride(tx, ride_id)
            coordinator, _ = await _coordinator(tx, by, ride.neighbourhood_id)
            proxy = await _proxy_in(tx, proxy_id, ride.neighbourhood_id)
            return await ops.book(tx, ride, proxy, now, waitlist_ok=True, booked_by=coordinator.id)

    async def cancel_for(self, by: ChannelUser, ride_id: int, proxy_id: int) -> CancelResult:
        """Cancel a proxy's seat or waiting-list place; the waiting list moves up."""
        now = self._clock.now()
        async with self._db.write() as tx:
            ride = await ops.load_ride(tx, ride_id)
            coordinator, _ = await _coordinator(tx, by, ride.neighbourhood_id)
            proxy = await _proxy_in(tx, proxy_id, ride.neighbourhood_id)
            was_waiting = await ops.cancel_booking(
                tx, ride, proxy.id, now, actor_id=coordinator.id
            )
            ride = await ops.load_ride(tx, ride_id)
            return CancelResult(card=await ops.card(tx, ride), was_waiting=was_waiting)


async def _grant(
    tx: Transaction, neighbourhood_id: int, resident_id: int, by: int | None, now: datetime
) -> Resident:
    resident = await tx.residents.get(resident_id)
    if resident is None or resident.is_proxy:
        raise NotFound()
    if await tx.neighbourhoods.get(neighbourhood_id) is None:
        raise NotFound()
    granted = await tx.memberships.grant(
        resident_id, neighbourhood_id, NeighbourhoodRole.COORDINATOR, by, now
    )
    if granted:
        await tx.outbox.enqueue(
            Recipient.resident(resident_id),
            CoordinatorGranted(neighbourhood_id=neighbourhood_id),
            key=f"role:coordinator:{neighbourhood_id}:{resident_id}:{int(now.timestamp())}",
            now=now,
        )
        await audit(
            tx,
            now,
            "role.granted",
            "resident",
            resident_id,
            actor_resident_id=by,
            role=NeighbourhoodRole.COORDINATOR.value,
            neighbourhood=neighbourhood_id,
        )
    return resident


async def _card_phone(tx: Transaction, resident_id: int, neighbourhood_id: int) -> CardPhone:
    hood = await tx.neighbourhoods.get(neighbourhood_id)
    if hood is None:
        raise NotFound()
    contact = next(
        (
            c
            for c in await tx.rides.card_contacts(neighbourhood_id)
            if c.resident_id == resident_id
        ),
        None,
    )
    return CardPhone(neighbourhood=hood, phone=contact.phone if contact else None)


async def _coordinator(
    tx: Transaction, by: ChannelUser, neighbourhood_id: int | None = None
) -> tuple[Resident, int]:
    """The acting coordinator and the neighbourhood they act in (their first, if not given)."""
    resident = await ops.resident_of(tx, by)
    hoods = await _coordinated(tx, resident.id)
    if neighbourhood_id is None and hoods:
        return resident, hoods[0]
    if neighbourhood_id is None or neighbourhood_id not in hoods:
        raise NotACoordinator()
    return resident, neighbourhood_id


async def _coordinated(tx: Transaction, resident_id: int) -> list[int]:
    """The neighbourhoods a resident coordinates."""
    return [
        hood
        for hood, role in await tx.memberships.roles(resident_id)
        if role == NeighbourhoodRole.COORDINATOR
    ]


async def coordinated_proxy(
    tx: Transaction, by: ChannelUser, proxy_id: int
) -> tuple[Resident, Resident]:
    """The acting coordinator and a proxy resident in one of the neighbourhoods they
    coordinate; NotACoordinator or NotAProxy otherwise."""
    resident = await ops.resident_of(tx, by)
    hoods = await _coordinated(tx, resident.id)
    if not hoods:
        raise NotACoordinator()
    for hood in hoods:
        for proxy, _ in await tx.rides.proxies_in(hood):
            if proxy.id == proxy_id:
                return resident, proxy
    raise NotAProxy()


async def _proxies(tx: Transaction, neighbourhood_id: int) -> list[ProxyLine]:
    lines = []
    for resident, street_id in await tx.rides.proxies_in(neighbourhood_id):
        street = await tx.streets.get(street_id)
        lines.append(
            ProxyLine(
                resident_id=resident.id,
                name=resident.display_name,
                street=street.name if street else "",
                house_number=resident.house_number,
                phone=resident.phone,
            )
        )
    return lines


async def _proxy_in(tx: Transaction, proxy_id: int, neighbourhood_id: int) -> Resident:
    for resident, _ in await tx.rides.proxies_in(neighbourhood_id):
        if resident.id == proxy_id:
            return resident
    raise NotAProxy()
