"""Update round trip: N residents tap /start; how long until every one has an answer.

Baseline: a bare python-telegram-bot Application on the same fake Bot API that answers
/start with a fixed text (no database, no guard). Patchwork: the real bot (deduplication
write, spam guard, resident lookup, translated reply). Both use the same rate limiter with
limits raised out of the way, so the ratio is the cost of Patchwork's own pipeline.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.app import ALLOWED_UPDATES
from bot.ratelimit import PatchworkRateLimiter
from bot.sandbox.fake_telegram import FakeTelegram
from bot.sandbox.harness import TEST_TOKEN, Harness, harness_settings
from models.clock import SystemClock

USERS = 200
ROUNDS = 3


def _limiter() -> PatchworkRateLimiter:
    return PatchworkRateLimiter(
        overall_per_second=100_000,
        group_per_minute=100_000,
        private_per_second=1000,
        private_burst=1000,
    )


async def _burst(fake: FakeTelegram) -> float:
    users = [fake.add_user(f"R{i}") for i in range(USERS)]
    waiting = {user.id for user in users}
    done = asyncio.Event()

    def on_event(event: str, data: dict[str, object]) -> None:
        if event == "message" and data["chat_id"] in waiting:
            chat = fake.chats[int(str(data["chat_id"]))]
            if chat.bot_messages:
                waiting.discard(chat.id)
                if not waiting:
                    done.set()

    fake.listeners.append(on_event)
    started = time.perf_counter()
    for user in users:
        user.start_bot()
    await asyncio.wait_for(done.wait(), timeout=120)
    return time.perf_counter() - started


async def _baseline() -> float:
    fake = FakeTelegram()
    await fake.start()

    async def start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Hallo! Ik ben Patchwork.")

    app = (
        Application.builder()
        .token(TEST_TOKEN)
        .base_url(fake.base_url)
        .rate_limiter(_limiter())
        .concurrent_updates(16)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
    await app.start()
    try:
        return await _burst(fake)
    finally:
        stopping = asyncio.create_task(app.updater.stop())
        while not stopping.done():
            await fake.release_polls()
            await asyncio.sleep(0.01)
        await app.stop()
        await app.shutdown()
        await fake.stop()


async def _patchwork(folder: Path) -> float:
    fake = FakeTelegram()
    await fake.start()
    settings = harness_settings(
        fake.base_url, folder / "bench.sqlite3", max_messages_per_minute=1000
    )
    harness = Harness(fake, settings, SystemClock(), rate_limiter=_limiter())
    await harness.start()
    try:
        return await _burst(fake)
    finally:
        await harness.stop()
        await fake.stop()


async def main() -> None:
    """Alternate baseline and Patchwork runs; print medians and the ratio."""
    base, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for round_number in range(ROUNDS):
            base.append(await _baseline())
            ours.append(await _patchwork(Path(tmp) / str(round_number)))
    b, p = statistics.median(base), statistics.median(ours)
    print(f"{USERS} residents send /start at once, median of {ROUNDS} rounds")
    print(f"baseline (bare PTB, fixed reply): {b:.3f} s  ({USERS / b:.0f} updates/s)")
    print(f"patchwork (full pipeline):        {p:.3f} s  ({USERS / p:.0f} updates/s)")
    print(f"ratio patchwork/baseline: {p / b:.2f}")
