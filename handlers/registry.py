"""The ordered list of handler modules; one place to see what the bot listens to."""

from __future__ import annotations

from bot.delivery import Renderers
from handlers import dialogs, digest, guard, menu, notices, setup, start
from handlers.context import PatchworkApp


def register(app: PatchworkApp, renderers: Renderers) -> None:
    """Install every handler in order, and every renderer for outbox messages."""
    guard.register_first(app)
    setup.register(app)
    start.register(app)
    menu.register(app)
    dialogs.register(app)
    notices.register(renderers)
    digest.register(app)
    digest.register_renderers(renderers)
    guard.register_last(app)
