"""Composing the digest: order, empty sections, skipping, and one message at most."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config.i18n import Translator
from handlers.digest.render import fit, render_text, text_length
from models.core import Street
from models.digest.compose import SectionRegistry, SectionRequest, assemble, shorten
from models.digest.model import (
    ITEMS_PER_SECTION,
    MESSAGE_LIMIT,
    PARAM_MAX,
    Digest,
    DigestItem,
    DigestSection,
    Priority,
    SectionKind,
)
from models.digest.schedule import window_for
from models.digest.sources import (
    EntryNote,
    RequestNote,
    RideNote,
    ThanksNote,
    invite_section,
    new_entries_section,
    requests_section,
    rides_section,
    thanks_section,
)
from models.ports import Transaction

TZ = ZoneInfo("Europe/Amsterdam")
DUE = datetime(2026, 12, 6, 16, 0, tzinfo=UTC)
STREET = Street(
    id=1,
    neighbourhood_id=1,
    name="Zonnebloemstraat",
    chat=None,
    join_code="abcdefghjk",
    created_at=DUE - timedelta(days=30),
)
WINDOW = window_for(DUE, TZ)
I18N = Translator.load()
NO_TX: Transaction = None  # type: ignore[assignment]  # the fake sources ignore it


def _section(kind: str, count: int, priority: int, text: str = "x") -> DigestSection:
    return DigestSection(
        kind=kind,
        title_key=f"digest.section.{kind}",
        items=tuple(
            DigestItem(key="digest.item.entry", params={"name": f"N{i}", "text": text})
            for i in range(count)
        ),
        priority=priority,
    )


def test_sections_come_in_the_promised_order_and_empty_ones_are_left_out() -> None:
    sections = [
        _section(SectionKind.RIDES, 1, Priority.RIDES),
        _section(SectionKind.THANKS, 0, Priority.THANKS),
        _section(SectionKind.REQUESTS, 2, Priority.REQUESTS),
    ]
    registry = SectionRegistry()
    for kind in (SectionKind.RIDES, SectionKind.THANKS, SectionKind.REQUESTS):
        section = next(s for s in sections if s.kind == kind)

        async def provider(
            tx: Transaction, request: SectionRequest, _s: DigestSection = section
        ) -> DigestSection:
            return _s

        registry.register(kind, provider)
    registry.register(SectionKind.INVITE, invite_section)
    assert registry.kinds == [
        SectionKind.THANKS,
        SectionKind.REQUESTS,
        SectionKind.RIDES,
        SectionKind.INVITE,
    ]


async def test_registry_collects_in_order_and_survives_a_failing_provider() -> None:
    registry = SectionRegistry()

    async def broken(tx: Transaction, request: SectionRequest) -> DigestSection:
        raise RuntimeError("boom")

    async def thanks(tx: Transaction, request: SectionRequest) -> DigestSection:
        return _section("whatever", 1, Priority.THANKS)

    registry.register(SectionKind.INVITE, invite_section)
    registry.register(SectionKind.REQUESTS, broken)
    registry.register(SectionKind.THANKS, thanks)
    request = SectionRequest(street=STREET, window=WINDOW, now=DUE)
    sections = await registry.collect(NO_TX, request)
    # The kind is the slot's, whatever the provider wrote.
    assert [s.kind for s in sections] == [SectionKind.THANKS, SectionKind.INVITE]


def test_only_filler_means_no_digest() -> None:
    invite = DigestSection(
        kind=SectionKind.INVITE,
        title_key=None,
        items=(DigestItem(key="digest.item.invite"),),
        filler=True,
    )
    assert assemble(STREET, WINDOW, [_section(SectionKind.THANKS, 0, 1), invite]) is None
    digest = assemble(STREET, WINDOW, [_section(SectionKind.THANKS, 1, 1), invite])
    assert digest is not None
    assert [s.kind for s in digest.sections] == [SectionKind.THANKS, SectionKind.INVITE]


def test_a_section_is_capped_and_counts_the_rest() -> None:
    digest = assemble(STREET, WINDOW, [_section(SectionKind.THANKS, 25, 1)])
    assert digest is not None
    section = digest.sections[0]
    assert len(section.items) == ITEMS_PER_SECTION
    assert section.total == 25
    assert section.more == 25 - ITEMS_PER_SECTION
    assert "…en nog 15 meer" in render_text(I18N, "nl", digest, TZ)
    assert "…and 15 more" in render_text(I18N, "en", digest, TZ)


def test_the_least_important_section_is_shortened_first() -> None:
    long = "a" * PARAM_MAX
    sections = [
        _section(SectionKind.THANKS, 10, Priority.THANKS, long),
        _section(SectionKind.REQUESTS, 10, Priority.REQUESTS, long),
        _section(SectionKind.NEW_ENTRIES, 10, Priority.NEW_ENTRIES, long),
    ]
    digest = assemble(STREET, WINDOW, sections)
    assert digest is not None
    short = fit(I18N, "nl", digest, TZ)
    shown = {s.kind: len(s.items) for s in short.sections}
    assert shown[SectionKind.REQUESTS] == 10
    assert shown[SectionKind.NEW_ENTRIES] == 0
    assert 0 < shown[SectionKind.THANKS] < 10
    text = render_text(I18N, "nl", short, TZ)
    assert text_length(text) <= MESSAGE_LIMIT
    assert "…en nog 10 meer" in text


def test_shorten_keeps_a_digest_that_fits() -> None:
    digest = assemble(STREET, WINDOW, [_section(SectionKind.THANKS, 3, 1)])
    assert digest is not None
    assert shorten(digest, lambda d: 10) is digest


_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    min_size=1,
    max_size=PARAM_MAX,
)
_item = st.builds(
    lambda name, text: DigestItem(key="digest.item.entry", params={"name": name, "text": text}),
    _text,
    _text,
)
_sections = st.lists(
    st.tuples(st.lists(_item, max_size=14), st.integers(0, 40)), min_size=1, max_size=5
)


@settings(max_examples=60, deadline=None)
@given(raw=_sections, language=st.sampled_from(["nl", "en"]))
def test_any_digest_fits_one_message_and_shortens_in_priority_order(
    raw: list[tuple[list[DigestItem], int]], language: str
) -> None:
    kinds = [SectionKind.THANKS, SectionKind.REQUESTS, SectionKind.NEW_ENTRIES, SectionKind.RIDES]
    sections = [
        DigestSection(
            kind=kinds[i % len(kinds)] + ("" if i < len(kinds) else f"_{i}"),
            title_key="digest.section.thanks",
            items=tuple(items),
            total=len(items) + extra,
            priority=i * 7 % 5,
        )
        for i, (items, extra) in enumerate(raw)
    ]
    digest = assemble(STREET, WINDOW, sections)
    if digest is None:
        assert all(not s.items and s.total == 0 for s in sections)
        return
    short = fit(I18N, language, digest, TZ)
    assert text_length(render_text(I18N, language, short, TZ)) <= MESSAGE_LIMIT
    before = {s.kind: s for s in digest.sections}
    for section in short.sections:
        original = before[section.kind]
        assert section.items == original.items[: len(section.items)]
        assert section.total == original.total
    cut = [s for s in short.sections if len(s.items) < len(before[s.kind].items)]
    for section in cut:
        # Nothing less important still shows items while this one was cut.
        assert all(
            not other.items for other in short.sections if other.priority < section.priority
        )


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_source_sections_render_in_both_languages(language: str) -> None:
    class Source:
        async def thanks(
            self, tx: Transaction, street_id: int, start: datetime, end: datetime
        ) -> list[ThanksNote]:
            return [
                ThanksNote(from_name="Anna", to_name="Joost", text="<ladder> & meer"),
                ThanksNote(from_name=None, to_name="Els"),
            ]

        async def open_requests(
            self, tx: Transaction, street_id: int, now: datetime
        ) -> list[RequestNote]:
            return [
                RequestNote(request_id=7, requester_name=None, summary="Lamp", created_at=now),
                RequestNote(request_id=8, requester_name="Mo", summary="Tuin", created_at=now),
            ]

        async def new_entries(
            self, tx: Transaction, street_id: int, start: datetime, end: datetime
        ) -> list[EntryNote]:
            return [EntryNote(entry_id=1, first_name="Karel", summary="Ladder lenen")]

        async def rides_with_seats(
            self, tx: Transaction, street_id: int, start: datetime, end: datetime
        ) -> list[RideNote]:
            assert start == WINDOW.end
            return [
                RideNote(
                    ride_id=3, departs_at=start + timedelta(days=2), destination="AH", free_seats=1
                ),
                RideNote(
                    ride_id=4,
                    departs_at=start + timedelta(days=3),
                    destination="Lidl",
                    free_seats=0,
                ),
            ]

    source = Source()
    registry = SectionRegistry()
    registry.register(SectionKind.THANKS, thanks_section(source))
    registry.register(SectionKind.REQUESTS, requests_section(source))
    registry.register(SectionKind.NEW_ENTRIES, new_entries_section(source))
    registry.register(SectionKind.RIDES, rides_section(source))
    registry.register(SectionKind.INVITE, invite_section)
    request = SectionRequest(street=STREET, window=WINDOW, now=DUE)
    digest = assemble(STREET, WINDOW, await registry.collect(NO_TX, request))
    assert isinstance(digest, Digest)
    rides = digest.section(SectionKind.RIDES)
    assert rides is not None
    assert len(rides.items) == 1  # the full ride is not offered
    text = render_text(I18N, language, digest, TZ)
    for item in (i for s in digest.sections for i in s.items):
        assert item.key in I18N.keys(language)
    assert "&lt;ladder&gt; &amp; meer" in text
    assert "<ladder>" not in text
    assert ("dinsdag 8 december 17:00" if language == "nl" else "Tuesday 8 December 17:00") in text
    assert ("nog 1 plek vrij" if language == "nl" else "1 seat free") in text
