"""Which database the storage and end-to-end suites run on, and fresh databases on it.

`PATCHWORK_TEST_BACKEND` chooses: `sqlite` (the default: a file in the test's tmp_path)
or `postgresql`, on the server at `PATCHWORK_TEST_POSTGRES_URL` (any database on it; the
user must be allowed to create databases). `make test-postgres` and `.ci/run` start a
throw-away cluster and set both.

On PostgreSQL every test gets its own database, cloned from a template migrated once per
session (`CREATE DATABASE … TEMPLATE`, a file copy, far quicker than migrating), and
dropped afterwards. A test that names a SQLite file (`running_bot(tmp_path / "x.sqlite3")`,
a `patchwork` process's URL) gets one database per file name through `url_for`, so a
restart on "the same file" finds the same data.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.engine import make_url

BACKEND = os.environ.get("PATCHWORK_TEST_BACKEND", "sqlite").strip().lower()
if BACKEND not in {"sqlite", "postgresql"}:
    raise RuntimeError(f"PATCHWORK_TEST_BACKEND must be sqlite or postgresql, not {BACKEND!r}")
POSTGRES = BACKEND == "postgresql"

T = TypeVar("T")


def _sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end on its own loop, also from inside a running test's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class PostgresServer:
    """A PostgreSQL server the tests may create and drop databases on."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self._admin = parsed.set(drivername="postgresql", database=parsed.database or "postgres")
        self._names = itertools.count(1)
        self._prefix = f"pw{os.getpid()}"
        self.template = f"{self._prefix}_template"
        self._ready = False
        self._strategy = ""

    def url(self, database: str) -> str:
        """The bot's URL (asyncpg driver) for a database on this server."""
        return self._admin.set(
            drivername="postgresql+asyncpg", database=database
        ).render_as_string(hide_password=False)

    async def _execute(self, *statements: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self._admin.render_as_string(hide_password=False))
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    async def _copy_strategy(self) -> str:
        """PostgreSQL 15+ copies a small template ten times faster file by file."""
        import asyncpg

        conn = await asyncpg.connect(self._admin.render_as_string(hide_password=False))
        try:
            version = int(await conn.fetchval("SHOW server_version_num"))
        finally:
            await conn.close()
        return " STRATEGY FILE_COPY" if version >= 150000 else ""

    async def _make_template(self) -> None:
        from bot.storage import migrate
        from bot.storage.db import make_engine

        await self._execute(
            f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
            f'CREATE DATABASE "{self.template}" TEMPLATE template0',
        )
        engine = make_engine(self.url(self.template))
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    def create(self, *, migrated: bool = True) -> str:
        """A new database (a copy of the migrated template, or empty); its name."""
        if migrated and not self._ready:
            _sync(self._make_template())
            self._strategy = _sync(self._copy_strategy())
            self._ready = True
        name = f"{self._prefix}_{next(self._names)}"
        source = self.template if migrated else "template0"
        strategy = self._strategy if migrated else ""
        _sync(self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"{strategy}'))
        return name

    def drop(self, *names: str) -> None:
        """Drop databases (closing what still holds them open)."""
        if names:
            _sync(self._execute(*(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names)))

    def close(self) -> None:
        """Drop the template at the end of the session."""
        if self._ready:
            self.drop(self.template)
            self._ready = False


_server: PostgresServer | None = None


def server() -> PostgresServer:
    """The test PostgreSQL server (PATCHWORK_TEST_POSTGRES_URL), opened once per session."""
    global _server  # noqa: PLW0603 - one server per test session
    if _server is None:
        url = os.environ.get("PATCHWORK_TEST_POSTGRES_URL", "").strip()
        if not url:
            raise RuntimeError(
                "PATCHWORK_TEST_BACKEND=postgresql needs PATCHWORK_TEST_POSTGRES_URL "
                "(or run `make test-postgres`, which starts a throw-away cluster)"
            )
        _server = PostgresServer(url)
    return _server


class Databases:
    """The databases one test uses: one per SQLite file name it mentions."""

    def __init__(self) -> None:
        self._by_path: dict[str, str] = {}
        self._created: list[str] = []

    def url_for(self, path: Path, *, migrated: bool = True) -> str:
        """The URL a test's "SQLite file" stands for on this backend."""
        if not POSTGRES:
            return f"sqlite+aiosqlite:///{path}"
        key = str(path)
        if key not in self._by_path:
            self._by_path[key] = server().create(migrated=migrated)
            self._created.append(self._by_path[key])
        return server().url(self._by_path[key])

    def empty(self, path: Path) -> str:
        """A URL for a database with no tables at all (migration tests)."""
        return self.url_for(path, migrated=False)

    def drop_all(self) -> None:
        """Drop what this test created."""
        if self._created:
            server().drop(*self._created)
            self._created.clear()
            self._by_path.clear()


_current: Databases | None = None


def use(databases: Databases | None) -> None:
    """Make these the running test's databases (the autouse fixture in tests/conftest.py)."""
    global _current  # noqa: PLW0603 - one running test at a time
    _current = databases


def url_for(path: Path) -> str:
    """The running test's URL for a "SQLite file": the file itself, or its PostgreSQL stand-in."""
    if _current is None:
        raise RuntimeError("url_for is for tests (the databases fixture sets it up)")
    return _current.url_for(path)
