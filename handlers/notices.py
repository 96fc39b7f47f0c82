"""Renderers for the foundation's own outbox messages."""

from __future__ import annotations

from bot.outbox import RenderContext, Renderers
from handlers.say import say
from models.messages import OutgoingMessage, outgoing
from models.notifications import OperatorAlert


def register(renderers: Renderers) -> None:
    """Install the renderers of this module."""

    @renderers.message(OperatorAlert)
    async def operator_alert(ctx: RenderContext, note: OperatorAlert) -> OutgoingMessage:
        return outgoing(say(ctx, ctx.language).t("operator.alert", summary=note.summary))
