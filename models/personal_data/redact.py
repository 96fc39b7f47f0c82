"""Taking an erased person out of messages that wait in the outbox.

Most outbox messages carry ids only and are drawn from the current state when they are
sent, so an erasure changes them by itself. A few carry finished content (the weekly
digest, the Bloemetje names and kind words). From those the parts that mention the person
are left out: a list element (a digest line, a name, a reason) that contains their name
or one of their texts goes, and a section's `total` shrinks with it. A message that names
them outside any list cannot be repaired and is not sent at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ELLIPSIS = "…"
MIN_TEXT = 4  # shorter texts ("ja", "ok") are too common to recognise as someone's


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


@dataclass(frozen=True)
class Traces:
    """What identifies a person in a message: their name and the texts they wrote."""

    names: frozenset[str]
    texts: frozenset[str]

    @classmethod
    def of(cls, names: Iterable[str | None], texts: Iterable[str | None]) -> Traces:
        """Normalised traces (empty and very short values are ignored)."""
        return cls(
            names=frozenset(_norm(n) for n in names if n and n.strip() and n.strip() != "-"),
            texts=frozenset(_norm(t) for t in texts if t and len(t.strip()) >= MIN_TEXT),
        )

    def __bool__(self) -> bool:
        return bool(self.names or self.texts)

    def matches(self, value: str) -> bool:
        """Whether a string is the name, or one of the texts (possibly shortened with …)."""
        norm = _norm(value)
        if not norm:
            return False
        if norm in self.names or norm in self.texts:
            return True
        if norm.endswith(ELLIPSIS):
            start = norm[: -len(ELLIPSIS)].rstrip()
            return len(start) >= MIN_TEXT and any(t.startswith(start) for t in self.texts)
        return False


def mentions(value: Any, traces: Traces) -> bool:
    """Whether a JSON value contains a trace anywhere."""
    if isinstance(value, str):
        return traces.matches(value)
    if isinstance(value, dict):
        return any(mentions(v, traces) for v in value.values())
    if isinstance(value, list):
        return any(mentions(v, traces) for v in value)
    return False


@dataclass(frozen=True)
class Redacted:
    """The outcome of redacting a payload."""

    payload: dict[str, Any]
    changed: bool
    drop: bool


def _walk(value: Any, traces: Traces) -> tuple[Any, bool]:
    """A copy without the list elements that mention the person, and whether a mention is
    left that no list removal inside this value could take away."""
    if isinstance(value, str):
        return value, traces.matches(value)
    if isinstance(value, list):
        # The smallest list element that names them goes (a line, not the whole section).
        kept = []
        for element in value:
            clean, stuck = _walk(element, traces)
            if not stuck:
                kept.append(clean)
        return kept, False
    if isinstance(value, dict):
        copy: dict[str, Any] = {}
        for key, item in value.items():
            new, stuck = _walk(item, traces)
            if stuck:
                return value, True
            copy[key] = new
        items, total = value.get("items"), value.get("total")
        if isinstance(items, list) and isinstance(total, int) and not isinstance(total, bool):
            copy["total"] = max(0, total - (len(items) - len(copy["items"])))
        return copy, False
    return value, False


def redact(payload: dict[str, Any], traces: Traces) -> Redacted:
    """Leave the person out of a payload, or say it must not be sent."""
    if not traces or not mentions(payload, traces):
        return Redacted(payload=payload, changed=False, drop=False)
    copy, stuck = _walk(payload, traces)
    if stuck:
        return Redacted(payload=payload, changed=True, drop=True)
    # A top-level list emptied by the redaction (an announcement of nobody) is not sent.
    emptied = any(
        isinstance(before, list) and before and not copy[key] for key, before in payload.items()
    )
    return Redacted(payload=copy, changed=True, drop=emptied)
