"""Typed context: handlers reach the services through `context.services`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

if TYPE_CHECKING:
    from bot.services import Services
    from handlers.guard import SpamGuard


class BotData:
    """Application-wide data: the service container, set once the database is open."""

    def __init__(self) -> None:
        self._services: Services | None = None
        self.spam: SpamGuard
        self.alerts: dict[str, float] = {}

    @property
    def services(self) -> Services:
        """The services; only missing before start, which no handler sees."""
        if self._services is None:
            raise RuntimeError("services are not ready")
        return self._services

    @services.setter
    def services(self, value: Services) -> None:
        self._services = value


class PatchworkContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The callback context of every Patchwork handler."""

    @property
    def services(self) -> Services:
        """The service container."""
        return self.bot_data.services


PatchworkApp = Application[
    ExtBot[None],
    PatchworkContext,
    dict[Any, Any],
    dict[Any, Any],
    BotData,
    JobQueue[PatchworkContext],
]
