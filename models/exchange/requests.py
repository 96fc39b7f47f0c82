"""Requests and one-off offers: posting, helping, closing, stale sweeps, escalation hooks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from models.audit import audit
from models.core import ChannelUser, Frozen, Street
from models.errors import NotAllowed, NotFound
from models.escalation.cases import record_offer
from models.escalation.model import CaseSource, Offer, SourceKind
from models.exchange.after import after_help
from models.exchange.common import Actor, TimedService, actor, may_take_part
from models.exchange.model import (
    MAX_MATCH_NOTIFICATIONS,
    MAX_OFFER_TAKERS,
    MAX_REQUESTS_PER_DAY,
    REQUEST_TEXT_MAX,
    AlreadyMatched,
    Conversation,
    IllegalTransition,
    OfferFull,
    OwnRequest,
    Request,
    RequestClosed,
    RequestEvent,
    RequestKind,
    RequestStatus,
    SelfUnreachable,
    TooManyRequests,
    When,
    transition,
)
from models.exchange.notifications import (
    ConversationEnded,
    RequestExpired,
    StillNeeded,
    request_ref,
)
from models.exchange.relay import start_conversation
from models.exchange.taxonomy import UnknownCategory, text_similarity
from models.notifications import PlacePost, Recipient, RefreshPosts, RemovePosts
from models.ports import Transaction
from models.sensitivity import Level, Sensitivity, assess_sensitivity
from models.sweeps import sweep_due
from models.text import clean_text

DAY = timedelta(days=1)
OPEN_STATES = (RequestStatus.HELD, RequestStatus.OPEN, RequestStatus.MATCHED)


class Draft(Frozen):
    """What a resident filled in before posting a request or an offer."""

    kind: RequestKind = RequestKind.ASK
    category: str
    text: str
    when: When = When.ANY
    when_date: date | None = None
    show_name: bool = True
    # The resident answered "voor de buren" to the question about a doubtful text.
    checked: bool = False


class Posted(Frozen):
    """The outcome of posting: the request, whether it was kept private, who was told.

    A held request comes with escalation's offer of route 1 (prefilled with its theme and
    text); the handler shows it with `handlers.escalation.resident.show_offer`.
    """

    request: Request
    sensitivity: Sensitivity
    notified: int = 0
    offer: Offer | None = None
    neighbourhood_name: str = ""

    @property
    def held(self) -> bool:
        """Kept out of the group because the text suggests a heavy problem."""
        return self.request.status is RequestStatus.HELD


class RequestView(Frozen):
    """A request with what a card needs: the owner's name and the street."""

    request: Request
    owner_name: str
    street: Street
    takers: int = 0
    owner_blocked: bool = False


class TooHeavy(Frozen):
    """What escalation's route 3 needs: whom to ask, and the request as a case source."""

    requester_id: int
    source: CaseSource


