"""Data rights: everything stored about a person (/mijngegevens), and forgetting them
(/vergeetmij) so that their contributions stay counted but no longer point to them.

Each capability contributes a PersonalDataProvider: what it exports about a resident,
which texts they wrote, and how it erases or anonymises them, all inside the one
transaction of the erasure. Rows that statistics count stay, pointing to the anonymised
resident (name "-", no channel id, no house number, no phone).

An exported record is a flat dict: `what` names the kind of thing (the readable text uses
`privacy.item.<what>`), `text` is something the person wrote, datetimes stay datetimes
(the JSON file has them in ISO form, the readable text as dates), and other values are
plain strings, numbers, booleans or codes (shown through `privacy.value.<field>.<code>`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, Frozen, Resident
from models.errors import NotFound
from models.notifications import PostRef, Recipient, RemovePosts
from models.personal_data.redact import Traces, mentions, redact
from models.ports import Database, Transaction
from models.rides.coordination import coordinated_proxy

ERASED_NAME = "-"
Record = dict[str, Any]


class PersonalDataProvider(Protocol):
    """One capability's share of a person's data."""

    name: str

    async def export(self, tx: Transaction, resident: Resident) -> list[Record]: ...

    async def texts(self, tx: Transaction, resident: Resident) -> list[str]:
        """The free texts the person wrote (to clean messages still waiting to be sent)."""
        ...

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None: ...


class PersonalData(Frozen):
    """Everything stored about one person, grouped by capability."""

    resident: dict[str, Any]
    sections: dict[str, list[Record]]


class CoreData:
    """Streets and neighbourhood roles (name, language, house number and phone are the
    resident itself)."""

    name = "membership"

    async def export(self, tx: Transaction, resident: Resident) -> list[Record]:
        """Streets joined and roles held."""
        rows: list[Record] = []
        for membership in await tx.memberships.of_resident(resident.id):
            street = await tx.streets.get(membership.street_id)
            rows.append(
                {
                    "what": "street",
                    "street": street.name if street else None,
                    "role": membership.role.value,
                    "joined_at": membership.joined_at,
                    "blocked": membership.blocked,
                }
            )
        for neighbourhood_id, role in await tx.memberships.roles(resident.id):
            hood = await tx.neighbourhoods.get(neighbourhood_id)
            rows.append(
                {
                    "what": "neighbourhood_role",
                    "neighbourhood": hood.name if hood else None,
                    "role": role.value,
                }
            )
        return rows

    async def texts(self, tx: Transaction, resident: Resident) -> list[str]:
        """Nothing written here."""
        return []

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
        """Erase the person: personal fields cleared, contributions anonymised, one transaction.

        Providers run last-registered first, so the memberships (core) end after every
        capability has used them to tell the people involved.
        """
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                raise NotFound()
            await self._erase(tx, resident, now)
            await audit(tx, now, "resident.erased", "resident", resident.id)

    async def forget_proxy(self, by: ChannelUser, proxy_id: int) -> str:
        """A coordinator erases a neighbour without Telegram whom they look after.

        The proxy resident cannot ask for it themselves, so the coordinator does, exactly as
        `forget` would: seats given up (the waiting list moves up), name, house number and
        phone cleared, bookings still counted. Returns the first name, for the confirmation.
        """
        now = self._clock.now()
        async with self._db.write() as tx:
            coordinator, proxy = await coordinated_proxy(tx, by, proxy_id)
            await self._erase(tx, proxy, now)
            await audit(
                tx, now, "proxy.erased", "resident", proxy.id, actor_resident_id=coordinator.id
            )
        return proxy.display_name

    async def _erase(self, tx: Transaction, resident: Resident, now: datetime) -> None:
        """Personal fields cleared and contributions anonymised, inside the caller's write."""
        written = [text for p in self.providers for text in await p.texts(tx, resident)]
        traces = Traces.of([resident.display_name], written)
        for provider in reversed(self.providers):
            await provider.erase(tx, resident, now)
        if resident.channel is not None and resident.external_id is not None:
            await tx.personal_data.forget_channel_identity(
                resident.id, resident.channel, resident.external_id, now
            )
        await _clean_outbox(tx, resident.id, traces, now)
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


async def take_down(
    tx: Transaction, ref: PostRef, now: datetime, street_id: int | None = None
) -> None:
    """Remove the placed posts of an erased person's object (in groups and private copies).

    The street addresses the removal; without `street_id` it is the street of the first
    group post, and an object that never reached a group has nothing to take down.
    """
    posts = await tx.posts.for_ref(ref)
    street = street_id or next((p.street_id for p in posts if p.street_id), None)
    if not posts or street is None:
        return
    await tx.outbox.enqueue(
        Recipient.street(street),
        RemovePosts(ref=ref),
        key=f"privacy:remove:{ref.ref_kind}:{ref.ref_id}",
        now=now,
    )


async def _clean_outbox(tx: Transaction, resident_id: int, traces: Traces, now: datetime) -> None:
    """Messages for the person are not sent; others leave them out (see redact)."""
    for row in await tx.personal_data.outbox_rows(pending_only=False):
        pending = row.status == "pending"
        recipient = (row.recipient.get("kind"), row.recipient.get("id"))
        to_them = recipient == ("resident", resident_id)
        if pending and to_them:
            await tx.personal_data.drop_outbox(row.id, now)
        elif not pending and (to_them or mentions(row.payload, traces)):
            # Sent already: the copy kept in the outbox is not needed any more.
            await tx.personal_data.set_outbox_payload(row.id, {})
        elif pending:
            outcome = redact(row.payload, traces)
            if outcome.drop:
                await tx.personal_data.drop_outbox(row.id, now)
            elif outcome.changed:
                await tx.personal_data.set_outbox_payload(row.id, outcome.payload)
