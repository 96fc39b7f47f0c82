"""What every update passes first and last: deduplication, spam guard, fallbacks, errors."""

from __future__ import annotations

import contextlib
import logging
import time
import traceback

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.common import answer, button, chat_of, is_private, keyboard, send, user_of, who
from handlers.context import PatchworkApp, PatchworkContext
from handlers.menu import main_menu
from handlers.say import say

log = logging.getLogger(__name__)

GUARD_GROUP = -100
OPERATOR_ALERT_EVERY = 300.0


class SpamGuard:
    """Per-person limit on incoming messages and presses (in memory: it guards, not records)."""

    def __init__(self, per_minute: int) -> None:
        self._per_minute = per_minute
        self._limiters: dict[int, AsyncLimiter] = {}
        self._warned: dict[int, float] = {}

    def allow(self, user_id: int) -> bool:
        """Count one action; False when the person is over the limit."""
        if len(self._limiters) > 4096:
            self._limiters = {
                k: v for k, v in self._limiters.items() if not v.has_capacity(v.max_rate)
            }
        limiter = self._limiters.setdefault(user_id, AsyncLimiter(self._per_minute, 60))
        if not limiter.has_capacity():
            return False
        # has_capacity() was checked above, so acquiring never waits.
        limiter._level += 1
        return True

    def should_warn(self, user_id: int) -> bool:
        """Warn a person at most once a minute."""
        now = time.monotonic()
        if now - self._warned.get(user_id, 0.0) < 60:
            return False
        self._warned[user_id] = now
        return True


async def guard(update: Update, context: PatchworkContext) -> None:
    """Drop duplicates, edits, channel posts and spam before any handler sees them."""
    services = context.services
    if await services.updates.handled_before(update.update_id):
        log.info("duplicate update %d ignored", update.update_id)
        raise ApplicationHandlerStop
    if update.edited_message or update.edited_channel_post or update.channel_post:
        raise ApplicationHandlerStop
    message = update.message
    if message is not None and not is_private(update):
        if message.forward_origin is not None:
            raise ApplicationHandlerStop
        if message.sender_chat is not None:
            # An anonymous administrator or a channel: nobody we could act for.
            if (message.text or "").startswith("/"):
                language = services.settings.default_language
                street = await services.streets.by_chat(chat_of(update))
                await send(
                    update,
                    say(context, street.language if street else language).t("errors.anonymous"),
                )
            raise ApplicationHandlerStop
    user = update.effective_user
    if user is None or user.is_bot:
        if update.my_chat_member is None:
            raise ApplicationHandlerStop
        return
    spam = context.bot_data.spam
    if not spam.allow(user.id):
        if spam.should_warn(user.id) and is_private(update):
            me = await who(update, context)
            await send(update, say(context, me.language).t("errors.rate_limited"))
        await answer(update)
        raise ApplicationHandlerStop
    await services.residents.seen(user_of(update))


async def fallback_text(update: Update, context: PatchworkContext) -> None:
    """Private text nobody was waiting for: point kindly at the menu.

    With a case open, the wijkteam is offered first: that text may well be meant for them,
    and it is never forwarded on a guess."""
    me = await who(update, context)
    s = say(context, me.language)
    case = await context.services.escalation.my_case(me.user)
    if case is not None and not case.case.closed:
        rows = [[button(s.p("fallback.to_team"), "rc", "m", case.case.id)]]
        await send(update, s.t("fallback.text_case"), keyboard(rows))
        return
    await send(update, s.t("fallback.text"), keyboard(main_menu(context, me.language)))


async def fallback_button(update: Update, context: PatchworkContext) -> None:
    """A button no handler knows (an old keyboard after an update)."""
    me = await who(update, context)
    await answer(update, say(context, me.own).p("errors.stale"), alert=True)


async def on_error(update: object, context: PatchworkContext) -> None:
    """The one global error handler: log (no texts, no token), tell the operator, apologise."""
    error = context.error
    if error is None:
        return
    detail = error.message if isinstance(error, TelegramError) else "(message withheld)"
    stack = "".join(traceback.format_tb(error.__traceback__))
    log.error("unhandled %s: %s\n%s", type(error).__name__, detail, stack)
    services = context.bot_data.services
    chat_id = services.settings.operator_chat_id
    alerts = context.bot_data.alerts
    now = time.monotonic()
    if chat_id is not None and now - alerts.get(type(error).__name__, -1e9) > OPERATOR_ALERT_EVERY:
        alerts[type(error).__name__] = now
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                chat_id,
                say(context, services.settings.default_language).t(
                    "errors.operator_alert",
                    error=type(error).__name__,
                ),
                parse_mode=ParseMode.HTML,
            )
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(Exception):
            me = await who(update, context)
            await answer(update)
            await send(update, say(context, me.language).t("errors.internal"))


def register_first(app: PatchworkApp) -> None:
    """The guard runs before everything."""
    app.add_handler(TypeHandler(Update, guard), group=GUARD_GROUP)


def register_last(app: PatchworkApp) -> None:
    """Fallbacks: registered last in group 0, so they run only when nothing else matched."""
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL,
            fallback_text,
        )
    )
    app.add_handler(CallbackQueryHandler(fallback_button))
    app.add_error_handler(on_error)
