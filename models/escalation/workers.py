"""Community workers: the moderators chat of a neighbourhood, who counts as a worker, codes.

A community worker of a neighbourhood is a member of its moderators chat who administers
that chat or whom the operator listed (NeighbourhoodRole.COMMUNITY_WORKER). The channel is
asked, at most every few minutes per person, before any case detail is shown.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from models.audit import audit
from models.clock import Clock
from models.core import (
    ChannelUser,
    ChatRef,
    Neighbourhood,
    NeighbourhoodRole,
    Resident,
    as_language,
)
from models.errors import InvalidInput, NotFound
from models.escalation.model import (
    ORGANISATION_MAX,
    InvalidLinkCode,
    LinkCode,
    ModeratorsChatTaken,
    NotACommunityWorker,
    StreetChatCannotModerate,
)
from models.ports import ChatDirectory, ChatStanding, Database, Transaction
from models.streets import clean_place
from models.text import clean_name, clean_text

LINK_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LINK_CODE_LENGTH = 8
LINK_CODE_VALID = timedelta(days=7)
WORKER_CHECK_TTL = timedelta(minutes=5)
WORKER_FALLBACK_NAME = "Opbouwwerker"


def hash_code(code: str) -> str:
    """Codes are stored hashed: a leaked database links no chat."""
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def new_link_code() -> str:
    """A short code that is easy to type: 8 characters without look-alikes."""
    return "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))


async def ensure_resident(tx: Transaction, user: ChannelUser, now: datetime) -> Resident:
    """The resident record of a person (workers need one to act; no street membership)."""
    resident = await tx.residents.by_external(user.channel, user.external_id)
    if resident is not None:
        return resident
    try:
        name = clean_name(user.first_name)
    except InvalidInput:
        name = WORKER_FALLBACK_NAME
    return await tx.residents.add(
        user.channel, user.external_id, name, as_language(user.language_hint), now
    )


class WorkerCheck:
    """Is this person a community worker of that neighbourhood right now?"""

    def __init__(
        self, db: Database, clock: Clock, chats: ChatDirectory, ttl: timedelta = WORKER_CHECK_TTL
    ) -> None:
        self._db = db
        self._clock = clock
        self._chats = chats
        self._ttl = min(ttl, WORKER_CHECK_TTL)
        self._cache: dict[tuple[str, str, str], tuple[ChatStanding, datetime]] = {}

    async def standing(self, chat: ChatRef, external_id: str) -> ChatStanding:
        """Administrator, member or absent, asked of the channel (cached for a few minutes)."""
        key = (chat.channel, chat.chat_id, external_id)
        now = self._clock.now()
        cached = self._cache.get(key)
        if cached is not None and now - cached[1] < self._ttl:
            return cached[0]
        result = await self._chats.standing(chat, external_id)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = (result, now)
        return result

    def forget(self) -> None:
        """Drop every cached answer (after a moderators chat moved or was relinked)."""
        self._cache.clear()

    async def is_worker(self, hood: Neighbourhood, user: ChannelUser) -> bool:
        """Whether the person may see and act on this neighbourhood's cases and reports."""
        if hood.moderators_chat is None:
            return False
        standing = await self.standing(hood.moderators_chat, user.external_id)
        if standing == "administrator":
            return True
        if standing != "member":
            return False
        async with self._db.read() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                return False
            roles = await tx.memberships.roles(resident.id)
        return (hood.id, NeighbourhoodRole.COMMUNITY_WORKER) in roles

    async def require(
        self, hood: Neighbourhood, user: ChannelUser, *, subject: tuple[str, object], action: str
    ) -> Resident:
        """The worker's resident record; else the refusal is audited and NotACommunityWorker."""
        allowed = await self.is_worker(hood, user)
        now = self._clock.now()
        async with self._db.write() as tx:
            if not allowed:
                await audit(
                    tx, now, "worker.refused", subject[0], subject[1], actor=user, tried=action
                )
                refused = True
            else:
                refused = False
                worker = await ensure_resident(tx, user, now)
        if refused:
            raise NotACommunityWorker()
        return worker

    async def require_worker(
        self, by: ChannelUser, neighbourhood_id: int, action: str
    ) -> Resident:
        """As `require`, by neighbourhood id (rides' coordinator role asks this way)."""
        async with self._db.read() as tx:
            hood = await tx.neighbourhoods.get(neighbourhood_id)
        if hood is None:
            raise NotFound()
        return await self.require(hood, by, subject=("neighbourhood", hood.id), action=action)


