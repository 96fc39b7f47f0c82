"""The operator's command line: link codes and listed workers, on a real database file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main


def test_link_code_and_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATCHWORK_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite3'}")
    assert main(["neighbourhood", "add", "Oost", "--municipality", "Vlietstad"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"/koppel [A-Z0-9]{8}", out)
    assert main(["link-code", "oost", "--municipality", "vlietstad"]) == 0
    assert "Neighbourhood Oost (Vlietstad), id 1" in capsys.readouterr().out
    args = ["--neighbourhood", "Oost", "--municipality", "Vlietstad", "--telegram-id", "555"]
    assert main(["worker", "add", *args, "--name", "Samira", "--organisation", "Welzijn"]) == 0
    assert main(["neighbourhood", "list"]) == 0
    listing = capsys.readouterr().out
    assert "no moderators chat" in listing
    assert "Samira (555)" in listing
    assert main(["worker", "remove", *args]) == 0
    assert main(["worker", "remove", *args]) == 1
    bad = ["worker", "add", "--neighbourhood", "West", "--municipality", "X", "--telegram-id", "1"]
    assert main(bad) == 1
