"""Neutral messages: buttons that fit every channel, and Telegram's errors in neutral words."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from telegram import ForceReply, InlineKeyboardMarkup, ReplyKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.error import TimedOut as TelegramTimedOut

from bot.sandbox.telegram_html import parse_html
from bot.telegram.render import markup, split_html, utf16_length
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


_words = st.text(alphabet="ab é😀&<>", min_size=1, max_size=30)


@given(
    st.lists(
        st.tuples(st.sampled_from(["", "b", "i", "a"]), _words, st.integers(1, 80)),
        min_size=1,
        max_size=12,
    ),
    st.integers(60, 500),
)
def test_split_html_keeps_every_part_valid_and_within_the_limit(
    lines: list[tuple[str, str, int]], limit: int
) -> None:
    def line(tag: str, words: str, times: int) -> str:
        text = escape(words) * times
        if tag == "a":
            return f'<a href="https://t.me/x">{text}</a>'
        return f"<{tag}>{text}</{tag}>" if tag else text

    html = "\n".join(line(*spec) for spec in lines)
    parts = split_html(html, limit)
    assert all(utf16_length(p) <= limit for p in parts)
    texts = [parse_html(p).text for p in parts]  # raises on a cut tag or entity
    # Nothing lost or added: the same characters, only the line breaks between parts move.
    assert "".join("".join(texts).split()) == "".join(parse_html(html).text.split())
