"""Telegram's side of the channel-neutral flows (models/flows.py): inputs in, turns out.

`serve(make)` registers one flow: its buttons (every action in `Flow.actions`), the text
typed while it waits, and its way back after screening. `make` builds the flow from the
services for each input, so a flow holds no state between inputs but what it saved.
`begin(update, context, turn)` shows a flow's first turn, from whatever handler starts it.

Every input re-reads the saved state from the database: a press of a finished flow, of
another flow or of another step is stale, and gets the polite answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from telegram import InputFile, Update

from bot.services import Services
from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import BadCallback, decode
from handlers.common import answer, explain, send, show, who
from handlers.context import PatchworkContext
from handlers.escalation.screen import resumer, screen
from handlers.say import say
from models.errors import DomainError, StaleAction
from models.flows import (
    Flow,
    FlowInput,
    FlowState,
    Person,
    Pressed,
    Screened,
    ScreenText,
    Turn,
    Typed,
)

log = logging.getLogger(__name__)

S = TypeVar("S", bound=FlowState)
SCREENING = "screening"  # the screen request, kept with the state while the resident is asked


class Served(Generic[S]):
    """One flow as Telegram serves it."""

    def __init__(self, make: Callable[[Services], Flow[S]]) -> None:
        self.make = make

    def flow(self, context: PatchworkContext) -> Flow[S]:
        """The flow, built from this bot's services."""
        return self.make(context.services)

    async def person(self, update: Update, context: PatchworkContext) -> Person:
        """Who is in the flow."""
        me = await who(update, context)
        return Person(me.user, me.resident, me.language, say(context, me.language))

    async def feed(
        self,
        update: Update,
        context: PatchworkContext,
        data: dict[str, Any] | None,
        given: FlowInput,
    ) -> None:
        """Hand one input to the flow at its saved state (None: not waiting), show its turn."""
        flow = self.flow(context)
        state = flow.restore(data) if data is not None else None
        turn = await flow.step(await self.person(update, context), state, given)
        await self.apply(update, context, turn)
        if update.callback_query is not None:
            await answer(update, turn.notice)  # stops the spinner, with the pop-up if any

    async def apply(self, update: Update, context: PatchworkContext, turn: Turn[S]) -> None:
        """Save where the flow waits (or end it), then show the turn."""
        flow = self.flow(context)
        if turn.state is None:
            await dialogs.finish(update, context)
        else:
            await dialogs.expect(update, context, flow.name, **turn.state.model_dump(mode="json"))
        await render(update, turn)
        if turn.screen is not None and turn.state is not None:
            data = turn.state.model_dump(mode="json")
            await self.screen(update, context, {**data, SCREENING: turn.screen.model_dump()})

    async def screen(
        self, update: Update, context: PatchworkContext, data: dict[str, Any]
    ) -> None:
        """Screen the text the flow asked about; go on with `Screened()` when it may pass.

        Held, the resident is asked (doubtful, or contact details in it) and this runs
        again on their answer, with the answer in `data`, until nothing is left to ask."""
        request = ScreenText.model_validate(data[SCREENING])
        text = str(data.get(request.field, request.text)) if request.field else request.text
        if await screen(
            update,
            context,
            text,
            resume=self.flow(context).name,
            data=data,
            kind=request.kind,
            contacts=request.field,
        ):
            await self.feed(update, context, data, Screened())


async def render(update: Update, turn: Turn[Any]) -> None:
    """Show a turn: the first message in place of the pressed one, the rest as new ones."""
    if turn.notice is not None and update.callback_query is None:
        await send(update, turn.notice)
    for index, message in enumerate(turn.messages):
        if message.document is not None and update.effective_chat is not None:
            document = InputFile(message.document.content, filename=message.document.filename)
            await update.effective_chat.send_document(document, caption=message.text or None)
        elif index == 0 and update.callback_query is not None and message.keyboard is not None:
            await show(update, message.text, message.keyboard)
        elif index == 0 and update.callback_query is not None and message.choices is None:
            await show(update, message.text)
        else:
            await send(update, message.text, message.choices)


def serve(make: Callable[[Services], Flow[S]], flow_type: type[Flow[S]]) -> Served[S]:
    """Register a flow's buttons, typed answers and return from screening."""
    served = Served(make)

    async def pressed(update: Update, context: PatchworkContext) -> None:
        assert update.callback_query is not None
        try:
            action = decode(update.callback_query.data)
            dialog = await dialogs.current(update, context)
            data = dict(dialog.data) if dialog and dialog.flow == flow_type.name else None
            given = Pressed(action=action.action, args=action.args)
            await served.feed(update, context, data, given)
        except BadCallback:
            await explain(update, context, StaleAction())
        except DomainError as error:
            await explain(update, context, error)

    for action in flow_type.actions:
        on_press(action)(pressed)

    @dialogs.text_step(flow_type.name)
    async def typed(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
        message = update.effective_message
        assert message is not None
        await served.feed(update, context, dict(dialog.data), Typed(text=message.text or ""))

    @resumer(flow_type.name)
    async def resumed(update: Update, context: PatchworkContext, data: dict[str, Any]) -> None:
        if SCREENING not in data:
            raise StaleAction()
        await served.screen(update, context, data)

    return served


async def begin(
    update: Update, context: PatchworkContext, served: Served[S], turn: Turn[S]
) -> None:
    """Show the first turn of a flow (built by the handler that starts it)."""
    await served.apply(update, context, turn)
