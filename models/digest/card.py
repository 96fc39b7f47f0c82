"""The printable street card: "Wie kan wat in de <straat>", for neighbours not online.

The card lists first names with what they offer, grouped by category, of register
entries whose owners agreed to appear on the card (the exchange capability supplies them
through a `CardEntrySource`), the coordinator's phone number for rides when one is set
(a `RideContactSource` from the rides capability), and the street's "Doe mee" link.
A street contact (administrator of the street's group) or a community worker of the
neighbourhood may make it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from models.core import ChannelUser, ChatRef, Frozen, Language, NeighbourhoodRole, Street
from models.digest.model import NotStreetContact, StreetChoice
from models.errors import StreetNotSetUp
from models.ports import ChatDirectory, Database, Transaction
from models.streets import join_payload

CARD_ENTRIES_MAX = 60


class CardEntry(Frozen):
    """One line on the card: who offers what, under a category in the card's language."""

    first_name: str
    category: str
    offer: str


class RideContact(Frozen):
    """Who to phone for a grocery ride (a coordinator who chose to be on the card)."""

    name: str
    phone: str


class CardEntrySource(Protocol):
    """Register entries of a street whose owners agreed to appear on the printed card."""

    async def card_entries(
        self, tx: Transaction, street: Street, language: Language
    ) -> Sequence[CardEntry]:
        """Category labels in `language`; only active entries of current members."""
        ...


class RideContactSource(Protocol):
    """The phone number to call for rides in a street's neighbourhood, if one is set."""

    async def ride_contact(self, tx: Transaction, street: Street) -> RideContact | None:
        """None when no coordinator chose to put a number on the card."""
        ...


@dataclass
class CardSources:
    """Where the card's content comes from; capabilities fill these in at start."""

    entries: CardEntrySource | None = None
    ride_contact: RideContactSource | None = None


class CardGroup(Frozen):
    """A category with the neighbours who offer something in it."""

    category: str
    entries: tuple[CardEntry, ...]


class StreetCard(Frozen):
    """Everything printed on a street's card, in the street's language."""

    street_id: int
    street_name: str
    neighbourhood: str
    language: Language
    join_payload: str
    groups: tuple[CardGroup, ...]
    more: int = 0
    ride_contact: RideContact | None = None


def group_entries(
    entries: Sequence[CardEntry], limit: int = CARD_ENTRIES_MAX
) -> tuple[tuple[CardGroup, ...], int]:
    """Entries grouped by category (categories and names alphabetical); the rest counted."""
    ordered = sorted(
        entries, key=lambda e: (e.category.casefold(), e.first_name.casefold(), e.offer)
    )
    kept, more = ordered[:limit], max(0, len(ordered) - limit)
    groups: dict[str, list[CardEntry]] = {}
    for entry in kept:
        groups.setdefault(entry.category, []).append(entry)
    return tuple(CardGroup(category=c, entries=tuple(e)) for c, e in groups.items()), more


class CardService:
    """Makes street cards for those who may hand them out."""

    def __init__(
        self, db: Database, chats: ChatDirectory, sources: CardSources | None = None
    ) -> None:
        self._db = db
        self._chats = chats
        self.sources = sources or CardSources()

    async def card_in_group(self, chat: ChatRef, actor: ChannelUser) -> StreetCard:
        """The card of the group's street, for its street contact or a community worker."""
        async with self._db.read() as tx:
            street = await tx.streets.by_chat(chat)
        if street is None:
            raise StreetNotSetUp()
        if not await self._may_make(street, actor):
            raise NotStreetContact()
        return await self._card(street)

    async def streets_for(self, actor: ChannelUser) -> list[StreetChoice]:
        """Streets whose card this person may make (from a private chat)."""
        async with self._db.read() as tx:
            resident = await tx.residents.by_external(actor.channel, actor.external_id)
            candidates: dict[int, Street] = {}
            if resident is not None:
                for neighbourhood_id, role in await tx.memberships.roles(resident.id):
                    if role == NeighbourhoodRole.COMMUNITY_WORKER:
                        for worked in await tx.streets.in_neighbourhood(neighbourhood_id):
                            candidates[worked.id] = worked
                for membership in await tx.memberships.of_resident(resident.id):
                    own = await tx.streets.get(membership.street_id)
                    if own is not None:
                        candidates.setdefault(own.id, own)
        allowed = [
            StreetChoice(street_id=s.id, name=s.name)
            for s in sorted(candidates.values(), key=lambda s: s.name.casefold())
            if s.active and await self._may_make(s, actor)
        ]
        if not allowed:
            raise NotStreetContact()
        return allowed

    async def card_for_street(self, actor: ChannelUser, street_id: int) -> StreetCard:
        """The card of one street, re-checking that this person may make it."""
        async with self._db.read() as tx:
            street = await tx.streets.get(street_id)
        if street is None or not street.active:
            raise NotStreetContact()
        if not await self._may_make(street, actor):
            raise NotStreetContact()
        return await self._card(street)

    async def _may_make(self, street: Street, actor: ChannelUser) -> bool:
        async with self._db.read() as tx:
            resident = await tx.residents.by_external(actor.channel, actor.external_id)
            roles = await tx.memberships.roles(resident.id) if resident else ()
        if (street.neighbourhood_id, NeighbourhoodRole.COMMUNITY_WORKER) in roles:
            return True
        if street.chat is None:
            return False
        return await self._chats.is_administrator(street.chat, actor.external_id)

    async def _card(self, street: Street) -> StreetCard:
        async with self._db.read() as tx:
            hood = await tx.neighbourhoods.get(street.neighbourhood_id)
            entries = (
                await self.sources.entries.card_entries(tx, street, street.language)
                if self.sources.entries
                else ()
            )
            contact = (
                await self.sources.ride_contact.ride_contact(tx, street)
                if self.sources.ride_contact
                else None
            )
        groups, more = group_entries(entries)
        return StreetCard(
            street_id=street.id,
            street_name=street.name,
            neighbourhood=hood.name if hood else "",
            language=street.language,
            join_payload=join_payload(street),
            groups=groups,
            more=more,
            ride_contact=contact,
        )
