"""Small shared pieces of the Telegram adapter: identities, replies, keyboards, errors."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from telegram import Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest

from bot.telegram.render import inline_keyboard, markup, split_html
from config.i18n import escape
from handlers.callbacks import BadCallback
from handlers.context import PatchworkContext
from handlers.say import say
from models.core import ChannelUser, ChatRef, Language, Resident
from models.errors import DomainError, StaleAction
from models.messages import AskText, Button, Choices, Keyboard, press
from models.messages import keyboard as neutral_keyboard

log = logging.getLogger(__name__)

CHANNEL = "telegram"
Handler: TypeAlias = Callable[[Update, PatchworkContext], Coroutine[Any, Any, None]]
Markup: TypeAlias = Choices | None


def user_of(update: Update) -> ChannelUser:
    """The person behind an update, channel-neutral."""
    user = update.effective_user
    if user is None:
        raise StaleAction()
    return ChannelUser(
        channel=CHANNEL,
        external_id=str(user.id),
        first_name=user.first_name,
        language_hint=user.language_code,
    )


def chat_of(update: Update) -> ChatRef:
    """The chat an update happened in."""
    chat = update.effective_chat
    if chat is None:
        raise StaleAction()
    return ChatRef(channel=CHANNEL, chat_id=str(chat.id))


def is_private(update: Update) -> bool:
    """Whether the update comes from a private chat with the bot."""
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


@dataclass(frozen=True)
class Who:
    """Who is acting, in which language: `language` for what the chat reads (a group: the
    street's), `own` for what only they read (a pop-up after a press in a group)."""

    user: ChannelUser
    resident: Resident | None
    language: Language
    own: Language


async def who(update: Update, context: PatchworkContext) -> Who:
    """The acting person, their resident record and their language."""
    services = context.services
    user = user_of(update)
    resident = await services.residents.find(user)
    own = language = services.residents.language_for(user, resident)
    if not is_private(update) and update.effective_chat is not None:
        street = await services.streets.by_chat(chat_of(update))
        if street is not None:
            language = street.language
    return Who(user, resident, language, own)


def split_message(text: str, limit: int = 4096) -> list[str]:
    """Split a long HTML text into messages at line breaks, each within Telegram's limit.

    Lines are never cut in the middle unless one line alone is over the limit, so the
    HTML of each line (tags open and close on one line here) stays intact."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        rest = line
        while len(rest) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(rest[:limit])
            rest = rest[limit:]
        candidate = f"{current}\n{rest}" if current else rest
        if len(candidate) > limit:
            parts.append(current)
            current = rest
        else:
            current = candidate
    if current.strip():
        parts.append(current)
    return [p for p in parts if p.strip()]


def button(text: str, action: str, *args: object) -> Button:
    """A button that hands back its action and arguments when pressed."""
    return press(text, action, *args)


def keyboard(rows: Sequence[Sequence[Button]]) -> Keyboard | None:
    """Buttons in rows under a message (None when there are no buttons)."""
    return neutral_keyboard(rows)


def file_slug(name: str, fallback: str) -> str:
    """A name as part of a file name: "Sint-Jansstraat 2" → "sint-jansstraat-2"."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    return slug or fallback


async def send(
    update: Update,
    text: str,
    choices: Markup = None,
) -> Message | None:
    """Send a new message in the chat of the update."""
    message = update.effective_message
    chat = update.effective_chat
    if chat is None:
        return None
    reply_markup = markup(choices, in_group=not is_private(update))
    # Over Telegram's limit (a long echo of typed words): several messages, buttons last.
    *first, last = split_html(text) or [text]
    for part in first:
        await chat.send_message(part, parse_mode=ParseMode.HTML)
    if message is not None and update.callback_query is None and not first:
        return await message.reply_text(
            last, parse_mode=ParseMode.HTML, reply_markup=reply_markup, do_quote=False
        )
    return await chat.send_message(last, parse_mode=ParseMode.HTML, reply_markup=reply_markup)


async def show(update: Update, text: str, buttons: Keyboard | None = None) -> None:
    """Replace the message a button was pressed on (wizard step), or send a new one."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is not None and isinstance(message, Message) and message.text is not None:
        try:
            await query.edit_message_text(
                text, parse_mode=ParseMode.HTML, reply_markup=inline_keyboard(buttons)
            )
        except BadRequest as err:
            if "not modified" not in err.message.lower():
                raise
        return
    await send(update, text, buttons)


async def keep_answer(update: Update) -> None:
    """Leave a pressed question in the chat with the chosen answer under it, buttons gone.

    For a question whose follow-up comes as a new message: the person sees what they
    answered, and the next question arrives at the bottom of the chat, where it is seen."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message) or message.text is None:
        return
    rows = message.reply_markup.inline_keyboard if message.reply_markup else ()
    label = next((b.text for row in rows for b in row if b.callback_data == query.data), None)
    text = message.text_html + (f"\n➡️ <b>{escape(label)}</b>" if label else "")
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=None)
    except BadRequest as err:
        if "not modified" not in err.message.lower():
            raise


async def ask_text(update: Update, text: str, placeholder: str | None = None) -> None:
    """Ask for typed input; in groups as a force-reply, so privacy mode shows us the answer."""
    await send(update, text, AskText(placeholder=placeholder))


async def answer(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button press (stops the spinner), optionally with a short pop-up."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text=text[:200] if text else None, show_alert=alert)
    except BadRequest as err:
        # A press older than Telegram's answer window; nothing to show any more.
        log.debug("callback answer refused: %s", err.message)


def friendly(handler: Handler) -> Handler:
    """Turn domain refusals into a kind sentence for the person, and answer every press."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: PatchworkContext) -> None:
        try:
            await handler(update, context)
        except BadCallback:
            await explain(update, context, StaleAction())
        except DomainError as error:
            await explain(update, context, error)
        else:
            await answer(update)

    return wrapper


async def explain(
    update: Update, context: PatchworkContext, error: DomainError, *, in_chat: bool = False
) -> None:
    """Tell the person, kindly and in their language, why nothing happened.

    A button press gets a pop-up, unless `in_chat` (the press was answered already).
    """
    services = context.services
    try:
        me = await who(update, context)
        # A pop-up is read by the one who pressed, in their language, also in a group.
        language, own = me.language, me.own
    except DomainError:
        language = own = services.settings.default_language
    params: dict[str, Any] = {k: v for k, v in error.params.items() if isinstance(v, str | int)}
    if update.callback_query is not None and not in_chat:
        await answer(update, say(context, own).p(error.message_key, **params), alert=True)
        return
    s = say(context, language)
    await send(update, s.t(error.message_key, **params))
