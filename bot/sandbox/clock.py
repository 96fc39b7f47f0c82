"""The sandbox's clock: time that runs on, starts where asked, and can be moved forward."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SandboxClock:
    """Runs like a clock from a start (the wall clock's now unless given), plus the moves.

    A fixed start makes a sandbox or a test play on a chosen date (the 1st of a month, a
    DST night) whatever the machine's date; time still runs on from there, so timeouts and
    "five minutes later" behave as they do for people."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        elapsed: Callable[[], float] = time.monotonic,
    ) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("SandboxClock needs a timezone-aware start")
        self._start = (start or datetime.now(UTC)).astimezone(UTC)
        self._elapsed = elapsed
        self._origin = elapsed()
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """Now, in UTC: the start, the time run since, and the moves so far."""
        ran = timedelta(seconds=self._elapsed() - self._origin)
        return self._start + ran + self._offset

    @property
    def offset(self) -> timedelta:
        """How far the clock was moved forward by hand."""
        return self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by delta (never back) and return the new time."""
        if delta < timedelta(0):
            raise ValueError("time does not go backwards")
        self._offset += delta
        return self.now()
