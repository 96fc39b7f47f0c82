"""Alembic migrations, run programmatically at start and by `patchwork migrate`.

Each capability keeps its own branch of revisions off the foundation, so that work on
different capabilities never fights over one linear history; `heads` applies them all.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str = "") -> Config:
    """An Alembic config without an ini file."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def _run(connection: sa.Connection, target: str, downgrade: bool) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    if downgrade:
        command.downgrade(cfg, target)
    else:
        command.upgrade(cfg, target)


async def upgrade(engine: AsyncEngine, target: str = "heads") -> None:
    """Apply migrations up to target (default: every head)."""
    async with engine.begin() as conn:
        await conn.run_sync(_run, target, False)


async def downgrade(engine: AsyncEngine, target: str) -> None:
    """Undo migrations down to target."""
    async with engine.begin() as conn:
        await conn.run_sync(_run, target, True)


def _current(connection: sa.Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


async def current_revisions(engine: AsyncEngine) -> set[str]:
    """Revisions the database is at."""
    async with engine.connect() as conn:
        return await conn.run_sync(_current)


def head_revisions() -> set[str]:
    """Every head in the migration scripts."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())
