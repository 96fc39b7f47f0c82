"""Renderers for the foundation's own outbox messages."""

from __future__ import annotations

from bot.delivery import Outgoing, RenderContext, Renderers
from models.notifications import OperatorAlert


def register(renderers: Renderers) -> None:
    """Install the renderers of this module."""

    @renderers.message(OperatorAlert)
    async def operator_alert(ctx: RenderContext, note: OperatorAlert) -> Outgoing:
        return Outgoing(
            ctx.services.i18n.html(ctx.language, "operator.alert", summary=note.summary)
        )
