"""The help exchange's share of a person's data: entries, requests and offers, help given
and received, thank-yous, feedback answers, escalation answers, invitations.

Erasure keeps every row that the impact report and the reciprocity counts of *other*
people use (requests with their status and times, conversations with `helped_at`,
feedback answers, thank-you rows), pointing to the anonymised resident. What goes: the
texts, the contact handles, the current-conversation pointer and the invitation state.
Open requests are cancelled and every card of the person's requests is taken down (also
old ones: they show the name and text); running conversations end and the other side is
told kindly.
"""

from __future__ import annotations

from datetime import datetime

from models.core import Language, Resident
from models.exchange.model import (
    Conversation,
    ConversationStatus,
    RegisterEntry,
    Request,
    RequestEvent,
    RequestKind,
    RequestStatus,
    Role,
    transition,
)
from models.exchange.notifications import request_ref, thanks_ref
from models.exchange.taxonomy import Taxonomy, UnknownCategory
from models.notifications import Recipient, RefreshPosts
from models.personal_data.notices import PartnerLeft
from models.ports import Transaction
from models.privacy import Record, take_down

OPEN = (RequestStatus.HELD, RequestStatus.OPEN, RequestStatus.MATCHED)
EVERY = tuple(RequestStatus)
ITEMS = (
    "entry",
    "request",
    "offer",
    "help_given",
    "help_received",
    "conversation",
    "thanks_written",
    "thanks_received",
    "feedback",
    "invites",
)


class ExchangeData:
    """PersonalDataProvider of the help exchange."""

    name = "exchange"

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._taxonomy = taxonomy

    def _label(self, category: str, language: Language) -> str:
        try:
            return self._taxonomy.get(category).label(language)
        except UnknownCategory:
            return category

    # Export --------------------------------------------------------------------------

    async def export(self, tx: Transaction, resident: Resident) -> list[Record]:
        """Everything the exchange keeps about the person, oldest first per kind."""
        me, lang = resident.id, resident.language
        records: list[Record] = []
        for entry_id in await tx.personal_data.entry_ids(me):
            entry = await tx.exchange.get_entry(entry_id)
            if entry is not None:
                records.append(self._entry(entry, lang))
        records.extend(
            self._request(request, lang)
            for request in reversed(await tx.exchange.requests_of(me, EVERY))
        )
        records.extend(
            [
                await self._conversation(tx, conversation, me, lang)
                for conversation in await tx.exchange.conversations_of(me, active_only=False)
            ]
        )
        for thanks_id in await tx.personal_data.thanks_ids(me):
            thanks = await tx.exchange.get_thanks(thanks_id)
            if thanks is None:
                continue
            mine = thanks.from_id == me
            other = await tx.residents.get(thanks.to_id if mine else thanks.from_id)
            records.append(
                {
                    "what": "thanks_written" if mine else "thanks_received",
                    "name": _name(other),
                    "text": thanks.text,
                    "public": thanks.public,
                    "created_at": thanks.created_at,
                }
            )
        for conversation_id in await tx.personal_data.feedback_conversations(me):
            feedback = await tx.exchange.get_feedback(conversation_id, me)
            if feedback is None or feedback.answered_at is None:
                continue
            records.append(
                {
                    "what": "feedback",
                    "helped": feedback.helped.value if feedback.helped else None,
                    "knew_before": feedback.knew_before,
                    "answered_at": feedback.answered_at,
                }
            )
        invites = await tx.exchange.invite_state(me)
        if invites is not None and invites.invites:
            records.append(
                {
                    "what": "invites",
                    "count": invites.invites,
                    "last_invited_at": invites.last_invited_at,
                    "stopped": invites.opted_out_at is not None,
                }
            )
        return records

    def _entry(self, entry: RegisterEntry, lang: Language) -> Record:
        state = "removed" if entry.removed_at else "paused" if entry.paused else "active"
        return {
            "what": "entry",
            "category": self._label(entry.category, lang),
            "text": entry.text,
            "availability": entry.availability.value,
            "on_card": bool(entry.on_card),
            "entry_state": state,
            "created_at": entry.created_at,
        }

    def _request(self, request: Request, lang: Language) -> Record:
        return {
            "what": request.kind.value if request.kind is RequestKind.OFFER else "request",
            "category": self._label(request.category, lang),
            "text": request.text,
            "status": request.status.value,
            "show_name": request.show_name,
            "created_at": request.created_at,
            "closed_at": request.closed_at,
        }

    async def _conversation(
        self, tx: Transaction, conversation: Conversation, me: int, lang: Language
    ) -> Record:
        """A conversation as the person took part in it: never what the other wrote."""
        role = conversation.role_of(me)
        if conversation.helped_at is not None:
            what = "help_given" if role is Role.GIVER else "help_received"
        else:
            what = "conversation"
        category = ""
        if conversation.request_id is not None:
            request = await tx.exchange.get_request(conversation.request_id)
            category = request.category if request else ""
        elif conversation.entry_id is not None:
            entry = await tx.exchange.get_entry(conversation.entry_id)
            category = entry.category if entry else ""
        other = await tx.residents.get(conversation.other(me))
        own_contact = (
            conversation.giver_contact if role is Role.GIVER else conversation.receiver_contact
        )
        return {
            "what": what,
            "name": _name(other),
            "category": self._label(category, lang) if category else "",
            "role": role.value,
            "conversation_state": conversation.status.value,
            "started_at": conversation.created_at,
            "helped_at": conversation.helped_at,
            "contact_shared": conversation.shares(role),
            "contact": own_contact,
        }

    async def texts(self, tx: Transaction, resident: Resident) -> list[str]:
        """Entries, requests and thank-yous the person wrote."""
        texts: list[str] = []
        for entry_id in await tx.personal_data.entry_ids(resident.id):
            entry = await tx.exchange.get_entry(entry_id)
            if entry is not None:
                texts.append(entry.text)
        texts.extend(r.text for r in await tx.exchange.requests_of(resident.id, EVERY))
        for thanks_id in await tx.personal_data.thanks_ids(resident.id):
            thanks = await tx.exchange.get_thanks(thanks_id)
            if thanks is not None and thanks.from_id == resident.id:
                texts.append(thanks.text)
        return texts

    # Erasure -------------------------------------------------------------------------

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None:
        """Cancel, end, take down; then remove the texts."""
        me = resident.id
        for request in await tx.exchange.requests_of(me, OPEN):
            await tx.exchange.move_request(
                request.id, request.status, RequestStatus.CANCELLED, closed_at=now, updated_at=now
            )
        for conversation in await tx.exchange.conversations_of(me):
            await _end(tx, conversation, me, now)
        for request in await tx.exchange.requests_of(me, EVERY):
            await take_down(tx, request_ref(request.id), now, request.street_id)
        # A public bedankje names both the sender and the helper: it goes for either.
        for thanks_id in await tx.personal_data.thanks_ids(me):
            thanks = await tx.exchange.get_thanks(thanks_id)
            if thanks is not None:
                await take_down(tx, thanks_ref(thanks.id), now, thanks.street_id)
        await tx.personal_data.erase_exchange_texts(me, now)


