"""Cases: a resident's consented question for the community workers of their neighbourhood.

Every way into a case ends in `open_case` with the resident's consent. Offers (routes 2-4)
hold what another capability could fill in until the resident answers. Every view and
action of a worker is re-checked with the channel and written to the audit log; case text
is only ever rendered in private chats (the resident's and a worker's).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

import phonenumbers

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, Frozen, Neighbourhood, Resident
from models.errors import NotAllowed, NotAStreetMember, NotFound, StaleAction
from models.escalation.model import (
    CASE_MESSAGE_MAX,
    CASE_REF,
    CASE_TEXT_MAX,
    NOTE_MAX,
    SAFE_TIME_MAX,
    AuditLine,
    Case,
    CaseCard,
    CaseClosed,
    CaseDetails,
    CaseDraft,
    CaseMessage,
    CaseMessageToResident,
    CaseMessageToWorker,
    CaseReminder,
    CaseSource,
    CaseStatus,
    CaseStatusChanged,
    CaseUnclaimedAlert,
    CaseWithdrawn,
    ContactWay,
    EscalationOffered,
    InvalidPhone,
    NoTeamYet,
    Offer,
    OfferStatus,
    Outcome,
    ResidentCaseView,
    SourceKind,
    StartInfo,
    TeamMissingAlert,
    TooHeavyOutcome,
)
from models.escalation.workers import WorkerCheck
from models.notifications import PlacePost, PostRef, Recipient, RefreshPosts
from models.ports import Database, Transaction
from models.residents import ResidentService
from models.sensitivity import Level, Sensitivity, Theme, assess_sensitivity
from models.sweeps import sweep_due
from models.text import clean_text

PHONE_MAX = 32
OFFER_VALID = timedelta(days=7)
# Sources whose text the resident typed just now: a newer text replaces a pending offer.
RETYPED = frozenset({SourceKind.TEXT, SourceKind.RELAY})


class ClaimedByOther(NotAllowed):
    """Another worker has this case; take it over first."""

    message_key = "escalation.errors.claimed_by_other"


class ResidentHasNoChat(NotAllowed):
    """The resident cannot be reached through the bot (a proxy, or the bot was blocked)."""

    message_key = "escalation.errors.no_chat"


class RelayedMessage(Frozen):
    """A relayed case message with what its rendering needs (read at delivery time)."""

    case: Case
    message: CaseMessage
    author_name: str
    organisation: str | None
    neighbourhood_name: str


class TextOffer(Frozen):
    """The answer to a sensitive text typed to the bot: how heavy, and the offer made."""

    sensitivity: Sensitivity
    offer: Offer | None
    neighbourhood_name: str | None = None


def case_level(theme: Theme, text: str | None, language: str) -> Level:
    """Every case needs a professional; safety at home or a crisis text makes it a crisis."""
    if theme is Theme.SAFETY:
        return Level.CRISIS
    if text and assess_sensitivity(text, language).level is Level.CRISIS:
        return Level.CRISIS
    return Level.PROFESSIONAL


def needs_crisis_numbers(theme: Theme | None, level: Level) -> bool:
    """Where life or safety is at stake the crisis numbers are shown at once."""
    return theme is Theme.SAFETY or level is Level.CRISIS


def clean_phone(value: str | None) -> str:
    """A phone number we can call, formatted the Dutch way (international when foreign)."""
    if value is None or not value.strip():
        raise InvalidPhone()
    text = clean_text(value, max_length=PHONE_MAX, multiline=False)
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        raise InvalidPhone() from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone()
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 31
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def clean_case_text(value: str | None) -> str | None:
    """The optional short text of a case (None when left empty)."""
    if value is None or not value.strip():
        return None
    return clean_text(value, max_length=CASE_TEXT_MAX)


async def record_offer(
    tx: Transaction,
    now: datetime,
    resident_id: int,
    source: CaseSource,
    *,
    language: str = "nl",
    notify: bool = True,
) -> Offer:
    """Offer professional help inside the caller's transaction (one pending offer per source).

    With notify, the resident gets the offer privately through the outbox; without, the
    caller shows it as a direct reply (see handlers.escalation.offers.show_offer).
    """
    existing = await tx.cases.pending_offer(resident_id, source.kind.value, source.ref_id)
    if existing is not None:
        fresh_text = source.kind in RETYPED and source.prefilled_text is not None
        retyped = (source.prefilled_text or "").strip()[:CASE_TEXT_MAX]
        if not fresh_text or existing.source.prefilled_text == retyped:
            return existing
        # A newer text from the resident replaces the unanswered offer (and its old text).
        await tx.cases.answer_offer(existing.id, OfferStatus.EXPIRED, now)
        await audit(tx, now, "offer.superseded", "offer", existing.id)
    text = source.prefilled_text
    if text is not None:
        text = text.strip()[:CASE_TEXT_MAX] or None
        source = source.model_copy(update={"prefilled_text": text})
    assessed = assess_sensitivity(text or "", language)
    level = (
        Level.CRISIS
        if needs_crisis_numbers(source.prefilled_theme, assessed.level)
        else (Level.PROFESSIONAL)
    )
    if source.prefilled_theme is None and assessed.theme is not None:
        source = source.model_copy(update={"prefilled_theme": assessed.theme})
    offer = await tx.cases.add_offer(resident_id, source, level, now)
    if notify:
        await tx.outbox.enqueue(
            Recipient.resident(resident_id),
            EscalationOffered(offer_id=offer.id),
            key=f"offer:{offer.id}",
            now=now,
        )
    await audit(tx, now, "offer.made", "offer", offer.id, source=source.kind.value)
    return offer


def _card_ref(case_id: int) -> PostRef:
    return PostRef(ref_kind=CASE_REF, ref_id=case_id)


async def _refresh_card(tx: Transaction, case: Case, now: datetime) -> None:
    await tx.outbox.enqueue(
        Recipient.moderators(case.neighbourhood_id),
        RefreshPosts(ref=_card_ref(case.id)),
        now=now,
    )


async def _status_changed(
    tx: Transaction, case: Case, status: CaseStatus, step: str, now: datetime
) -> None:
    """A worker changed the case's status: the card is redrawn and the resident told once."""
    await _refresh_card(tx, case, now)
    await tx.outbox.enqueue(
        Recipient.resident(case.resident_id),
        CaseStatusChanged(case_id=case.id, status=status),
        key=f"case:{case.id}:{step}",
        now=now,
    )


