"""The relay: two neighbours talk through the bot, without usernames or phone numbers.

Each person has a *current* conversation: what they type goes there. Starting or
answering a conversation makes it current; with several, the person chooses with
buttons. Contact details are exchanged only after both sides agreed. The relay never
stores or logs what people write to each other; it only decides where a message goes.
"""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime, timedelta
from typing import Literal

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, ChatRef, Frozen, Language, Resident
from models.errors import NotAllowed, NotFound
from models.escalation.cases import record_offer
from models.escalation.model import CaseSource, Offer, SourceKind
from models.exchange.after import after_help
from models.exchange.common import actor, may_take_part
from models.exchange.model import (
    RELAY_TEXT_MAX,
    Conversation,
    ConversationClosed,
    ConversationStatus,
    DoneProposedAlready,
    EntryUnavailable,
    OwnEntry,
    RegisterEntry,
    RelayTooFast,
    Request,
    RequestEvent,
    RequestStatus,
    Role,
    SelfUnreachable,
    Unreachable,
    transition,
)
from models.exchange.notifications import (
    ContactShareAsked,
    ContactShared,
    ConversationEnded,
    ConversationStarted,
    DoneProposed,
    request_ref,
)
from models.notifications import PostRef, Recipient, RefreshPosts
from models.ports import Database, Transaction
from models.sensitivity import assess_sensitivity
from models.text import clean_text

SUBJECT_MAX = 60
SHORT_SUBJECT = 28  # "over “Wie kan mijn lamp…”" in every relayed message
CAPTION_MAX = 800
CONTACT_MAX = 64
PER_MINUTE = 8
PER_DAY = 150
RELAY_POST = "relay"
CLEAR_FOR = timedelta(hours=12)  # typed text follows a conversation this long after its last use
REOPEN_WITHIN = timedelta(days=14)  # "nog iets zeggen" after the help was done


def relay_ref(conversation_id: int, sender_role: Role) -> PostRef:
    """The post reference of a relayed message: the conversation and the sender's side.

    Recorded for every message the bot delivers in a conversation, so `/melden` as a reply
    finds it and moderation knows who wrote it; the content itself is never stored.
    """
    return PostRef(ref_kind=f"{RELAY_POST}.{sender_role.value}", ref_id=conversation_id)


class SlidingWindow:
    """At most `limit` events per key in a moving window of time, on the injected clock.

    In memory on purpose: it guards against a flood, it is not a record (a restart
    forgets it), and it keeps the relayed messages themselves out of storage.
    """

    def __init__(self, limit: int, window: timedelta) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[int, deque[datetime]] = defaultdict(deque)

    def allow(self, key: int, now: datetime) -> bool:
        """Count one event; False (and not counted) when over the limit."""
        events = self._events[key]
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True


class ConversationView(Frozen):
    """A conversation as one of its two people sees it."""

    conversation: Conversation
    me_id: int
    role: Role
    other_id: int
    other_name: str
    subject: str
    request: Request | None = None
    entry: RegisterEntry | None = None
    current: bool = False

    @property
    def id(self) -> int:
        """The conversation id."""
        return self.conversation.id

    @property
    def short_subject(self) -> str:
        """The subject in a few words, for what is repeated with every relayed message."""
        if len(self.subject) <= SHORT_SUBJECT:
            return self.subject
        words = self.subject[: SHORT_SUBJECT + 1].split(" ")
        cut = " ".join(words[:-1]) if len(words) > 1 else words[0][:SHORT_SUBJECT]
        return cut.rstrip(" ,.;:-\u2013") + "…"

    @property
    def owns_request(self) -> bool:
        """Whether this person posted the request or offer the conversation is about."""
        return self.request is not None and self.request.resident_id == self.me_id


class RelayPlan(Frozen):
    """What to do with a message someone typed in their private chat.

    "held": the text sounds too heavy for neighbours; it is not relayed and escalation's
    offer of a professional (route 2, prefilled) is shown instead. "check": the text is
    doubtful; it is not relayed until the resident says it is for the neighbour.
    """

    action: Literal["none", "choose", "send", "held", "check"]
    options: tuple[ConversationView, ...] = ()
    view: ConversationView | None = None
    sender_name: str = ""
    to_chat: ChatRef | None = None
    to_language: Language = "nl"
    text: str | None = None
    others: int = 0
    reply_button: bool = False
    offer: Offer | None = None
    neighbourhood_name: str = ""


