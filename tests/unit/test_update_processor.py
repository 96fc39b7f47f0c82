"""Updates run concurrently across chats and strictly in order within one chat."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update

from bot.updates import PerChatUpdateProcessor


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    message = Message(update_id, None, chat)  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_same_chat_in_order_other_chats_in_parallel() -> None:
    processor = PerChatUpdateProcessor(max_concurrent_updates=8)
    events: list[str] = []
    release = asyncio.Event()
    woken: list[int] = []
    processor.after_update = lambda: woken.append(1)

    async def slow(name: str) -> None:
        events.append(f"start {name}")
        await release.wait()
        events.append(f"end {name}")

    async def quick(name: str) -> None:
        events.append(f"run {name}")

    tasks = [
        asyncio.create_task(processor.process_update(_update(1, 10), slow("a1"))),
        asyncio.create_task(processor.process_update(_update(2, 10), quick("a2"))),
        asyncio.create_task(processor.process_update(_update(3, 20), quick("b1"))),
    ]
    await asyncio.sleep(0.05)
    assert events == ["start a1", "run b1"]
    release.set()
    await asyncio.gather(*tasks)
    assert events == ["start a1", "run b1", "end a1", "run a2"]
    assert len(woken) == 3
    assert processor.in_flight == 0