class RequestService(TimedService):
    """Requests and one-off offers from posting to done."""

    def assess(self, text: str, language: str) -> Sensitivity:
        """Whether a text is too heavy to post in a group (see models.sensitivity)."""
        return assess_sensitivity(text, language)

    def clean(self, text: str) -> str:
        """A description within its limits (TextEmpty / TextTooLong otherwise)."""
        return clean_text(text, max_length=REQUEST_TEXT_MAX)

    async def may_post(self, user: ChannelUser) -> Actor:
        """Check membership and the daily limit before someone starts filling in."""
        async with self._db.read() as tx:
            me = await actor(tx, user)
            await _within_daily_limit(tx, me, self._clock.now())
            return me

    async def post(self, user: ChannelUser, draft: Draft) -> Posted:
        """Post a request or offer: to the group, or privately held when the text is heavy."""
        category = self.taxonomy.get(draft.category)
        text = self.clean(draft.text)
        now = self._clock.now()
        async with self._db.write() as tx:
            me = await actor(tx, user)
            await _within_daily_limit(tx, me, now)
            sensitivity = self.assess(text, me.resident.language)
            # Heavy texts are never posted; a doubtful one only after the resident said it
            # is for the neighbours (the handler asks first; this is the domain's net).
            hold = sensitivity.flagged or (sensitivity.uncertain and not draft.checked)
            status = RequestStatus.HELD if hold else RequestStatus.OPEN
            request = await tx.exchange.add_request(
                street_id=me.street.id,
                resident_id=me.resident.id,
                kind=draft.kind,
                category=category.id,
                text=text,
                when=draft.when,
                when_date=draft.when_date if draft.when is When.DATE else None,
                show_name=draft.show_name,
                status=status,
                language=me.resident.language,
                sensitivity=sensitivity.level.value if hold else None,
                now=now,
            )
            await audit(
                tx,
                now,
                "exchange.request_posted",
                "request",
                request.id,
                actor_resident_id=me.resident.id,
                kind=draft.kind.value,
                held=hold,
                level=sensitivity.level.value,
                theme=sensitivity.theme.value if sensitivity.theme else None,
            )
            if hold:
                # Route 2 of escalation: never posted; a professional is offered privately,
                # prefilled with theme and text (one consent path, escalation's own).
                offer = await record_offer(
                    tx,
                    now,
                    me.resident.id,
                    CaseSource(
                        kind=SourceKind.REQUEST,
                        ref_id=request.id,
                        street_id=me.street.id,
                        prefilled_theme=sensitivity.theme,
                        prefilled_text=text,
                    ),
                    language=me.resident.language,
                    notify=False,
                )
                hood = await tx.neighbourhoods.get(me.street.neighbourhood_id)
                return Posted(
                    request=request,
                    sensitivity=sensitivity,
                    offer=offer,
                    neighbourhood_name=hood.name if hood else "",
                )
            await tx.outbox.enqueue(
                Recipient.street(me.street.id),
                PlacePost(ref=request_ref(request.id)),
                key=f"exchange:post:{request.id}",
                now=now,
            )
            notified = 0
            if draft.kind is RequestKind.ASK:
                notified = await self._notify_matches(tx, request, me)
            return Posted(request=request, sensitivity=sensitivity, notified=notified)

    async def _notify_matches(self, tx: Transaction, request: Request, me: Actor) -> int:
        """Tell up to five fitting register entries privately (one message per person)."""
        streets = [
            s for s in await tx.streets.in_neighbourhood(me.street.neighbourhood_id) if s.active
        ]
        ranked: list[tuple[tuple[int, float, int], int]] = []
        for entry in await tx.exchange.active_entries_in([s.id for s in streets]):
            if entry.resident_id == me.resident.id:
                continue
            similarity = text_similarity(request.text, entry.text)
            same_category = entry.category == request.category
            if not same_category and similarity < 0.5:
                continue
            relevance = similarity + (1.0 if same_category else 0.0)
            same_street = entry.street_id == request.street_id
            ranked.append(((0 if same_street else 1, -relevance, entry.id), entry.resident_id))
        ranked.sort()
        told: set[int] = set()
        now = self._clock.now()
        for _, resident_id in ranked:
            if len(told) >= MAX_MATCH_NOTIFICATIONS:
                break
            if resident_id in told:
                continue
            if not await may_take_part(tx, resident_id, request.street_id):
                continue
            told.add(resident_id)
            # The private copy is a placed post too, so it is redrawn (no stale button).
            await tx.outbox.enqueue(
                Recipient.resident(resident_id),
                PlacePost(ref=request_ref(request.id)),
                key=f"exchange:match:{request.id}:{resident_id}",
                now=now,
            )
        return len(told)

    async def view(self, request_id: int) -> RequestView | None:
        """A request with its owner's name and street (renderers; None when gone)."""
        async with self._db.read() as tx:
            return await _view(tx, request_id)

    async def own(self, user: ChannelUser, request_id: int) -> RequestView:
        """One of the resident's own requests."""
        async with self._db.read() as tx:
            request = await _own_request(tx, user, request_id)
            found = await _view(tx, request.id)
            assert found is not None
            return found

    async def mine(self, user: ChannelUser) -> Sequence[Request]:
        """The resident's requests and offers that are not finished."""
        async with self._db.read() as tx:
            me = await actor(tx, user)
            return await tx.exchange.requests_of(me.resident.id, OPEN_STATES)

    async def open_in_street(self, street_id: int) -> Sequence[Request]:
        """Open (posted, unmatched) requests and offers of a street (digest hook)."""
        async with self._db.read() as tx:
            return await tx.exchange.requests_in(street_id, (RequestStatus.OPEN,))

    # Helping ---------------------------------------------------------------------

    async def help(self, user: ChannelUser, request_id: int) -> Conversation:
        """ "Ik help" on a request, or "Interesse" on an offer: start a relayed conversation."""
        now = self._clock.now()
        async with self._db.write() as tx:
            request = await tx.exchange.get_request(request_id)
            if request is None or request.status is RequestStatus.HELD:
                raise NotFound()
            me = await actor(tx, user, request.street_id)
            if me.resident.id == request.resident_id:
                raise OwnRequest()
            if request.status.final:
                raise RequestClosed()
            if me.resident.chat is None or not me.resident.active:
                raise SelfUnreachable()
            active = await tx.exchange.conversations_for_request(request.id)
            if any(me.resident.id in (c.giver_id, c.receiver_id) for c in active):
                existing = next(c for c in active if me.resident.id in (c.giver_id, c.receiver_id))
                await tx.exchange.set_focus(me.resident.id, existing.id, now)
                return existing
            if request.status is RequestStatus.MATCHED and request.kind is RequestKind.ASK:
                raise AlreadyMatched()
            if request.kind is RequestKind.OFFER and len(active) >= MAX_OFFER_TAKERS:
                raise OfferFull()
            new_status = transition(request.status, RequestEvent.MATCH, request.kind)
            if not await tx.exchange.move_request(
                request.id,
                request.status,
                new_status,
                updated_at=now,
                matched_at=request.matched_at or now,
            ):
                raise AlreadyMatched()
            if not await may_take_part(tx, request.resident_id, request.street_id):
                raise RequestClosed()
            giver, receiver = (
                (me.resident.id, request.resident_id)
                if request.kind is RequestKind.ASK
                else (request.resident_id, me.resident.id)
            )
            await _refresh(tx, request, now)
            conversation = await start_conversation(
                tx,
                now,
                starter_id=me.resident.id,
                request_id=request.id,
                giver_id=giver,
                receiver_id=receiver,
            )
            await audit(
                tx,
                now,
                "exchange.request_matched",
                "request",
                request.id,
                actor_resident_id=me.resident.id,
                conversation=conversation.id,
            )
            return conversation

    async def cancel(self, user: ChannelUser, request_id: int) -> Request:
        """ "Niet meer nodig": the owner withdraws a request or offer."""
        now = self._clock.now()
        async with self._db.write() as tx:
            request = await _own_request(tx, user, request_id)
            await _move(tx, request, RequestEvent.CANCEL, closed_at=now, updated_at=now)
            for conversation in await tx.exchange.conversations_for_request(request.id):
                await tx.exchange.update_conversation(
                    conversation.id, status="ended", ended_at=now, ended_by=request.resident_id
                )
                other = conversation.other(request.resident_id)
                await tx.outbox.enqueue(
                    Recipient.resident(other),
                    ConversationEnded(conversation_id=conversation.id, reason="cancelled"),
                    key=f"exchange:ended:{conversation.id}:{other}",
                    now=now,
                )
            return await _closed_by_owner(tx, request, "exchange.request_cancelled", now)

    async def done(self, user: ChannelUser, request_id: int) -> Request:
        """The owner marks the request (or offer) done: thank-you and feedback follow."""
        now = self._clock.now()
        async with self._db.write() as tx:
            request = await _own_request(tx, user, request_id)
            conversations = await tx.exchange.conversations_for_request(request.id)
            await _move(tx, request, RequestEvent.DONE, closed_at=now, updated_at=now)
            for conversation in conversations:
                if conversation.helped_at is None:
                    await tx.exchange.update_conversation(conversation.id, helped_at=now)
                    await after_help(tx, conversation, request.street_id, now)
            return await _closed_by_owner(tx, request, "exchange.request_done", now)

    async def still_needed(self, user: ChannelUser, request_id: int, needed: bool) -> Request:
        """The answer to "nog nodig?": keep it open for another while, or close it."""
        if not needed:
            return await self.cancel(user, request_id)
        now = self._clock.now()
        async with self._db.write() as tx:
            request = await _own_request(tx, user, request_id)
            if request.status is not RequestStatus.OPEN:
                raise IllegalTransition(request.status, RequestEvent.EXPIRE)
            await tx.exchange.update_request(
                request.id, active_since=now, stale_asked_at=None, updated_at=now
            )
            return await _reread(tx, request.id)

    async def remove(self, request_id: int, *, by_resident_id: int | None = None) -> bool:
        """Moderation takes a request or offer down (see `remove_request`)."""
        async with self._db.write() as tx:
            return await remove_request(tx, request_id, self._clock.now(), by_resident_id)

    # Sweeps ----------------------------------------------------------------------

    async def sweep_stale(self) -> int:
        """Ask "nog nodig?" about requests open for five days."""
        now = self._clock.now()

        async def ask(tx: Transaction, request: Request) -> bool:
            await tx.exchange.update_request(request.id, stale_asked_at=now)
            await tx.outbox.enqueue(
                Recipient.resident(request.resident_id),
                StillNeeded(request_id=request.id),
                key=f"exchange:stale:{request.id}:{int(request.active_since.timestamp())}",
                now=now,
            )
            return True

        due = now - self.timings.stale_after
        return await sweep_due(self._db, lambda tx: tx.exchange.requests_due_stale(due), ask)

    async def sweep_expired(self) -> int:
        """Close requests whose "nog nodig?" stayed unanswered (14 days open in all)."""
        now = self._clock.now()

        async def expire(tx: Transaction, request: Request) -> bool:
            if not await tx.exchange.move_request(
                request.id,
                RequestStatus.OPEN,
                transition(request.status, RequestEvent.EXPIRE, request.kind),
                closed_at=now,
                updated_at=now,
            ):
                return False
            await _refresh(tx, request, now)
            await tx.outbox.enqueue(
                Recipient.resident(request.resident_id),
                RequestExpired(request_id=request.id),
                key=f"exchange:expired:{request.id}",
                now=now,
            )
            await audit(tx, now, "exchange.request_expired", "request", request.id)
            return True

        due = now - (self.timings.expire_after - self.timings.stale_after)
        return await sweep_due(self._db, lambda tx: tx.exchange.requests_due_expiry(due), expire)

    async def sweep_no_helper(self) -> int:
        """Requests open three days without any helper: offer a professional, once each,
        where the text suggests a heavy need.

        Route 4 of escalation: the request is claimed with a conditional update, then
        escalation's offer goes to the requester through the outbox (prefilled with the text).
        A drill nobody lends is not a case for the wijkteam: only a request whose subject
        may need a professional (the taxonomy's `professional`: letters, loneliness) or whose
        text sounds heavy is offered; others are marked and left to "nog nodig?".
        """
        now = self._clock.now()

        async def offer(tx: Transaction, request: Request) -> bool:
            if not await tx.exchange.mark_no_helper(request.id, now):
                return False
            if not self._may_need_a_professional(request):
                return False
            await record_offer(
                tx,
                now,
                request.resident_id,
                CaseSource(
                    kind=SourceKind.NO_HELPER,
                    ref_id=request.id,
                    street_id=request.street_id,
                    prefilled_text=request.text,
                ),
                language=request.language,
            )
            return True

        due = now - self.timings.no_helper_after
        return await sweep_due(
            self._db, lambda tx: tx.exchange.requests_without_helper(due), offer
        )

    def _may_need_a_professional(self, request: Request) -> bool:
        """Whether a request nobody took up is worth offering to the wijkteam (route 4)."""
        try:
            professional = self.taxonomy.get(request.category).professional
        except UnknownCategory:
            professional = False
        sensitivity = assess_sensitivity(request.text, request.language)
        return professional or sensitivity.level is not Level.NONE or sensitivity.theme is not None

    # Escalation: "te zwaar voor buren" ------------------------------------------------

    async def too_heavy(
        self, user: ChannelUser, request_id: int, *, conversation_id: int | None = None
    ) -> TooHeavy:
        """A helper finds a request too heavy for neighbours: check them, describe the request.

        The helper must see the request: its neighbourhood, not their own, an open request
        (not an offer); from a conversation, they must be in it. Escalation's
        `ask_consent_for_too_heavy` then asks the requester; nothing is shared before.
        """
        async with self._db.read() as tx:
            if conversation_id is not None:
                resident = await tx.residents.by_external(user.channel, user.external_id)
                conversation = await tx.exchange.get_conversation(conversation_id)
                if resident is None or conversation is None or conversation.request_id is None:
                    raise NotFound()
                conversation.role_of(resident.id)
                request_id = conversation.request_id
            request = await tx.exchange.get_request(request_id)
            if request is None or request.status is RequestStatus.HELD:
                raise NotFound()
            me = await actor(tx, user)
            street = await tx.streets.get(request.street_id)
            if street is None or street.neighbourhood_id != me.street.neighbourhood_id:
                raise NotAllowed()
            if me.resident.id == request.resident_id:
                raise OwnRequest()
            if request.kind is not RequestKind.ASK:
                raise NotAllowed()
            if request.status.final:
                raise RequestClosed()
            return TooHeavy(
                requester_id=request.resident_id,
                source=CaseSource(
                    kind=SourceKind.REQUEST,
                    ref_id=request.id,
                    street_id=request.street_id,
                    prefilled_text=request.text,
                ),
            )