class RelayService:
    """Conversations between neighbours, and where each typed message goes."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._minute = SlidingWindow(PER_MINUTE, timedelta(minutes=1))
        self._day = SlidingWindow(PER_DAY, timedelta(days=1))

    async def start_for_entry(self, user: ChannelUser, entry_id: int) -> Conversation:
        """ "Vraag" on a register entry: a relayed conversation with its owner."""
        now = self._clock.now()
        async with self._db.write() as tx:
            entry = await tx.exchange.get_entry(entry_id)
            if entry is None or not entry.active:
                raise EntryUnavailable()
            entry_street = await tx.streets.get(entry.street_id)
            assert entry_street is not None
            me = await actor(tx, user)
            if me.street.neighbourhood_id != entry_street.neighbourhood_id:
                raise NotAllowed()
            if entry.resident_id == me.resident.id:
                raise OwnEntry()
            if me.resident.chat is None or not me.resident.active:
                raise SelfUnreachable()
            if not await may_take_part(tx, entry.resident_id, entry.street_id):
                raise EntryUnavailable()
            existing = await tx.exchange.find_entry_conversation(entry.id, me.resident.id)
            if existing is not None:
                await tx.exchange.set_focus(me.resident.id, existing.id, now)
                return existing
            conversation = await start_conversation(
                tx,
                now,
                starter_id=me.resident.id,
                entry_id=entry.id,
                giver_id=entry.resident_id,
                receiver_id=me.resident.id,
            )
            await audit(
                tx,
                now,
                "exchange.entry_contacted",
                "entry",
                entry.id,
                actor_resident_id=me.resident.id,
                conversation=conversation.id,
            )
            return conversation

    async def view(self, conversation_id: int, resident_id: int) -> ConversationView | None:
        """A conversation from one side (renderers; None when gone or not theirs)."""
        async with self._db.read() as tx:
            conversation = await tx.exchange.get_conversation(conversation_id)
            if conversation is None or resident_id not in (
                conversation.giver_id,
                conversation.receiver_id,
            ):
                return None
            return await _view(tx, conversation, resident_id)

    async def mine(self, user: ChannelUser) -> list[ConversationView]:
        """The person's active conversations, the current one marked."""
        async with self._db.read() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                return []
            return await _views(tx, resident.id)

    async def open_view(self, user: ChannelUser, conversation_id: int) -> ConversationView:
        """A conversation of the person pressing a button (NotInConversation otherwise)."""
        async with self._db.read() as tx:
            conversation, resident_id = await _mine(tx, user, conversation_id)
            return await _view(tx, conversation, resident_id)

    async def focus(self, user: ChannelUser, conversation_id: int) -> ConversationView:
        """Make a conversation the current one: typed messages go there."""
        now = self._clock.now()
        async with self._db.write() as tx:
            conversation, resident_id = await _mine(tx, user, conversation_id)
            if not conversation.active:
                raise ConversationClosed()
            await tx.exchange.set_focus(resident_id, conversation.id, now)
            view = await _view(tx, conversation, resident_id)
            return view.model_copy(update={"current": True})

    async def plan(
        self, user: ChannelUser, text: str | None, *, caption: bool = False
    ) -> RelayPlan:
        """Where a typed message (or a photo's caption) goes; refusals as DomainErrors."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                return RelayPlan(action="none")
            views = await _views(tx, resident.id)
            if not views:
                return RelayPlan(action="none")
            current = await _clearly_current(tx, resident.id, views, now)
            clean = clean_text(text, max_length=RELAY_TEXT_MAX) if text is not None else None
            held = await _hold_if_heavy(tx, resident, current or views[0], clean, now)
            if held is not None:
                return held
            if current is None:
                return RelayPlan(action="choose", options=tuple(views))
            if not self._minute.allow(resident.id, now) or not self._day.allow(resident.id, now):
                raise RelayTooFast()
            other = await tx.residents.get(current.other_id)
            street_id = _street_id(current)
            reachable = other is not None and other.chat is not None and other.active
            if not reachable or not await may_take_part(tx, current.other_id, street_id):
                await _end(tx, current.conversation, None, now, reason="unreachable")
                raise Unreachable(name=current.other_name)
            assert other is not None
            # Writing keeps the conversation current for the writer; receiving makes it
            # current for the other side when they have no (other) current one.
            await tx.exchange.set_focus(resident.id, current.id, now)
            their_focus = await tx.exchange.get_focus(other.id)
            if (
                their_focus is None
                or their_focus == current.id
                or not any(
                    c.id == their_focus for c in await tx.exchange.conversations_of(other.id)
                )
            ):
                await tx.exchange.set_focus(other.id, current.id, now)
                their_focus = current.id
            return RelayPlan(
                action="send",
                view=current,
                sender_name=resident.display_name,
                to_chat=other.chat,
                to_language=other.language,
                text=clean,
                others=len(views) - 1,
                reply_button=their_focus != current.id,
            )

    async def screen(self, user: ChannelUser, text: str | None) -> RelayPlan:
        """A text typed while a conversation must still be chosen: held when it is heavy."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None or text is None:
                return RelayPlan(action="none")
            views = await _views(tx, resident.id)
            if not views:
                return RelayPlan(action="none")
            current = next((v for v in views if v.current), views[0])
            clean = clean_text(text, max_length=RELAY_TEXT_MAX)
            held = await _hold_if_heavy(tx, resident, current, clean, now)
            return held or RelayPlan(action="none")

    async def delivered(
        self, conversation_id: int, sender_id: int, chat: ChatRef, message_ids: list[int]
    ) -> None:
        """Remember where relayed messages landed (ids only), so they can be reported."""
        now = self._clock.now()
        async with self._db.write() as tx:
            conversation = await tx.exchange.get_conversation(conversation_id)
            if conversation is None:
                return
            ref = relay_ref(conversation.id, conversation.role_of(sender_id))
            for message_id in message_ids:
                await tx.posts.record(ref, chat, message_id, None, now)

    async def undeliverable(self, conversation_id: int, recipient_id: int) -> None:
        """The channel refused a relayed message (the person blocked the bot): stop at once."""
        now = self._clock.now()
        async with self._db.write() as tx:
            conversation = await tx.exchange.get_conversation(conversation_id)
            await tx.residents.set_active(recipient_id, False)
            if conversation is not None and conversation.active:
                await _end(tx, conversation, None, now, reason="unreachable")

    async def share_contact(
        self, user: ChannelUser, conversation_id: int, contact: str | None
    ) -> Conversation:
        """ "Deel mijn contactgegevens": exchanged only once both sides agreed."""
        handle = clean_text(contact, max_length=CONTACT_MAX) if contact else None
        now = self._clock.now()
        async with self._db.write() as tx:
            conversation, resident_id = await _mine(tx, user, conversation_id)
            if not conversation.active:
                raise ConversationClosed()
            role = conversation.role_of(resident_id)
            if conversation.shares(role):
                return conversation
            prefix = role.value
            await tx.exchange.update_conversation(
                conversation.id, **{f"{prefix}_shares": True, f"{prefix}_contact": handle}
            )
            fresh = await tx.exchange.get_conversation(conversation.id)
            assert fresh is not None
            other = conversation.other(resident_id)
            if fresh.contact_shared:
                for rid in (resident_id, other):
                    await tx.outbox.enqueue(
                        Recipient.resident(rid),
                        ContactShared(conversation_id=conversation.id),
                        key=f"exchange:contact:{conversation.id}:{rid}",
                        now=now,
                    )
            else:
                await tx.outbox.enqueue(
                    Recipient.resident(other),
                    ContactShareAsked(conversation_id=conversation.id),
                    key=f"exchange:contact-ask:{conversation.id}:{other}",
                    now=now,
                )
            await audit(
                tx,
                now,
                "exchange.contact_consent",
                "conversation",
                conversation.id,
                actor_resident_id=resident_id,
                both=fresh.contact_shared,
            )
            return fresh

    async def reopen(self, user: ChannelUser, conversation_id: int) -> ConversationView:
        """ "Nog iets zeggen": a conversation closed because the help was done opens again,
        as the current one, for a while after the help (`REOPEN_WITHIN`)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            conversation, resident_id = await _mine(tx, user, conversation_id)
            if not conversation.active:
                done = conversation.helped_at
                street_id = await subject_street(tx, conversation)
                if done is None or now - done > REOPEN_WITHIN or street_id is None:
                    raise ConversationClosed()
                for side in (resident_id, conversation.other(resident_id)):
                    if not await may_take_part(tx, side, street_id):
                        raise ConversationClosed()
                await tx.exchange.update_conversation(
                    conversation.id, status=ConversationStatus.ACTIVE, ended_at=None
                )
                await audit(
                    tx,
                    now,
                    "exchange.conversation_reopened",
                    "conversation",
                    conversation.id,
                    actor_resident_id=resident_id,
                )
            await tx.exchange.set_focus(resident_id, conversation.id, now)
            fresh = await tx.exchange.get_conversation(conversation.id)
            assert fresh is not None
            view = await _view(tx, fresh, resident_id)
            return view.model_copy(update={"current": True})

    async def end(self, user: ChannelUser, conversation_id: int) -> Conversation:
        """Either side ends the conversation; an unfinished request opens again."""
        now = self._clock.now()
        async with self._db.write() as tx:
            conversation, resident_id = await _mine(tx, user, conversation_id)
            if not conversation.active:
                raise ConversationClosed()
            await _end(tx, conversation, resident_id, now, reason="ended")
            fresh = await tx.exchange.get_conversation(conversation.id)
            assert fresh is not None
            return fresh

    async def propose_done(self, user: ChannelUser, conversation_id: int) -> Conversation:
        """The helper asks "klaar?"; the one who posted the request confirms."""
        now = self._clock.now()
        async with self._db.write() as tx:
            conversation, resident_id = await _mine(tx, user, conversation_id)
            view = await _view(tx, conversation, resident_id)
            if not conversation.active or view.request is None:
                raise ConversationClosed()
            if view.owns_request:
                raise NotAllowed()
            if conversation.done_proposed_at is not None:
                raise DoneProposedAlready()
            await tx.exchange.update_conversation(conversation.id, done_proposed_at=now)
            await tx.outbox.enqueue(
                Recipient.resident(view.request.resident_id),
                DoneProposed(conversation_id=conversation.id),
                key=f"exchange:done-proposed:{conversation.id}",
                now=now,
            )
            fresh = await tx.exchange.get_conversation(conversation.id)
            assert fresh is not None
            return fresh

    async def helped(self, user: ChannelUser, conversation_id: int) -> Conversation:
        """ "Gelukt": the asker of a register conversation says the help was given."""
        now = self._clock.now()
        async with self._db.write() as tx:
            conversation, resident_id = await _mine(tx, user, conversation_id)
            if conversation.request_id is not None or conversation.entry_id is None:
                raise NotAllowed()
            if conversation.role_of(resident_id) is not Role.RECEIVER:
                raise NotAllowed()
            if conversation.helped_at is not None:
                return conversation
            entry = await tx.exchange.get_entry(conversation.entry_id)
            if entry is None:
                raise NotFound()
            await tx.exchange.update_conversation(conversation.id, helped_at=now)
            fresh = await tx.exchange.get_conversation(conversation.id)
            assert fresh is not None
            await after_help(tx, fresh, entry.street_id, now)
            return fresh


async def start_conversation(
    tx: Transaction,
    now: datetime,
    *,
    starter_id: int,
    giver_id: int,
    receiver_id: int,
    request_id: int | None = None,
    entry_id: int | None = None,
) -> Conversation:
    """A new relayed conversation about a request or an entry; both sides are told.

    The starter writes in it at once; the other side too if they had no active one.
    """
    conversation = await tx.exchange.add_conversation(
        request_id=request_id,
        entry_id=entry_id,
        giver_id=giver_id,
        receiver_id=receiver_id,
        now=now,
    )
    await tx.exchange.set_focus(starter_id, conversation.id, now)
    other = conversation.other(starter_id)
    current = await tx.exchange.get_focus(other)
    existing = await tx.exchange.get_conversation(current) if current is not None else None
    if existing is None or not existing.active:
        await tx.exchange.set_focus(other, conversation.id, now)
    for resident_id, started in ((starter_id, True), (other, False)):
        await tx.outbox.enqueue(
            Recipient.resident(resident_id),
            ConversationStarted(conversation_id=conversation.id, you_started=started),
            key=f"exchange:started:{conversation.id}:{resident_id}",
            now=now,
        )
    return conversation


async def _hold_if_heavy(
    tx: Transaction,
    resident: Resident,
    view: ConversationView,
    text: str | None,
    now: datetime,
) -> RelayPlan | None:
    """A heavy text is never relayed: offer a professional instead (escalation's route 2).

    A doubtful one waits for the resident's answer ("check"); nothing is recorded for it.
    """
    if not text:
        return None
    sensitivity = assess_sensitivity(text, resident.language)
    if sensitivity.uncertain:
        return RelayPlan(action="check", view=view)
    if not sensitivity.flagged:
        return None
    street_id = _street_id(view)
    offer = await record_offer(
        tx,
        now,
        resident.id,
        CaseSource(
            kind=SourceKind.RELAY,
            ref_id=view.id,
            street_id=street_id,
            prefilled_theme=sensitivity.theme,
            prefilled_text=text,
        ),
        language=resident.language,
        notify=False,
    )
    street = await tx.streets.get(street_id)
    hood = await tx.neighbourhoods.get(street.neighbourhood_id) if street else None
    return RelayPlan(
        action="held", view=view, offer=offer, neighbourhood_name=hood.name if hood else ""
    )


async def stop_conversation(tx: Transaction, conversation: Conversation, now: datetime) -> None:
    """End a conversation on moderation's behalf (a block, a removed message); both are told."""
    if conversation.active:
        await _end(tx, conversation, None, now, reason="stopped")


async def subject_street(tx: Transaction, conversation: Conversation) -> int | None:
    """The street a conversation is about (its request's or its register entry's)."""
    if conversation.request_id is not None:
        request = await tx.exchange.get_request(conversation.request_id)
        return request.street_id if request else None
    if conversation.entry_id is not None:
        entry = await tx.exchange.get_entry(conversation.entry_id)
        return entry.street_id if entry else None
    return None


async def _end(
    tx: Transaction,
    conversation: Conversation,
    by: int | None,
    now: datetime,
    *,
    reason: Literal["ended", "unreachable", "stopped"],
) -> None:
    await tx.exchange.update_conversation(
        conversation.id, status="ended", ended_at=now, ended_by=by
    )
    for rid in (conversation.giver_id, conversation.receiver_id):
        if rid == by or reason == "unreachable":
            # Whoever ended it knows; an unreachable side is told in the moment by the
            # handler that found out (the other side cannot be reached at all).
            continue
        await tx.outbox.enqueue(
            Recipient.resident(rid),
            ConversationEnded(conversation_id=conversation.id, reason=reason),
            key=f"exchange:ended:{conversation.id}:{rid}",
            now=now,
        )
    if conversation.request_id is not None and conversation.helped_at is None:
        request = await tx.exchange.get_request(conversation.request_id)
        others = await tx.exchange.conversations_for_request(conversation.request_id)
        if request is not None and request.status is RequestStatus.MATCHED and not others:
            new = transition(request.status, RequestEvent.RELEASE, request.kind)
            if await tx.exchange.move_request(request.id, request.status, new, updated_at=now):
                await tx.outbox.enqueue(
                    Recipient.street(request.street_id),
                    RefreshPosts(ref=request_ref(request.id)),
                    now=now,
                )
    await audit(
        tx,
        now,
        "exchange.conversation_ended",
        "conversation",
        conversation.id,
        actor_resident_id=by,
        reason=reason,
    )


async def _mine(
    tx: Transaction, user: ChannelUser, conversation_id: int
) -> tuple[Conversation, int]:
    resident = await tx.residents.by_external(user.channel, user.external_id)
    conversation = await tx.exchange.get_conversation(conversation_id)
    if resident is None or conversation is None:
        raise NotFound()
    conversation.role_of(resident.id)
    return conversation, resident.id


async def _clearly_current(
    tx: Transaction, resident_id: int, views: list[ConversationView], now: datetime
) -> ConversationView | None:
    """The conversation typed text clearly goes to, or None: then the person is asked.

    Clear is a conversation chosen, written in or answered within `CLEAR_FOR`, or the
    only one when it was just started. Text is never forwarded on an old guess: a
    neighbour typing "nog een vraag" the next morning may mean someone else entirely."""
    current = next((v for v in views if v.current), None)
    if current is not None:
        since = await tx.exchange.focused_at(resident_id)
        return current if since is not None and now - since <= CLEAR_FOR else None
    if len(views) == 1 and now - views[0].conversation.created_at <= CLEAR_FOR:
        await tx.exchange.set_focus(resident_id, views[0].id, now)
        return views[0]
    return None


async def _views(tx: Transaction, resident_id: int) -> list[ConversationView]:
    focus = await tx.exchange.get_focus(resident_id)
    views = []
    for conversation in await tx.exchange.conversations_of(resident_id):
        view = await _view(tx, conversation, resident_id)
        views.append(view.model_copy(update={"current": conversation.id == focus}))
    return views


async def _view(tx: Transaction, conversation: Conversation, resident_id: int) -> ConversationView:
    other_id = conversation.other(resident_id)
    other = await tx.residents.get(other_id)
    request = (
        await tx.exchange.get_request(conversation.request_id)
        if conversation.request_id is not None
        else None
    )
    entry = (
        await tx.exchange.get_entry(conversation.entry_id)
        if conversation.entry_id is not None
        else None
    )
    text = request.text if request else entry.text if entry else ""
    subject = text if len(text) <= SUBJECT_MAX else text[: SUBJECT_MAX - 1].rstrip() + "…"
    return ConversationView(
        conversation=conversation,
        me_id=resident_id,
        role=conversation.role_of(resident_id),
        other_id=other_id,
        other_name=other.display_name if other else "?",
        subject=subject.replace("\n", " "),
        request=request,
        entry=entry,
    )


def _street_id(view: ConversationView) -> int:
    if view.request is not None:
        return view.request.street_id
    assert view.entry is not None
    return view.entry.street_id
