"""Streets and their group chats: setup, links, migrations, unconfigured groups."""

from __future__ import annotations

import secrets
from datetime import timedelta

from pydantic import BaseModel, ConfigDict

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, ChatRef, Language, Neighbourhood, PendingGroup, Street
from models.errors import DomainError, NotAdministrator, NotFound
from models.notifications import GroupFarewell, Recipient
from models.ports import ChatDirectory, Database, Transaction
from models.text import clean_text, fold

PLACE_NAME_MAX = 60
JOIN_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
JOIN_CODE_LENGTH = 10
JOIN_PAYLOAD_PREFIX = "j"


class StreetLinkedElsewhere(DomainError):
    """The street already has another active group chat."""

    message_key = "errors.street_linked_elsewhere"


class ModeratorsChatNotAStreet(DomainError):
    """A neighbourhood's moderators chat cannot become a street group (cases are shown there)."""

    message_key = "errors.moderators_chat_not_street"


class SetupResult(BaseModel):
    """What a setup did."""

    model_config = ConfigDict(frozen=True)

    street: Street
    neighbourhood: Neighbourhood
    created: bool


def new_join_code() -> str:
    """A short random code for the street's "Doe mee" link."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def join_payload(street: Street) -> str:
    """The deep-link payload that joins this street (<= 64 chars of [A-Za-z0-9_-])."""
    return f"{JOIN_PAYLOAD_PREFIX}{street.join_code}"


def join_code_from_payload(payload: str) -> str | None:
    """The join code inside a deep-link payload, or None when it is not a join link."""
    if not payload.startswith(JOIN_PAYLOAD_PREFIX):
        return None
    code = payload.removeprefix(JOIN_PAYLOAD_PREFIX)
    if len(code) != JOIN_CODE_LENGTH or any(c not in JOIN_CODE_ALPHABET for c in code):
        return None
    return code


def clean_place(value: str | None) -> str:
    """A street, neighbourhood or municipality name."""
    return clean_text(value, max_length=PLACE_NAME_MAX, multiline=False)


class StreetService:
    """Links group chats to streets and keeps those links right."""

    def __init__(self, db: Database, clock: Clock, chats: ChatDirectory) -> None:
        self._db = db
        self._clock = clock
        self._chats = chats

    async def require_admin(self, chat: ChatRef, actor: ChannelUser) -> None:
        """Refuse unless the actor administers the chat right now (asked of the channel)."""
        if not await self._chats.is_administrator(chat, actor.external_id):
            raise NotAdministrator()

    async def setup(
        self,
        actor: ChannelUser,
        chat: ChatRef,
        chat_title: str | None,
        street_name: str,
        neighbourhood_name: str,
        municipality: str,
        language: Language,
    ) -> SetupResult:
        """Link a group chat to a street in a neighbourhood (created when new)."""
        street_name = clean_place(street_name)
        neighbourhood_name = clean_place(neighbourhood_name)
        municipality = clean_place(municipality)
        await self.require_admin(chat, actor)
        now = self._clock.now()
        async with self._db.write() as tx:
            if await tx.neighbourhoods.by_moderators_chat(chat) is not None:
                raise ModeratorsChatNotAStreet()
            hood = await tx.neighbourhoods.find(neighbourhood_name, municipality)
            if hood is None:
                hood = await tx.neighbourhoods.add(neighbourhood_name, municipality, now)
            current = await tx.streets.by_chat(chat)
            same_name = await tx.streets.find(hood.id, street_name)
            created = False
            if same_name is not None and same_name.chat not in (None, chat) and same_name.active:
                raise StreetLinkedElsewhere(street=same_name.name)
            if current is not None and (same_name is None or same_name.id == current.id):
                await tx.streets.rename(current.id, street_name, hood.id)
                street_id = current.id
            elif same_name is not None:
                if current is not None:
                    await tx.streets.update_link(current.id, None, None, now)
                await tx.streets.update_link(same_name.id, chat, chat_title, now)
                street_id = same_name.id
            else:
                if current is not None:
                    await tx.streets.update_link(current.id, None, None, now)
                added = await tx.streets.add(
                    hood.id, street_name, chat, chat_title, language, new_join_code(), now
                )
                street_id = added.id
                created = True
            await tx.streets.set_active(street_id, True)
            await tx.pending_groups.resolve(chat, now)
            await audit(tx, now, "street.setup", "street", street_id, actor=actor)
            street = await tx.streets.get(street_id)
            assert street is not None
            return SetupResult(street=street, neighbourhood=hood, created=created)

    async def by_chat(self, chat: ChatRef) -> Street | None:
        """The street linked to a group chat."""
        async with self._db.read() as tx:
            return await tx.streets.by_chat(chat)

    async def get(self, street_id: int) -> Street:
        """A street by id."""
        async with self._db.read() as tx:
            street = await tx.streets.get(street_id)
        if street is None:
            raise NotFound()
        return street

    async def neighbourhood(self, neighbourhood_id: int) -> Neighbourhood:
        """A neighbourhood by id."""
        async with self._db.read() as tx:
            hood = await tx.neighbourhoods.get(neighbourhood_id)
        if hood is None:
            raise NotFound()
        return hood

    async def bot_added(
        self, chat: ChatRef, title: str | None, added_by: ChannelUser | None
    ) -> bool:
        """Record that the bot joined a group; True when the group still needs a setup."""
        now = self._clock.now()
        async with self._db.write() as tx:
            await audit(tx, now, "group.bot_added", "chat", chat.chat_id, actor=added_by)
            if await _chat_is_linked(tx, chat):
                return False
            await tx.pending_groups.add(
                PendingGroup(
                    chat=chat,
                    title=title,
                    added_by_external_id=added_by.external_id if added_by else None,
                    added_at=now,
                )
            )
            return True

    async def bot_removed(self, chat: ChatRef, by: ChannelUser | None) -> None:
        """The bot was removed from a group: stop posting there."""
        await self.chat_unreachable(chat, reason="removed", actor=by)

    async def chat_unreachable(
        self, chat: ChatRef, *, reason: str, actor: ChannelUser | None = None
    ) -> None:
        """The channel refuses messages for this chat: mark its street inactive."""
        now = self._clock.now()
        async with self._db.write() as tx:
            await tx.pending_groups.resolve(chat, now)
            street = await tx.streets.by_chat(chat)
            if street is not None:
                await tx.streets.set_active(street.id, False)
            await audit(
                tx, now, "group.unreachable", "chat", chat.chat_id, actor=actor, reason=reason
            )

    async def migrate_chat(self, old: ChatRef, new: ChatRef) -> bool:
        """A group became a supergroup: move every link to the new chat in one transaction."""
        now = self._clock.now()
        async with self._db.write() as tx:
            moved = await tx.streets.move_chat(old, new)
            await tx.posts.move_chat(old, new)
            hood = await tx.neighbourhoods.by_moderators_chat(old)
            if hood is not None:
                await tx.neighbourhoods.set_moderators_chat(hood.id, new)
                moved += 1
            if moved:
                await audit(tx, now, "group.migrated", "chat", old.chat_id, to=new.chat_id)
            return moved > 0

    async def sweep_unconfigured(self, grace: timedelta) -> int:
        """Say goodbye to groups that nobody set up within the grace period."""
        now = self._clock.now()
        count = 0
        async with self._db.write() as tx:
            for group in await tx.pending_groups.due(now - grace):
                if await _chat_is_linked(tx, group.chat):
                    await tx.pending_groups.resolve(group.chat, now)
                    continue
                if not await tx.pending_groups.claim_farewell(group.chat, now):
                    continue
                await tx.outbox.enqueue(
                    Recipient.raw_chat(group.chat),
                    GroupFarewell(),
                    key=f"farewell:{group.chat.channel}:{group.chat.chat_id}:{int(group.added_at.timestamp())}",
                    now=now,
                )
                await audit(tx, now, "group.left_unconfigured", "chat", group.chat.chat_id)
                count += 1
        return count


async def _chat_is_linked(tx: Transaction, chat: ChatRef) -> bool:
    """Whether any setup (street or moderators chat) uses this chat."""
    street = await tx.streets.by_chat(chat)
    if street is not None:
        return True
    return await tx.neighbourhoods.by_moderators_chat(chat) is not None


def same_place(a: str, b: str) -> bool:
    """Whether two place names mean the same place (case and accents ignored)."""
    return fold(a) == fold(b)
