"""The Telegram side of the digest, the Bloemetje and the street card."""

from __future__ import annotations

from bot.outbox import Renderers
from handlers.context import PatchworkApp
from handlers.digest import bloemetje, card, preview, render, settings


def register(app: PatchworkApp) -> None:
    """Install the handlers of the digest capability."""
    settings.register(app)
    preview.register(app)
    bloemetje.register(app)
    card.register(app)


def register_renderers(renderers: Renderers) -> None:
    """Install the outbox renderers of the digest capability."""
    render.register_renderers(renderers)
    bloemetje.register_renderers(renderers)


__all__ = ["register", "register_renderers"]
