"""Every button the handlers draw is answered by a registered handler, and only by one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import handlers.registry  # noqa: F401 - importing every module registers its buttons
from handlers import buttons

ROOT = Path(__file__).resolve().parents[2]
DRAWERS = {"button", "press", "encode"}  # (label, action, …) or (action, …)


def _drawn_actions() -> dict[str, str]:
    """Literal actions of every button made in handlers/, with where it is made."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "handlers").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id not in DRAWERS:
                continue
            index = 0 if node.func.id == "encode" else 1
            if len(node.args) > index and isinstance(node.args[index], ast.Constant):
                action = node.args[index].value
                found.setdefault(str(action), f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_drawn_button_has_a_handler() -> None:
    drawn = _drawn_actions()
    assert "m" in drawn  # the finder sees the main menu
    unanswered = {a: where for a, where in drawn.items() if a not in buttons.actions()}
    assert not unanswered, f"buttons nobody answers: {unanswered}"


def test_an_action_is_registered_once() -> None:
    async def again(update: object, context: object) -> None:
        return None

    with pytest.raises(ValueError, match="registered twice"):
        buttons.on_press("m")(again)  # type: ignore[arg-type]
