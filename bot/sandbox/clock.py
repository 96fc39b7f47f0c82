"""The sandbox's clock: real time that can be moved forward to show what happens later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SandboxClock:
    """Runs with the wall clock, plus however far the person moved it forward."""

    def __init__(self) -> None:
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """Now, in UTC, shifted by the moves so far."""
        return datetime.now(UTC) + self._offset

    @property
    def offset(self) -> timedelta:
        """How far the clock runs ahead of the real time."""
        return self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by delta (never back) and return the new time."""
        if delta < timedelta(0):
            raise ValueError("time does not go backwards")
        self._offset += delta
        return self.now()
