"""Steps the data-rights tests share: export, forget, and a search of every table."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from bot.sandbox.fake_telegram import FakeUser
from bot.sandbox.harness import Harness
from bot.storage.tables import metadata

FORGET_YES = "🗑 Ja, wis mijn gegevens"
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


async def my_data(bot: Harness, user: FakeUser) -> tuple[str, dict[str, Any]]:
    """/mijngegevens: the readable text (all parts) and the JSON file."""
    before = len(user.private.bot_messages)
    user.send("/mijngegevens")
    await bot.settle()
    new = user.private.bot_messages[before:]
    document = new[-1].document
    assert document is not None
    content, _, _ = bot.fake.files[document["file_id"]]
    text = "\n".join(m.text or "" for m in new if m.document is None)
    return text, json.loads(content)


async def forget(bot: Harness, user: FakeUser) -> None:
    """/vergeetmij and the confirmation."""
    user.send("/vergeetmij")
    await bot.settle()
    user.press(user.private.with_button(FORGET_YES), FORGET_YES)
    await bot.settle()
    assert "Je gegevens zijn gewist" in user.private.last.text


async def leftovers(bot: Harness, needles: Iterable[str], exact: Iterable[str] = ()) -> list[str]:
    """Every text column of every table that still holds a needle (any case) or an exact id.

    Needles are names and texts; exact values are channel ids, which also count inside a
    JSON document when quoted ("100003").
    """
    folded = [n.casefold() for n in needles]
    exact = list(exact)
    found: list[str] = []
    async with bot.services.db.read() as tx:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text)]
            if not columns:
                continue
            for row in (await tx.conn.execute(sa.select(*columns))).all():
                for column, value in zip(columns, row, strict=True):
                    if not isinstance(value, str):
                        continue
                    low = value.casefold()
                    hits = [n for n in folded if n in low]
                    hits += [e for e in exact if value == e or f'"{e}"' in value]
                    found += [f"{table.name}.{column.name}: {hit}" for hit in hits]
    return found


async def count(bot: Harness, sql: str) -> int:
    """One number from the database."""
    async with bot.services.db.read() as tx:
        return int((await tx.conn.execute(sa.text(sql))).scalar_one())
