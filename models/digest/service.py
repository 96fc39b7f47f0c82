"""The weekly digest: settings per street, previews, private copies, and the sweep.

The sweep runs every minute (and at start). It finds streets whose next digest moment
has passed, moves that moment on with a conditional update, and claims the week with a
unique (street, ISO week) run row, so each street gets at most one digest per week,
however often the sweep runs and however the bot restarts. A digest that came due while
the bot was down is sent once after start if it is less than a day late; otherwise the
week is skipped and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, ChatRef, Language, Street
from models.digest.compose import SectionRegistry, SectionRequest, assemble
from models.digest.model import (
    Digest,
    DigestSettings,
    NoDigestStreet,
    Preview,
    SectionKind,
    SendNow,
    SettingsView,
    StaleSetting,
    StreetChoice,
    WeeklyDigest,
)
from models.digest.ports import DueDigest
from models.digest.schedule import LATE_LIMIT, is_late, iso_week, next_occurrence, window_for
from models.digest.sources import invite_section
from models.errors import NotAStreetMember, StreetNotSetUp
from models.notifications import Recipient
from models.ports import Database, Transaction
from models.streets import StreetService

log = logging.getLogger(__name__)

SWEEP_BATCH = 200
SWEEP_ROUNDS = 50


class DigestService:
    """Builds, previews and schedules the weekly digest of every street."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        streets: StreetService,
        tz: ZoneInfo,
        sections: SectionRegistry | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._streets = streets
        self.tz = tz
        self.sections = sections or SectionRegistry()
        if SectionKind.INVITE not in self.sections.kinds:
            self.sections.register(SectionKind.INVITE, invite_section)

    # Building ------------------------------------------------------------------

    async def build(
        self, tx: Transaction, street: Street, due: datetime, now: datetime
    ) -> Digest | None:
        """The digest of a street for the week that ends at `due` (None: nothing to say)."""
        window = window_for(due, self.tz)
        request = SectionRequest(street=street, window=window, now=now)
        return assemble(street, window, await self.sections.collect(tx, request))

    async def _settings(self, tx: Transaction, street_id: int, now: datetime) -> DigestSettings:
        stored = await tx.digest.settings(street_id)
        if stored is not None:
            return stored
        base = DigestSettings(street_id=street_id)
        return base.model_copy(update={"next_due_at": next_occurrence(base, now, self.tz)})

    # Previews ------------------------------------------------------------------

    async def _preview(self, street: Street) -> Preview:
        now = self._clock.now()
        async with self._db.read() as tx:
            settings = await self._settings(tx, street.id, now)
            due = settings.next_due_at or next_occurrence(settings, now, self.tz)
            digest = await self.build(tx, street, due, now)
        return Preview(street_id=street.id, street_name=street.name, due_at=due, digest=digest)

    async def preview_in_group(self, chat: ChatRef, actor: ChannelUser) -> Preview:
        """The next digest of the group's street, for its street contact."""
        street = await self._contact_street(chat, actor)
        return await self._preview(street)

    async def preview_for_contact(self, street_id: int, actor: ChannelUser) -> Preview:
        """The next digest of a street, for someone who administers its group."""
        street = await self._streets.get(street_id)
        if street.chat is None:
            raise StaleSetting()
        await self._streets.require_admin(street.chat, actor)
        return await self._preview(street)

    async def reader_streets(self, user: ChannelUser) -> list[StreetChoice]:
        """The streets a resident reads digests of."""
        async with self._db.read() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                raise NotAStreetMember()
            streets = await _member_streets(tx, resident.id)
        if not streets:
            raise NoDigestStreet()
        return [StreetChoice(street_id=s.id, name=s.name) for s in streets]

    async def preview_for_resident(self, user: ChannelUser, street_id: int) -> Preview:
        """The next digest of one of the resident's streets."""
        choices = await self.reader_streets(user)
        if street_id not in {c.street_id for c in choices}:
            raise NotAStreetMember()
        return await self._preview(await self._streets.get(street_id))

    # Settings ------------------------------------------------------------------

    async def _contact_street(self, chat: ChatRef, actor: ChannelUser) -> Street:
        street = await self._streets.by_chat(chat)
        if street is None:
            raise StreetNotSetUp()
        await self._streets.require_admin(chat, actor)
        return street

    async def settings_view(self, chat: ChatRef, actor: ChannelUser) -> SettingsView:
        """The group's digest settings, for its street contact."""
        street = await self._contact_street(chat, actor)
        async with self._db.read() as tx:
            settings = await self._settings(tx, street.id, self._clock.now())
        return SettingsView(
            street_id=street.id,
            street_name=street.name,
            language=street.language,
            settings=settings,
        )

    async def update_settings(
        self,
        chat: ChatRef,
        actor: ChannelUser,
        *,
        weekday: int | None = None,
        minute_of_day: int | None = None,
        language: Language | None = None,
        bloemetje: bool | None = None,
    ) -> SettingsView:
        """Change day, time, language or the Bloemetje (street contact only, re-checked)."""
        street = await self._contact_street(chat, actor)
        now = self._clock.now()
        async with self._db.write() as tx:
            current = await self._settings(tx, street.id, now)
            changes: dict[str, object] = {}
            if weekday is not None:
                changes["weekday"] = weekday
            if minute_of_day is not None:
                changes["minute_of_day"] = minute_of_day
            if bloemetje is not None:
                changes["bloemetje"] = bloemetje
            updated = DigestSettings.model_validate({**current.model_dump(), **changes})
            if weekday is not None or minute_of_day is not None or current.next_due_at is None:
                next_due = next_occurrence(updated, now, self.tz)
            else:
                next_due = current.next_due_at
            await tx.digest.put_settings(
                street.id,
                weekday=updated.weekday,
                minute_of_day=updated.minute_of_day,
                bloemetje=updated.bloemetje,
                next_due_at=next_due,
                now=now,
            )
            if language is not None:
                await tx.streets.set_language(street.id, language)
            await audit(
                tx,
                now,
                "digest.settings",
                "street",
                street.id,
                actor=actor,
                fields=sorted([*changes, *(["language"] if language else [])]),
            )
            fresh = await tx.digest.settings(street.id)
            renewed = await tx.streets.get(street.id)
        assert fresh is not None
        assert renewed is not None
        return SettingsView(
            street_id=street.id,
            street_name=renewed.name,
            language=renewed.language,
            settings=fresh,
        )

    # Private copies -------------------------------------------------------------

    async def private_copy(self, resident_id: int) -> bool:
        """Whether the resident also gets the digest in a private chat."""
        async with self._db.read() as tx:
            return await tx.digest.private_optin(resident_id)

    async def set_private_copy(self, user: ChannelUser, on: bool) -> bool:
        """Switch the private copy on or off; returns the new state."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None or not await _member_streets(tx, resident.id):
                raise NotAStreetMember()
            await tx.digest.set_private_optin(resident.id, on, now)
            await audit(
                tx, now, "digest.private", "resident", resident.id, actor_resident_id=resident.id
            )
            return on

    # The sweep -----------------------------------------------------------------

    async def sweep(self) -> int:
        """Send every digest that is due; returns how many streets got one."""
        now = self._clock.now()
        async with self._db.write() as tx:
            for street_id, created in await tx.digest.streets_without_settings():
                # From the street's start (or a day back at most): a first sweep that came
                # late still sends the digest that fell due in between, once.
                base = DigestSettings(street_id=street_id)
                await tx.digest.put_settings(
                    street_id,
                    weekday=base.weekday,
                    minute_of_day=base.minute_of_day,
                    bloemetje=base.bloemetje,
                    next_due_at=next_occurrence(base, max(created, now - LATE_LIMIT), self.tz),
                    now=now,
                )
        sent = 0
        failed: set[int] = set()
        for _ in range(SWEEP_ROUNDS):
            async with self._db.read() as tx:
                due = [
                    d for d in await tx.digest.due(now, SWEEP_BATCH) if d.street_id not in failed
                ]
            if not due:
                break
            for item in due:
                try:
                    async with self._db.write() as tx:
                        sent += await self._run(tx, item, now)
                except Exception:
                    # Rolled back: the street stays due and is tried again next minute.
                    log.exception("digest of street %d failed", item.street_id)
                    failed.add(item.street_id)
        return sent

    async def _run(self, tx: Transaction, item: DueDigest, now: datetime) -> int:
        settings = await self._settings(tx, item.street_id, now)
        following = next_occurrence(settings, max(now, item.due_at), self.tz)
        if not await tx.digest.advance(item.street_id, item.due_at, following):
            return 0
        week = iso_week(item.due_at, self.tz)
        street = await tx.streets.get(item.street_id)
        if street is None or not street.active or street.chat is None:
            await tx.digest.claim_run(item.street_id, week, item.due_at, "no_chat", now)
            return 0
        if is_late(item.due_at, now):
            if await tx.digest.claim_run(street.id, week, item.due_at, "late", now):
                log.warning(
                    "digest of street %d for %s skipped: due %s, the bot was down until %s",
                    street.id,
                    week,
                    item.due_at.isoformat(),
                    now.isoformat(),
                )
            return 0
        return 1 if await self._send_week(tx, street, week, item.due_at, now) else 0

    async def send_now(self, street_id: int, actor: ChannelUser | None = None) -> SendNow:
        """Send a street's digest of this week now (its street contact, or the operator).

        It claims the week as the schedule does, so the scheduled digest of the same week is
        not sent again; a week that had its digest already says so."""
        street = await self._streets.get(street_id)
        if actor is not None:
            if street.chat is None:
                raise StaleSetting()
            await self._streets.require_admin(street.chat, actor)
        if not street.active or street.chat is None:
            return SendNow.NO_CHAT
        now = self._clock.now()
        week = iso_week(now, self.tz)
        async with self._db.write() as tx:
            if await tx.digest.run_outcome(street.id, week) is not None:
                return SendNow.ALREADY
            if not await self._send_week(tx, street, week, now, now):
                return SendNow.EMPTY
            await audit(tx, now, "digest.sent_now", "street", street.id, week=week)
        return SendNow.SENT

    async def _send_week(
        self, tx: Transaction, street: Street, week: str, due_at: datetime, now: datetime
    ) -> bool:
        """Claim the street's week and put its digest in the outbox; False when not sent."""
        if not await tx.digest.claim_run(street.id, week, due_at, "claimed", now):
            log.info("digest of street %d for %s was already handled", street.id, week)
            return False
        digest = await self.build(tx, street, due_at, now)
        if digest is None:
            await tx.digest.set_run_outcome(street.id, week, "empty", 0)
            log.info("digest of street %d for %s skipped: nothing to tell", street.id, week)
            return False
        note = WeeklyDigest(digest=digest)
        await tx.outbox.enqueue(
            Recipient.street(street.id), note, key=f"digest:{street.id}:{week}", now=now
        )
        readers = await tx.digest.private_readers(street.id)
        for resident_id in readers:
            await tx.outbox.enqueue(
                Recipient.resident(resident_id),
                note,
                key=f"digest:{street.id}:{week}:r{resident_id}",
                now=now,
            )
        await tx.digest.set_run_outcome(street.id, week, "sent", 1 + len(readers))
        await audit(tx, now, "digest.sent", "street", street.id, week=week, private=len(readers))
        return True


async def _member_streets(tx: Transaction, resident_id: int) -> Sequence[Street]:
    streets: list[Street] = []
    for membership in await tx.memberships.of_resident(resident_id):
        if membership.blocked:
            continue
        street = await tx.streets.get(membership.street_id)
        if street is not None and street.active:
            streets.append(street)
    return streets
