"""Callback data: a short action name and a few plain arguments, never trusted.

Every press is re-checked against the database by its handler; the data only says
which object the button was about. Telegram allows at most 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
SEPARATOR = ":"
_ACTION = re.compile(r"^[a-z][a-z0-9_.]{0,15}$")
_ARG = re.compile(r"^[A-Za-z0-9_-]{0,40}$")


class BadCallback(ValueError):
    """Callback data that is not ours or not well-formed."""


@dataclass(frozen=True)
class Callback:
    """Parsed callback data."""

    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int:
        """Argument `index` as a non-negative integer, or BadCallback."""
        try:
            value = self.args[index]
        except IndexError:
            raise BadCallback("missing argument") from None
        if not value.isdigit() or len(value) > 12:
            raise BadCallback("not a number")
        return int(value)

    def arg(self, index: int) -> str:
        """Argument `index` as text, or BadCallback."""
        try:
            return self.args[index]
        except IndexError:
            raise BadCallback("missing argument") from None


def encode(action: str, *args: object) -> str:
    """Build callback data; raises ValueError when it would not fit Telegram's limit."""
    if not _ACTION.match(action):
        raise ValueError(f"bad action name {action!r}")
    parts = [str(a) for a in args]
    for part in parts:
        if not _ARG.match(part):
            raise ValueError(f"bad callback argument {part!r}")
    data = SEPARATOR.join([action, *parts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError("callback data over 64 bytes")
    return data


def decode(data: str | None) -> Callback:
    """Parse callback data; BadCallback for anything we did not make."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise BadCallback("empty or too long")
    action, *args = data.split(SEPARATOR)
    if not _ACTION.match(action) or not all(_ARG.match(a) for a in args):
        raise BadCallback("malformed")
    return Callback(action, tuple(args))


def pattern(action: str) -> str:
    """Regex for CallbackQueryHandler matching one action."""
    return rf"^{re.escape(action)}(?::|$)"
