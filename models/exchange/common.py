"""Checks every exchange action shares: who acts, in which street, may they."""

from __future__ import annotations

from dataclasses import dataclass

from models.clock import Clock
from models.core import ChannelUser, Membership, Resident, Street
from models.errors import BlockedFromStreet, NotAStreetMember, NotFound
from models.exchange.model import Timings
from models.exchange.taxonomy import Taxonomy
from models.ports import Database, Transaction


class TimedService:
    """A service over the taxonomy with sweeps on the exchange's timings (register, requests)."""

    def __init__(
        self, db: Database, clock: Clock, taxonomy: Taxonomy, timings: Timings | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        self.taxonomy = taxonomy
        self.timings = timings or Timings()


@dataclass(frozen=True)
class Actor:
    """A resident acting in one of their streets."""

    resident: Resident
    membership: Membership
    street: Street


async def actor(tx: Transaction, user: ChannelUser, street_id: int | None = None) -> Actor:
    """The acting resident in a street (their home street when none is given).

    Non-members get NotAStreetMember and blocked members BlockedFromStreet, so a button
    pressed in a group by someone who never joined changes nothing.
    """
    resident = await tx.residents.by_external(user.channel, user.external_id)
    if resident is None:
        raise NotAStreetMember()
    return await actor_of(tx, resident, street_id)


async def actor_of(tx: Transaction, resident: Resident, street_id: int | None = None) -> Actor:
    """Like `actor`, for a resident already looked up."""
    memberships = list(await tx.memberships.of_resident(resident.id))
    if street_id is not None:
        memberships = [m for m in memberships if m.street_id == street_id]
    if not memberships:
        raise NotAStreetMember()
    usable: list[tuple[Membership, Street]] = []
    for membership in memberships:
        street = await tx.streets.get(membership.street_id)
        if street is not None and street.active and not membership.blocked:
            usable.append((membership, street))
    if not usable:
        if any(m.blocked for m in memberships):
            raise BlockedFromStreet()
        raise NotAStreetMember()
    membership, street = usable[-1]
    return Actor(resident=resident, membership=membership, street=street)


async def may_take_part(tx: Transaction, resident_id: int, street_id: int) -> bool:
    """Whether a resident is reachable and an unblocked member of a street (or its wijk)."""
    resident = await tx.residents.get(resident_id)
    if resident is None or not resident.active or resident.chat is None:
        return False
    street = await tx.streets.get(street_id)
    if street is None:
        return False
    for membership in await tx.memberships.of_resident(resident_id):
        if membership.blocked:
            if membership.street_id == street_id:
                return False
            continue
        other = await tx.streets.get(membership.street_id)
        if other is not None and other.neighbourhood_id == street.neighbourhood_id:
            return True
    return False


async def resident_or_gone(tx: Transaction, resident_id: int) -> Resident:
    """A resident by id; NotFound when erased."""
    resident = await tx.residents.get(resident_id)
    if resident is None:
        raise NotFound()
    return resident
