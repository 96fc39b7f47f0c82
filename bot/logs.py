"""Logging: one line per event, the bot token redacted, no message texts by design."""

from __future__ import annotations

import logging
import re
from typing import TextIO

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactTokens(logging.Filter):
    """Replace anything that looks like a bot token, in messages, arguments and tracebacks."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return _TOKEN.sub("[redacted]", text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self._clean(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True


def setup_logging(
    level: str, secrets: tuple[str, ...] = (), stream: TextIO | None = None
) -> logging.Handler:
    """Configure the root logger once for the process; returns its handler."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S")
    )
    handler.addFilter(RedactTokens(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL, which contains the token; keep it to warnings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    return handler
