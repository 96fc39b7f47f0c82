"""Residents: joining a street, names, language, reachability."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from models.audit import audit
from models.clock import Clock
from models.core import (
    ChannelUser,
    Language,
    Membership,
    MembershipRole,
    Neighbourhood,
    NeighbourhoodRole,
    Resident,
    Street,
    as_language,
)
from models.errors import BlockedFromStreet, InvalidInput, NotAStreetMember, UnknownJoinCode
from models.ports import Database, Transaction
from models.text import clean_name, clean_text

HOUSE_NUMBER_MAX = 12
_HOUSE_NUMBER = re.compile(r"^\d{1,5}(?:\s?[A-Za-z]{1,6}|[-/ ]\d{1,4}(?:\s?[A-Za-z]{1,3})?)?$")


class InvalidHouseNumber(InvalidInput):
    """Not something that looks like a house number."""

    message_key = "errors.house_number"


class JoinPreview(BaseModel):
    """What a join link leads to, before the person confirms."""

    model_config = ConfigDict(frozen=True)

    street: Street
    neighbourhood: Neighbourhood
    suggested_name: str
    language: Language
    already_member: bool


class JoinResult(BaseModel):
    """The outcome of joining a street."""

    model_config = ConfigDict(frozen=True)

    resident: Resident
    street: Street
    membership: Membership
    already_member: bool


class Profile(BaseModel):
    """A resident with their streets and roles, as the menu needs them."""

    model_config = ConfigDict(frozen=True)

    resident: Resident
    memberships: tuple[Membership, ...]
    streets: tuple[Street, ...]
    roles: tuple[tuple[int, NeighbourhoodRole], ...]

    @property
    def home_street(self) -> Street | None:
        """The street the resident joined last (most people belong to exactly one)."""
        return self.streets[-1] if self.streets else None

    def has_role(self, role: NeighbourhoodRole, neighbourhood_id: int | None = None) -> bool:
        """Whether the resident holds a neighbourhood role (anywhere, or in one wijk)."""
        return any(
            r == role and (neighbourhood_id is None or n == neighbourhood_id)
            for n, r in self.roles
        )


class ResidentService:
    """Who is who: joining, names and language, reachability."""

    def __init__(self, db: Database, clock: Clock, default_language: Language = "nl") -> None:
        self._db = db
        self._clock = clock
        self._default_language = default_language

    def language_for(self, user: ChannelUser, resident: Resident | None) -> Language:
        """The language to talk to someone in: their choice, else their channel's hint."""
        if resident is not None:
            return resident.language
        return as_language(user.language_hint, self._default_language)

    async def find(self, user: ChannelUser) -> Resident | None:
        """The resident behind a channel user, if they have joined before."""
        async with self._db.read() as tx:
            return await tx.residents.by_external(user.channel, user.external_id)

    async def get(self, resident_id: int) -> Resident | None:
        """A resident by id."""
        async with self._db.read() as tx:
            return await tx.residents.get(resident_id)

    async def profile(self, user: ChannelUser) -> Profile | None:
        """The resident with their active, unblocked streets and roles."""
        async with self._db.read() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                return None
            return await _profile(tx, resident)

    async def require_member(self, user: ChannelUser) -> Profile:
        """The profile of someone who belongs to at least one street, else NotAStreetMember."""
        profile = await self.profile(user)
        if profile is None or profile.home_street is None:
            raise NotAStreetMember()
        return profile

    async def preview_join(self, user: ChannelUser, code: str) -> JoinPreview:
        """Look up a join link and what we would ask the person."""
        async with self._db.read() as tx:
            street = await tx.streets.by_join_code(code)
            if street is None or not street.active:
                raise UnknownJoinCode()
            hood = await tx.neighbourhoods.get(street.neighbourhood_id)
            assert hood is not None
            resident = await tx.residents.by_external(user.channel, user.external_id)
            membership = await tx.memberships.get(resident.id, street.id) if resident else None
        if membership is not None and membership.blocked:
            raise BlockedFromStreet()
        suggested = resident.display_name if resident else _suggested_name(user)
        return JoinPreview(
            street=street,
            neighbourhood=hood,
            suggested_name=suggested,
            language=self.language_for(user, resident),
            already_member=membership is not None,
        )

    async def join(
        self, user: ChannelUser, code: str, display_name: str, language: Language
    ) -> JoinResult:
        """Join a street (or confirm an existing membership) with a name and language."""
        name = clean_name(display_name)
        now = self._clock.now()
        async with self._db.write() as tx:
            street = await tx.streets.by_join_code(code)
            if street is None or not street.active:
                raise UnknownJoinCode()
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                resident = await tx.residents.add(
                    user.channel, user.external_id, name, language, now
                )
            else:
                await tx.residents.update(
                    resident.id, display_name=name, language=language, active=True
                )
            membership = await tx.memberships.get(resident.id, street.id)
            already = membership is not None
            if membership is not None and membership.blocked:
                raise BlockedFromStreet()
            if membership is None:
                membership = await tx.memberships.add(
                    resident.id, street.id, MembershipRole.MEMBER, now
                )
                await audit(
                    tx, now, "street.joined", "street", street.id, actor_resident_id=resident.id
                )
            fresh = await tx.residents.get(resident.id)
            assert fresh is not None
            return JoinResult(
                resident=fresh, street=street, membership=membership, already_member=already
            )

    async def set_language(self, user: ChannelUser, language: Language) -> Resident | None:
        """Switch the language of a known resident; None for someone we do not know yet."""
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                return None
            await tx.residents.update(resident.id, language=language)
            return await tx.residents.get(resident.id)

    async def rename(self, user: ChannelUser, display_name: str) -> Resident:
        """Change the name neighbours see."""
        return await self._update(user, display_name=clean_name(display_name))

    async def set_house_number(self, user: ChannelUser, value: str | None) -> Resident:
        """Set (or clear, with None) the house number; it is never shown in a group."""
        number = clean_house_number(value) if value is not None else None
        return await self._update(user, house_number=number)

    async def _update(self, user: ChannelUser, **fields: object) -> Resident:
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                raise NotAStreetMember()
            await tx.residents.update(resident.id, **fields)
            fresh = await tx.residents.get(resident.id)
            assert fresh is not None
            return fresh

    async def seen(self, user: ChannelUser) -> None:
        """Someone wrote to us: if we had marked them unreachable, they are back."""
        async with self._db.read() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
        if resident is not None and not resident.active:
            async with self._db.write() as tx:
                await tx.residents.set_active(resident.id, True)

    async def mark_unreachable(self, resident_id: int) -> None:
        """The channel refuses messages to this resident (they blocked the bot)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            await tx.residents.set_active(resident_id, False)
            await audit(tx, now, "resident.unreachable", "resident", resident_id)

    async def streets_of(self, resident_id: int) -> Sequence[Street]:
        """Active streets a resident belongs to (unblocked memberships)."""
        async with self._db.read() as tx:
            resident = await tx.residents.get(resident_id)
            if resident is None:
                return ()
            return (await _profile(tx, resident)).streets


async def _profile(tx: Transaction, resident: Resident) -> Profile:
    memberships = [m for m in await tx.memberships.of_resident(resident.id) if not m.blocked]
    streets: list[Street] = []
    kept: list[Membership] = []
    for membership in memberships:
        street = await tx.streets.get(membership.street_id)
        if street is not None and street.active:
            streets.append(street)
            kept.append(membership)
    roles = tuple(await tx.memberships.roles(resident.id))
    return Profile(resident=resident, memberships=tuple(kept), streets=tuple(streets), roles=roles)


def clean_house_number(value: str) -> str:
    """A house number with an optional addition: "12", "12a", "12-2", "12 bis"."""
    text = clean_text(value, max_length=HOUSE_NUMBER_MAX, multiline=False)
    if not _HOUSE_NUMBER.match(text):
        raise InvalidHouseNumber()
    return text


def _suggested_name(user: ChannelUser) -> str:
    try:
        return clean_name(user.first_name)
    except InvalidInput:
        return ""
