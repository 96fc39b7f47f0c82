"""Button presses: one registry from action name to handler, behind one CallbackQueryHandler.

A module says which presses it answers with `@on_press("action")` on the handler; the
registry routes a press by the action in its (never trusted) data. Presses of actions
nobody registered (an old keyboard after an update) fall through to the guard's kind
"this button is out of date" answer. One lookup per press, not a regex per handler.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import CallbackQueryHandler

from handlers.callbacks import BadCallback, decode
from handlers.common import Handler, friendly
from handlers.context import PatchworkApp, PatchworkContext

_handlers: dict[str, Handler] = {}


def on_press(action: str, *, kind_errors: bool = False) -> Callable[[Handler], Handler]:
    """Decorator: this handler answers presses of buttons with `action`.

    With `kind_errors` the handler is wrapped in `friendly` (domain refusals become a kind
    pop-up, every press is answered)."""

    def decorate(fn: Handler) -> Handler:
        if action in _handlers:
            raise ValueError(f"button action {action!r} registered twice")
        _handlers[action] = friendly(fn) if kind_errors else fn
        return fn

    return decorate


def _action(data: object) -> bool:
    """Whether pressed-button data names a registered action."""
    if not isinstance(data, str):
        return False
    try:
        return decode(data).action in _handlers
    except BadCallback:
        return False


async def _route(update: Update, context: PatchworkContext) -> None:
    assert update.callback_query is not None
    await _handlers[decode(update.callback_query.data).action](update, context)


def actions() -> frozenset[str]:
    """Every registered action (for tests)."""
    return frozenset(_handlers)


def register(app: PatchworkApp) -> None:
    """Install the one handler that routes every registered button press."""
    app.add_handler(CallbackQueryHandler(_route, pattern=_action))
