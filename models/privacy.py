"""Data rights: everything stored about a person (/mijngegevens), and forgetting them
(/vergeetmij) so that their contributions stay counted but no longer point to them.

Each capability contributes a PersonalDataProvider: what it exports about a resident and
how it erases or anonymises it, inside the one transaction of the erasure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, Frozen, Resident
from models.errors import NotFound
from models.ports import Database, Transaction

ERASED_NAME = "-"


class PersonalDataProvider(Protocol):
    """One capability's share of a person's data."""

    name: str

    async def export(self, tx: Transaction, resident: Resident) -> list[dict[str, Any]]: ...

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None: ...


class PersonalData(Frozen):
    """Everything stored about one person, grouped by capability."""

    resident: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]]


class CoreData:
    """Name, language, house number, phone, streets and roles."""

    name = "membership"

    async def export(self, tx: Transaction, resident: Resident) -> list[dict[str, Any]]:
        """Streets joined and roles held."""
        rows: list[dict[str, Any]] = []
        for membership in await tx.memberships.of_resident(resident.id):
            street = await tx.streets.get(membership.street_id)
            rows.append(
                {
                    "street": street.name if street else None,
                    "role": membership.role.value,
                    "joined_at": membership.joined_at.isoformat(),
                    "blocked": membership.blocked,
                }
            )
        for neighbourhood_id, role in await tx.memberships.roles(resident.id):
            hood = await tx.neighbourhoods.get(neighbourhood_id)
            rows.append({"neighbourhood": hood.name if hood else None, "role": role.value})
        return rows

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None:
        """Leave every street and give up every role."""
        for membership in await tx.memberships.of_resident(resident.id):
            await tx.memberships.end(membership.id, now)
        for neighbourhood_id, role in await tx.memberships.roles(resident.id):
            await tx.memberships.revoke(resident.id, neighbourhood_id, role)


class PrivacyService:
    """Export and erase a person's data across every capability."""

    def __init__(
        self, db: Database, clock: Clock, providers: Sequence[PersonalDataProvider] = ()
    ) -> None:
        self._db = db
        self._clock = clock
        self.providers: list[PersonalDataProvider] = [CoreData(), *providers]

    async def export(self, user: ChannelUser) -> PersonalData:
        """Everything stored about the person behind this channel user."""
        async with self._db.read() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                raise NotFound()
            sections = {p.name: await p.export(tx, resident) for p in self.providers}
        own = resident.model_dump(mode="json", exclude={"id"})
        return PersonalData(resident=own, sections={k: v for k, v in sections.items() if v})

    async def forget(self, user: ChannelUser) -> None:
        """Erase the person: personal fields cleared, contributions anonymised, one transaction."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                raise NotFound()
            for provider in reversed(self.providers):
                await provider.erase(tx, resident, now)
            await tx.residents.update(
                resident.id,
                channel=None,
                external_id=None,
                display_name=ERASED_NAME,
                house_number=None,
                phone=None,
                active=False,
                erased_at=now,
            )
            await audit(tx, now, "resident.erased", "resident", resident.id)
