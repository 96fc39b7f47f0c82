"""Telegram's side of the channel-neutral flows (models/flows.py): inputs in, turns out.

`serve(make)` registers one flow: its buttons (every action in `Flow.actions`), the text
typed while it waits, and its way back after screening. `make` builds the flow from the
services for each input, so a flow holds no state between inputs but what it saved.
`begin(update, context, served, start)` shows a flow's first turn, from whatever handler
starts it (a command, a menu item, a button outside the flow).

Every input re-reads the saved state from the database: a press of a finished flow, of
another flow or of another step is stale, and gets the polite answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
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
    Person,
    Pressed,
    Screened,
    ScreenText,
    Turn,
    Typed,
)
from models.messages import AskText, Menu

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Flow[Any])
SCREENING = "screening"  # the screen request, kept with the state while the resident is asked


class Served(Generic[F]):
    """One flow as Telegram serves it."""

    def __init__(self, make: Callable[[Services], F]) -> None:
        self.make = make

    def flow(self, context: PatchworkContext) -> F:
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
        *,
        in_place: bool = True,
    ) -> None:
        """Hand one input to the flow at its saved state (None: not waiting), show its turn
        (the first message in place of the pressed one, if `in_place`)."""
        flow = self.flow(context)
        state = flow.restore(data) if data is not None else None
        turn = await flow.step(await self.person(update, context), state, given)
        await self.apply(update, context, turn, in_place=in_place)
        if update.callback_query is not None:
            # Stops the spinner; a notice that comes alone (nothing else changes) is an alert.
            await answer(update, turn.notice, alert=turn.notice is not None and not turn.messages)

    async def apply(
        self, update: Update, context: PatchworkContext, turn: Turn[Any], *, in_place: bool = True
    ) -> None:
        """Save where the flow waits (or end it, when it is this flow that waits), then show
        the turn."""
        flow = self.flow(context)
        if turn.state is None:
            dialog = await dialogs.current(update, context)
            if dialog is not None and dialog.flow == flow.name:
                await dialogs.finish(update, context)
        else:
            await dialogs.expect(update, context, flow.name, **turn.state.model_dump(mode="json"))
        await render(update, turn, in_place=in_place and update.callback_query is not None)
        if turn.screen is not None and turn.state is not None:
            data = turn.state.model_dump(mode="json")
            request = {**data, SCREENING: turn.screen.model_dump()}
            await self.screen(update, context, request, in_place=in_place)

    async def screen(
        self, update: Update, context: PatchworkContext, data: dict[str, Any], *, in_place: bool
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
            await self.feed(update, context, data, Screened(), in_place=in_place)


async def render(update: Update, turn: Turn[Any], *, in_place: bool) -> None:
    """Show a turn: the first message in place of the pressed one (`in_place`), the rest
    as new ones."""
    if turn.notice is not None and update.callback_query is None:
        await send(update, turn.notice)
    for index, message in enumerate(turn.messages):
        if message.document is not None and update.effective_chat is not None:
            document = InputFile(message.document.content, filename=message.document.filename)
            await update.effective_chat.send_document(document, caption=message.text or None)
        elif index == 0 and in_place and not isinstance(message.choices, Menu | AskText):
            await show(update, message.text, message.keyboard)
        else:
            await send(update, message.text, message.choices)


def serve(make: Callable[[Services], F], flow_type: type[F]) -> Served[F]:
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
        # The pressed message is the screening question, with its answer: the flow goes on
        # under it, in a new message.
        await served.screen(update, context, data, in_place=False)

    return served


async def begin(
    update: Update,
    context: PatchworkContext,
    served: Served[F],
    start: Callable[[F, Person], Awaitable[Turn[Any]]],
    *,
    in_place: bool = False,
) -> None:
    """Start a flow from another handler (a command, a menu item, another flow's button):
    `start(flow, person)` gives its first turn, shown as a new message unless `in_place`."""
    turn = await start(served.flow(context), await served.person(update, context))
    await served.apply(update, context, turn, in_place=in_place)