class ModeratorsService:
    """Linking a neighbourhood's moderators chat; operator tools for workers."""

    def __init__(self, db: Database, clock: Clock, workers: WorkerCheck) -> None:
        self._db = db
        self._clock = clock
        self._workers = workers

    async def issue_code(
        self, neighbourhood: str, municipality: str, *, actor: str = "operator"
    ) -> tuple[Neighbourhood, LinkCode]:
        """Create the neighbourhood when new, and a one-time code to link its moderators chat."""
        name, place = clean_place(neighbourhood), clean_place(municipality)
        now = self._clock.now()
        code = new_link_code()
        async with self._db.write() as tx:
            hood = await tx.neighbourhoods.find(name, place)
            if hood is None:
                hood = await tx.neighbourhoods.add(name, place, now)
            expires = now + LINK_CODE_VALID
            await tx.moderators.add_code(hash_code(code), hood.id, expires, now)
            await audit(tx, now, "moderators.code_issued", "neighbourhood", hood.id, by=actor)
        return hood, LinkCode(code=code, neighbourhood_id=hood.id, expires_at=expires)

    async def link(self, actor: ChannelUser, chat: ChatRef, code: str) -> Neighbourhood:
        """`/koppel <code>` in the workers' group makes it the neighbourhood's moderators chat."""
        now = self._clock.now()
        async with self._db.write() as tx:
            if await tx.streets.by_chat(chat) is not None:
                raise StreetChatCannotModerate()
            hood_id = await tx.moderators.use_code(hash_code(code), chat.chat_id, now)
            if hood_id is None:
                raise InvalidLinkCode()
            other = await tx.neighbourhoods.by_moderators_chat(chat)
            if other is not None and other.id != hood_id:
                raise ModeratorsChatTaken(neighbourhood=other.name)
            await tx.neighbourhoods.set_moderators_chat(hood_id, chat)
            await tx.pending_groups.resolve(chat, now)
            await audit(tx, now, "moderators.linked", "neighbourhood", hood_id, actor=actor)
            hood = await tx.neighbourhoods.get(hood_id)
        self._workers.forget()
        assert hood is not None
        return hood

    async def for_chat(self, chat: ChatRef) -> Neighbourhood | None:
        """The neighbourhood whose moderators chat this is."""
        async with self._db.read() as tx:
            return await tx.neighbourhoods.by_moderators_chat(chat)

    async def require_worker_here(self, chat: ChatRef, user: ChannelUser) -> Neighbourhood:
        """The neighbourhood of this moderators chat, if the person is one of its workers."""
        hood = await self.for_chat(chat)
        if hood is None:
            raise NotFound()
        await self._workers.require(hood, user, subject=("neighbourhood", hood.id), action="chat")
        return hood

    async def set_organisation(self, chat: ChatRef, user: ChannelUser, value: str) -> str:
        """A worker names their organisation; it signs their messages to residents."""
        hood = await self.for_chat(chat)
        if hood is None:
            raise NotFound()
        worker = await self._workers.require(
            hood, user, subject=("neighbourhood", hood.id), action="organisation"
        )
        organisation = clean_text(value, max_length=ORGANISATION_MAX, multiline=False)
        async with self._db.write() as tx:
            await tx.moderators.set_organisation(worker.id, organisation, self._clock.now())
        return organisation

    async def add_worker(
        self,
        neighbourhood: str,
        municipality: str,
        external_id: str,
        name: str,
        organisation: str | None = None,
        channel: str = "telegram",
    ) -> Resident:
        """The operator lists a community worker (they must also be in the moderators chat)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            hood = await tx.neighbourhoods.find(
                clean_place(neighbourhood), clean_place(municipality)
            )
            if hood is None:
                raise NotFound()
            user = ChannelUser(channel=channel, external_id=external_id, first_name=name)
            worker = await ensure_resident(tx, user, now)
            await tx.memberships.grant(
                worker.id, hood.id, NeighbourhoodRole.COMMUNITY_WORKER, None, now
            )
            if organisation:
                org = clean_text(organisation, max_length=ORGANISATION_MAX, multiline=False)
                await tx.moderators.set_organisation(worker.id, org, now)
            await audit(tx, now, "worker.listed", "neighbourhood", hood.id, worker=worker.id)
        self._workers.forget()
        return worker

    async def remove_worker(
        self, neighbourhood: str, municipality: str, external_id: str, channel: str = "telegram"
    ) -> bool:
        """The operator takes a community worker off the list."""
        now = self._clock.now()
        async with self._db.write() as tx:
            hood = await tx.neighbourhoods.find(
                clean_place(neighbourhood), clean_place(municipality)
            )
            resident = await tx.residents.by_external(channel, external_id)
            if hood is None or resident is None:
                return False
            removed = await tx.memberships.revoke(
                resident.id, hood.id, NeighbourhoodRole.COMMUNITY_WORKER
            )
            if removed:
                await audit(
                    tx, now, "worker.unlisted", "neighbourhood", hood.id, worker=resident.id
                )
        self._workers.forget()
        return removed

    async def neighbourhoods(self) -> list[tuple[Neighbourhood, list[Resident]]]:
        """Every neighbourhood with its listed workers (for the operator's overview)."""
        async with self._db.read() as tx:
            result = []
            for hood in await tx.neighbourhoods.list_all():
                workers = await tx.memberships.holders(hood.id, NeighbourhoodRole.COMMUNITY_WORKER)
                result.append((hood, list(workers)))
            return result
