"""Shared fixtures: a fake clock, a migrated database, and the bot on the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.harness import Harness, running_bot
from bot.storage import migrate
from bot.storage.db import SqlDatabase
from models.clock import FakeClock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Where every test's clock starts unless the test chooses another moment: Monday 30 November
# 2026, 10:00 in Amsterdam. No test reads the machine's date (try the suite under faketime).
PINNED = datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def clock() -> FakeClock:
    """The pinned moment, on a clock that moves only when told."""
    return FakeClock(PINNED)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[SqlDatabase]:
    """A real SQLite file, migrated to head."""
    database = SqlDatabase.from_url(f"sqlite+aiosqlite:///{tmp_path / 'patchwork.sqlite3'}")
    await migrate.upgrade(database.engine)
    yield database
    await database.close()


@pytest.fixture
async def bot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The real bot, polling the fake Bot API, on a fresh database."""
    async with running_bot(tmp_path / "bot.sqlite3", clock=clock) as harness:
        yield harness