async def _end(tx: Transaction, conversation: Conversation, me: int, now: datetime) -> None:
    """End a running conversation of the erased person; a request they helped with opens
    again (as when a helper steps back), and the other side is told without a name."""
    await tx.exchange.update_conversation(
        conversation.id, status=ConversationStatus.ENDED.value, ended_at=now, ended_by=me
    )
    other = conversation.other(me)
    category = ""
    reopened = False
    if conversation.request_id is not None:
        request = await tx.exchange.get_request(conversation.request_id)
        if request is not None:
            category = request.category
            reopened = await _reopen(tx, request, conversation, me, now)
    elif conversation.entry_id is not None:
        entry = await tx.exchange.get_entry(conversation.entry_id)
        category = entry.category if entry else ""
    await tx.outbox.enqueue(
        Recipient.resident(other),
        PartnerLeft(conversation_id=conversation.id, category=category, reopened=reopened),
        key=f"privacy:partner-left:{conversation.id}:{other}",
        now=now,
    )


async def _reopen(
    tx: Transaction, request: Request, conversation: Conversation, me: int, now: datetime
) -> bool:
    """A matched request of someone else goes back to open when its last helper leaves."""
    if request.resident_id == me or conversation.helped_at is not None:
        return False
    if request.status is not RequestStatus.MATCHED:
        return False
    if await tx.exchange.conversations_for_request(request.id):
        return False
    new = transition(request.status, RequestEvent.RELEASE, request.kind)
    if not await tx.exchange.move_request(request.id, request.status, new, updated_at=now):
        return False
    await tx.outbox.enqueue(
        Recipient.street(request.street_id), RefreshPosts(ref=request_ref(request.id)), now=now
    )
    return request.kind is RequestKind.ASK


def _name(resident: Resident | None) -> str | None:
    """A first name, or None for someone who was erased."""
    if resident is None or resident.display_name == "-":
        return None
    return resident.display_name
