"""Composing a digest from pluggable sections, and keeping it within one message.

Each capability plugs a `DigestSectionProvider` into the `SectionRegistry`. The composer
asks every provider, puts the sections in the order the digest promises, leaves out the
empty ones, and skips the digest when nothing real is left. `shorten` trims the least
important sections first ("en nog N meer") until a measure says the message fits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from models.core import Frozen, Street
from models.digest.model import (
    ITEMS_PER_SECTION,
    MESSAGE_LIMIT,
    Digest,
    DigestSection,
    SectionKind,
    WeekWindow,
)
from models.ports import Transaction

log = logging.getLogger(__name__)


class SectionRequest(Frozen):
    """What a provider is asked about: which street, which week, and when it is now."""

    street: Street
    window: WeekWindow
    now: datetime


class DigestSectionProvider(Protocol):
    """Gives one section of a street's digest (None or an empty section: nothing to say).

    It reads through the transaction it is given (a consistent snapshot), returns only
    what the people concerned chose to show, and keeps its texts language-neutral:
    message keys with cleaned parameters, rendered later in the reader's language."""

    async def __call__(self, tx: Transaction, request: SectionRequest) -> DigestSection | None:
        """The section for this street and week."""
        ...


@dataclass(frozen=True)
class _Slot:
    kind: str
    provider: DigestSectionProvider
    order: int


class SectionRegistry:
    """The providers of the digest, each in its place."""

    def __init__(self) -> None:
        self._slots: dict[str, _Slot] = {}

    def register(
        self, kind: str, provider: DigestSectionProvider, *, order: int | None = None
    ) -> None:
        """Add (or replace) the provider of a section kind.

        The kinds of `SectionKind.ORDER` have their place; another capability's kind
        goes where `order` says (default: just before the invitation line)."""
        if order is None:
            if kind in SectionKind.ORDER:
                order = SectionKind.ORDER.index(kind) * 10
            else:
                order = SectionKind.ORDER.index(SectionKind.INVITE) * 10 - 1
        self._slots[kind] = _Slot(kind, provider, order)

    def unregister(self, kind: str) -> None:
        """Remove a provider (tests, or a capability switched off)."""
        self._slots.pop(kind, None)

    @property
    def kinds(self) -> list[str]:
        """Registered kinds in digest order."""
        return [slot.kind for slot in self._ordered()]

    def _ordered(self) -> list[_Slot]:
        return sorted(self._slots.values(), key=lambda s: (s.order, s.kind))

    async def collect(self, tx: Transaction, request: SectionRequest) -> list[DigestSection]:
        """Ask every provider, in order; one failing provider costs only its own section."""
        sections: list[DigestSection] = []
        for slot in self._ordered():
            try:
                section = await slot.provider(tx, request)
            except Exception:
                log.exception(
                    "digest section %r failed for street %d", slot.kind, request.street.id
                )
                continue
            if section is not None:
                sections.append(section.model_copy(update={"kind": slot.kind}))
        return sections


def assemble(
    street: Street, window: WeekWindow, sections: Sequence[DigestSection]
) -> Digest | None:
    """Order the sections, cap each at ITEMS_PER_SECTION, drop the empty ones; None when
    only filler (the invitation line) would be left."""
    kept = [_cap(s) for s in sections if not s.empty]
    if not any(not s.filler for s in kept):
        return None
    return Digest(
        street_id=street.id, street_name=street.name, window=window, sections=tuple(kept)
    )


def _cap(section: DigestSection) -> DigestSection:
    if len(section.items) <= ITEMS_PER_SECTION:
        return section
    return section.model_copy(update={"items": section.items[:ITEMS_PER_SECTION]})


Measure = Callable[[Digest], int]


def shorten(digest: Digest, measure: Measure, limit: int = MESSAGE_LIMIT) -> Digest:
    """Drop items from the least important sections first until `measure` fits `limit`.

    Items are removed from the end of a section (providers put the most relevant first)
    and counted in "en nog N meer". A section is emptied completely (only its "more"
    line stays) before the next more important one is touched. Should even the titles
    not fit, whole sections go, least important first."""
    if measure(digest) <= limit:
        return digest
    sections = list(digest.sections)
    for index in sorted(range(len(sections)), key=lambda i: sections[i].priority):
        section = sections[index]
        if not section.items:
            continue
        current = digest.model_copy(update={"sections": tuple(sections)})
        keep = _largest_fitting(current, index, measure, limit)
        sections[index] = section.model_copy(update={"items": section.items[:keep]})
        if keep > 0:
            return digest.model_copy(update={"sections": tuple(sections)})
        if measure(digest.model_copy(update={"sections": tuple(sections)})) <= limit:
            return digest.model_copy(update={"sections": tuple(sections)})
    for section in sorted(sections, key=lambda s: s.priority):
        sections.remove(section)
        candidate = digest.model_copy(update={"sections": tuple(sections)})
        if measure(candidate) <= limit:
            return candidate
    return digest.model_copy(update={"sections": ()})


def _largest_fitting(digest: Digest, index: int, measure: Measure, limit: int) -> int:
    """The most items of section `index` that fit (binary search; 0 when none do)."""
    section = digest.sections[index]

    def fits(count: int) -> bool:
        sections = list(digest.sections)
        sections[index] = section.model_copy(update={"items": section.items[:count]})
        return measure(digest.model_copy(update={"sections": tuple(sections)})) <= limit

    low, high = 0, len(section.items)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low
