"""The ordered list of handler modules; one place to see what the bot listens to."""

from __future__ import annotations

from bot.outbox import Renderers
from handlers import (
    buttons,
    checkins,
    dialogs,
    digest,
    escalation,
    exchange,
    guard,
    impact,
    menu,
    notices,
    privacy,
    rides,
    setup,
    start,
)
from handlers.context import PatchworkApp


def register(app: PatchworkApp, renderers: Renderers) -> None:
    """Install every handler in order, and every renderer for outbox messages."""
    guard.register_first(app)
    setup.register(app)
    start.register(app)
    menu.register(app)
    dialogs.register(app)
    privacy.register(app)
    privacy.register_renderers(renderers)
    notices.register(renderers)
    exchange.register(app)
    exchange.register_renderers(renderers)
    escalation.register(app, renderers)
    rides.register(app, renderers)
    digest.register(app)
    digest.register_renderers(renderers)
    impact.register(app)
    impact.register_renderers(renderers)
    checkins.register(app)
    checkins.register_renderers(renderers)
    buttons.register(app)  # every module's @on_press, before the guard's stale-button answer
    guard.register_last(app)
