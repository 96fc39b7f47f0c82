"""The relay in the private chat: typed messages, photos and voice notes go to the other side.

Registered at handler group -3: after the reply keyboard (-10) and the text router (-5),
so menu buttons and typed answers of a flow win — also escalation's prompts (a resident's
answer to the wijkteam, a worker's message to a resident); before escalation's
sensitivity net (-2). A message that was relayed (or refused) stops there; a heavy text is
held back and offered as route 2 (docs/ESCALATION.md). Message contents are never logged
or stored; where a relayed message landed is (ids only), so `/melden` can find it.
"""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationHandlerStop

from bot.storage.repos.infra import Dialog
from bot.telegram.render import inline_keyboard
from config.i18n import escape
from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, explain, friendly, keyboard, send, show, user_of, who
from handlers.context import PatchworkContext
from handlers.escalation.resident import show_offer
from handlers.escalation.screen import resumer, screen
from handlers.exchange.common import (
    conversation_rows,
    conversation_title,
    exchange,
    snippet,
)
from handlers.exchange.requests import pass_too_heavy
from handlers.say import say
from models.core import ChatRef, Language
from models.errors import DomainError, StaleAction
from models.escalation.model import SourceKind
from models.exchange.relay import ConversationView, RelayPlan

RELAY_GROUP = -3
PICK_FLOW = "exchange.pick"


