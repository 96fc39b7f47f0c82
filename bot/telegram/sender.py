"""The Telegram sender: neutral messages out, Telegram's failures mapped to neutral ones."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.error import TimedOut as TelegramTimedOut

from bot.telegram.render import inline_keyboard, markup, split_html
from models.core import ChatRef
from models.messages import (
    ChatMoved,
    ConnectionTrouble,
    MessageGone,
    NotChanged,
    OutgoingMessage,
    Rejected,
    RetryLater,
    SentMessage,
    TimedOut,
    Unreachable,
)

TELEGRAM = "telegram"
# A bot may delete its own messages in groups only while they are younger than 48 hours.
DELETE_WINDOW = timedelta(hours=48)
_GONE = ("not found", "can't be deleted", "can't be edited", "message to delete")


@asynccontextmanager
async def neutral_errors(chat: ChatRef) -> AsyncIterator[None]:
    """Raise Telegram's errors as the neutral `SendError`s the outbox understands."""
    try:
        yield
    except Forbidden as err:
        raise Unreachable(err.message) from err
    except ChatMigrated as err:
        raise ChatMoved(ChatRef(channel=chat.channel, chat_id=str(err.new_chat_id))) from err
    except RetryAfter as err:
        delay = err.retry_after
        seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
        raise RetryLater(seconds) from err
    except BadRequest as err:
        message = err.message.lower()
        if "not modified" in message:
            raise NotChanged(err.message) from err
        if any(s in message for s in _GONE):
            raise MessageGone(err.message) from err
        raise Rejected(err.message) from err
    except TelegramTimedOut as err:
        raise TimedOut(err.message) from err
    except NetworkError as err:
        raise ConnectionTrouble(err.message) from err


class TelegramSender:
    """Sends through the rate-limited PTB bot; implements `models.messages.ChannelSender`."""

    channel = TELEGRAM
    delete_window: timedelta | None = DELETE_WINDOW

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat: ChatRef, message: OutgoingMessage) -> SentMessage:
        """Send a text, or a document with the text as caption."""
        chat_id = int(chat.chat_id)
        reply_markup = markup(message.choices, in_group=chat_id < 0)
        async with neutral_errors(chat):
            if message.document is not None:
                sent = await self._bot.send_document(
                    chat_id=chat_id,
                    document=message.document.content,
                    filename=message.document.filename,
                    caption=message.text or None,
                    parse_mode=ParseMode.HTML,
                    reply_markup=reply_markup,
                )
            else:
                # Over Telegram's limit: several messages, the buttons under the last one.
                *first, last = split_html(message.text) or [message.text]
                for part in first:
                    await self._bot.send_message(
                        chat_id=chat_id, text=part, parse_mode=ParseMode.HTML
                    )
                sent = await self._bot.send_message(
                    chat_id=chat_id,
                    text=last,
                    parse_mode=ParseMode.HTML,
                    reply_markup=reply_markup,
                )
        return SentMessage(chat=chat, message_id=sent.message_id)

    async def edit(self, sent: SentMessage, message: OutgoingMessage) -> None:
        """Replace the text and the buttons under it."""
        async with neutral_errors(sent.chat):
            await self._bot.edit_message_text(
                chat_id=int(sent.chat.chat_id),
                message_id=sent.message_id,
                text=message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=inline_keyboard(message.choices),
            )

    async def delete(self, sent: SentMessage) -> None:
        """Delete a message (Telegram allows it for 48 hours in groups)."""
        async with neutral_errors(sent.chat):
            await self._bot.delete_message(
                chat_id=int(sent.chat.chat_id), message_id=sent.message_id
            )

    async def leave(self, chat: ChatRef) -> None:
        """Leave a group."""
        async with neutral_errors(chat):
            await self._bot.leave_chat(chat_id=int(chat.chat_id))
