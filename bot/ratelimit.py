"""Outgoing rate limits: Telegram's overall and per-group limits, plus one per private chat."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class PatchworkRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (overall and per-group limits, RetryAfter honoured) with a
    per-private-chat limit on top, which Telegram asks for and AIORateLimiter lacks.

    The defaults stay a little under Telegram's published limits (30/s, 20/min per group)
    so that network jitter never pushes a burst over them."""

    def __init__(
        self,
        *,
        overall_per_second: float = 25,
        group_per_minute: float = 18,
        private_per_second: float = 1,
        private_burst: int = 3,
        max_retries: int = 3,
    ) -> None:
        super().__init__(
            overall_max_rate=overall_per_second,
            overall_time_period=1,
            group_max_rate=group_per_minute,
            group_time_period=60,
            max_retries=max_retries,
        )
        self._private_rate = private_per_second
        self._private_burst = private_burst
        self._private: dict[int, AsyncLimiter] = {}

    def _private_limiter(self, chat_id: int) -> AsyncLimiter:
        if len(self._private) > 1024:
            for key, limiter in list(self._private.items()):
                if limiter.has_capacity(limiter.max_rate):
                    del self._private[key]
        if chat_id not in self._private:
            # A short burst (a reply of three messages) is fine; the average stays at the rate.
            self._private[chat_id] = AsyncLimiter(
                max_rate=self._private_burst, time_period=self._private_burst / self._private_rate
            )
        return self._private[chat_id]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Wait for the private chat's limit (messages only), then the usual limits."""
        chat_id = data.get("chat_id")
        private: contextlib.AbstractAsyncContextManager[Any] = contextlib.nullcontext()
        if endpoint.startswith(("send", "copy", "forward")) and self._private_rate:
            with contextlib.suppress(TypeError, ValueError):
                numeric = int(chat_id)  # type: ignore[arg-type]
                if numeric > 0:
                    private = self._private_limiter(numeric)
        async with private:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
