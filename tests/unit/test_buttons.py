"""Every button the handlers draw is answered by a registered handler, and only by one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import handlers.registry  # noqa: F401 - importing every module registers its buttons
from handlers import buttons

ROOT = Path(__file__).resolve().parents[2]
DRAWERS = {"button", "press", "encode"}  # (label, action, …) or (action, …)


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` assignments (a flow's `ACTION = "r.p"`)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


def _drawn_actions() -> dict[str, str]:
    """Actions of every button made in handlers/ and in the flows in models/ (literal, or a
    module constant), with where it is made."""
    found: dict[str, str] = {}
    paths = [p for folder in ("handlers", "models") for p in (ROOT / folder).rglob("*.py")]
    for path in sorted(paths):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id not in DRAWERS:
                continue
            index = 0 if node.func.id == "encode" else 1
            if len(node.args) <= index:
                continue
            arg = node.args[index]
            action = arg.value if isinstance(arg, ast.Constant) else None
            if isinstance(arg, ast.Name):
                action = constants.get(arg.id)
            if action is not None:
                found.setdefault(str(action), f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_drawn_button_has_a_handler() -> None:
    drawn = _drawn_actions()
    assert "m" in drawn  # the finder sees the main menu
    assert {"r.p", "xt"} <= drawn.keys()  # and the flows' own buttons in models/
    unanswered = {a: where for a, where in drawn.items() if a not in buttons.actions()}
    assert not unanswered, f"buttons nobody answers: {unanswered}"


def test_an_action_is_registered_once() -> None:
    async def again(update: object, context: object) -> None:
        return None

    with pytest.raises(ValueError, match="registered twice"):
        buttons.on_press("m")(again)  # type: ignore[arg-type]
