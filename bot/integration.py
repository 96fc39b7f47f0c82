"""Connections between capabilities that were built apart (called once from build_services).

Escalation and moderation (issue 6) with the help exchange (issue 3) and rides (issue 4):
moderation learns who placed a request, offer, relayed message or ride card and how to
take it down, and what a block means for the exchange. The routes into a case need no
wiring here: the exchange calls escalation's `record_offer` itself, and rides' coordinator
role asks escalation's worker check (passed to `CoordinatorService` in build_services).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.exchange import moderation as exchange_moderation
from models.rides import moderation as rides_moderation

if TYPE_CHECKING:
    from bot.services import Services


def connect_escalation(services: Services) -> None:
    """Register the exchange's and rides' moderation hooks."""
    hooks = services.moderation.hooks
    exchange_moderation.register(hooks)
    rides_moderation.register(hooks)