async def remove_request(
    tx: Transaction, request_id: int, now: datetime, by_resident_id: int | None = None
) -> bool:
    """Take a request or offer down inside the caller's transaction (moderation's hook).

    The request is cancelled, its conversations end (both sides are told), and every placed
    card is removed. False when it had finished already.
    """
    request = await tx.exchange.get_request(request_id)
    if request is None or request.status.final:
        return False
    await _move(tx, request, RequestEvent.CANCEL, closed_at=now, updated_at=now)
    for conversation in await tx.exchange.conversations_for_request(request.id):
        await tx.exchange.update_conversation(
            conversation.id, status="ended", ended_at=now, ended_by=by_resident_id
        )
        for rid in (conversation.giver_id, conversation.receiver_id):
            await tx.outbox.enqueue(
                Recipient.resident(rid),
                ConversationEnded(conversation_id=conversation.id, reason="stopped"),
                key=f"exchange:ended:{conversation.id}:{rid}",
                now=now,
            )
    await tx.outbox.enqueue(
        Recipient.street(request.street_id),
        RemovePosts(ref=request_ref(request.id)),
        key=f"exchange:removed:{request.id}",
        now=now,
    )
    await audit(
        tx,
        now,
        "exchange.request_removed",
        "request",
        request.id,
        actor_resident_id=by_resident_id,
    )
    return True


