"""The command line and the Makefile: sandbox start and stop, and never a silent fallback."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot import cli
from bot.sandbox.fake_telegram import FakeTelegram
from bot.sandbox.harness import TEST_TOKEN

ROOT = Path(__file__).resolve().parents[2]
BANNER_NO_TOKEN = "Geen token: de lokale proefomgeving draait op http://127.0.0.1:"
LINUX = sys.platform.startswith("linux")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any Patchwork setting (and so without a token)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATCHWORK_")}
    env.update(extra)
    return env


async def start(
    *args: str, cwd: Path, env: dict[str, str], new_session: bool = False
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *args,
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=new_session,
    )


async def read_until(
    process: asyncio.subprocess.Process, needle: str, within: float = 60.0
) -> list[str]:
    """Lines of stdout up to and including the first that contains needle."""
    assert process.stdout is not None
    lines: list[str] = []

    async def read() -> list[str]:
        assert process.stdout is not None
        while True:
            raw = await process.stdout.readline()
            if not raw:
                err = await process.stderr.read() if process.stderr else b""
                raise AssertionError(f"ended before {needle!r}: {lines} {err.decode()}")
            lines.append(raw.decode().rstrip("\n"))
            if needle in lines[-1]:
                return lines

    return await asyncio.wait_for(read(), timeout=within)


@contextlib.asynccontextmanager
async def stopped_at_end(
    process: asyncio.subprocess.Process, group: bool = False
) -> AsyncIterator[None]:
    """Whatever happens in the test, the process does not outlive it."""
    try:
        yield
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                if group:
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
            await process.wait()


def test_run_without_a_token_refuses_with_the_botfather_help(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "@BotFather" in lines[0]
    assert "/newbot" in lines[0]
    assert "PATCHWORK_BOT_TOKEN=" in lines[1]
    assert "proefomgeving" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({}, 1),
        ({"PATCHWORK_BOT_TOKEN": TEST_TOKEN}, 0),
        ({"PATCHWORK_BOT_TOKEN": "   "}, 1),
        ({"PATCHWORK_TIMEZONE": "Mars/Olympus"}, 2),
    ],
)
def test_check_token_tells_the_makefile_what_to_start(
    tmp_path: Path, extra: dict[str, str], code: int
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-token"],
        cwd=tmp_path,
        env=clean_env(**extra),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == code, result.stderr
    assert TEST_TOKEN not in result.stdout + result.stderr


def test_check_token_reads_the_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"PATCHWORK_BOT_TOKEN={TEST_TOKEN}\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-token", "--quiet"],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout == ""


def _decode(address: str, v6: bool) -> str:
    host, port = address.split(":")
    raw = bytes.fromhex(host)
    # /proc lists addresses as 32-bit words in host (little-endian) order.
    raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    family = socket.AF_INET6 if v6 else socket.AF_INET
    return f"{socket.inet_ntop(family, raw)}:{int(port, 16)}"


def listening_addresses(pid: int) -> list[str]:
    """host:port of every TCP socket this process listens on (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    found = []
    for table, v6 in (("tcp", False), ("tcp6", True)):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                found.append(_decode(fields[1], v6))
    return found


@pytest.mark.skipif(not LINUX, reason="reads listening sockets from /proc")
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_sandbox_listens_on_loopback_only_and_stops_within_5_seconds(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    process = await start(
        sys.executable, "-m", "bot", "sandbox", "--port", "0", "--no-demo",
        cwd=tmp_path, env=clean_env(),
    )  # fmt: skip
    async with stopped_at_end(process):
        lines = await read_until(process, "draait op http://")
        url = lines[-1].split(" op ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            assert response.status == 200
        addresses = listening_addresses(process.pid)
        assert len(addresses) >= 2, addresses  # the fake Bot API and the page
        for address in addresses:
            host = address.rsplit(":", 1)[0]
            assert ipaddress.ip_address(host).is_loopback, addresses
        process.send_signal(stop_signal)
        code = await asyncio.wait_for(process.wait(), timeout=5)
        assert code == 0
        rest = (await process.stdout.read()).decode() if process.stdout else ""
        assert "stopt" in rest


async def test_a_busy_port_is_named_clearly(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = await start(
            sys.executable, "-m", "bot", "sandbox", "--port", str(port), "--no-demo",
            cwd=tmp_path, env=clean_env(),
        )  # fmt: skip
        async with stopped_at_end(process):
            _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert f"poort {port}" in err.decode()
    assert "--port" in err.decode()


def _make_dir(tmp_path: Path) -> tuple[str, Path]:
    """A folder with this Makefile and the venv the tests run in (no .env, no token)."""
    make = shutil.which("make")
    venv = Path(sys.prefix)
    if make is None or not (venv / ".installed-stamp").exists():
        pytest.skip("needs make and the .venv that `make test` creates")
    work = tmp_path / "clone"
    work.mkdir()
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, work / name)  # keeps mtimes: the venv stays "installed"
    return make, work


async def test_make_run_without_a_token_starts_the_sandbox_with_a_banner(tmp_path: Path) -> None:
    make, work = _make_dir(tmp_path)
    process = await start(
        make, "-s", "run", f"VENV={sys.prefix}", "SANDBOX_ARGS=--port 0 --no-demo",
        cwd=work, env=clean_env(), new_session=True,
    )  # fmt: skip
    async with stopped_at_end(process, group=True):
        lines = await read_until(process, "draait op")
        assert lines[-1].startswith(BANNER_NO_TOKEN)
        assert any("@BotFather" in line for line in lines)
        url = lines[-1].split(" op ", 1)[1].strip()
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            assert response.status == 200
        os.killpg(process.pid, signal.SIGTERM)
        assert process.stdout is not None
        rest = await asyncio.wait_for(process.stdout.read(), timeout=5)
        assert "stopt" in rest.decode()
        await process.wait()


async def test_make_run_with_a_token_runs_the_real_bot(tmp_path: Path) -> None:
    make, work = _make_dir(tmp_path)
    fake = FakeTelegram()
    await fake.start()
    env = clean_env(
        PATCHWORK_BOT_TOKEN=TEST_TOKEN,
        PATCHWORK_TELEGRAM_BASE_URL=fake.base_url,
        PATCHWORK_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        PATCHWORK_POLLING_TIMEOUT="1",
    )
    process = await start(
        make, "-s", "run", f"VENV={sys.prefix}", cwd=work, env=env, new_session=True
    )
    try:
        async with stopped_at_end(process, group=True):
            deadline = time.monotonic() + 60
            while fake.get_updates_calls == 0 and process.returncode is None:
                assert time.monotonic() < deadline, "the bot never polled"
                await asyncio.sleep(0.1)
            assert fake.get_updates_calls > 0
            os.killpg(process.pid, signal.SIGTERM)
            await fake.release_polls()
            out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
            assert "proefomgeving" not in out.decode()
    finally:
        await fake.stop()


def test_the_sandbox_clock_can_start_on_another_day(capsys: pytest.CaptureFixture[str]) -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")
    args = cli.parser().parse_args(["sandbox", "--start", "2027-03-28 02:30"])
    # 02:30 does not exist that night (the clocks jump to 03:30): read as the moment before.
    assert args.start == datetime(2027, 3, 28, 2, 30, tzinfo=amsterdam)
    assert args.start.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    offset = cli.parser().parse_args(["sandbox", "--start", "2027-01-01T08:00+00:00"])
    assert offset.start == datetime(2027, 1, 1, 8, 0, tzinfo=UTC)
    with pytest.raises(SystemExit) as stopped:
        cli.parser().parse_args(["sandbox", "--start", "morgen"])
    assert stopped.value.code == 2
    assert "'morgen' is not a moment" in capsys.readouterr().err
