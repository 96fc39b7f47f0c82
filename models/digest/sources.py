"""The digest's sections built from simple data sources that other capabilities supply.

The exchange capability supplies thank-yous, open requests and new register entries;
the rides capability supplies rides with free seats. Each implements one small Protocol
below over its own repositories; the digest turns the notes into sections with its own
texts (config/locales/*/digest.po), so every section reads the same way.

Connect them in `bot/services.py` after `build_services` has made the digest service:

    digest.sections.register(SectionKind.THANKS, thanks_section(MyThanksSource()))
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from models.core import Frozen
from models.digest.compose import DigestSectionProvider, SectionRequest
from models.digest.model import (
    PARAM_MAX,
    DigestItem,
    DigestSection,
    ItemAction,
    Priority,
    SectionKind,
)
from models.ports import Transaction

# Notes: the little a section needs to know, already filtered for privacy ------------


class ThanksNote(Frozen):
    """A thank-you its writer chose to show in the digest."""

    from_name: str | None  # None: the writer thanks as "een buur"
    to_name: str
    text: str | None = None  # the short thank-you text, when the writer chose to show it


class RequestNote(Frozen):
    """An open request in the street (requests the group may not see are left out)."""

    request_id: int
    requester_name: str | None  # None: posted as "een buur"
    summary: str
    created_at: datetime


class EntryNote(Frozen):
    """A register entry added this week ("Nieuw in Wie kan wat")."""

    entry_id: int
    first_name: str
    summary: str


class RideNote(Frozen):
    """A ride in the coming week that still has free seats."""

    ride_id: int
    departs_at: datetime
    destination: str
    free_seats: int


# Sources: what each capability implements ----------------------------------------------


class ThanksSource(Protocol):
    """Thank-yous in a street during [start, end) that their writers made public."""

    async def thanks(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[ThanksNote]:
        """Newest first."""
        ...


class OpenRequestsSource(Protocol):
    """Requests of a street that are open now and may be shown in its group."""

    async def open_requests(
        self, tx: Transaction, street_id: int, now: datetime
    ) -> Sequence[RequestNote]:
        """Most in need of a helper first (oldest open first)."""
        ...


class NewEntriesSource(Protocol):
    """Register entries of a street's residents added during [start, end)."""

    async def new_entries(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[EntryNote]:
        """Newest first."""
        ...


class RidesSource(Protocol):
    """Rides open to a street departing during [start, end) with at least one free seat."""

    async def rides_with_seats(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[RideNote]:
        """Soonest first."""
        ...


# Section builders ---------------------------------------------------------------------

ACTION_HELP = "request.help"
ACTION_BOOK = "ride.book"
ACTION_INVITE = "digest.invite"


def _short(text: str | None) -> str:
    value = " ".join((text or "").split())
    return value if len(value) <= PARAM_MAX else value[: PARAM_MAX - 1] + "…"


class _Thanks:
    def __init__(self, source: ThanksSource) -> None:
        self._source = source

    async def __call__(self, tx: Transaction, request: SectionRequest) -> DigestSection:
        notes = await self._source.thanks(
            tx, request.street.id, request.window.start, request.window.end
        )
        items = []
        for note in notes:
            key = "digest.item.thanks" if note.from_name else "digest.item.thanks_anonymous"
            params = {"to": _short(note.to_name)}
            if note.from_name:
                params["from"] = _short(note.from_name)
            if note.text:
                key += "_text"
                params["text"] = _short(note.text)
            items.append(DigestItem(key=key, params=params))
        return DigestSection(
            kind=SectionKind.THANKS,
            title_key="digest.section.thanks",
            items=tuple(items),
            priority=Priority.THANKS,
        )


class _Requests:
    def __init__(self, source: OpenRequestsSource) -> None:
        self._source = source

    async def __call__(self, tx: Transaction, request: SectionRequest) -> DigestSection:
        notes = await self._source.open_requests(tx, request.street.id, request.now)
        items = [
            DigestItem(
                key="digest.item.request" if n.requester_name else "digest.item.request_anonymous",
                params={"name": _short(n.requester_name), "text": _short(n.summary)}
                if n.requester_name
                else {"text": _short(n.summary)},
                action=ItemAction(kind=ACTION_HELP, ref_id=n.request_id),
            )
            for n in notes
        ]
        return DigestSection(
            kind=SectionKind.REQUESTS,
            title_key="digest.section.requests",
            items=tuple(items),
            priority=Priority.REQUESTS,
        )


class _NewEntries:
    def __init__(self, source: NewEntriesSource) -> None:
        self._source = source

    async def __call__(self, tx: Transaction, request: SectionRequest) -> DigestSection:
        notes = await self._source.new_entries(
            tx, request.street.id, request.window.start, request.window.end
        )
        items = [
            DigestItem(
                key="digest.item.entry",
                params={"name": _short(n.first_name), "text": _short(n.summary)},
            )
            for n in notes
        ]
        return DigestSection(
            kind=SectionKind.NEW_ENTRIES,
            title_key="digest.section.new_entries",
            items=tuple(items),
            priority=Priority.NEW_ENTRIES,
        )


class _Rides:
    def __init__(self, source: RidesSource) -> None:
        self._source = source

    async def __call__(self, tx: Transaction, request: SectionRequest) -> DigestSection:
        notes = await self._source.rides_with_seats(
            tx, request.street.id, request.window.end, request.window.coming_end
        )
        items = [
            DigestItem(
                key="digest.item.ride",
                params={"destination": _short(n.destination)},
                when=n.departs_at,
                count=n.free_seats,
                action=ItemAction(kind=ACTION_BOOK, ref_id=n.ride_id),
            )
            for n in notes
            if n.free_seats > 0
        ]
        return DigestSection(
            kind=SectionKind.RIDES,
            title_key="digest.section.rides",
            items=tuple(items),
            priority=Priority.RIDES,
        )


def thanks_section(source: ThanksSource) -> DigestSectionProvider:
    """The "Bedankt!" section from a thank-you source."""
    return _Thanks(source)


def requests_section(source: OpenRequestsSource) -> DigestSectionProvider:
    """The open-requests section (with an "Ik help" action per request)."""
    return _Requests(source)


def new_entries_section(source: NewEntriesSource) -> DigestSectionProvider:
    """The "Nieuw in Wie kan wat" section."""
    return _NewEntries(source)


def rides_section(source: RidesSource) -> DigestSectionProvider:
    """The rides-with-free-seats section (with a booking action per ride)."""
    return _Rides(source)


async def invite_section(tx: Transaction, request: SectionRequest) -> DigestSection:
    """The one-line invitation to add something to the register (never keeps a digest
    alive on its own)."""
    return DigestSection(
        kind=SectionKind.INVITE,
        title_key=None,
        items=(
            DigestItem(
                key="digest.item.invite",
                action=ItemAction(kind=ACTION_INVITE, ref_id=request.street.id),
            ),
        ),
        priority=Priority.INVITE,
        filler=True,
    )
