"""The coordinator role, given by a community worker from the moderators chat.

`/coordinator` in the wijkteam's group sends the worker, privately, who coordinates the
rides of the neighbourhood now and its streets; a street shows its residents; a name asks
for a confirmation; "Ja" calls `services.coordinators.grant_coordinator` (or
`revoke_coordinator`), which re-checks the worker with Telegram, audits and tells the
person. Names stay in the worker's private chat, never in a group.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, chat_of, friendly, is_private, keyboard, send, show, who
from handlers.context import PatchworkApp, PatchworkContext
from handlers.escalation.common import send_private
from handlers.say import say
from models.errors import NotFound, StaleAction
from models.messages import Button
from models.rides.coordination import CoordinatorChoice, StreetNeighbours

ACTION = "wc"
PAGE = 24


def _overview_text(context: PatchworkContext, lang: str, choice: CoordinatorChoice) -> str:
    s = say(context, lang)
    names = ", ".join(r.display_name for r in choice.coordinators) or s.p(
        "escalation.roles.nobody"
    )
    return s.t(
        "escalation.roles.overview",
        neighbourhood=choice.neighbourhood.name,
        names=names,
    )


def _overview_rows(
    context: PatchworkContext, lang: str, choice: CoordinatorChoice
) -> list[list[Button]]:
    hood = choice.neighbourhood.id
    rows = [
        [button("🏠 " + street.name, ACTION, "s", hood, street.id, 0)] for street in choice.streets
    ]
    rows.extend(
        [
            button(
                say(context, lang).p("escalation.roles.revoke_button", name=person.display_name),
                ACTION,
                "r",
                hood,
                person.id,
            )
        ]
        for person in choice.coordinators
    )
    return rows


def _street_rows(
    context: PatchworkContext, lang: str, found: StreetNeighbours, offset: int
) -> list[list[Button]]:
    hood = found.neighbourhood.id
    page = found.residents[offset : offset + PAGE]
    buttons = [
        button(
            ("⭐ " if person.id in found.coordinator_ids else "") + person.display_name,
            ACTION,
            "p",
            hood,
            person.id,
        )
        for person in page
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    s = say(context, lang)
    if offset + PAGE < len(found.residents):
        rows.append(
            [
                button(
                    s.p("escalation.roles.more"),
                    ACTION,
                    "s",
                    hood,
                    found.street.id,
                    offset + PAGE,
                )
            ]
        )
    rows.append([button(s.p("escalation.roles.back"), ACTION, "o", hood)])
    return rows


@friendly
async def on_command(update: Update, context: PatchworkContext) -> None:
    """/coordinator in the moderators chat: the overview goes to the worker privately."""
    me = await who(update, context)
    lang = me.language
    s = say(context, lang)
    if is_private(update):
        await send(update, s.t("escalation.roles.in_team_chat"))
        return
    hood = await context.services.moderators.for_chat(chat_of(update))
    if hood is None:
        raise NotFound()
    choice = await context.services.coordinators.coordinator_choice(me.user, hood.id)
    await send_private(
        context,
        me.user,
        _overview_text(context, lang, choice),
        keyboard(_overview_rows(context, lang, choice)),
    )
    await send(update, s.t("escalation.sent_privately_long"))


@on_press(ACTION)
@friendly
async def on_button(update: Update, context: PatchworkContext) -> None:
    """Overview, a street, a name, and the confirmations (each re-checks the worker)."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    lang = me.language
    coordinators = context.services.coordinators
    op, hood = callback.arg(0), callback.int_arg(1)
    s = say(context, lang)
    if op == "o":
        choice = await coordinators.coordinator_choice(me.user, hood)
        await show(
            update,
            _overview_text(context, lang, choice),
            keyboard(_overview_rows(context, lang, choice)),
        )
    elif op == "s":
        found = await coordinators.street_neighbours(me.user, hood, callback.int_arg(2))
        key = "escalation.roles.street" if found.residents else "escalation.roles.street_empty"
        await show(
            update,
            s.t(key, street=found.street.name),
            keyboard(_street_rows(context, lang, found, max(0, callback.int_arg(3)))),
        )
    elif op in {"p", "r"}:
        person, is_coordinator = await coordinators.candidate(me.user, hood, callback.int_arg(2))
        name = person.display_name
        if is_coordinator:
            key, yes = "escalation.roles.confirm_revoke", "x"
        else:
            key, yes = "escalation.roles.confirm_grant", "g"
        rows = [
            [button(s.p("escalation.roles.yes"), ACTION, yes, hood, person.id)],
            [button(s.p("escalation.roles.no"), ACTION, "o", hood)],
        ]
        await show(update, s.t(key, name=name), keyboard(rows))
    elif op == "g":
        person = await coordinators.grant_coordinator(me.user, hood, callback.int_arg(2))
        await show(update, s.t("escalation.roles.granted", name=person.display_name))
    elif op == "x":
        person, _ = await coordinators.candidate(me.user, hood, callback.int_arg(2))
        if not await coordinators.revoke_coordinator(me.user, hood, person.id):
            raise StaleAction()
        await show(update, s.t("escalation.roles.revoked", name=person.display_name))
    else:
        raise StaleAction()


def register(app: PatchworkApp) -> None:
    """Install /coordinator and its buttons."""
    app.add_handler(CommandHandler(["coordinator", "coordinatoren"], on_command))