async def on_private_message(update: Update, context: PatchworkContext) -> None:
    """Relay a private message when the person is in a conversation; else let it pass."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    relayable = message.text is not None or bool(message.photo) or message.voice is not None
    text = message.text if message.text is not None else message.caption
    try:
        plan = await exchange(context).relay.plan(
            user_of(update), text if relayable else None, caption=message.text is None
        )
        if plan.action == "none":
            return
        me = await who(update, context)
        if plan.action == "held" and plan.offer is not None:
            # A heavy text is never relayed: the neighbour sees nothing; a professional is
            # offered, prefilled (escalation's route 2), the crisis numbers first.
            await show_offer(update, context, plan.offer, plan.neighbourhood_name)
        elif plan.action == "check" and text is not None:
            # Doubtful: held, and the resident is asked; "voor de buren" relays it then.
            await _check(update, context, text, message.message_id, plan)
        elif not relayable:
            await send(update, say(context, me.language).t("exchange.relay.only_text"))
        elif plan.action == "choose":
            await dialogs.expect(update, context, PICK_FLOW, message_id=message.message_id)
            await _choose(update, context, me.language, list(plan.options), pending=True)
        else:
            await _deliver(update, context, me.language, plan, message)
    except DomainError as error:
        await explain(update, context, error)
    raise ApplicationHandlerStop


RELAY_CHECK = "exchange.relay.check"


async def _check(
    update: Update, context: PatchworkContext, text: str, message_id: int, plan: RelayPlan
) -> None:
    """Ask about a doubtful message before it goes to the neighbour (it stays held)."""
    view = plan.view
    await screen(
        update,
        context,
        text,
        resume=RELAY_CHECK,
        data={"message_id": message_id},
        kind=SourceKind.RELAY,
        ref_id=view.id if view is not None else None,
    )


@resumer(RELAY_CHECK)
async def _resume_check(update: Update, context: PatchworkContext, data: dict[str, Any]) -> None:
    """ "Voor de buren": relay the held message now (copied, never stored)."""
    await _resend_pending(update, context, int(data["message_id"]))


async def _deliver(
    update: Update,
    context: PatchworkContext,
    language: Language,
    plan: RelayPlan,
    message: Message,
) -> None:
    view = plan.view
    assert view is not None
    assert plan.to_chat is not None
    header = say(context, plan.to_language).t(
        "exchange.relay.header",
        name=plan.sender_name,
        subject=view.short_subject,
    )
    rows = []
    if plan.reply_button:
        label = say(context, plan.to_language).p("exchange.relay.reply", name=plan.sender_name)
        rows = [[button(label, "xc", "cur", view.id)]]
    chat_id = int(plan.to_chat.chat_id)
    try:
        if message.text is not None:
            sent = await context.bot.send_message(
                chat_id,
                header + "\n" + escape(plan.text or ""),
                parse_mode=ParseMode.HTML,
                reply_markup=inline_keyboard(keyboard(rows)),
            )
            delivered = sent.message_id
        else:
            caption = header + ("\n" + escape(plan.text) if plan.text else "")
            copied = await context.bot.copy_message(
                chat_id,
                from_chat_id=message.chat_id,
                message_id=message.message_id,
                caption=caption,
                parse_mode=ParseMode.HTML,
                reply_markup=inline_keyboard(keyboard(rows)),
            )
            delivered = copied.message_id
    except Forbidden:
        await exchange(context).relay.undeliverable(view.id, view.other_id)
        await send(update, say(context, language).t("exchange.relay.gone", name=view.other_name))
        return
    await exchange(context).relay.delivered(view.id, view.me_id, plan.to_chat, [delivered])
    confirm = say(context, language).t(
        "exchange.relay.sent", name=view.other_name, subject=view.short_subject
    )
    switch = []
    if plan.others:
        switch = [[button(say(context, language).p("exchange.relay.switch"), "xc", "list", 0)]]
    await send(update, confirm, keyboard(switch))


async def _choose(
    update: Update,
    context: PatchworkContext,
    language: Language,
    views: list[ConversationView],
    *,
    pending: bool = False,
) -> None:
    rows = []
    s = say(context, language)
    for view in views:
        mark = "✅ " if view.current and not pending else ""  # pending: we ask, no guess
        label = mark + s.p(
            "exchange.relay.option",
            name=view.other_name,
            subject=snippet(view.subject, 24),
        )
        rows.append([button(label, "xc", "cur", view.id)])
    if pending and len(views) == 1:
        # One conversation, but quiet for a while: asked, never forwarded on a guess.
        text = s.t("exchange.relay.choose_quiet", name=views[0].other_name)
    else:
        text = s.t("exchange.relay.choose_pending" if pending else "exchange.relay.choose")
    await show(update, text, keyboard(rows))


@dialogs.text_step(PICK_FLOW)
async def on_pick_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """More text while a conversation must be chosen: remember the newest, ask again."""
    message = update.effective_message
    assert message is not None
    me = await who(update, context)
    relay = exchange(context).relay
    views = await relay.mine(me.user)
    if not views:
        await dialogs.finish(update, context)
        return
    held = await relay.screen(me.user, message.text)
    if held.action == "held" and held.offer is not None:
        # Never kept for relaying later: the text sounds too heavy for neighbours.
        await show_offer(update, context, held.offer, held.neighbourhood_name)
        return
    if held.action == "check" and message.text is not None:
        await _check(update, context, message.text, message.message_id, held)
        return
    await dialogs.expect(update, context, PICK_FLOW, message_id=message.message_id)
    await _choose(update, context, me.language, views, pending=True)


async def _resend_pending(update: Update, context: PatchworkContext, message_id: int) -> None:
    """After choosing: relay the message that was waiting (the fake and Telegram keep it)."""
    me = await who(update, context)
    plan = await exchange(context).relay.plan(me.user, None, caption=True)
    if plan.action == "choose":
        # Several conversations and none chosen yet: the message waits for the choice.
        await dialogs.expect(update, context, PICK_FLOW, message_id=message_id)
        await _choose(update, context, me.language, list(plan.options), pending=True)
        return
    if plan.action != "send" or plan.view is None or plan.to_chat is None:
        return
    view = plan.view
    header = say(context, plan.to_language).t(
        "exchange.relay.header",
        name=plan.sender_name,
        subject=view.short_subject,
    )
    chat = update.effective_chat
    assert chat is not None
    to_chat: ChatRef = plan.to_chat
    try:
        # Sending the header first and copying the message keeps its content out of our hands.
        sent = await context.bot.send_message(
            int(to_chat.chat_id), header, parse_mode=ParseMode.HTML
        )
        copied = await context.bot.copy_message(
            int(to_chat.chat_id), from_chat_id=chat.id, message_id=message_id
        )
    except Forbidden:
        await exchange(context).relay.undeliverable(view.id, view.other_id)
        await send(
            update, say(context, me.language).t("exchange.relay.gone", name=view.other_name)
        )
        return
    except BadRequest:
        return
    await exchange(context).relay.delivered(
        view.id, view.me_id, to_chat, [sent.message_id, copied.message_id]
    )
    await send(
        update,
        say(context, me.language).t(
            "exchange.relay.sent", name=view.other_name, subject=view.short_subject
        ),
    )


async def _ask_sure(
    update: Update,
    context: PatchworkContext,
    language: Language,
    view: ConversationView,
    question: str,
    yes: str,
    yes_action: str,
) -> None:
    """Ask once more before a step that cannot be undone; "Nee" goes back to the chat."""
    conversation_id = view.conversation.id
    s = say(context, language)
    rows = [
        [button(s.p(yes), "xc", yes_action, conversation_id)],
        [button(s.p("exchange.no"), "xc", "cur", conversation_id)],
    ]
    await send(update, s.t(question, name=view.other_name), keyboard(rows))


@on_press("xc")
@friendly
async def on_conversation(update: Update, context: PatchworkContext) -> None:
    """Buttons of a conversation: current, list, share, end, klaar?, helped, too heavy."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    language = me.language
    relay = exchange(context).relay
    action = callback.arg(0)
    conversation_id = callback.int_arg(1)
    if action == "list":
        views = await relay.mine(me.user)
        if not views:
            raise StaleAction()
        await _choose(update, context, language, views)
        return
    s = say(context, language)
    if action == "again":
        view = await relay.reopen(me.user, conversation_id)
        await send(
            update,
            s.t("exchange.relay.now_writing", title=conversation_title(context, language, view)),
            keyboard(conversation_rows(context, language, view)),
        )
        return
    if action == "cur":
        dialog = await dialogs.current(update, context)
        view = await relay.focus(me.user, conversation_id)
        await dialogs.finish(update, context)
        await send(
            update,
            s.t(
                "exchange.relay.now_writing",
                title=conversation_title(context, language, view),
            ),
            keyboard(conversation_rows(context, language, view)),
        )
        if dialog is not None and dialog.flow == PICK_FLOW and dialog.data.get("message_id"):
            await _resend_pending(update, context, int(dialog.data["message_id"]))
        return
    view = await relay.open_view(me.user, conversation_id)
    if action == "share":
        chat_user = update.effective_user
        handle = f"@{chat_user.username}" if chat_user and chat_user.username else None
        fresh = await relay.share_contact(me.user, conversation_id, handle)
        if not fresh.contact_shared:
            await send(update, s.t("exchange.contact.waiting", name=view.other_name))
    elif action == "noshare":
        await send(update, s.t("exchange.contact.declined"))
    elif action == "end":
        await _ask_sure(
            update,
            context,
            language,
            view,
            "exchange.conv.end_q",
            "exchange.conv.end_yes",
            "endok",
        )
    elif action == "endok":
        await relay.end(me.user, conversation_id)
        await send(update, s.t("exchange.conv.ended_me", name=view.other_name))
    elif action == "klaar":
        await relay.propose_done(me.user, conversation_id)
        await send(update, s.t("exchange.conv.klaar_sent", name=view.other_name))
    elif action == "done":
        await relay.helped(me.user, conversation_id)
        await send(update, s.t("exchange.conv.helped_me"))
    elif action == "heavy":
        await _ask_sure(
            update,
            context,
            language,
            view,
            "exchange.heavy.question",
            "exchange.heavy.yes",
            "heavyok",
        )
    elif action == "heavyok":
        await pass_too_heavy(update, context, conversation_id=conversation_id)
    else:
        raise StaleAction()