async def _open_case(tx: Transaction, case_id: int) -> Case:
    """A case a worker was just checked for, refused once it is closed."""
    case = await tx.cases.get(case_id)
    assert case is not None
    if case.closed:
        raise CaseClosed()
    return case


async def _reread(tx: Transaction, case_id: int) -> Case:
    """A case just changed in this transaction, as it is now."""
    case = await tx.cases.get(case_id)
    assert case is not None
    return case


async def _unclaimed_due(
    tx: Transaction,
    column: Literal["reminded_at", "escalated_at"],
    before: datetime,
    now: datetime,
) -> list[Case]:
    """Unclaimed cases waiting since before a moment, each marked in `column` once."""
    return [
        case
        for case in await tx.cases.unclaimed_since(before, column)
        if await tx.cases.mark_once(case.id, column, now)
    ]


async def _own_offer(tx: Transaction, user: ChannelUser, offer_id: int) -> tuple[Resident, Offer]:
    """An offer of this resident (whatever its status); NotFound for anyone else's."""
    resident = await tx.residents.by_external(user.channel, user.external_id)
    offer = await tx.cases.offer(offer_id)
    if resident is None or offer is None or offer.resident_id != resident.id:
        raise NotFound()
    return resident, offer


WORKER_HOME_CASES = 20  # the oldest first; the moderators chat has them all


class WorkerCase(Frozen):
    """A case as it is listed for a worker: whether it is theirs."""

    case: Case
    mine: bool = False


class WorkerHood(Frozen):
    """A neighbourhood a person is a community worker of, and its cases not closed."""

    neighbourhood: Neighbourhood
    cases: tuple[WorkerCase, ...] = ()


