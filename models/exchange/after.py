"""After the help: thank-yous, two feedback questions, and private reciprocity nudges."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from models.audit import audit
from models.clock import Clock
from models.core import ChannelUser, Frozen
from models.errors import NotAllowed, NotFound
from models.exchange.model import (
    THANKS_TEXT_MAX,
    Conversation,
    ConversationStatus,
    Feedback,
    HelpfulAnswer,
    Reciprocity,
    RequestKind,
    RideFeedback,
    Role,
    ThankYou,
)
from models.exchange.notifications import (
    FeedbackAsk,
    HelpDone,
    ReciprocityNudge,
    RideFeedbackAsk,
    ThankYouReceived,
    thanks_ref,
)
from models.notifications import PlacePost, Recipient
from models.ports import Database, Transaction
from models.rides.model import Ride
from models.rides.ports import FeedbackDue
from models.sensitivity import assess_sensitivity, require_for_neighbours
from models.text import clean_text

RECEIVED_BEFORE_INVITE = 3
GIVEN_BEFORE_ASK_TOO = 5


class AlreadyThanked(NotAllowed):
    """A conversation gets one thank-you."""

    message_key = "exchange.errors.already_thanked"


class NotHelpedYet(NotAllowed):
    """Thanks and feedback come after the help is done."""

    message_key = "exchange.errors.not_done"


class FeedbackSummary(Frozen):
    """Feedback answers counted for an impact report (no names, no texts).

    Answers after help between neighbours and after grocery rides are counted together;
    `rides` says how many of the answers were about a ride.
    """

    answers: int
    helped: dict[str, int]
    knew_before: int
    new_connections: int
    rides: int = 0


class NoRideFeedback(NotAllowed):
    """A feedback button about a ride this person was not asked about."""

    message_key = "exchange.errors.not_your_ride"


async def after_help(
    tx: Transaction, conversation: Conversation, street_id: int, now: datetime
) -> None:
    """In the transaction that marked help done: thanks, feedback questions, nudges.

    The conversation closes: typed text no longer goes to the neighbour (issue 15). Either
    side can open it again for a while ("💬 Nog iets zeggen", `RelayService.reopen`)."""
    await tx.exchange.update_conversation(
        conversation.id, status=ConversationStatus.ENDED, ended_at=now
    )
    for resident_id in (conversation.receiver_id, conversation.giver_id):
        if await tx.exchange.get_focus(resident_id) == conversation.id:
            await tx.exchange.set_focus(resident_id, None, now)
    for role, resident_id in (
        (Role.RECEIVER, conversation.receiver_id),
        (Role.GIVER, conversation.giver_id),
    ):
        await tx.outbox.enqueue(
            Recipient.resident(resident_id),
            HelpDone(conversation_id=conversation.id, role=role),
            key=f"exchange:done:{conversation.id}:{resident_id}",
            now=now,
        )
        if await tx.exchange.ensure_feedback(
            Feedback(conversation_id=conversation.id, resident_id=resident_id, role=role)
        ):
            await tx.outbox.enqueue(
                Recipient.resident(resident_id),
                FeedbackAsk(conversation_id=conversation.id),
                key=f"exchange:feedback:{conversation.id}:{resident_id}",
                now=now,
            )
    await _nudge(tx, conversation.receiver_id, now)
    await _nudge(tx, conversation.giver_id, now)
    await audit(tx, now, "exchange.helped", "conversation", conversation.id, street=street_id)


async def ask_after_ride(tx: Transaction, due: FeedbackDue, ride: Ride, now: datetime) -> None:
    """The rides hook: ask a passenger who went along the two feedback questions.

    Runs inside the rides sweep's transaction, once per passenger. Neighbours without
    Telegram (proxies) are not asked, and neither is their coordinator: the questions
    are about one's own experience ("did it help you, did you know each other"), and a
    coordinator's guess would count in the impact report as if the neighbour had said it.
    """
    passenger = await tx.residents.get(due.resident_id)
    if passenger is None or passenger.is_proxy or not passenger.active:
        return
    if passenger.chat is None:
        return
    street_id = await _ride_street(tx, passenger.id, ride)
    if street_id is None:
        return
    created = await tx.exchange.add_ride_feedback(
        RideFeedback(ride_id=ride.id, resident_id=passenger.id, street_id=street_id, asked_at=now)
    )
    if created:
        await tx.outbox.enqueue(
            Recipient.resident(passenger.id),
            RideFeedbackAsk(ride_id=ride.id),
            key=f"exchange:ride-feedback:{ride.id}:{passenger.id}",
            now=now,
        )


async def _ride_street(tx: Transaction, resident_id: int, ride: Ride) -> int | None:
    """The passenger's street the ride was posted to (else one in the ride's wijk)."""
    memberships = [m for m in await tx.memberships.of_resident(resident_id) if not m.blocked]
    for street_id in ride.street_ids:
        if any(m.street_id == street_id for m in memberships):
            return street_id
    for membership in memberships:
        street = await tx.streets.get(membership.street_id)
        if street is not None and street.neighbourhood_id == ride.neighbourhood_id:
            return street.id
    return None


async def _nudge(tx: Transaction, resident_id: int, now: datetime) -> None:
    """Privately: often helped and nothing offered → add one; only giving → asking is fine."""
    given, received = await tx.exchange.helped_counts(resident_id)
    entries = [e for e in await tx.exchange.entries_of(resident_id) if e.active]
    if received >= RECEIVED_BEFORE_INVITE and not entries:
        await tx.outbox.enqueue(
            Recipient.resident(resident_id),
            ReciprocityNudge(nudge="add_offer"),
            key=f"exchange:nudge:add_offer:{resident_id}",
            now=now,
        )
    if (
        given >= GIVEN_BEFORE_ASK_TOO
        and received == 0
        and await tx.exchange.count_requests_since(resident_id, None, kind=RequestKind.ASK) == 0
    ):
        await tx.outbox.enqueue(
            Recipient.resident(resident_id),
            ReciprocityNudge(nudge="ask_too"),
            key=f"exchange:nudge:ask_too:{resident_id}",
            now=now,
        )


class AfterService:
    """Thank-yous, feedback and reciprocity."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def thank(
        self,
        user: ChannelUser,
        conversation_id: int,
        text: str,
        *,
        public: bool,
        checked: bool = False,
    ) -> ThankYou:
        """The one who was helped sends a bedankje; in the group only when they chose so.

        It reaches a neighbour (and maybe the group), so it is screened like a request.
        """
        clean = clean_text(text, max_length=THANKS_TEXT_MAX)
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            conversation = await tx.exchange.get_conversation(conversation_id)
            if resident is None or conversation is None:
                raise NotFound()
            require_for_neighbours(assess_sensitivity(clean, resident.language), checked=checked)
            if conversation.role_of(resident.id) is not Role.RECEIVER:
                raise NotAllowed()
            if conversation.helped_at is None:
                raise NotHelpedYet()
            if await tx.exchange.thanks_for(conversation.id) is not None:
                raise AlreadyThanked()
            street_id = await _street_of(tx, conversation)
            thanks = await tx.exchange.add_thanks(
                conversation_id=conversation.id,
                request_id=conversation.request_id,
                street_id=street_id,
                from_id=resident.id,
                to_id=conversation.giver_id,
                text=clean,
                public=public,
                now=now,
            )
            await tx.outbox.enqueue(
                Recipient.resident(conversation.giver_id),
                ThankYouReceived(thanks_id=thanks.id),
                key=f"exchange:thanks-private:{thanks.id}",
                now=now,
            )
            if public:
                await tx.outbox.enqueue(
                    Recipient.street(street_id),
                    PlacePost(ref=thanks_ref(thanks.id)),
                    key=f"exchange:thanks-public:{thanks.id}",
                    now=now,
                )
            await audit(
                tx,
                now,
                "exchange.thanked",
                "conversation",
                conversation.id,
                actor_resident_id=resident.id,
                public=public,
            )
            return thanks

    async def thanks(self, thanks_id: int) -> ThankYou | None:
        """A thank-you by id (renderers)."""
        async with self._db.read() as tx:
            return await tx.exchange.get_thanks(thanks_id)

    async def public_thanks(self, street_id: int, since: datetime) -> Sequence[ThankYou]:
        """Thank-yous their senders chose to show, since a moment (digest hook)."""
        async with self._db.read() as tx:
            return await tx.exchange.public_thanks(street_id, since)

    async def answer(
        self,
        user: ChannelUser,
        conversation_id: int,
        *,
        helped: HelpfulAnswer | None = None,
        knew_before: bool | None = None,
    ) -> Feedback:
        """Store one feedback answer (asked with buttons; answering again overwrites)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            conversation = await tx.exchange.get_conversation(conversation_id)
            if resident is None or conversation is None:
                raise NotFound()
            role = conversation.role_of(resident.id)
            if conversation.helped_at is None:
                raise NotHelpedYet()
            await tx.exchange.ensure_feedback(
                Feedback(conversation_id=conversation.id, resident_id=resident.id, role=role)
            )
            await tx.exchange.answer_feedback(
                conversation.id, resident.id, now, **_answers(helped, knew_before)
            )
            feedback = await tx.exchange.get_feedback(conversation.id, resident.id)
            assert feedback is not None
            return feedback

    async def answer_ride(
        self,
        user: ChannelUser,
        ride_id: int,
        *,
        helped: HelpfulAnswer | None = None,
        knew_before: bool | None = None,
    ) -> RideFeedback:
        """Store one answer about a ride (only from a passenger who was asked)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await tx.residents.by_external(user.channel, user.external_id)
            if resident is None:
                raise NotFound()
            if await tx.exchange.get_ride_feedback(ride_id, resident.id) is None:
                raise NoRideFeedback()
            await tx.exchange.answer_ride_feedback(
                ride_id, resident.id, now, **_answers(helped, knew_before)
            )
            feedback = await tx.exchange.get_ride_feedback(ride_id, resident.id)
            assert feedback is not None
            return feedback

    async def ride_feedback(self, ride_id: int, resident_id: int) -> RideFeedback | None:
        """A passenger's feedback row about a ride (renderers)."""
        async with self._db.read() as tx:
            return await tx.exchange.get_ride_feedback(ride_id, resident_id)

    async def reciprocity(self, resident_id: int) -> Reciprocity:
        """How often a resident helped and was helped (for their own eyes only)."""
        async with self._db.read() as tx:
            given, received = await tx.exchange.helped_counts(resident_id)
            entries = [e for e in await tx.exchange.entries_of(resident_id) if e.active]
            asked = await tx.exchange.count_requests_since(resident_id, None, kind=RequestKind.ASK)
            return Reciprocity(
                given=given, received=received, entries=len(entries), requests=asked
            )

    async def feedback_summary(
        self, street_ids: Sequence[int], since: datetime, until: datetime
    ) -> FeedbackSummary:
        """Counted answers for the impact report of some streets in a period."""
        async with self._db.read() as tx:
            help_rows = await tx.exchange.feedback_between(street_ids, since, until)
            ride_rows = await tx.exchange.ride_feedback_between(street_ids, since, until)
        rows: list[Feedback | RideFeedback] = [*help_rows, *ride_rows]
        helped = Counter(f.helped.value for f in rows if f.helped is not None)
        knew = sum(1 for f in rows if f.knew_before is True)
        new = sum(1 for f in rows if f.knew_before is False)
        return FeedbackSummary(
            answers=sum(1 for f in rows if f.answered_at is not None),
            helped=dict(helped),
            knew_before=knew,
            new_connections=new,
            rides=sum(1 for f in ride_rows if f.answered_at is not None),
        )


async def _street_of(tx: Transaction, conversation: Conversation) -> int:
    if conversation.request_id is not None:
        request = await tx.exchange.get_request(conversation.request_id)
        if request is not None:
            return request.street_id
    if conversation.entry_id is not None:
        entry = await tx.exchange.get_entry(conversation.entry_id)
        if entry is not None:
            return entry.street_id
    raise NotFound()


def _answers(helped: HelpfulAnswer | None, knew_before: bool | None) -> dict[str, object]:
    """The feedback answers given this time (an answer left out keeps its stored value)."""
    answers: dict[str, object] = {}
    if helped is not None:
        answers["helped"] = helped
    if knew_before is not None:
        answers["knew_before"] = knew_before
    return answers
