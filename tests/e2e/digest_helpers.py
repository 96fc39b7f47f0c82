"""Fake section sources for digest tests: what the exchange and rides capabilities will
supply once they are connected (see models/digest/sources.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.sandbox.fake_telegram import FakeChat, Message
from bot.sandbox.harness import Harness
from models.core import Street
from models.digest.model import SectionKind
from models.digest.sources import (
    EntryNote,
    RequestNote,
    RideNote,
    ThanksNote,
    new_entries_section,
    requests_section,
    rides_section,
    thanks_section,
)
from models.ports import Transaction

HEADER = "Weekoverzicht van de"


class FakeExchange:
    """Thank-yous, open requests and new entries, per street, as the exchange would give."""

    def __init__(self) -> None:
        self.thanks_by_street: dict[int, list[ThanksNote]] = {}
        self.requests_by_street: dict[int, list[RequestNote]] = {}
        self.entries_by_street: dict[int, list[EntryNote]] = {}
        self.asked: list[tuple[str, int, datetime, datetime]] = []

    async def thanks(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[ThanksNote]:
        self.asked.append(("thanks", street_id, start, end))
        return self.thanks_by_street.get(street_id, [])

    async def open_requests(
        self, tx: Transaction, street_id: int, now: datetime
    ) -> Sequence[RequestNote]:
        return self.requests_by_street.get(street_id, [])

    async def new_entries(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[EntryNote]:
        return self.entries_by_street.get(street_id, [])


class FakeRides:
    """Rides with free seats, as the rides capability would give."""

    def __init__(self) -> None:
        self.by_street: dict[int, list[RideNote]] = {}

    async def rides_with_seats(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[RideNote]:
        return [r for r in self.by_street.get(street_id, []) if start <= r.departs_at < end]


def plug(bot: Harness, exchange: FakeExchange, rides: FakeRides | None = None) -> None:
    """Connect fake sources to the running bot's digest (again after every restart)."""
    sections = bot.services.digest.sections
    sections.register(SectionKind.THANKS, thanks_section(exchange))
    sections.register(SectionKind.REQUESTS, requests_section(exchange))
    sections.register(SectionKind.NEW_ENTRIES, new_entries_section(exchange))
    if rides is not None:
        sections.register(SectionKind.RIDES, rides_section(rides))


def digests(chat: FakeChat) -> list[Message]:
    """The digests the bot posted in a chat (previews excluded)."""
    return [
        m
        for m in chat.bot_messages
        if HEADER in (m.text or "") and "Voorbeeld" not in (m.text or "")
    ]


def one_thanks(exchange: FakeExchange, street: Street) -> None:
    """Give a street something to tell."""
    exchange.thanks_by_street[street.id] = [
        ThanksNote(from_name="Anna", to_name="Joost", text="Dank voor de ladder")
    ]


def in_days(moment: datetime, days: float) -> datetime:
    """A moment some days later."""
    return moment + timedelta(days=days)
