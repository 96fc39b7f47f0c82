"""Composition root: settings → storage → services → python-telegram-bot Application."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, cast

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import HTTPXRequest

from bot.outbox import OutboxDispatcher, Renderers
from bot.ratelimit import PatchworkRateLimiter
from bot.services import Services, build_services
from bot.storage import migrate
from bot.storage.db import SqlDatabase
from bot.telegram.sender import TelegramSender
from bot.telegram_chats import TelegramChats
from bot.updates import PerChatUpdateProcessor
from config.i18n import Translator
from config.settings import Settings
from handlers import registry
from handlers.context import BotData, PatchworkApp, PatchworkContext
from handlers.guard import SpamGuard
from models.clock import Clock, SystemClock
from models.sensitivity import warm_up

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
]
SWEEP_JOB = "sweeper"
SEND_TIMEOUT = 20.0  # seconds to wait for Telegram's answer to a send


class Runtime:
    """Resources that live from start to stop, next to the PTB Application."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.renderers = Renderers()
        self.db: SqlDatabase | None = None
        self.services: Services | None = None
        self.processor = PerChatUpdateProcessor(max_concurrent_updates=16)

    async def _handled(self, update: object) -> None:
        """Remember a fully handled update, so a redelivery of it has no second effect."""
        if isinstance(update, Update) and self.services is not None:
            await self.services.updates.handled(update.update_id)

    async def open(self, app: PatchworkApp) -> None:
        """post_init: open and migrate the database, build services, start the outbox."""
        # Train the sensitivity classifier once, before the first update (a second or two;
        # in a thread, so the event loop stays free). Later calls reuse it.
        started = time.perf_counter()
        await asyncio.to_thread(warm_up)
        log.info("sensitivity detector ready in %.2f s", time.perf_counter() - started)
        self.db = SqlDatabase.from_url(self.settings.database_url)
        await self.db.quick_check()
        await migrate.upgrade(self.db.engine)
        chats = TelegramChats(app.bot)
        services = build_services(
            self.settings,
            self.clock,
            self.db,
            chats,
            Translator.load(default=self.settings.default_language),
            self.renderers,
        )
        services.bot_username = app.bot.username
        app.bot_data.services = services
        app.bot_data.spam = SpamGuard(self.settings.max_messages_per_minute)
        dispatcher = OutboxDispatcher(services, [TelegramSender(app.bot)], self.renderers)
        services.dispatcher = dispatcher
        self.services = services
        self.processor.after_update = services.wake_outbox
        self.processor.when_handled = self._handled
        await dispatcher.start()
        await self._set_commands(app, services)
        if app.job_queue is not None:
            app.job_queue.run_repeating(
                self._sweep_job,
                interval=self.settings.sweep_interval_seconds,
                first=1.0,
                name=SWEEP_JOB,
            )
        log.info("Patchwork is running as @%s", services.bot_username)

    async def _set_commands(self, app: PatchworkApp, services: Services) -> None:
        """Show the few commands there are, per language (buttons do the rest)."""
        for language in ("nl", "en"):
            private = [
                BotCommand("start", services.i18n.plain(language, "commands.start")),
                BotCommand("menu", services.i18n.plain(language, "commands.menu")),
                BotCommand("vragen", services.i18n.plain(language, "commands.ask")),
                BotCommand("aanbieden", services.i18n.plain(language, "commands.offer")),
                BotCommand("wiekanwat", services.i18n.plain(language, "commands.who")),
                BotCommand("hulp", services.i18n.plain(language, "commands.help")),
                BotCommand("hulpverlener", services.i18n.plain(language, "commands.professional")),
                BotCommand("taal", services.i18n.plain(language, "commands.language")),
                BotCommand("privacy", services.i18n.plain(language, "commands.privacy")),
            ]
            group = [
                BotCommand("setup", services.i18n.plain(language, "commands.setup")),
                BotCommand("melden", services.i18n.plain(language, "commands.report")),
                BotCommand("instellingen", services.i18n.plain(language, "commands.settings")),
                BotCommand("digest", services.i18n.plain(language, "commands.digest")),
                BotCommand("kaart", services.i18n.plain(language, "commands.card")),
            ]
            code = None if language == services.settings.default_language else language
            try:
                await app.bot.set_my_commands(
                    private, scope=BotCommandScopeAllPrivateChats(), language_code=code
                )
                await app.bot.set_my_commands(
                    group, scope=BotCommandScopeAllGroupChats(), language_code=code
                )
            except TelegramError as err:
                log.warning("could not set the command list: %s", err.message)

    async def _sweep_job(self, context: PatchworkContext) -> None:
        await self.sweep()

    async def sweep(self) -> None:
        """Run every sweep once (each claims its own due work), then wake the outbox."""
        services = self.services
        if services is None:
            return
        for name, sweep in services.sweeps:
            try:
                await sweep()
            except Exception:
                log.exception("sweep %r failed", name)
        services.wake_outbox()

    async def stop_background(self, app: PatchworkApp) -> None:
        """post_stop: finish the outbox batch in hand (the bot can still send)."""
        if self.services is not None and self.services.dispatcher is not None:
            await self.services.dispatcher.stop()

    async def close(self, app: PatchworkApp) -> None:
        """post_shutdown: close the database."""
        if self.db is not None:
            await self.db.close()
            self.db = None


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rate_limiter: PatchworkRateLimiter | None = None,
    **request_options: Any,
) -> tuple[PatchworkApp, Runtime]:
    """The PTB Application with Patchwork's handlers, limits and life cycle."""
    runtime = Runtime(settings, clock or SystemClock())
    base_url = settings.telegram_base_url
    file_url = base_url.removesuffix("/bot") + "/file/bot"
    # Telegram sometimes takes several seconds to answer a send; PTB's default 5 s read
    # timeout then retried a send that had arrived, and the message came twice. 20 s fits
    # its slow answers and still lets SIGTERM finish within 30 s.
    timeouts = {"read_timeout": SEND_TIMEOUT, "write_timeout": SEND_TIMEOUT}
    request = HTTPXRequest(connection_pool_size=32, **(timeouts | request_options))
    poll_request = HTTPXRequest(read_timeout=settings.polling_timeout + 10, connection_pool_size=2)
    app = cast(
        PatchworkApp,
        ApplicationBuilder()
        .token(settings.token())
        .base_url(base_url)
        .base_file_url(file_url)
        .request(request)
        .get_updates_request(poll_request)
        .rate_limiter(rate_limiter or PatchworkRateLimiter())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=settings.tz,
            )
        )
        .context_types(ContextTypes(context=PatchworkContext, bot_data=BotData))
        .concurrent_updates(runtime.processor)
        .post_init(runtime.open)
        .post_stop(runtime.stop_background)
        .post_shutdown(runtime.close)
        .build(),
    )
    registry.register(app, runtime.renderers)
    return app, runtime
