"""Bloemetje in de Buurt: once a month the street names who deserves a flower.

On the 1st (local time, from 10:00) the group is asked; residents nominate a neighbour
privately, one nomination each per month (they may change it), with an optional short
reason. Each nominee is asked privately whether they agree to be named. On the 8th
(from 10:00) the group hears the names of everyone nominated who agreed: no counts, no
ranking. Nobody is named who did not say yes (PRODUCT.md §1.4: nothing is shown about a
person that they did not choose to show). A street contact can switch it off.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, Frozen, Resident, Street
from models.digest.compose import SectionRequest
from models.digest.model import DigestItem, DigestSection, Priority, SectionKind
from models.digest.ports import Nomination
from models.digest.schedule import local_moment, month_key, month_start, next_month
from models.errors import DomainError, NotAStreetMember, StaleAction
from models.notifications import Notification, Recipient
from models.ports import Database, Transaction
from models.sensitivity import assess_sensitivity, require_for_neighbours
from models.text import SHORT_TEXT_MAX, clean_text

log = logging.getLogger(__name__)

ASK_DAY = 1
LAST_ASK_DAY = 5  # a round that could not start by the 5th waits for next month
ANNOUNCE_DAY = 8
HOUR = 10 * 60  # 10:00 local time
REASON_MAX = SHORT_TEXT_MAX


# Values and messages ------------------------------------------------------------------


class Candidate(Frozen):
    """A neighbour one can nominate."""

    resident_id: int
    name: str


class NominationBallot(Frozen):
    """What a resident sees when nominating: the street, the month, who can be chosen."""

    street_id: int
    street_name: str
    month: str
    candidates: tuple[Candidate, ...]
    current: Candidate | None = None
    announce_on: datetime


class NominationResult(Frozen):
    """A nomination was saved."""

    street_id: int
    month: str
    nominee: Candidate
    replaced: Candidate | None = None
    announce_on: datetime


class ConsentResult(Frozen):
    """A nominee answered whether they may be named."""

    street_name: str
    agreed: bool
    announce_on: datetime


class BloemetjeAsk(Notification):
    """The monthly question in the street group, with a button to nominate privately."""

    kind: ClassVar[str] = "bloemetje.ask"
    street_id: int
    month: str


class BloemetjeConsentAsk(Notification):
    """Ask a nominee privately whether they may be named in the group."""

    kind: ClassVar[str] = "bloemetje.consent"
    street_id: int
    street_name: str
    month: str


class BloemetjeAnnouncement(Notification):
    """The names of this month's Bloemetje, for the street group."""

    kind: ClassVar[str] = "bloemetje.announce"
    street_id: int
    month: str
    names: tuple[str, ...]


class BloemetjeKindWords(Notification):
    """What neighbours wrote about a nominee who agreed to be named (private)."""

    kind: ClassVar[str] = "bloemetje.words"
    street_name: str
    reasons: tuple[str, ...]


class BloemetjeOff(DomainError):
    """The street switched the Bloemetje off."""

    message_key = "bloemetje.errors.off"


class BloemetjeClosed(StaleAction):
    """Nominating is not open (not yet, or the names were already announced)."""

    message_key = "bloemetje.errors.closed"


class NotACandidate(StaleAction):
    """That neighbour cannot be nominated (left the street, or is oneself)."""

    message_key = "bloemetje.errors.not_candidate"


# Time rules ---------------------------------------------------------------------------


def ask_moment(month: str, tz: ZoneInfo) -> datetime:
    """When the group is asked: the 1st at 10:00 local time."""
    return local_moment(month_start(month), HOUR, tz)


def last_ask_moment(month: str, tz: ZoneInfo) -> datetime:
    """After this the month's round does not start any more."""
    return local_moment(month_start(month) + timedelta(days=LAST_ASK_DAY), 0, tz)


def announce_moment(month: str, tz: ZoneInfo) -> datetime:
    """When the names are announced: the 8th at 10:00 local time."""
    return local_moment(month_start(month) + timedelta(days=ANNOUNCE_DAY - 1), HOUR, tz)


def month_end(month: str, tz: ZoneInfo) -> datetime:
    """The first moment of the next month."""
    return local_moment(month_start(next_month(month)), 0, tz)


# The service --------------------------------------------------------------------------


