"""Shared pieces of the rides handlers: the button registry, texts for a reader, replies."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Forbidden

from bot.telegram.render import inline_keyboard
from handlers.buttons import on_press
from handlers.callbacks import Callback, decode
from handlers.common import (
    Handler,
    Who,
    answer,
    button,
    is_private,
    keyboard,
    show,
    who,
)
from handlers.context import PatchworkContext
from handlers.rides.say import RideSay
from models.messages import Keyboard

log = logging.getLogger(__name__)


def on(action: str) -> Callable[[Handler], Handler]:
    """Decorator: this handler answers presses of buttons with `action` (friendly errors)."""
    return on_press(action, kind_errors=True)


def pressed(update: Update) -> Callback:
    """The decoded data of the pressed button."""
    assert update.callback_query is not None
    return decode(update.callback_query.data)


def say(context: PatchworkContext, language: str) -> RideSay:
    """Texts in a language."""
    services = context.services
    return RideSay(services.i18n, language, services.settings.tz)


async def reader(update: Update, context: PatchworkContext) -> tuple[Who, RideSay]:
    """The acting person and texts in their own language (also when they act in a group)."""
    me = await who(update, context)
    language = me.resident.language if me.resident is not None else me.language
    return me, say(context, language)


async def show_done(update: Update, s: RideSay, text: str) -> None:
    """Answer the press and end the step: the text with one button back to the rides menu."""
    await answer(update)
    await show(update, text, keyboard([[button(s.p("rides.view.back"), "r.home")]]))


async def reply_private(
    update: Update,
    context: PatchworkContext,
    me: Who,
    text: str,
    markup: Keyboard | None = None,
) -> bool:
    """Answer in the private chat: in place after a private press, as a new message after a
    press in a group. False when the person has not opened a chat with the bot."""
    if is_private(update):
        await show(update, text, markup)
        return True
    try:
        await context.bot.send_message(
            int(me.user.external_id),
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(markup),
        )
    except Forbidden:
        log.info("rides: cannot reach resident privately after a group press")
        return False
    return True
