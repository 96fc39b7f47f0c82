"""Texts in handlers: `say(context, language)` gives a `Say` (models/say.py) for one reader.

`.t(key, **params)` for HTML messages (parameters escaped unless marked `Safe`), `.p(key,
**params)` for button labels and pop-ups (plain), both with `count=` for plural forms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from models.say import Say

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["HasServices", "Say", "say"]


class HasServices(Protocol):
    """A handler context or a render context: both reach the services."""

    @property
    def services(self) -> Services:
        """The service container."""
        ...


def say(context: HasServices, language: str) -> Say:
    """Texts in a language, for a handler or a renderer."""
    services = context.services
    return Say(services.i18n, language, services.settings.tz)
