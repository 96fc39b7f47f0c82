"""Shared fixtures: a fake clock, a migrated database, and the bot on the fake Bot API.

The database is SQLite unless PATCHWORK_TEST_BACKEND=postgresql (see tests/backends.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox import harness as harness_module
from bot.sandbox.harness import Harness, running_bot
from bot.storage import migrate
from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from tests import backends

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Where every test's clock starts unless the test chooses another moment: Monday 30 November
# 2026, 10:00 in Amsterdam. No test reads the machine's date (try the suite under faketime).
PINNED = datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def clock() -> FakeClock:
    """The pinned moment, on a clock that moves only when told."""
    return FakeClock(PINNED)


def pytest_report_header() -> str:
    """Say which database the storage and end-to-end tests use."""
    return f"database backend: {backends.BACKEND}"


def pytest_sessionfinish() -> None:
    """Drop the PostgreSQL template database, if one was made."""
    if backends.POSTGRES:
        backends.server().close()


@pytest.fixture(autouse=True)
def databases(monkeypatch: pytest.MonkeyPatch) -> Iterator[backends.Databases]:
    """This test's databases; on PostgreSQL the bot's "SQLite file" becomes a database."""
    made = backends.Databases()
    backends.use(made)
    if backends.POSTGRES:
        plain = harness_module.harness_settings

        def settings(base_url: str, db_path: Path, **overrides: Any) -> Any:
            overrides.setdefault("database_url", made.url_for(db_path))
            return plain(base_url, db_path, **overrides)

        monkeypatch.setattr(harness_module, "harness_settings", settings)
    yield made
    backends.use(None)
    made.drop_all()


@pytest.fixture
def database_url(tmp_path: Path, databases: backends.Databases) -> str:
    """The URL of this test's main database (a SQLite file, or a PostgreSQL database)."""
    return databases.url_for(tmp_path / "patchwork.sqlite3")


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[SqlDatabase]:
    """A real database (a SQLite file by default), migrated to head."""
    database = SqlDatabase.from_url(database_url)
    await migrate.upgrade(database.engine)
    yield database
    await database.close()


@pytest.fixture
async def bot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The real bot, polling the fake Bot API, on a fresh database."""
    async with running_bot(tmp_path / "bot.sqlite3", clock=clock) as harness:
        yield harness
