"""Migrations: from an empty database and from every earlier revision, matching the schema.

On the test backend (SQLite, or PostgreSQL with PATCHWORK_TEST_BACKEND=postgresql).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.storage import migrate
from bot.storage.db import make_engine
from bot.storage.tables import metadata
from tests.backends import Databases


def _diff(connection: sa.Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in script.walk_revisions("base", "heads")]


async def test_empty_database_migrates_to_heads_matching_the_schema(
    tmp_path: Path, databases: Databases
) -> None:
    engine = make_engine(databases.empty(tmp_path / "empty.sqlite3"))
    await migrate.upgrade(engine)
    assert await migrate.current_revisions(engine) == migrate.head_revisions()
    async with engine.connect() as conn:
        assert await conn.run_sync(_diff) == []
    await engine.dispose()


@pytest.mark.parametrize("revision", _revisions())
async def test_every_revision_upgrades_to_heads(
    tmp_path: Path, databases: Databases, revision: str
) -> None:
    engine = make_engine(databases.empty(tmp_path / "step.sqlite3"))
    await migrate.upgrade(engine, revision)
    await migrate.upgrade(engine)
    assert await migrate.current_revisions(engine) == migrate.head_revisions()
    await engine.dispose()


async def test_downgrade_to_base_and_up_again(tmp_path: Path, databases: Databases) -> None:
    engine = make_engine(databases.empty(tmp_path / "down.sqlite3"))
    await migrate.upgrade(engine)
    await migrate.downgrade(engine, "base")
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}
    await migrate.upgrade(engine)
    await engine.dispose()
