"""Grocery rides in Telegram: the rides page, publishing, booking, drivers, coordinators."""

from __future__ import annotations

from bot.outbox import Renderers
from handlers.context import PatchworkApp
from handlers.rides import common, coordinator, digest, driver, home, notices, publish

__all__ = ["coordinator", "digest", "driver", "home", "publish", "register"]


def register(app: PatchworkApp, renderers: Renderers) -> None:
    """Install the rides buttons and the renderers of rides messages and cards."""
    common.install(app)
    notices.register(renderers)
