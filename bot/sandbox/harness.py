"""Run the real bot against the fake Bot API in-process (tests, demos, the sandbox)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.app import ALLOWED_UPDATES, Runtime, build_application
from bot.ratelimit import PatchworkRateLimiter
from bot.sandbox.clock import SandboxClock
from bot.sandbox.fake_telegram import FakeTelegram
from bot.services import Services
from config.settings import Settings, load_settings
from handlers.context import PatchworkApp
from models.clock import Clock

TEST_TOKEN = "123456789:TEST-token-for-the-fake-bot-api-xyz"  # noqa: S105 - not a secret


class Harness:
    """The real Application, polling the fake server, with helpers to wait for quiet."""

    def __init__(
        self,
        fake: FakeTelegram,
        settings: Settings,
        clock: Clock,
        request_options: dict[str, Any] | None = None,
        rate_limiter: PatchworkRateLimiter | None = None,
    ) -> None:
        self.fake = fake
        self.settings = settings
        self.clock = clock
        self.request_options = request_options or {}
        self.rate_limiter = rate_limiter
        self.app: PatchworkApp | None = None
        self.runtime: Runtime | None = None

    @property
    def services(self) -> Services:
        """The running bot's services."""
        assert self.runtime is not None
        assert self.runtime.services is not None
        return self.runtime.services

    async def start(self) -> None:
        """Start the bot as `patchwork run` would, but inside this event loop."""
        app, runtime = build_application(
            self.settings, clock=self.clock, rate_limiter=self.rate_limiter, **self.request_options
        )
        self.app, self.runtime = app, runtime
        await app.initialize()
        await runtime.open(app)
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0.0,
            timeout=self.settings.polling_timeout,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )
        await app.start()

    async def stop(self) -> None:
        """Stop like SIGTERM does: intake first, then the running work, then storage."""
        app, runtime = self.app, self.runtime
        if app is None or runtime is None:
            return
        assert app.updater is not None
        if app.updater.running:
            stopping = asyncio.create_task(app.updater.stop())
            while not stopping.done():
                await self.fake.release_polls()
                await asyncio.sleep(0.01)
            await stopping
        if app.running:
            await app.stop()
        await runtime.stop_background(app)
        await app.shutdown()
        await runtime.close(app)
        self.app = self.runtime = None

    async def restart(self) -> None:
        """Stop and start again on the same database (a deploy, a crash recovery)."""
        await self.stop()
        await self.start()

    def _quiet(self) -> bool:
        app, runtime = self.app, self.runtime
        if app is None or runtime is None or runtime.services is None:
            return True
        dispatcher = runtime.services.dispatcher
        return (
            self.fake.pending_updates == 0
            and app.update_queue.empty()
            and runtime.processor.in_flight == 0
            and runtime.processor.current_concurrent_updates == 0
            and (dispatcher is None or not dispatcher.busy)
        )

    async def _outbox_due(self) -> bool:
        services = self.services
        async with services.db.read() as tx:
            due = await tx.outbox.next_due()
        return due is not None and due <= self.clock.now()

    async def settle(self, within: float = 15.0) -> None:
        """Wait until the bot has handled every update and sent everything that is due."""
        deadline = time.monotonic() + within
        calm = 0
        while time.monotonic() < deadline:
            if self._quiet() and not await self._outbox_due():
                calm += 1
                if calm >= 3:
                    return
            else:
                calm = 0
                if self.runtime and self.runtime.services and self.runtime.services.dispatcher:
                    self.runtime.services.dispatcher.wake()
            await asyncio.sleep(0.02)
        raise TimeoutError("the bot did not settle in time")

    async def tick(self) -> None:
        """Run the sweeps now (as the every-minute job does) and deliver what they enqueued."""
        assert self.runtime is not None
        await self.settle()
        await self.runtime.sweep()
        await self.settle()

    async def pass_time(self, clock: SandboxClock, span: timedelta, step: timedelta) -> None:
        """Move a sandbox clock on by `span`, running the sweeps after every `step`.

        Time passing, not downtime: what falls due on the way is sent at about its moment.
        Settles only where a sweep left work, so a quiet week takes seconds, not minutes."""
        assert self.runtime is not None
        await self.settle()
        remaining = span
        while remaining > timedelta(0):
            moved = min(remaining, step)
            clock.advance(moved)
            remaining -= moved
            await self.runtime.sweep()
            if not self._quiet() or await self._outbox_due():
                await self.settle()


def harness_settings(base_url: str, db_path: Path, **overrides: Any) -> Settings:
    """Settings for a bot that talks to the fake server."""
    values: dict[str, Any] = {
        "bot_token": TEST_TOKEN,
        "telegram_base_url": base_url,
        "database_url": f"sqlite+aiosqlite:///{db_path}",
        "polling_timeout": 1,
        "sweep_interval_seconds": 3600,
        **overrides,
    }
    return load_settings(**values)


@contextlib.asynccontextmanager
async def running_bot(
    db_path: Path,
    *,
    clock: Clock,
    fake: FakeTelegram | None = None,
    request_options: dict[str, Any] | None = None,
    **overrides: Any,
) -> AsyncIterator[Harness]:
    """A started fake server and bot on the given clock (tests pin it); both stopped afterwards."""
    fake = fake or FakeTelegram(now=clock.now)
    await fake.start()
    settings = harness_settings(fake.base_url, db_path, **overrides)
    harness = Harness(fake, settings, clock, request_options)
    try:
        await harness.start()
        yield harness
    finally:
        await harness.stop()
        await fake.stop()
