"""The operator's commands: find ids, grant and revoke the coordinator role."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import migrate
from bot.storage.db import SqlDatabase
from models.core import ChatRef, MembershipRole, NeighbourhoodRole
from tests import backends

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def _seed(url: str) -> tuple[int, int, int]:
    db = SqlDatabase.from_url(url)
    await migrate.upgrade(db.engine)
    async with db.write() as tx:
        hood = await tx.neighbourhoods.add("Oost", "Vlietstad", NOW)
        street = await tx.streets.add(
            hood.id, "Zonnebloemstraat", ChatRef(chat_id="-1"), "g", "nl", "cccccccccc", NOW
        )
        gijs = await tx.residents.add("telegram", "42", "Gijs", "nl", NOW)
        truus = await tx.residents.add(
            None, None, "Truus", "nl", NOW, is_proxy=True, phone="06 12345678"
        )
        for person in (gijs, truus):
            await tx.memberships.add(person.id, street.id, MembershipRole.MEMBER, NOW)
    await db.close()
    return hood.id, gijs.id, truus.id


async def _roles(url: str, resident_id: int) -> list[tuple[int, NeighbourhoodRole]]:
    db = SqlDatabase.from_url(url)
    async with db.read() as tx:
        roles = list(await tx.memberships.roles(resident_id))
        granted = await tx.outbox.counts()
    await db.close()
    assert granted.get("pending", 0) >= (1 if roles else 0)
    return roles


def test_operator_finds_ids_and_grants_the_coordinator_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = backends.url_for(tmp_path / "cli.sqlite3")
    monkeypatch.setenv("PATCHWORK_DATABASE_URL", url)
    hood, gijs, truus = asyncio.run(_seed(url))

    assert main(["neighbourhoods"]) == 0
    assert f"{hood}\tOost (Vlietstad)\tZonnebloemstraat" in capsys.readouterr().out

    assert main(["residents", "--neighbourhood-id", str(hood)]) == 0
    out = capsys.readouterr().out
    assert f"{gijs}\tGijs\tZonnebloemstraat" in out
    assert f"{truus}\tTruus\tZonnebloemstraat\tno Telegram" in out
    assert "12345678" not in out

    args = ["role", "grant", "--neighbourhood-id", str(hood), "--resident-id", str(gijs)]
    assert main([*args, "coordinator"]) == 0
    assert "Granted: coordinator" in capsys.readouterr().out
    assert main([*args, "coordinator"]) == 0
    assert "Already held" in capsys.readouterr().out
    assert asyncio.run(_roles(url, gijs)) == [(hood, NeighbourhoodRole.COORDINATOR)]

    assert main(["role", "list"]) == 0
    assert f"{hood}\tOost\tcoordinator\t{gijs}\tGijs" in capsys.readouterr().out

    bad = ["role", "grant", "--neighbourhood-id", str(hood), "--resident-id", "999"]
    assert main([*bad, "coordinator"]) == 1
    assert main(["role", "revoke", *args[2:], "coordinator"]) == 0
    assert "Revoked" in capsys.readouterr().out
    assert asyncio.run(_roles(url, gijs)) == []
