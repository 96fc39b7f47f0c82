"""Composition root and infrastructure: wiring, storage, scheduler, Telegram delivery."""

import os

__version__ = "0.1.0"

# Opt in to python-telegram-bot's timedelta durations (RetryAfter.retry_after and friends),
# which become the only behaviour in its next major version.
os.environ.setdefault("PTB_TIMEDELTA", "1")
