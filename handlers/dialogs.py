"""Typed answers: a flow says which text it waits for, the router hands the text to it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.storage.repos.infra import Dialog
from handlers.callbacks import BadCallback
from handlers.common import chat_of, explain, is_private, user_of
from handlers.context import PatchworkApp, PatchworkContext
from models.errors import DomainError, StaleAction

TextStep = Callable[[Update, PatchworkContext, Dialog], Awaitable[None]]

ROUTER_GROUP = -5
_steps: dict[str, TextStep] = {}


def text_step(flow: str) -> Callable[[TextStep], TextStep]:
    """Decorator: this function handles the text typed while `flow` waits."""

    def decorate(fn: TextStep) -> TextStep:
        if flow in _steps and _steps[flow] is not fn:
            raise ValueError(f"text step {flow} registered twice")
        _steps[flow] = fn
        return fn

    return decorate


async def expect(update: Update, context: PatchworkContext, flow: str, **data: Any) -> None:
    """Wait for this person's next text in this chat."""
    await context.services.dialogs.put(chat_of(update), user_of(update).external_id, flow, data)


async def finish(update: Update, context: PatchworkContext) -> None:
    """Stop waiting for text from this person in this chat."""
    await context.services.dialogs.clear(chat_of(update), user_of(update).external_id)


async def current(update: Update, context: PatchworkContext) -> Dialog | None:
    """What this person is in the middle of here, if anything."""
    return await context.services.dialogs.get(chat_of(update), user_of(update).external_id)


async def answers(
    update: Update, context: PatchworkContext, flow: str, *steps: str
) -> dict[str, Any]:
    """The answers so far of `flow`, waiting at one of `steps` (any step when none given).

    A button of a flow that ended, of another flow or of an earlier step is stale: the
    person gets the polite "this button is no longer valid" answer instead.
    """
    dialog = await current(update, context)
    if dialog is None or dialog.flow != flow or (steps and dialog.data.get("step") not in steps):
        raise StaleAction()
    return dict(dialog.data)


async def route_text(update: Update, context: PatchworkContext) -> None:
    """Hand a typed text to the flow waiting for it, if any."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    if not is_private(update):
        reply = message.reply_to_message
        if reply is None or reply.from_user is None or reply.from_user.id != context.bot.id:
            return
    dialog = await current(update, context)
    if dialog is None:
        return
    step = _steps.get(dialog.flow)
    if step is None:
        await finish(update, context)
        return
    try:
        await step(update, context, dialog)
    except BadCallback:
        await explain(update, context, StaleAction())
    except DomainError as error:
        await explain(update, context, error)
    raise ApplicationHandlerStop


def register(app: PatchworkApp) -> None:
    """Install the router."""
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, route_text),
        group=ROUTER_GROUP,
    )
