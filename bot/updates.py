"""Update processing: concurrent across chats, strictly in order within one chat."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """One slow conversation (a PDF, a long fan-out) does not hold up the rest of the street,
    yet two taps by the same person are handled one after the other."""

    def __init__(self, max_concurrent_updates: int = 16) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self.after_update: Callable[[], None] | None = None
        # Called with each update once all its handlers are done, still under its chat's
        # lock, so a duplicate queued behind it already finds it recorded.
        self.when_handled: Callable[[object], Awaitable[None]] | None = None
        self.in_flight = 0

    @staticmethod
    def _key(update: object) -> int:
        if isinstance(update, Update):
            if update.effective_chat is not None:
                return update.effective_chat.id
            if update.effective_user is not None:
                return update.effective_user.id
        return 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the handler coroutine under its chat's lock."""
        key = self._key(update)
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        self.in_flight += 1
        try:
            async with lock:
                await coroutine
                if self.when_handled is not None:
                    await self.when_handled(update)
        finally:
            self.in_flight -= 1
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
            if self.after_update is not None:
                self.after_update()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
