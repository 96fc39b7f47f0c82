"""Browser tests: Debian's headless Chromium, driven by Playwright, against a live sandbox.

Without Chromium the tests are left out, with one line at the end saying how to install
it; with CI=true they run regardless and a browser test that cannot run (or is skipped)
fails the run, so CI cannot pass without them.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.server import Sandbox, SandboxOptions, running_sandbox
from tests.conftest import PINNED

CHROMIUM = Path(os.environ.get("PATCHWORK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_INSTALL = "install it with: sudo apt-get install chromium chromium-driver"
SCREENSHOTS = pytest.StashKey[list[Path]]()
LEFT_OUT = pytest.StashKey[str]()


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is missing (make test installs it)"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}; {HOW_TO_INSTALL}"
    return None


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without Chromium (and outside CI), leave the browser tests out and say so once."""
    missing = _missing()
    if missing is None or _in_ci():
        return
    browser = [item for item in items if item.get_closest_marker("browser") is not None]
    if not browser:
        return
    items[:] = [item for item in items if item.get_closest_marker("browser") is None]
    config.hook.pytest_deselected(items=browser)
    config.stash[LEFT_OUT] = f"{len(browser)} browser tests skipped: {missing}"


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; in CI its absence is a failure."""
    missing = _missing()
    if missing is not None:
        if _in_ci():
            pytest.fail(f"Browser tests cannot run in CI: {missing}")
        pytest.skip(f"Browser tests skipped: {missing}")
    return CHROMIUM


@pytest.fixture
async def browser(chromium: Path) -> AsyncIterator[Any]:
    """A headless Chromium."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def demo_sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    """The sandbox with the demo neighbourhood, on a free loopback port."""
    options = SandboxOptions(port=0, db=tmp_path / "sandbox.sqlite3", demo=True, start=PINNED)
    async with running_sandbox(options) as sandbox:
        yield sandbox


@pytest.fixture
async def empty_sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    """The sandbox without the demo."""
    options = SandboxOptions(port=0, db=tmp_path / "sandbox.sqlite3", demo=False, start=PINNED)
    async with running_sandbox(options) as sandbox:
        yield sandbox


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Iterator[list[Path]]:
    """Paths of screenshots a test writes; printed at the end of the run."""
    taken: list[Path] = []
    yield taken
    request.config.stash.setdefault(SCREENSHOTS, []).extend(taken)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    """In CI, a browser test that was skipped counts as failed."""
    outcome = yield
    report = outcome.get_result()
    if _in_ci() and report.skipped and item.get_closest_marker("browser") is not None:
        report.outcome = "failed"
        report.longrepr = f"browser test skipped in CI ({CHROMIUM} missing?): {report.longrepr}"


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say where the screenshots are, or in one line why there are none."""
    for path in config.stash.get(SCREENSHOTS, []):
        terminalreporter.write_line(f"screenshot: {path}")
    left_out = config.stash.get(LEFT_OUT, "")
    if left_out:
        terminalreporter.write_line(left_out)
