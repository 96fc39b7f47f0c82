"""`patchwork digest send`: one street's digest now, or every due one, through the outbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import migrate
from bot.storage.db import SqlDatabase
from models.core import ChatRef
from tests import backends

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def _seed(url: str) -> tuple[int, int]:
    db = SqlDatabase.from_url(url)
    await migrate.upgrade(db.engine)
    async with db.write() as tx:
        hood = await tx.neighbourhoods.add("Oost", "Vlietstad", NOW)
        quiet = await tx.streets.add(
            hood.id, "Zonnebloemstraat", ChatRef(chat_id="-1"), "g", "nl", "cccccccccc", NOW
        )
        gone = await tx.streets.add(hood.id, "Lindelaan", None, "g2", "nl", "dddddddddd", NOW)
    await db.close()
    return quiet.id, gone.id


async def _outbox(url: str) -> dict[str, int]:
    db = SqlDatabase.from_url(url)
    async with db.read() as tx:
        counts = await tx.outbox.counts()
    await db.close()
    return counts


def test_the_operator_sends_a_digest_now_and_hears_why_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = backends.url_for(tmp_path / "cli.sqlite3")
    monkeypatch.setenv("PATCHWORK_DATABASE_URL", url)
    quiet, gone = asyncio.run(_seed(url))

    # Nothing happened in the street: nothing is sent, and the week counts as handled.
    assert main(["digest", "send", "--street", str(quiet)]) == 1
    assert "nothing to tell this week" in capsys.readouterr().out
    assert main(["digest", "send", "--street", str(quiet)]) == 1
    assert "had its digest this week already" in capsys.readouterr().out
    assert main(["digest", "send", "--street", str(gone)]) == 1
    assert "has no active group" in capsys.readouterr().out
    assert main(["digest", "send", "--street", "999"]) == 2
    assert "Not done" in capsys.readouterr().out
    assert main(["digest", "send", "--due"]) == 0
    assert "due digest(s) put in the outbox" in capsys.readouterr().out
    assert asyncio.run(_outbox(url)).get("pending", 0) == 0
    with pytest.raises(SystemExit):
        main(["digest", "send"])  # --street or --due
