"""What moderation (issue 6) needs from the exchange: owners, removal, blocks.

Registered in `bot.wiring` on `services.moderation.hooks`. Every function runs inside the
moderation transaction, so the report, the object and the outbox change together.

- A request or offer card (`PostRef("request", id)`): its owner; removing it cancels the
  request, ends its conversations and takes every card down (`requests.remove_request`).
- A public bedankje (`PostRef("thanks", id)`): its sender; removing it hides it from the
  group and from the digest (it still counts for the impact report).
- A relayed message (`PostRef("relay.giver" | "relay.receiver", conversation)`): the side
  that wrote it; removing it ends the conversation.
- Blocking a resident from a street ends every conversation they can no longer take part
  in and redraws their open cards without "Ik help" / "Interesse"; their register entries
  drop out of search by themselves (`common.may_take_part` reads the block). Unblocking
  redraws the cards with their buttons again.
"""

from __future__ import annotations

from datetime import datetime

from models.escalation.model import OwnerInfo
from models.escalation.moderation import ModerationHooks, OwnerHook
from models.exchange.common import may_take_part
from models.exchange.model import RequestStatus, Role
from models.exchange.notifications import REQUEST_POST, THANKS_POST, request_ref
from models.exchange.relay import RELAY_POST, stop_conversation, subject_street
from models.exchange.requests import remove_request
from models.notifications import Recipient, RefreshPosts
from models.ports import Transaction

LIVE = (RequestStatus.OPEN, RequestStatus.MATCHED)


async def request_owner(tx: Transaction, request_id: int) -> OwnerInfo | None:
    """Who posted a request or offer, and in which street."""
    request = await tx.exchange.get_request(request_id)
    if request is None:
        return None
    return OwnerInfo(resident_id=request.resident_id, street_id=request.street_id)


async def remove_reported_request(tx: Transaction, request_id: int, now: datetime) -> None:
    """A worker removed the card: the request or offer itself is cancelled too."""
    await remove_request(tx, request_id, now)


def relay_owner(role: Role) -> OwnerHook:
    """The owner hook of relayed messages written by one side of a conversation."""

    async def owner(tx: Transaction, conversation_id: int) -> OwnerInfo | None:
        conversation = await tx.exchange.get_conversation(conversation_id)
        if conversation is None:
            return None
        writer = conversation.giver_id if role is Role.GIVER else conversation.receiver_id
        return OwnerInfo(resident_id=writer, street_id=await subject_street(tx, conversation))

    return owner


async def remove_reported_relay(tx: Transaction, conversation_id: int, now: datetime) -> None:
    """A worker removed a relayed message: the conversation stops (both sides are told)."""
    conversation = await tx.exchange.get_conversation(conversation_id)
    if conversation is not None:
        await stop_conversation(tx, conversation, now)


async def on_block(tx: Transaction, resident_id: int, street_id: int, now: datetime) -> None:
    """A resident was blocked from a street: relays end, their open cards lose their buttons."""
    for conversation in await tx.exchange.conversations_of(resident_id):
        street = await subject_street(tx, conversation)
        if street is None or not await may_take_part(tx, resident_id, street):
            await stop_conversation(tx, conversation, now)
    await _redraw_cards(tx, resident_id, street_id, now)


async def on_unblock(tx: Transaction, resident_id: int, street_id: int, now: datetime) -> None:
    """The block was undone: their open cards get their buttons back."""
    await _redraw_cards(tx, resident_id, street_id, now)


async def _redraw_cards(tx: Transaction, resident_id: int, street_id: int, now: datetime) -> None:
    for request in await tx.exchange.requests_of(resident_id, LIVE):
        if request.street_id == street_id:
            await tx.outbox.enqueue(
                Recipient.street(street_id), RefreshPosts(ref=request_ref(request.id)), now=now
            )


async def thanks_owner(tx: Transaction, thanks_id: int) -> OwnerInfo | None:
    """Who sent a public bedankje, and in which street."""
    thanks = await tx.exchange.get_thanks(thanks_id)
    if thanks is None:
        return None
    return OwnerInfo(resident_id=thanks.from_id, street_id=thanks.street_id)


async def remove_reported_thanks(tx: Transaction, thanks_id: int, now: datetime) -> None:
    """A worker removed a bedankje from the group: the digest leaves it out too."""
    await tx.exchange.hide_thanks(thanks_id)


def register(hooks: ModerationHooks) -> None:
    """Tell moderation about the exchange's posts and people."""
    hooks.register_kind(REQUEST_POST, owner=request_owner, remove=remove_reported_request)
    hooks.register_kind(THANKS_POST, owner=thanks_owner, remove=remove_reported_thanks)
    for role in Role:
        hooks.register_kind(
            f"{RELAY_POST}.{role.value}",
            owner=relay_owner(role),
            remove=remove_reported_relay,
            private=True,
        )
    hooks.on_block.append(on_block)
    hooks.on_unblock.append(on_unblock)
