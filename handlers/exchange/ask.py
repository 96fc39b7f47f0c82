"""Asking for help and making a one-off offer: the channel-neutral flow
(models/exchange/request_flow.py), served to Telegram, and the ways into it."""

from __future__ import annotations

from telegram import Update

from handlers import flows
from handlers.context import PatchworkContext
from handlers.menu import menu_action
from models.exchange.model import RequestKind
from models.exchange.request_flow import RequestFlow

REQUEST = flows.serve(lambda services: RequestFlow(services.exchange, services.clock), RequestFlow)


@menu_action("ask")
async def ask(update: Update, context: PatchworkContext) -> None:
    """ "Ik zoek hulp": start a request."""
    await start(update, context, RequestKind.ASK)


async def start(
    update: Update, context: PatchworkContext, kind: RequestKind, text: str | None = None
) -> None:
    """Begin a request or offer (with the text already given after /vragen, if any)."""
    await flows.begin(update, context, REQUEST, lambda flow, me: flow.start(me, kind, text))


async def offer_to_ask(update: Update, context: PatchworkContext, words: str) -> None:
    """After a search that found nobody: "Vraag het de straat" asks with the same words."""
    await flows.begin(update, context, REQUEST, lambda flow, me: flow.prefill(me, words))
