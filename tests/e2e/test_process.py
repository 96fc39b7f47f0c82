"""The `patchwork` command as a real process: run, SIGTERM, webhook, migrate, backup, errors."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.outbox import PARALLEL_CHATS
from bot.sandbox.fake_telegram import FakeTelegram
from bot.sandbox.harness import TEST_TOKEN
from bot.storage import migrate
from bot.storage.db import SqlDatabase
from models.core import ChatRef
from models.notifications import OperatorAlert, Recipient
from tests import backends

log = logging.getLogger(__name__)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATCHWORK_")}
    env.update(
        {
            "PATCHWORK_DATABASE_URL": backends.url_for(tmp_path / "proc.sqlite3"),
            "PATCHWORK_POLLING_TIMEOUT": "1",
            **extra,
        }
    )
    return env


async def _run(tmp_path: Path, *args: str, **extra: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=_env(tmp_path, **extra),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, out.decode(), err.decode()


async def _until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_version(tmp_path: Path) -> None:
    code, out, _ = await _run(tmp_path, "version")
    assert code == 0
    assert out.startswith("patchwork ")


async def test_run_without_token_explains_botfather_and_fails(tmp_path: Path) -> None:
    code, _, err = await _run(tmp_path, "run")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "@BotFather" in lines[0]


async def test_invalid_setting_is_one_clear_line(tmp_path: Path) -> None:
    code, _, err = await _run(tmp_path, "run", PATCHWORK_TIMEZONE="Mars/Olympus")
    assert code == 2
    assert err.strip() == "Invalid setting: PATCHWORK_TIMEZONE: unknown time zone 'Mars/Olympus'"


@pytest.mark.skipif(
    backends.POSTGRES, reason="backup copies a SQLite file; PostgreSQL is backed up with pg_dump"
)
async def test_migrate_then_backup(tmp_path: Path) -> None:
    code, out, _ = await _run(tmp_path, "migrate")
    assert code == 0
    assert out.strip() == "Database is at: " + ", ".join(sorted(migrate.head_revisions()))
    code, out, _ = await _run(tmp_path, "backup", str(tmp_path / "copy.sqlite3"))
    assert code == 0, out
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        tables = {row[0] for row in copy.execute("select name from sqlite_master")}
    assert {"streets", "residents", "outbox", "audit_log"} <= tables
    code, _, err = await _run(tmp_path, "backup", str(tmp_path / "copy.sqlite3"))
    assert code == 2
    assert "exists already" in err


@pytest.mark.skipif(not backends.POSTGRES, reason="pg_dump backs up PostgreSQL")
async def test_migrate_then_backup_with_pg_dump(tmp_path: Path) -> None:
    code, out, _ = await _run(tmp_path, "migrate")
    assert code == 0
    assert out.strip() == "Database is at: " + ", ".join(sorted(migrate.head_revisions()))
    code, out, err = await _run(tmp_path, "backup", str(tmp_path / "copy.dump"))
    assert code == 0, err
    listing = await asyncio.create_subprocess_exec(
        "pg_restore", "--list", str(tmp_path / "copy.dump"), stdout=asyncio.subprocess.PIPE
    )
    tables, _ = await listing.communicate()
    for table in ("streets", "residents", "outbox", "audit_log"):
        assert f"TABLE public {table} " in tables.decode()
    code, _, err = await _run(tmp_path, "backup", str(tmp_path / "copy.dump"))
    assert code == 2
    assert "exists already" in err


async def _start_bot(
    tmp_path: Path, fake: FakeTelegram, *, stderr: int = asyncio.subprocess.DEVNULL
) -> asyncio.subprocess.Process:
    """`patchwork run` as a process, polling the fake Bot API."""
    env = _env(tmp_path, PATCHWORK_BOT_TOKEN=TEST_TOKEN, PATCHWORK_TELEGRAM_BASE_URL=fake.base_url)
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=stderr,
    )


async def test_run_answers_start_and_stops_on_sigterm(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    process = await _start_bot(tmp_path, fake, stderr=asyncio.subprocess.PIPE)
    try:
        await _until(lambda: fake.get_updates_calls > 0)
        anna = fake.add_user("Anna")
        anna.start_bot()
        await _until(lambda: bool(anna.private.bot_messages))
        assert "Ik ben Patchwork" in anna.private.last.text
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), timeout=30)
        assert time.monotonic() - started < 30
        assert code == 0
    finally:
        if process.returncode is None:
            process.kill()
        await fake.stop()
    stderr = (await process.stderr.read()).decode() if process.stderr else ""
    assert TEST_TOKEN not in stderr


async def test_webhook_mode_requires_the_secret(tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    port = _free_port()
    env = _env(
        tmp_path,
        PATCHWORK_BOT_TOKEN=TEST_TOKEN,
        PATCHWORK_TELEGRAM_BASE_URL=fake.base_url,
        PATCHWORK_WEBHOOK_URL=f"http://127.0.0.1:{port}",
        PATCHWORK_WEBHOOK_SECRET="s3cret-value_1",
        PATCHWORK_WEBHOOK_PORT=str(port),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--webhook",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await _until(lambda: fake.webhook is not None)
        assert fake.webhook == {
            "url": f"http://127.0.0.1:{port}/telegram",
            "secret_token": "s3cret-value_1",
        }
        anna = fake.add_user("Anna")
        anna.start_bot()
        await _until(lambda: bool(anna.private.bot_messages))
        async with aiohttp.ClientSession() as session:
            update = {"update_id": 999, "message": fake.history[-1]["message"]}
            async with session.post(f"http://127.0.0.1:{port}/telegram", json=update) as response:
                assert response.status == 403
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            async with session.post(
                f"http://127.0.0.1:{port}/telegram", json=update, headers=wrong
            ) as response:
                assert response.status == 403
        assert len(anna.private.bot_messages) == 1
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    finally:
        if process.returncode is None:
            process.kill()
        await fake.stop()


async def test_webhook_mode_without_secret_refuses_to_start(tmp_path: Path) -> None:
    code, _, err = await _run(
        tmp_path,
        "run",
        "--webhook",
        PATCHWORK_BOT_TOKEN=TEST_TOKEN,
        PATCHWORK_WEBHOOK_URL="https://example.org",
    )
    assert code == 2
    assert "PATCHWORK_WEBHOOK_SECRET" in err


async def test_an_update_fetched_but_not_handled_at_a_kill_is_handled_after_restart(
    tmp_path: Path,
) -> None:
    fake = FakeTelegram()
    await fake.start()
    process = await _start_bot(tmp_path, fake)

    def helps() -> int:
        return sum("Hulp" in (m.text or "") for m in anna.private.bot_messages)

    try:
        anna = fake.add_user("Anna")
        anna.start_bot()
        await _until(lambda: bool(anna.private.bot_messages))
        # Her next message is fetched, and its answer never comes back: killed mid-handling.
        fake.fail("hang", method="sendMessage", chat_id=anna.private.id)
        anna.send("/help")
        asked = fake.history[-1]["update_id"]
        await _until(lambda: any(c.error == "no answer" for c in fake.calls_to("sendMessage")))
        process.kill()
        await process.wait()
        await _until(lambda: fake.consumers == 0)  # the dead process's long poll ran out
        # Telegram hands the unconfirmed update out again; the restarted bot answers it.
        fake.redeliver(asked)
        process = await _start_bot(tmp_path, fake)
        await _until(lambda: helps() == 1)
        # Handled to the end now: a further redelivery is ignored, a new /help is not.
        fake.redeliver(asked)
        anna.send("/hulp")
        await _until(lambda: helps() == 2)
        await asyncio.sleep(0.5)  # a third answer would have arrived by now
        assert helps() == 2
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await fake.stop()


STREETS = 30


async def _seed_fan_out(url: str, fake: FakeTelegram) -> list[int]:
    """30 street groups with a message each waiting in the outbox (as a digest fan-out)."""

    now = datetime.now(UTC)
    db = SqlDatabase.from_url(url)
    await migrate.upgrade(db.engine)
    chats = []
    async with db.write() as tx:
        hood = await tx.neighbourhoods.add("Oost", "Vlietstad", now)
        for number in range(STREETS):
            group = fake.add_group(f"Straat {number}")
            group.bot_member = True
            chats.append(group.id)
            code = f"{number:010d}".translate(str.maketrans("0123456789", "cdefghjkmn"))
            street = await tx.streets.add(
                hood.id, f"Straat {number}", ChatRef(chat_id=str(group.id)), "t", "nl", code, now
            )
            await tx.outbox.enqueue(
                Recipient.street(street.id),
                OperatorAlert(summary=f"weekoverzicht {number}"),
                key=f"probe:{number}",
                now=now,
            )
    await db.close()
    return chats


async def _unrecorded(url: str) -> set[int]:
    """Street ids whose message the outbox had not recorded as sent (still pending/sending)."""
    db = SqlDatabase.from_url(url)
    async with db.read() as tx:
        rows = await tx.outbox.unfinished()
    await db.close()
    return {item.recipient.id for item in rows if item.recipient.id is not None}


async def _begun(url: str) -> int:
    """Rows whose send had begun and whose answer the outbox had not written down."""
    db = SqlDatabase.from_url(url)
    async with db.read() as tx:
        counts = await tx.outbox.counts()
    await db.close()
    return counts.get("sending", 0)


async def test_a_kill_during_a_fan_out_resends_only_what_the_bot_had_not_heard_back(
    tmp_path: Path,
) -> None:
    fake = FakeTelegram()
    await fake.start()
    url = backends.url_for(tmp_path / "proc.sqlite3")
    chats = await _seed_fan_out(url, fake)
    street_of = {chat: number + 1 for number, chat in enumerate(chats)}
    # Every group send takes half a second to be answered, until the answers get lost.
    fake.fail("slow", method="sendMessage", delay=0.5, times=10 * STREETS)

    def arrived(before: float = float("inf")) -> dict[int, int]:
        counts = dict.fromkeys(chats, 0)
        for call in fake.calls_to("sendMessage"):
            chat = int(call.params.get("chat_id") or 0)
            text = str(call.params.get("text"))
            if call.ok and chat in counts and "weekoverzicht" in text and call.at < before:
                counts[chat] += 1
        return counts

    process = await _start_bot(tmp_path, fake)
    try:
        await _until(lambda: sum(arrived().values()) >= STREETS // 3)
        # From now on a send lands but its answer is lost, as when a connection breaks
        # after Telegram did the work: the bot cannot know those arrived (the physical
        # floor). The sends already waiting are answered, and the bot writes them down.
        fake.faults.clear()
        lost = fake.fail("lost", method="sendMessage", times=10 * STREETS)
        for _ in range(300):  # kill once every lane waits on a lost answer, the rest written
            waiting = fake.in_flight.get("sendMessage", 0)
            if waiting and await _begun(url) == waiting:
                break
            await asyncio.sleep(0.05)
        in_flight = fake.in_flight.get("sendMessage", 0)
        process.kill()
        await process.wait()
        if lost in fake.faults:
            fake.faults.remove(lost)
        unrecorded = await _unrecorded(url)
        begun = await _begun(url)
        process = await _start_bot(tmp_path, fake)
        for _ in range(600):  # until the outbox has nothing left (the sweeps may add more)
            if not await _unrecorded(url):
                break
            await asyncio.sleep(0.1)
        got = arrived()
        assert all(n >= 1 for n in got.values()), "nothing is lost"
        doubled = {chat for chat, n in got.items() if n > 1}
        assert all(n <= 2 for n in got.values())
        # What the bot had recorded as sent is never sent again; a double is always a send
        # that was under way (in flight, or answered but not yet written down) at the kill.
        assert all(street_of[chat] in unrecorded for chat in doubled)
        # The physical floor: only a send still in flight at the kill (its answer lost) may
        # arrive twice. Rows are claimed one by one as their send begins, so only those
        # are sent again, and every answer that came was written down before the kill.
        log.info("fan-out kill: doubled=%d begun=%d in flight=%d", len(doubled), begun, in_flight)
        assert 1 <= in_flight <= PARALLEL_CHATS
        assert len(doubled) <= in_flight, (len(doubled), in_flight)
        assert len(doubled) <= begun <= PARALLEL_CHATS, (len(doubled), begun)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await fake.stop()