async def _within_daily_limit(tx: Transaction, me: Actor, now: datetime) -> None:
    if await tx.exchange.count_requests_since(me.resident.id, now - DAY) >= MAX_REQUESTS_PER_DAY:
        raise TooManyRequests(limit=MAX_REQUESTS_PER_DAY)


async def _own_request(tx: Transaction, user: ChannelUser, request_id: int) -> Request:
    resident = await tx.residents.by_external(user.channel, user.external_id)
    request = await tx.exchange.get_request(request_id)
    if resident is None or request is None:
        raise NotFound()
    if request.resident_id != resident.id:
        raise NotAllowed()
    return request


async def _move(tx: Transaction, request: Request, event: RequestEvent, **fields: object) -> None:
    new = transition(request.status, event, request.kind)
    if not await tx.exchange.move_request(request.id, request.status, new, **fields):
        raise IllegalTransition(request.status, event)


async def _refresh(tx: Transaction, request: Request, now: datetime) -> None:
    """Redraw every card of the request (group post and private suggestions)."""
    await tx.outbox.enqueue(
        Recipient.street(request.street_id), RefreshPosts(ref=request_ref(request.id)), now=now
    )


async def _closed_by_owner(
    tx: Transaction, request: Request, action: str, now: datetime
) -> Request:
    """The owner closed a request: its cards are redrawn, the step audited; as it is now."""
    await _refresh(tx, request, now)
    await audit(tx, now, action, "request", request.id, actor_resident_id=request.resident_id)
    return await _reread(tx, request.id)


async def _reread(tx: Transaction, request_id: int) -> Request:
    """A request just changed in this transaction, as it is now."""
    request = await tx.exchange.get_request(request_id)
    assert request is not None
    return request


async def _view(tx: Transaction, request_id: int) -> RequestView | None:
    request = await tx.exchange.get_request(request_id)
    if request is None:
        return None
    owner = await tx.residents.get(request.resident_id)
    street = await tx.streets.get(request.street_id)
    if owner is None or street is None:
        return None
    takers = len(await tx.exchange.conversations_for_request(request.id, active_only=False))
    membership = await tx.memberships.get(request.resident_id, request.street_id)
    return RequestView(
        request=request,
        owner_name=owner.display_name,
        street=street,
        takers=takers,
        owner_blocked=membership is not None and membership.blocked,
    )
