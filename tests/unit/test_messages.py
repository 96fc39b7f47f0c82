"""Neutral messages: buttons that fit every channel, and Telegram's errors in neutral words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from telegram import ForceReply, InlineKeyboardMarkup, ReplyKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.error import TimedOut as TelegramTimedOut

from bot.telegram.render import markup
from bot.telegram.sender import neutral_errors
from models.core import ChatRef
from models.messages import (
    AskText,
    Button,
    ChatMoved,
    ConnectionTrouble,
    MessageGone,
    NotChanged,
    Rejected,
    RetryLater,
    SendError,
    TimedOut,
    Unreachable,
    keyboard,
    link,
    outgoing,
    press,
)
from models.messages import Menu as NeutralMenu

CHAT = ChatRef(channel="telegram", chat_id="-100")


def test_a_button_either_acts_or_opens_a_link() -> None:
    assert press("Ja", "cs", "y", 7).data == "cs:y:7"
    assert link("Open", "https://t.me/x?start=j1").url == "https://t.me/x?start=j1"
    with pytest.raises(ValidationError):
        Button(label="Beide", action="m", url="https://t.me/x")
    with pytest.raises(ValidationError):
        Button(label="Geen van beide")
    with pytest.raises(ValidationError, match="64 bytes"):
        press("Te lang", "m", "x" * 40, "y" * 30)


def test_empty_rows_make_no_keyboard_and_a_message_says_something() -> None:
    assert keyboard([[], []]) is None
    assert keyboard([[press("a", "m")], []]).rows == ((press("a", "m"),),)  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        outgoing("")


def test_telegram_gets_one_reply_markup_per_kind_of_choice() -> None:
    rows = keyboard([[press("Ja", "m", "y"), link("Open", "https://t.me/x")]])
    inline = markup(rows)
    assert isinstance(inline, InlineKeyboardMarkup)
    assert [[b.callback_data or b.url for b in row] for row in inline.inline_keyboard] == [
        ["m:y", "https://t.me/x"]
    ]
    menu = markup(NeutralMenu(rows=(("🙋 Ik zoek hulp", "🤝 Ik kan helpen"),)))
    assert isinstance(menu, ReplyKeyboardMarkup)
    assert menu.is_persistent
    # A typed answer in a group only reaches a bot in privacy mode as a reply.
    assert isinstance(markup(AskText(placeholder="Naam"), in_group=True), ForceReply)
    assert markup(AskText(), in_group=False) is None


@pytest.mark.parametrize(
    ("error", "neutral"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), Unreachable),
        (RetryAfter(timedelta(seconds=3)), RetryLater),
        (BadRequest("Bad Request: message is not modified"), NotChanged),
        (BadRequest("Bad Request: message to edit not found"), MessageGone),
        (BadRequest("Bad Request: message can't be deleted"), MessageGone),
        (BadRequest("Bad Request: can't parse entities"), Rejected),
        (TelegramTimedOut(), TimedOut),
        (NetworkError("connection reset"), ConnectionTrouble),
    ],
)
async def test_telegram_errors_become_neutral_ones(
    error: Exception, neutral: type[SendError]
) -> None:
    with pytest.raises(neutral):
        async with neutral_errors(CHAT):
            raise error


async def test_a_migrated_group_names_its_new_chat_and_flood_control_its_wait() -> None:
    with pytest.raises(ChatMoved) as moved:
        async with neutral_errors(CHAT):
            raise ChatMigrated(-1001234)
    assert moved.value.chat == ChatRef(channel="telegram", chat_id="-1001234")
    with pytest.raises(RetryLater) as later:
        async with neutral_errors(CHAT):
            raise RetryAfter(timedelta(seconds=7))
    assert later.value.seconds == 7
