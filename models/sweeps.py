"""The frame every periodic sweep shares: one write transaction over what is due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from models.ports import Database, Transaction

Item = TypeVar("Item")


async def sweep_due(
    db: Database,
    due: Callable[[Transaction], Awaitable[Iterable[Item]]],
    handle: Callable[[Transaction, Item], Awaitable[bool]],
) -> int:
    """Handle every due item in one write transaction; how many `handle` said it did.

    `handle` claims its item (usually with a conditional update, so a second run or a
    second process skips it) and enqueues what the item needs; it returns False for an
    item someone else claimed meanwhile.
    """
    count = 0
    async with db.write() as tx:
        for item in await due(tx):
            if await handle(tx, item):
                count += 1
    return count
