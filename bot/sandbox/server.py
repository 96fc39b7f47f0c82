"""`patchwork sandbox`: the fake Bot API, the real bot and the web page in one process.

Everything listens on 127.0.0.1 only. The bot gets its own temporary SQLite database
(or a kept one with --db), a clock that can be moved forward from the page, and never a
real token or Telegram's address.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.sandbox import demo as demo_module
from bot.sandbox.clock import SandboxClock
from bot.sandbox.fake_telegram import FakeTelegram
from bot.sandbox.harness import Harness, harness_settings
from bot.sandbox.web import SandboxWeb

log = logging.getLogger(__name__)

BOT_USERNAME = "patchwork_buurt_bot"
NO_TOKEN_BANNER = "Geen token: de lokale proefomgeving draait op {url}"  # noqa: S105 - a banner
BANNER = "De lokale proefomgeving van Patchwork draait op {url}"
STOP_HINT = "Open dit adres in je browser. Stoppen: Ctrl-C."
REAL_BOT_HINT = (
    "Voor de echte bot: vraag bij @BotFather in Telegram een token (/newbot) en zet het in .env "
    "als PATCHWORK_BOT_TOKEN=…"
)


@dataclass(frozen=True)
class SandboxOptions:
    """How to start the sandbox."""

    port: int = 8080
    db: Path | None = None
    demo: bool = True
    host: str = "127.0.0.1"
    start: datetime | None = None  # where the clock starts (aware); None: the wall clock


class Sandbox:
    """Starts and stops the three parts in the right order."""

    def __init__(self, options: SandboxOptions) -> None:
        self.options = options
        self.clock = SandboxClock(options.start)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.fake: FakeTelegram | None = None
        self.harness: Harness | None = None
        self.web: SandboxWeb | None = None
        self.demo: demo_module.Demo | None = None

    @property
    def url(self) -> str:
        """The page's address."""
        assert self.web is not None
        return self.web.url

    def _database(self) -> tuple[Path, int]:
        """The database file, and the first update id (later than any a kept file has seen)."""
        if self.options.db is not None:
            path = self.options.db.expanduser().resolve()
            path.parent.mkdir(parents=True, exist_ok=True)
            # A kept database remembers update ids (duplicates are dropped): continue after
            # them, as Telegram's ids keep growing for a bot.
            return path, _last_update_id(path) + 1
        self._tmp = tempfile.TemporaryDirectory(prefix="patchwork-sandbox-")
        return Path(self._tmp.name) / "sandbox.sqlite3", 1

    async def start(self) -> str:
        """Fake Bot API, then the bot, then the page; returns the page's address."""
        try:
            path, first_update_id = self._database()
            self.fake = FakeTelegram(
                bot_username=BOT_USERNAME,
                now=self.clock.now,
                host=self.options.host,
                first_update_id=first_update_id,
            )
            await self.fake.start()
            settings = harness_settings(
                self.fake.base_url, path, sweep_interval_seconds=60, operator_chat_id=None
            )
            self.harness = Harness(self.fake, settings, self.clock)
            await self.harness.start()
            self.web = SandboxWeb(self.fake, self.harness, self.clock, timezone=settings.timezone)
            return await self.web.start(self.options.host, self.options.port)
        except BaseException:
            await self.stop()
            raise

    async def stage_demo(self) -> None:
        """Play the demo story, showing progress on the page."""
        assert self.harness is not None
        assert self.web is not None
        self.web.set_status("De demo wordt klaargezet…", ready=False)
        try:
            self.demo = await demo_module.stage(self.harness)
        except Exception:
            log.exception("the demo could not be staged")
            self.web.set_status("De demo kon niet helemaal klaargezet worden.", ready=True)
            raise
        self.web.notes.update(self.demo.notes)
        first = self.demo.people.get(demo_module.FIRST_PERSON)
        self.web.first_person = first.id if first else None
        self.web.set_status("", ready=True)

    async def stop(self) -> None:
        """Page first (no new actions), then the bot, then the fake server; then the files."""
        if self.web is not None:
            await self.web.stop()
            self.web = None
        if self.harness is not None:
            await self.harness.stop()
            self.harness = None
        if self.fake is not None:
            await self.fake.stop()
            self.fake = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def _last_update_id(path: Path) -> int:
    """The highest update id a kept database has recorded (0 for a new file)."""
    if not path.exists():
        return 0
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        try:
            row = conn.execute("SELECT MAX(update_id) FROM processed_updates").fetchone()
        except sqlite3.OperationalError:  # not migrated yet
            return 0
    return int(row[0] or 0)


@contextlib.asynccontextmanager
async def running_sandbox(options: SandboxOptions) -> AsyncIterator[Sandbox]:
    """A started sandbox (with the demo staged when asked); stopped afterwards."""
    sandbox = Sandbox(options)
    await sandbox.start()
    try:
        if options.demo:
            await sandbox.stage_demo()
        yield sandbox
    finally:
        await sandbox.stop()


async def _serve(options: SandboxOptions, banner: str) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    sandbox = Sandbox(options)
    try:
        url = await sandbox.start()
    except OSError as err:
        print(
            f"De proefomgeving kan niet starten op poort {options.port}: {err.strerror}. "
            "Kies een andere poort met --port.",
            file=sys.stderr,
        )
        return 2
    try:
        print(banner.format(url=url), flush=True)
        print(STOP_HINT, flush=True)
        staging = asyncio.create_task(sandbox.stage_demo()) if options.demo else None
        waiting = asyncio.create_task(stop.wait())
        if staging is not None:
            await asyncio.wait({staging, waiting}, return_when=asyncio.FIRST_COMPLETED)
            if staging.done() and staging.exception() is None:
                print("De demowijk Oost staat klaar.", flush=True)
        await waiting
        if staging is not None and not staging.done():
            staging.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await staging
        print("De proefomgeving stopt…", flush=True)
        return 0
    finally:
        await sandbox.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def serve(options: SandboxOptions, *, no_token: bool = False) -> int:
    """Run until Ctrl-C or SIGTERM; prints the address first."""
    banner = NO_TOKEN_BANNER if no_token else BANNER
    if no_token:
        print(REAL_BOT_HINT, flush=True)
    return asyncio.run(_serve(options, banner))