class EscalationService:
    """Routes into a case, the resident's side of it, and the community workers' actions."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        residents: ResidentService,
        workers: WorkerCheck,
        *,
        reminder_after: timedelta = timedelta(hours=24),
        operator_after: timedelta = timedelta(hours=72),
        offer_valid: timedelta = OFFER_VALID,
    ) -> None:
        self._db = db
        self._clock = clock
        self._residents = residents
        self.workers = workers
        self.reminder_after = reminder_after
        self.operator_after = operator_after
        self._offer_valid = offer_valid

    # A worker's home ------------------------------------------------------------------

    async def worker_home(self, user: ChannelUser) -> list[WorkerHood]:
        """The neighbourhoods this person is a community worker of now, with their cases
        that are not closed (empty: not a worker). Shown in the worker's private chat."""
        async with self._db.read() as tx:
            hoods = [h for h in await tx.neighbourhoods.list_all() if h.moderators_chat]
        home = []
        for hood in hoods:
            if not await self.workers.is_worker(hood, user):
                continue
            async with self._db.read() as tx:
                me = await tx.residents.by_external(user.channel, user.external_id)
                cases = await tx.cases.open_in(hood.id, WORKER_HOME_CASES)
            mine = me.id if me is not None else None
            home.append(
                WorkerHood(
                    neighbourhood=hood,
                    cases=tuple(WorkerCase(case=c, mine=c.claimed_by == mine) for c in cases),
                )
            )
        return home

    # Resident: route 1 ---------------------------------------------------------------

    async def start(self, user: ChannelUser) -> StartInfo:
        """Before route 1: the resident's wijk, whether it has a team, and an open case."""
        profile = await self._residents.require_member(user)
        street = profile.home_street
        assert street is not None
        async with self._db.read() as tx:
            hood = await tx.neighbourhoods.get(street.neighbourhood_id)
            assert hood is not None
            case = await tx.cases.open_of_resident(profile.resident.id)
            view = await self._resident_view(tx, case) if case else None
        if hood.moderators_chat is None:
            await self._team_missing(hood)
        return StartInfo(
            neighbourhood_name=hood.name,
            has_team=hood.moderators_chat is not None,
            open_case=view,
        )

    async def open_case(self, user: ChannelUser, draft: CaseDraft) -> Case:
        """The resident said yes: the case goes to the wijkteam (a card without name or text)."""
        profile = await self._residents.require_member(user)
        resident = profile.resident
        text = clean_case_text(draft.text)
        phone = clean_phone(draft.phone) if draft.contact is ContactWay.PHONE else None
        safe_time = None
        if draft.contact is ContactWay.PHONE and draft.safe_time:
            safe_time = clean_text(draft.safe_time, max_length=SAFE_TIME_MAX, multiline=False)
        level = case_level(draft.theme, text, resident.language)
        now = self._clock.now()
        home = profile.home_street
        assert home is not None
        hood = await self._hood_for(home.id, draft)
        if hood.moderators_chat is None:
            await self._team_missing(hood)
            raise NoTeamYet(neighbourhood=hood.name)
        async with self._db.write() as tx:
            existing = await tx.cases.open_of_resident(resident.id)
            if existing is not None:
                return existing
            offer: Offer | None = None
            if draft.offer_id is not None:
                offer = await tx.cases.offer(draft.offer_id)
                if (
                    offer is None
                    or offer.resident_id != resident.id
                    or offer.status is not OfferStatus.PENDING
                ):
                    raise StaleAction()
            source = offer.source if offer is not None else CaseSource()
            street_id = source.street_id or home.id
            case = await tx.cases.add(
                neighbourhood_id=hood.id,
                street_id=street_id,
                resident_id=resident.id,
                theme=draft.theme,
                level=level,
                source=source,
                text=text,
                contact=draft.contact.value,
                phone=phone,
                safe_time=safe_time,
                now=now,
            )
            if offer is not None:
                await tx.cases.answer_offer(offer.id, OfferStatus.ACCEPTED, now, case.id)
                await self._tell_helper(tx, offer, passed_on=True, now=now)
            await tx.outbox.enqueue(
                Recipient.moderators(hood.id),
                PlacePost(ref=_card_ref(case.id)),
                key=f"case:{case.id}:card",
                now=now,
            )
            await audit(
                tx,
                now,
                "case.opened",
                "case",
                case.id,
                actor_resident_id=resident.id,
                source=source.kind.value,
                theme=case.theme.value,
                level=case.level.value,
            )
            return case

    async def _team_missing(self, hood: Neighbourhood) -> None:
        """Tell the operator (once a day per wijk) that residents need a team chat here."""
        now = self._clock.now()
        async with self._db.write() as tx:
            await tx.outbox.enqueue(
                Recipient.operator(),
                TeamMissingAlert(neighbourhood_id=hood.id),
                key=f"team-missing:{hood.id}:{now.date().isoformat()}",
                now=now,
            )

    async def _hood_for(self, street_id: int, draft: CaseDraft) -> Neighbourhood:
        async with self._db.read() as tx:
            if draft.offer_id is not None:
                offer = await tx.cases.offer(draft.offer_id)
                if offer is not None and offer.source.street_id is not None:
                    street_id = offer.source.street_id
            street = await tx.streets.get(street_id)
            if street is None:
                raise NotAStreetMember()
            hood = await tx.neighbourhoods.get(street.neighbourhood_id)
        if hood is None:
            raise NotFound()
        return hood

    async def my_case(self, user: ChannelUser) -> ResidentCaseView | None:
        """The resident's open case with its status, if any."""
        async with self._db.read() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                return None
            case = await tx.cases.open_of_resident(resident.id)
            return await self._resident_view(tx, case) if case else None

    async def _resident_view(self, tx: Transaction, case: Case) -> ResidentCaseView:
        hood = await tx.neighbourhoods.get(case.neighbourhood_id)
        claimer = await tx.residents.get(case.claimed_by) if case.claimed_by else None
        return ResidentCaseView(
            case=case,
            neighbourhood_name=hood.name if hood else "",
            claimer_name=claimer.display_name if claimer else None,
        )

    async def _own_case(
        self, tx: Transaction, user: ChannelUser, case_id: int
    ) -> tuple[Resident, Case]:
        resident = await tx.residents.by_external(user.channel, user.external_id)
        case = await tx.cases.get(case_id)
        if resident is None or case is None or case.resident_id != resident.id:
            raise NotFound()
        if case.closed:
            raise CaseClosed()
        return resident, case

    async def withdraw(self, user: ChannelUser, case_id: int) -> Case:
        """The resident withdraws consent: the case closes and its text is removed."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident, case = await self._own_case(tx, user, case_id)
            await tx.cases.update(
                case.id,
                status=CaseStatus.CLOSED.value,
                outcome=Outcome.WITHDRAWN.value,
                closed_at=now,
                closed_by=resident.id,
                unread_since=None,
            )
            await tx.cases.erase(case.id, now)
            await _refresh_card(tx, case, now)
            if case.claimed_by is not None:
                await tx.outbox.enqueue(
                    Recipient.resident(case.claimed_by), CaseWithdrawn(case_id=case.id), now=now
                )
            await audit(tx, now, "case.withdrawn", "case", case.id, actor_resident_id=resident.id)
            return await _reread(tx, case.id)

    async def resident_message(self, user: ChannelUser, case_id: int, text: str) -> Case:
        """A resident reply: to the claiming worker, else "nieuw bericht" on the card."""
        body = clean_text(text, max_length=CASE_MESSAGE_MAX)
        now = self._clock.now()
        async with self._db.write() as tx:
            resident, case = await self._own_case(tx, user, case_id)
            message = await tx.cases.add_message(case.id, "from_resident", resident.id, body, now)
            if case.claimed_by is not None:
                await tx.outbox.enqueue(
                    Recipient.resident(case.claimed_by),
                    CaseMessageToWorker(
                        case_id=case.id, message_id=message.id, worker_resident_id=case.claimed_by
                    ),
                    now=now,
                )
            else:
                if case.unread_since is None:
                    await tx.cases.update(case.id, unread_since=now)
                await _refresh_card(tx, case, now)
            await audit(
                tx, now, "case.resident_replied", "case", case.id, actor_resident_id=resident.id
            )
            return case

    # Offers (routes 2-4) -----------------------------------------------------------

    async def offer(
        self, resident_id: int, source: CaseSource, *, language: str = "nl", notify: bool = True
    ) -> Offer:
        """Offer route 1, prefilled from the source; the resident decides (own transaction)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            return await record_offer(
                tx, now, resident_id, source, language=language, notify=notify
            )

    async def offer_for_text(
        self,
        user: ChannelUser,
        text: str,
        language: str,
        *,
        kind: SourceKind = SourceKind.TEXT,
        ref_id: int | None = None,
        wanted: bool = False,
    ) -> TextOffer:
        """A text typed to the bot: offer a professional when it is heavy (or when wanted).

        Every entry point that lets a text reach a group or a neighbour screens it here
        first (see handlers.escalation.screen); `wanted` is the resident's own answer
        "liever een professional" to the question about a doubtful text.
        """
        sensitivity = assess_sensitivity(text, language)
        if not sensitivity.flagged and not wanted:
            return TextOffer(sensitivity=sensitivity, offer=None)
        profile = await self._residents.profile(user)
        if profile is None or profile.home_street is None:
            return TextOffer(sensitivity=sensitivity, offer=None)
        street = profile.home_street
        now = self._clock.now()
        async with self._db.write() as tx:
            hood = await tx.neighbourhoods.get(street.neighbourhood_id)
            offer = await record_offer(
                tx,
                now,
                profile.resident.id,
                CaseSource(
                    kind=kind,
                    ref_id=ref_id,
                    street_id=street.id,
                    prefilled_theme=sensitivity.theme,
                    prefilled_text=text,
                ),
                language=language,
                notify=False,
            )
        return TextOffer(
            sensitivity=sensitivity, offer=offer, neighbourhood_name=hood.name if hood else None
        )

    async def ask_consent_for_too_heavy(
        self, helper: ChannelUser, requester_resident_id: int, source: CaseSource
    ) -> Offer:
        """Route 3: a helper finds a request too heavy; the requester is asked privately."""
        now = self._clock.now()
        async with self._db.write() as tx:
            helper_resident = await tx.residents.by_external(helper.channel, helper.external_id)
            if helper_resident is None:
                raise NotAStreetMember()
            if helper_resident.id == requester_resident_id:
                raise NotAllowed()
            requester = await tx.residents.get(requester_resident_id)
            if requester is None:
                raise NotFound()
            source = source.model_copy(
                update={"kind": SourceKind.TOO_HEAVY, "helper_resident_id": helper_resident.id}
            )
            offer = await record_offer(
                tx, now, requester_resident_id, source, language=requester.language
            )
            await audit(
                tx,
                now,
                "offer.too_heavy",
                "offer",
                offer.id,
                actor_resident_id=helper_resident.id,
            )
            return offer

    async def get_offer(self, user: ChannelUser, offer_id: int) -> tuple[Offer, str]:
        """A pending offer of this resident, with their neighbourhood's name."""
        async with self._db.read() as tx:
            resident, offer = await _own_offer(tx, user, offer_id)
            if offer.status is not OfferStatus.PENDING:
                raise StaleAction()
            return offer, await self._hood_name_for_offer(tx, offer, resident)

    async def offer_preview(self, offer_id: int) -> tuple[Offer, str] | None:
        """An offer as its outbox message needs it (None when answered meanwhile)."""
        async with self._db.read() as tx:
            offer = await tx.cases.offer(offer_id)
            if offer is None or offer.status is not OfferStatus.PENDING:
                return None
            resident = await tx.residents.get(offer.resident_id)
            if resident is None:
                return None
            return offer, await self._hood_name_for_offer(tx, offer, resident)

    async def _hood_name_for_offer(self, tx: Transaction, offer: Offer, resident: Resident) -> str:
        street_id = offer.source.street_id
        if street_id is None:
            memberships = await tx.memberships.of_resident(resident.id)
            street_id = memberships[-1].street_id if memberships else None
        street = await tx.streets.get(street_id) if street_id is not None else None
        hood = await tx.neighbourhoods.get(street.neighbourhood_id) if street else None
        return hood.name if hood else ""

    async def decline_offer(self, user: ChannelUser, offer_id: int) -> Offer:
        """The resident says no: nothing is shared, the prefilled text is dropped."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident, offer = await _own_offer(tx, user, offer_id)
            if not await tx.cases.answer_offer(offer.id, OfferStatus.DECLINED, now):
                raise StaleAction()
            await self._tell_helper(tx, offer, passed_on=False, now=now)
            await audit(
                tx, now, "offer.declined", "offer", offer.id, actor_resident_id=resident.id
            )
            fresh = await tx.cases.offer(offer.id)
        assert fresh is not None
        return fresh

    async def _tell_helper(
        self, tx: Transaction, offer: Offer, *, passed_on: bool, now: datetime
    ) -> None:
        helper = offer.source.helper_resident_id
        if helper is None:
            return
        await tx.outbox.enqueue(
            Recipient.resident(helper),
            TooHeavyOutcome(offer_id=offer.id, passed_on=passed_on),
            key=f"offer:{offer.id}:outcome",
            now=now,
        )

    async def sweep_offers(self) -> int:
        """Offers nobody answered expire: their text is dropped, a helper hears "niet"."""
        now = self._clock.now()

        async def expire(tx: Transaction, offer: Offer) -> bool:
            if not await tx.cases.answer_offer(offer.id, OfferStatus.EXPIRED, now):
                return False
            await self._tell_helper(tx, offer, passed_on=False, now=now)
            await audit(tx, now, "offer.expired", "offer", offer.id)
            return True

        due = now - self._offer_valid
        return await sweep_due(self._db, lambda tx: tx.cases.stale_offers(due), expire)

    # Community workers -------------------------------------------------------------

    async def _case_and_hood(self, case_id: int) -> tuple[Case, Neighbourhood]:
        async with self._db.read() as tx:
            case = await tx.cases.get(case_id)
            hood = await tx.neighbourhoods.get(case.neighbourhood_id) if case else None
        if case is None or hood is None:
            raise NotFound()
        return case, hood

    async def require_worker(
        self, user: ChannelUser, case_id: int, action: str
    ) -> tuple[Case, Resident]:
        """The case, if this person is a worker of its neighbourhood (else refused, audited)."""
        case, hood = await self._case_and_hood(case_id)
        worker = await self.workers.require(hood, user, subject=("case", case.id), action=action)
        return case, worker

    async def require_open_for_worker(
        self, user: ChannelUser, case_id: int, action: str
    ) -> tuple[Case, Resident]:
        """As require_worker, and the case must still be open (before asking for a text)."""
        case, worker = await self.require_worker(user, case_id, action)
        if case.closed:
            raise CaseClosed()
        return case, worker

    async def card(self, case_id: int) -> CaseCard | None:
        """What the moderators chat card shows (no name, no text)."""
        async with self._db.read() as tx:
            case = await tx.cases.get(case_id)
            if case is None:
                return None
            street = await tx.streets.get(case.street_id) if case.street_id else None
            hood = await tx.neighbourhoods.get(case.neighbourhood_id)
            claimer = await tx.residents.get(case.claimed_by) if case.claimed_by else None
            closer = await tx.residents.get(case.closed_by) if case.closed_by else None
        return CaseCard(
            case=case,
            street_name=street.name if street else None,
            claimer_name=claimer.display_name if claimer else None,
            closer_name=closer.display_name if closer and closer.id != case.resident_id else None,
            moderators_chat_id=(
                hood.moderators_chat.chat_id if hood and hood.moderators_chat else None
            ),
        )

    async def claim(self, user: ChannelUser, case_id: int) -> Case:
        """ "Oppakken" (or take over from a colleague): replies now come to this worker."""
        _, worker = await self.require_worker(user, case_id, "claim")
        now = self._clock.now()
        async with self._db.write() as tx:
            case = await _open_case(tx, case_id)
            if case.claimed_by == worker.id:
                return case
            await self._claim(tx, case, worker, now)
            return await _reread(tx, case.id)

    async def _claim(self, tx: Transaction, case: Case, worker: Resident, now: datetime) -> None:
        await tx.cases.update(
            case.id, status=CaseStatus.CLAIMED.value, claimed_by=worker.id, claimed_at=now
        )
        await _status_changed(tx, case, CaseStatus.CLAIMED, f"claimed:{worker.id}", now)
        await audit(
            tx,
            now,
            "case.claimed",
            "case",
            case.id,
            actor_resident_id=worker.id,
            previous=case.claimed_by,
        )

    async def view(self, user: ChannelUser, case_id: int) -> CaseDetails:
        """ "Bekijken": everything about the case, for this worker privately; audited."""
        _, worker = await self.require_worker(user, case_id, "view")
        now = self._clock.now()
        async with self._db.write() as tx:
            case = await tx.cases.get(case_id)
            assert case is not None
            if case.unread_since is not None:
                await tx.cases.update(case.id, unread_since=None)
                await _refresh_card(tx, case, now)
            await audit(tx, now, "case.viewed", "case", case.id, actor_resident_id=worker.id)
            resident = await tx.residents.get(case.resident_id)
            street = await tx.streets.get(case.street_id) if case.street_id else None
            hood = await tx.neighbourhoods.get(case.neighbourhood_id)
            claimer = await tx.residents.get(case.claimed_by) if case.claimed_by else None
            notes = []
            for note in await tx.cases.notes(case.id):
                author = await tx.residents.get(note.author_resident_id)
                notes.append((note, author.display_name if author else "?"))
            messages = tuple(await tx.cases.messages(case.id))
        return CaseDetails(
            case=case,
            resident_name=resident.display_name if resident else "?",
            street_name=street.name if street else None,
            neighbourhood_name=hood.name if hood else "",
            claimer_name=claimer.display_name if claimer else None,
            messages=messages,
            notes=tuple(notes),
        )

    async def view_undelivered(self, user: ChannelUser, case_id: int) -> None:
        """The details could not be sent privately: say so in the audit log too."""
        now = self._clock.now()
        async with self._db.write() as tx:
            await audit(tx, now, "case.view_undelivered", "case", case_id, actor=user)

    async def message_resident(self, user: ChannelUser, case_id: int, text: str) -> Case:
        """ "Bericht aan bewoner": relayed through the bot, signed with name and organisation."""
        body = clean_text(text, max_length=CASE_MESSAGE_MAX)
        _, worker = await self.require_worker(user, case_id, "message")
        now = self._clock.now()
        async with self._db.write() as tx:
            case = await _open_case(tx, case_id)
            resident = await tx.residents.get(case.resident_id)
            if resident is None or resident.chat is None or not resident.active:
                raise ResidentHasNoChat()
            if case.claimed_by is None:
                await self._claim(tx, case, worker, now)
            elif case.claimed_by != worker.id:
                holder = await tx.residents.get(case.claimed_by)
                raise ClaimedByOther(name=holder.display_name if holder else "?")
            message = await tx.cases.add_message(case.id, "to_resident", worker.id, body, now)
            await tx.outbox.enqueue(
                Recipient.resident(case.resident_id),
                CaseMessageToResident(case_id=case.id, message_id=message.id),
                now=now,
            )
            await audit(tx, now, "case.messaged", "case", case.id, actor_resident_id=worker.id)
            return await _reread(tx, case.id)

    async def add_note(self, user: ChannelUser, case_id: int, text: str) -> Case:
        """ "Notitie": for the workers of this neighbourhood only."""
        body = clean_text(text, max_length=NOTE_MAX)
        case, worker = await self.require_worker(user, case_id, "note")
        if case.outcome is Outcome.WITHDRAWN:
            raise CaseClosed()
        now = self._clock.now()
        async with self._db.write() as tx:
            await tx.cases.add_note(case.id, worker.id, body, now)
            await audit(tx, now, "case.noted", "case", case.id, actor_resident_id=worker.id)
        return case

    async def close(self, user: ChannelUser, case_id: int, outcome: Outcome) -> Case:
        """ "Afsluiten" with an outcome; the resident sees "afgesloten"."""
        if outcome is Outcome.WITHDRAWN:
            raise NotAllowed()
        _, worker = await self.require_worker(user, case_id, "close")
        now = self._clock.now()
        async with self._db.write() as tx:
            case = await _open_case(tx, case_id)
            await tx.cases.update(
                case.id,
                status=CaseStatus.CLOSED.value,
                outcome=outcome.value,
                closed_at=now,
                closed_by=worker.id,
                unread_since=None,
            )
            await _status_changed(tx, case, CaseStatus.CLOSED, "closed", now)
            await audit(
                tx,
                now,
                "case.closed",
                "case",
                case.id,
                actor_resident_id=worker.id,
                outcome=outcome.value,
            )
            return await _reread(tx, case.id)

    async def audit_log(self, user: ChannelUser, case_id: int) -> Sequence[AuditLine]:
        """`/auditlog <case>`: who did what and when, never content; the reading is audited."""
        case, worker = await self.require_worker(user, case_id, "auditlog")
        now = self._clock.now()
        async with self._db.write() as tx:
            entries = await tx.audit.for_subject("case", str(case.id))
            lines = []
            for entry in entries:
                actor = "system"
                name = None
                if entry.actor_resident_id == case.resident_id:
                    actor = "resident"
                elif entry.actor_resident_id is not None:
                    person = await tx.residents.get(entry.actor_resident_id)
                    actor, name = "worker", person.display_name if person else "?"
                elif entry.actor_external_id is not None:
                    actor, name = "other", entry.actor_external_id
                detail = entry.detail.get("outcome") or entry.detail.get("tried")
                lines.append(
                    AuditLine(
                        at=entry.at,
                        actor=actor if name is None else f"{actor}:{name}",
                        action=entry.action,
                        detail=str(detail) if detail else None,
                    )
                )
            await audit(tx, now, "case.audit_viewed", "case", case.id, actor_resident_id=worker.id)
        return lines

    # Delivery helpers (renderers read content at send time) ----------------------------

    async def relayed(self, case_id: int, message_id: int) -> RelayedMessage | None:
        """A relayed message with its signature; None when the case or text is gone."""
        async with self._db.read() as tx:
            case = await tx.cases.get(case_id)
            message = await tx.cases.message(message_id)
            if case is None or message is None or message.case_id != case.id:
                return None
            if message.text is None or case.outcome is Outcome.WITHDRAWN:
                return None
            author = await tx.residents.get(message.author_resident_id)
            organisation = await tx.moderators.organisation(message.author_resident_id)
            hood = await tx.neighbourhoods.get(case.neighbourhood_id)
        return RelayedMessage(
            case=case,
            message=message,
            author_name=author.display_name if author else "?",
            organisation=organisation,
            neighbourhood_name=hood.name if hood else "",
        )

    async def still_worker(self, case_id: int, worker_resident_id: int) -> bool:
        """Before a reply reaches a worker privately: are they still a worker here?"""
        case, hood = await self._case_and_hood(case_id)
        async with self._db.read() as tx:
            worker = await tx.residents.get(worker_resident_id)
        if worker is None or worker.channel is None or worker.external_id is None:
            return False
        user = ChannelUser(channel=worker.channel, external_id=worker.external_id)
        if await self.workers.is_worker(hood, user):
            return True
        now = self._clock.now()
        async with self._db.write() as tx:
            fresh = await tx.cases.get(case.id)
            if fresh is not None and fresh.unread_since is None:
                await tx.cases.update(case.id, unread_since=now)
            await _refresh_card(tx, case, now)
            await audit(tx, now, "case.reply_held", "case", case.id, worker=worker_resident_id)
        return False

    async def resident_view(self, case_id: int) -> ResidentCaseView | None:
        """A case as its resident sees it (for status notifications)."""
        async with self._db.read() as tx:
            case = await tx.cases.get(case_id)
            return await self._resident_view(tx, case) if case else None

    # Sweeps ----------------------------------------------------------------------------

    async def sweep_reminders(self) -> int:
        """Unclaimed cases: a reminder on the card after a day, the operator after three."""
        now = self._clock.now()
        async with self._db.write() as tx:
            reminded = await _unclaimed_due(tx, "reminded_at", now - self.reminder_after, now)
            hours = int(self.reminder_after.total_seconds() // 3600)
            for case in reminded:
                await tx.outbox.enqueue(
                    Recipient.moderators(case.neighbourhood_id),
                    CaseReminder(case_id=case.id, hours=hours),
                    key=f"case:{case.id}:reminder",
                    now=now,
                )
                await _refresh_card(tx, case, now)
                await audit(tx, now, "case.reminded", "case", case.id, hours=hours)
            alerted = await _unclaimed_due(tx, "escalated_at", now - self.operator_after, now)
            hours = int(self.operator_after.total_seconds() // 3600)
            for case in alerted:
                await tx.outbox.enqueue(
                    Recipient.operator(),
                    CaseUnclaimedAlert(case_id=case.id, hours=hours),
                    key=f"case:{case.id}:operator",
                    now=now,
                )
                await audit(tx, now, "case.to_operator", "case", case.id, hours=hours)
        return len(reminded) + len(alerted)

    async def neighbourhood_name(self, neighbourhood_id: int) -> str:
        """A neighbourhood's name (for texts)."""
        async with self._db.read() as tx:
            hood = await tx.neighbourhoods.get(neighbourhood_id)
        return hood.name if hood else ""
