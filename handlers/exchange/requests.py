"""Buttons on requests: "Ik help", the owner's own requests, "nog nodig?", consent."""

from __future__ import annotations

from telegram import Update

from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import answer, button, friendly, is_private, keyboard, send, show, who
from handlers.context import PatchworkContext
from handlers.escalation.resident import acknowledge_too_heavy
from handlers.exchange.common import card_text, exchange
from handlers.say import say
from models.core import Language
from models.errors import StaleAction
from models.exchange.model import RequestStatus
from models.exchange.requests import RequestView
from models.messages import Button


@on_press("xh")
@friendly
async def on_help(update: Update, context: PatchworkContext) -> None:
    """ "Ik help" / "Interesse", in the group or on a private copy of the card."""
    assert update.callback_query is not None
    request_id = decode(update.callback_query.data).int_arg(0)
    me = await who(update, context)
    await exchange(context).requests.help(me.user, request_id)
    key = "exchange.help.toast_private" if is_private(update) else "exchange.help.toast_group"
    await answer(update, say(context, me.own).p(key), alert=not is_private(update))


def own_request_rows(
    context: PatchworkContext, language: Language, view: RequestView
) -> list[list[Button]]:
    """What the owner can do with a request now."""
    request = view.request
    rows: list[list[Button]] = []
    s = say(context, language)
    if request.status is RequestStatus.MATCHED:
        rows.append([button(s.p("exchange.conv.done"), "xr", "done", request.id)])
    if not request.status.final:
        rows.append([button(s.p("exchange.mine.cancel"), "xr", "cancel", request.id)])
    rows.append([button(s.p("menu.back"), "m", "mine")])
    return rows


@on_press("xr")
@friendly
async def on_own_request(update: Update, context: PatchworkContext) -> None:
    """The owner's buttons: show, done, cancel, still needed (yes/no)."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    language = me.language
    requests = exchange(context).requests
    action = callback.arg(0)
    request_id = callback.int_arg(1)
    s = say(context, language)
    if action == "show":
        view = await requests.own(me.user, request_id)
        text = card_text(context, language, view)
        if view.request.status is RequestStatus.HELD:
            text += "\n\n" + s.t("exchange.mine.held_note")
        await show(update, text, keyboard(own_request_rows(context, language, view)))
    elif action == "done":
        await requests.done(me.user, request_id)
        await show(update, s.t("exchange.mine.done"))
    elif action == "cancel":
        await requests.cancel(me.user, request_id)
        await show(update, s.t("exchange.mine.cancelled"))
    elif action == "need":
        needed = callback.arg(2) == "1"
        await requests.still_needed(me.user, request_id, needed)
        key = "exchange.stale.kept" if needed else "exchange.mine.cancelled"
        await show(update, s.t(key))
    else:
        raise StaleAction()


@on_press("xz")
@friendly
async def on_too_heavy(update: Update, context: PatchworkContext) -> None:
    """ "Te zwaar voor buren" on a private copy of a request: ask, then pass it on."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    language = me.language
    action, request_id = callback.arg(0), callback.int_arg(1)
    s = say(context, language)
    if action == "ask":
        # Checked now already, so a stale or own request says so before the question.
        await exchange(context).requests.too_heavy(me.user, request_id)
        rows = [
            [button(s.p("exchange.heavy.yes"), "xz", "ok", request_id)],
            [button(s.p("exchange.no"), "xz", "no", request_id)],
        ]
        await send(update, s.t("exchange.heavy.question_card"), keyboard(rows))
    elif action == "ok":
        await pass_too_heavy(update, context, request_id=request_id)
    elif action == "no":
        await show(update, s.t("exchange.heavy.not_sent"))
    else:
        raise StaleAction()


async def pass_too_heavy(
    update: Update,
    context: PatchworkContext,
    *,
    request_id: int = 0,
    conversation_id: int | None = None,
) -> None:
    """Route 3 of escalation: the requester is asked privately; the helper hears only that.

    The exchange checks the helper and describes the request; escalation records the offer
    and, later, tells the helper "doorgegeven" or "niet doorgegeven" — nothing more.
    """
    me = await who(update, context)
    found = await exchange(context).requests.too_heavy(
        me.user, request_id, conversation_id=conversation_id
    )
    await context.services.escalation.ask_consent_for_too_heavy(
        me.user, found.requester_id, found.source
    )
    await acknowledge_too_heavy(update, context)
