"""Groups: being added or removed, `/setup` of a street, group upgrades to supergroups."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import (
    CHANNEL,
    ask_text,
    button,
    chat_of,
    friendly,
    is_private,
    keyboard,
    send,
    show,
    user_of,
    who,
)
from handlers.context import PatchworkApp, PatchworkContext
from handlers.say import say
from models.core import ChannelUser, ChatRef, Street
from models.errors import StaleAction
from models.messages import Keyboard, link
from models.streets import clean_place, join_payload

log = logging.getLogger(__name__)

SETUP_FLOW = "setup"
_STEPS = ("street", "neighbourhood", "municipality")
_PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR}
_ABSENT = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}


def join_link(context: PatchworkContext, street: Street) -> str:
    """The "Doe mee" deep link of a street."""
    return f"https://t.me/{context.services.bot_username}?start={join_payload(street)}"


def join_button(context: PatchworkContext, street: Street) -> Keyboard | None:
    """The "Doe mee" button: opens a private chat that joins the street."""
    label = say(context, street.language).p("setup.join_button")
    return keyboard([[link(label, join_link(context, street))]])


@friendly
async def on_setup(update: Update, context: PatchworkContext) -> None:
    """/setup in a group: a chat administrator links it to a street."""
    me = await who(update, context)
    s = say(context, me.language)
    if is_private(update):
        await send(update, s.t("setup.only_in_group"))
        return
    chat = chat_of(update)
    await context.services.streets.require_admin(chat, me.user)
    parts = [p.strip() for p in " ".join(context.args or []).split("|")]
    if len(parts) == 3 and all(parts):
        await _save(update, context, parts[0], parts[1], parts[2])
        return
    await dialogs.expect(update, context, SETUP_FLOW, step="street")
    await ask_text(
        update,
        s.t("setup.ask_street"),
        s.p("setup.placeholder_street"),
    )


@dialogs.text_step(SETUP_FLOW)
async def on_setup_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """The administrator answers one question; the next one follows, then a confirmation."""
    message = update.effective_message
    assert message is not None
    me = await who(update, context)
    await context.services.streets.require_admin(chat_of(update), me.user)
    step = str(dialog.data.get("step"))
    if step not in _STEPS:
        raise StaleAction()
    answers = {k: v for k, v in dialog.data.items() if k in _STEPS}
    answers[step] = clean_place(message.text)
    following = _STEPS.index(step) + 1
    s = say(context, me.language)
    if following < len(_STEPS):
        next_step = _STEPS[following]
        await dialogs.expect(update, context, SETUP_FLOW, step=next_step, **answers)
        await ask_text(update, s.t(f"setup.ask_{next_step}", **answers))
        return
    await dialogs.expect(update, context, SETUP_FLOW, step="confirm", **answers)
    rows = [
        [
            button(s.p("setup.confirm_yes"), "su", "ok"),
            button(s.p("setup.confirm_redo"), "su", "redo"),
        ]
    ]
    await send(update, s.t("setup.confirm", **answers), keyboard(rows))


@on_press("su")
@friendly
async def on_setup_button(update: Update, context: PatchworkContext) -> None:
    """Confirm or restart the setup (only the administrator who is setting up)."""
    assert update.callback_query is not None
    choice = decode(update.callback_query.data).arg(0)
    me = await who(update, context)
    await context.services.streets.require_admin(chat_of(update), me.user)
    data = await dialogs.answers(update, context, SETUP_FLOW, "confirm")
    s = say(context, me.language)
    if choice == "redo":
        await dialogs.expect(update, context, SETUP_FLOW, step="street")
        await show(update, s.t("setup.restart"))
        await ask_text(update, s.t("setup.ask_street"))
        return
    if choice != "ok":
        raise StaleAction()
    await show(update, s.t("setup.saving"))
    await _save(
        update, context, str(data["street"]), str(data["neighbourhood"]), str(data["municipality"])
    )


async def _save(
    update: Update, context: PatchworkContext, street: str, neighbourhood: str, municipality: str
) -> None:
    me = await who(update, context)
    chat = update.effective_chat
    assert chat is not None
    result = await context.services.streets.setup(
        me.user,
        chat_of(update),
        chat.title,
        street,
        neighbourhood,
        municipality,
        context.services.settings.default_language,
    )
    await dialogs.finish(update, context)
    lang = result.street.language
    key = "setup.done_new" if result.created else "setup.done_updated"
    s = say(context, lang)
    await send(
        update,
        s.t(key, street=result.street.name, neighbourhood=result.neighbourhood.name),
    )
    welcome = await send(
        update,
        s.t("setup.welcome", street=result.street.name),
        join_button(context, result.street),
    )
    if welcome is not None:
        # Pinning needs admin rights the bot may not have; the message works unpinned too.
        with contextlib.suppress(BadRequest, Forbidden):
            await welcome.pin(disable_notification=True)


async def on_my_chat_member(update: Update, context: PatchworkContext) -> None:
    """The bot was added to or removed from a group."""
    change = update.my_chat_member
    if change is None or change.chat.type not in {ChatType.GROUP, ChatType.SUPERGROUP}:
        return
    chat = ChatRef(channel=CHANNEL, chat_id=str(change.chat.id))
    by = change.from_user
    actor = (
        ChannelUser(channel=CHANNEL, external_id=str(by.id), first_name=by.first_name)
        if by
        else None
    )
    old, new = change.old_chat_member.status, change.new_chat_member.status
    services = context.services
    if old in _ABSENT and new in _PRESENT:
        needs_setup = await services.streets.bot_added(chat, change.chat.title, actor)
        if needs_setup:
            language = services.settings.default_language
            minutes = services.settings.unconfigured_group_minutes
            with contextlib.suppress(BadRequest, Forbidden):
                await context.bot.send_message(
                    change.chat.id, say(context, language).t("setup.hello", minutes=minutes)
                )
    elif new in _ABSENT:
        await services.streets.bot_removed(chat, actor)


async def on_migration(update: Update, context: PatchworkContext) -> None:
    """A group became a supergroup: follow it to the new chat id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    await context.services.streets.migrate_chat(
        ChatRef(channel=CHANNEL, chat_id=str(old)), ChatRef(channel=CHANNEL, chat_id=str(new))
    )


def register(app: PatchworkApp) -> None:
    """Install the group handlers."""
    app.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migration), group=-50)
    app.add_handler(CommandHandler("setup", on_setup))


__all__ = ["join_button", "join_link", "register", "user_of"]
