"""Callback data on Telegram: a button's neutral action, as `models.messages` encodes it.

Every press is re-checked against the database by its handler; the data only says
which object the button was about. Telegram allows at most 64 bytes.
"""

from __future__ import annotations

import re

from models.messages import MAX_ACTION_BYTES as MAX_BYTES
from models.messages import Action as Callback
from models.messages import BadAction as BadCallback
from models.messages import decode_action as decode
from models.messages import encode_action as encode


def pattern(action: str) -> str:
    """Regex for CallbackQueryHandler matching one action."""
    return rf"^{re.escape(action)}(?::|$)"


__all__ = ["MAX_BYTES", "BadCallback", "Callback", "decode", "encode", "pattern"]