class BloemetjeService:
    """Runs the monthly round: ask, nominate, consent, announce."""

    def __init__(self, db: Database, clock: Clock, tz: ZoneInfo) -> None:
        self._db = db
        self._clock = clock
        self.tz = tz

    # Nominating ---------------------------------------------------------------

    async def ballot(self, user: ChannelUser, street_id: int) -> NominationBallot:
        """The neighbours a resident can nominate this month."""
        now = self._clock.now()
        async with self._db.read() as tx:
            me, street, month = await self._open_round(tx, user, street_id, now)
            candidates = await _candidates(tx, street.id, me.id)
            mine = await tx.digest.nomination_by(street.id, month, me.id)
        current = next((c for c in candidates if mine and c.resident_id == mine.nominee_id), None)
        return NominationBallot(
            street_id=street.id,
            street_name=street.name,
            month=month,
            candidates=tuple(candidates),
            current=current,
            announce_on=announce_moment(month, self.tz),
        )

    async def nominate(
        self, user: ChannelUser, street_id: int, month: str, nominee_id: int
    ) -> NominationResult:
        """Nominate a neighbour (replacing one's earlier choice this month)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            me, street, current_month = await self._open_round(tx, user, street_id, now)
            if month != current_month:
                raise BloemetjeClosed()
            candidates = {c.resident_id: c for c in await _candidates(tx, street.id, me.id)}
            nominee = candidates.get(nominee_id)
            if nominee is None:
                raise NotACandidate()
            before = await tx.digest.nomination_by(street.id, month, me.id)
            replaced = candidates.get(before.nominee_id) if before else None
            if replaced is not None and replaced.resident_id == nominee_id:
                replaced = None
            keep_reason = before.reason if before and before.nominee_id == nominee_id else None
            await tx.digest.put_nomination(street.id, month, me.id, nominee_id, keep_reason, now)
            if await tx.digest.ask_consent(street.id, month, nominee_id, now):
                await tx.outbox.enqueue(
                    Recipient.resident(nominee_id),
                    BloemetjeConsentAsk(street_id=street.id, street_name=street.name, month=month),
                    key=f"bloemetje:consent:{street.id}:{month}:{nominee_id}",
                    now=now,
                )
            await audit(
                tx, now, "bloemetje.nominated", "street", street.id, actor_resident_id=me.id
            )
        return NominationResult(
            street_id=street.id,
            month=month,
            nominee=nominee,
            replaced=replaced,
            announce_on=announce_moment(month, self.tz),
        )

    async def set_reason(
        self,
        user: ChannelUser,
        street_id: int,
        month: str,
        text: str | None,
        *,
        checked: bool = False,
    ) -> Candidate:
        """Add (or clear) the one-line reason of one's nomination (screened: others read it)."""
        reason = clean_text(text, max_length=REASON_MAX, multiline=False) if text else None
        now = self._clock.now()
        async with self._db.write() as tx:
            me, street, current_month = await self._open_round(tx, user, street_id, now)
            if reason is not None:
                require_for_neighbours(assess_sensitivity(reason, me.language), checked=checked)
            mine = await tx.digest.nomination_by(street.id, current_month, me.id)
            if month != current_month or mine is None:
                raise BloemetjeClosed()
            await tx.digest.set_nomination_reason(street.id, month, me.id, reason, now)
            nominee = await tx.residents.get(mine.nominee_id)
        if nominee is None:
            raise NotACandidate()
        return Candidate(resident_id=nominee.id, name=nominee.display_name)

    async def answer(
        self, user: ChannelUser, street_id: int, month: str, agree: bool
    ) -> ConsentResult:
        """A nominee says whether they may be named (changeable until the announcement)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            me = await tx.residents.by_external(user.channel, user.external_id)
            street = await tx.streets.get(street_id)
            if me is None or street is None:
                raise NotAStreetMember()
            round_ = await tx.digest.bloemetje_round(street.id, month)
            if round_ is None or round_.announced_at is not None or round_.closed:
                raise BloemetjeClosed()
            if not await tx.digest.answer_consent(
                street.id, month, me.id, "yes" if agree else "no", now
            ):
                raise BloemetjeClosed()
            await audit(tx, now, "bloemetje.consent", "street", street.id, actor_resident_id=me.id)
        return ConsentResult(
            street_name=street.name, agreed=agree, announce_on=announce_moment(month, self.tz)
        )

    async def _open_round(
        self, tx: Transaction, user: ChannelUser, street_id: int, now: datetime
    ) -> tuple[Resident, Street, str]:
        me = await tx.residents.by_external(user.channel, user.external_id)
        street = await tx.streets.get(street_id)
        if me is None or street is None or not street.active:
            raise NotAStreetMember()
        membership = await tx.memberships.get(me.id, street.id)
        if membership is None or membership.blocked:
            raise NotAStreetMember()
        settings = await tx.digest.settings(street.id)
        if settings is not None and not settings.bloemetje:
            raise BloemetjeOff()
        month = month_key(now, self.tz)
        round_ = await tx.digest.bloemetje_round(street.id, month)
        if round_ is None or round_.announced_at is not None or round_.closed:
            raise BloemetjeClosed()
        return me, street, month

    # The sweep ------------------------------------------------------------------

    async def sweep(self) -> int:
        """Ask on the 1st, announce on the 8th; returns how many messages were queued."""
        now = self._clock.now()
        month = month_key(now, self.tz)
        queued = 0
        if ask_moment(month, self.tz) <= now < last_ask_moment(month, self.tz):
            async with self._db.read() as tx:
                asked = await tx.digest.asked_bloemetje_streets(month)
                streets = [s for s in await tx.digest.bloemetje_street_ids() if s not in asked]
            for street_id in streets:
                async with self._db.write() as tx:
                    if await tx.digest.claim_bloemetje_ask(street_id, month, now):
                        await tx.outbox.enqueue(
                            Recipient.street(street_id),
                            BloemetjeAsk(street_id=street_id, month=month),
                            key=f"bloemetje:ask:{street_id}:{month}",
                            now=now,
                        )
                        queued += 1
        async with self._db.read() as tx:
            rounds = await tx.digest.unannounced_bloemetje_rounds()
        for round_ in rounds:
            if round_.month == month and now < announce_moment(month, self.tz):
                continue
            async with self._db.write() as tx:
                queued += await self._announce(tx, round_.street_id, round_.month, now)
        return queued

    async def _announce(self, tx: Transaction, street_id: int, month: str, now: datetime) -> int:
        settings = await tx.digest.settings(street_id)
        street = await tx.streets.get(street_id)
        late = now >= month_end(month, self.tz)
        off = settings is not None and not settings.bloemetje
        if late or off or street is None or not street.active:
            if await tx.digest.close_bloemetje(street_id, month, now):
                log.info(
                    "bloemetje of street %d for %s closed without announcement (%s)",
                    street_id,
                    month,
                    "late" if late else "off or inactive",
                )
            return 0
        if not await tx.digest.claim_bloemetje_announce(street_id, month, now):
            return 0
        named = await named_nominees(tx, street_id, month)
        if not named:
            log.info("bloemetje of street %d for %s: nobody to name", street_id, month)
            return 0
        await tx.outbox.enqueue(
            Recipient.street(street_id),
            BloemetjeAnnouncement(
                street_id=street_id, month=month, names=tuple(r.display_name for r in named)
            ),
            key=f"bloemetje:announce:{street_id}:{month}",
            now=now,
        )
        reasons = _reasons_by_nominee(await tx.digest.nominations(street_id, month))
        for resident in named:
            words = reasons.get(resident.id)
            if words:
                await tx.outbox.enqueue(
                    Recipient.resident(resident.id),
                    BloemetjeKindWords(street_name=street.name, reasons=tuple(words)),
                    key=f"bloemetje:words:{street_id}:{month}:{resident.id}",
                    now=now,
                )
        await audit(tx, now, "bloemetje.announced", "street", street_id, month=month)
        return 1

    # The digest section ----------------------------------------------------------

    async def section(self, tx: Transaction, request: SectionRequest) -> DigestSection | None:
        """The Bloemetje of the month, in the first digest after its announcement."""
        window = request.window
        for month in sorted({month_key(window.start, self.tz), month_key(window.end, self.tz)}):
            round_ = await tx.digest.bloemetje_round(request.street.id, month)
            if round_ is None or round_.announced_at is None:
                continue
            if not window.start <= round_.announced_at < window.end:
                continue
            named = await named_nominees(tx, request.street.id, month)
            return DigestSection(
                kind=SectionKind.BLOEMETJE,
                title_key="digest.section.bloemetje",
                items=tuple(
                    DigestItem(key="digest.item.bloemetje", params={"name": r.display_name})
                    for r in named
                ),
                priority=Priority.BLOEMETJE,
            )
        return None


async def _candidates(tx: Transaction, street_id: int, me_id: int) -> list[Candidate]:
    """Neighbours in the street who can be reached to ask their consent, by name."""
    people: list[Candidate] = []
    for membership in await tx.memberships.of_street(street_id):
        if membership.blocked or membership.resident_id == me_id:
            continue
        resident = await tx.residents.get(membership.resident_id)
        if resident is None or not resident.active or resident.chat is None:
            continue
        people.append(Candidate(resident_id=resident.id, name=resident.display_name))
    return sorted(people, key=lambda c: (c.name.casefold(), c.resident_id))


async def named_nominees(tx: Transaction, street_id: int, month: str) -> list[Resident]:
    """Nominees with at least one nomination who said yes and still live in the street."""
    named: list[Resident] = []
    for nominee_id in sorted(
        {n.nominee_id for n in await tx.digest.nominations(street_id, month)}
    ):
        if await tx.digest.consent(street_id, month, nominee_id) != "yes":
            continue
        membership = await tx.memberships.get(nominee_id, street_id)
        resident = await tx.residents.get(nominee_id)
        if membership is None or membership.blocked or resident is None:
            continue
        named.append(resident)
    return sorted(named, key=lambda r: (r.display_name.casefold(), r.id))


def _reasons_by_nominee(nominations: Sequence[Nomination]) -> dict[int, list[str]]:
    reasons: dict[int, list[str]] = {}
    for nomination in nominations:
        if nomination.reason:
            reasons.setdefault(nomination.nominee_id, []).append(nomination.reason)
    return reasons
