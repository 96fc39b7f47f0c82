"""What the exchange gives the weekly digest and the printed street card.

Each source implements one Protocol of `models.digest.sources` / `models.digest.card`
over the exchange's own tables, and returns only what people chose to show:

- thank-yous their writers made public (as "een buur" when the request was posted so);
- open requests the street group already saw on its card (never held/sensitive ones,
  never offers, never of someone who may no longer take part);
- register entries added this week by neighbours who may take part;
- for the card: entries whose owners said yes to "mag dit op de papieren straatkaart?",
  of current, unblocked members of that street only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from models.core import Language, Resident, Street
from models.digest.card import CardEntry
from models.digest.sources import EntryNote, RequestNote, ThanksNote
from models.exchange.common import may_take_part
from models.exchange.model import RequestKind, RequestStatus
from models.exchange.taxonomy import Taxonomy
from models.ports import Transaction


async def _neighbour(tx: Transaction, resident_id: int, street_id: int) -> Resident | None:
    """A resident still in the street's wijk and not blocked in this street (or None).

    Unlike `may_take_part` this does not need a private chat: a thank-you stays worth
    mentioning when its writer muted the bot; erased people have no memberships left.
    """
    resident = await tx.residents.get(resident_id)
    street = await tx.streets.get(street_id)
    if resident is None or street is None:
        return None
    found = False
    for membership in await tx.memberships.of_resident(resident_id):
        if membership.street_id == street_id and membership.blocked:
            return None
        if membership.blocked:
            continue
        other = await tx.streets.get(membership.street_id)
        if other is not None and other.neighbourhood_id == street.neighbourhood_id:
            found = True
    return resident if found else None


class ExchangeThanks:
    """Public thank-yous of the week (`ThanksSource`)."""

    async def thanks(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[ThanksNote]:
        """Newest first; the writer's name only when their request showed it."""
        notes: list[ThanksNote] = []
        for thanks in reversed(await tx.exchange.public_thanks(street_id, start)):
            if not thanks.public or thanks.created_at >= end:
                continue
            writer = await _neighbour(tx, thanks.from_id, street_id)
            helper = await _neighbour(tx, thanks.to_id, street_id)
            if writer is None or helper is None:
                continue
            show_name = True
            if thanks.request_id is not None:
                request = await tx.exchange.get_request(thanks.request_id)
                show_name = request is not None and request.show_name
            notes.append(
                ThanksNote(
                    from_name=writer.display_name if show_name else None,
                    to_name=helper.display_name,
                    text=thanks.text,
                )
            )
        return notes


class ExchangeOpenRequests:
    """Requests for help that are open and already on the group's card
    (`OpenRequestsSource`)."""

    async def open_requests(
        self, tx: Transaction, street_id: int, now: datetime
    ) -> Sequence[RequestNote]:
        """Oldest open first; "een buur" (None) when the requester chose so."""
        notes: list[RequestNote] = []
        for request in await tx.exchange.requests_in(street_id, (RequestStatus.OPEN,)):
            if request.kind is not RequestKind.ASK or request.sensitivity is not None:
                continue
            if not await may_take_part(tx, request.resident_id, street_id):
                continue
            owner = await tx.residents.get(request.resident_id)
            if owner is None:
                continue
            notes.append(
                RequestNote(
                    request_id=request.id,
                    requester_name=owner.display_name if request.show_name else None,
                    summary=request.text,
                    created_at=request.created_at,
                )
            )
        return notes


class ExchangeNewEntries:
    """Register entries added during the week ("Nieuw in Wie kan wat", `NewEntriesSource`)."""

    async def new_entries(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[EntryNote]:
        """Newest first; only entries that are live and of neighbours who may take part."""
        notes: list[EntryNote] = []
        for entry in reversed(await tx.exchange.entries_since(street_id, start)):
            if entry.created_at >= end or not entry.active:
                continue
            if not await may_take_part(tx, entry.resident_id, street_id):
                continue
            owner = await tx.residents.get(entry.resident_id)
            if owner is None:
                continue
            notes.append(
                EntryNote(entry_id=entry.id, first_name=owner.display_name, summary=entry.text)
            )
        return notes


class ExchangeCardEntries:
    """Entries for the printed street card (`CardEntrySource`)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._taxonomy = taxonomy

    async def card_entries(
        self, tx: Transaction, street: Street, language: Language
    ) -> Sequence[CardEntry]:
        """Live entries whose owners said yes to the card, of current unblocked members."""
        lines: list[CardEntry] = []
        for entry in await tx.exchange.card_entries(street.id):
            if entry.on_card is not True or not entry.active:
                continue
            membership = await tx.memberships.get(entry.resident_id, street.id)
            if membership is None or membership.blocked:
                continue
            owner = await tx.residents.get(entry.resident_id)
            if owner is None:
                continue
            lines.append(
                CardEntry(
                    first_name=owner.display_name,
                    category=self._taxonomy.get(entry.category).label(language),
                    offer=entry.text,
                )
            )
        return lines
