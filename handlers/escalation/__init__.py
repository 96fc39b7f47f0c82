"""Escalation to professionals and moderation (issue 6): the Telegram side.

`resident` holds route 1, offers (routes 2-4), status and withdrawal; `workers` the moderators
chat (cards, private worker flows, /koppel, /auditlog); `moderation` reports and the
"Melden" button any group card can carry (`report_button`); `roles` the coordinator role
a community worker gives from the moderators chat (`/coordinator`); `screen` the check every
text passes before it can reach a group or a neighbour.
"""

from __future__ import annotations

from bot.outbox import Renderers
from handlers.context import PatchworkApp

# Importing `screen` registers its buttons (@on_press).
from handlers.escalation import moderation, resident, roles, screen, workers  # noqa: F401


def register(app: PatchworkApp, renderers: Renderers) -> None:
    """Install the handlers and renderers of escalation and moderation."""
    resident.register(app, renderers)
    workers.register(app, renderers)
    moderation.register(app, renderers)
    roles.register(app)
