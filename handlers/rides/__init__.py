"""Grocery rides in Telegram: the rides page, publishing, booking, drivers, coordinators."""

from __future__ import annotations

from bot.outbox import Renderers
from handlers.context import PatchworkApp

# Importing the modules registers their buttons (@on_press through common.on).
from handlers.rides import coordinator, digest, driver, home, notices, publish

__all__ = ["coordinator", "digest", "driver", "home", "publish", "register"]


def register(app: PatchworkApp, renderers: Renderers) -> None:
    """Install the renderers of rides messages and cards (the buttons register on import)."""
    notices.register(renderers)
