"""Neutral messages in Telegram's markup: HTML as it is, buttons as inline keyboards."""

from __future__ import annotations

import re

from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from models.messages import AskText, Button, Choices, Keyboard, Menu, NoMenu

TelegramMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


def inline_button(button: Button) -> InlineKeyboardButton:
    """One button: callback data for an action, or a URL."""
    if button.url is not None:
        return InlineKeyboardButton(button.label, url=button.url)
    return InlineKeyboardButton(button.label, callback_data=button.data)


def inline_keyboard(choices: Choices | None) -> InlineKeyboardMarkup | None:
    """The buttons under a message (edits can carry only these)."""
    if not isinstance(choices, Keyboard):
        return None
    return InlineKeyboardMarkup([[inline_button(b) for b in row] for row in choices.rows])


def markup(choices: Choices | None, *, in_group: bool = False) -> TelegramMarkup | None:
    """What goes in `reply_markup`: inline buttons, the standing menu, or a force-reply."""
    if isinstance(choices, Keyboard):
        return inline_keyboard(choices)
    if isinstance(choices, Menu):
        return ReplyKeyboardMarkup(
            [[KeyboardButton(label) for label in row] for row in choices.rows],
            resize_keyboard=True,
            is_persistent=True,
        )
    if isinstance(choices, NoMenu):
        return ReplyKeyboardRemove()
    if isinstance(choices, AskText) and in_group:
        # With privacy mode on, the bot sees a typed answer in a group only as a reply.
        return ForceReply(selective=True, input_field_placeholder=choices.placeholder)
    return None


MAX_TEXT = 4096  # Telegram's limit, in UTF-16 code units of the text
_TOKEN = re.compile(r"<[^>]*>|&[#\w]+;|[^<&]+|[<&]", re.S)
_TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>", re.I)


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (an emoji counts twice); tags counted too, to be safe."""
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split HTML into messages within the limit: at line breaks where possible, never inside a
    tag or an entity, and with tags that a cut leaves open closed and opened again."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        pieces = [line] if utf16_length(line) <= limit else _split_line(line, limit)
        for piece in pieces:
            candidate = f"{current}\n{piece}" if current else piece
            if current and utf16_length(candidate) > limit:
                parts.append(current)
                current = piece
            else:
                current = candidate
    if current.strip():
        parts.append(current)
    return [p for p in parts if p.strip()]


def _split_line(line: str, limit: int) -> list[str]:
    """One over-long line in pieces, cut between tokens, each piece valid HTML on its own."""
    pieces: list[str] = []
    opened: list[tuple[str, str]] = []  # (tag name, its opening tag), still open

    def close() -> str:
        return "".join(f"</{name}>" for name, _ in reversed(opened))

    def reopen() -> str:
        return "".join(opening for _, opening in opened)

    current = ""
    for token in _TOKEN.findall(line):
        tag = _TAG.fullmatch(token)
        if tag and tag.group(1):  # a closing tag always fits: it was reserved in close()
            current += token
            name = tag.group(2).lower()
            for index in range(len(opened) - 1, -1, -1):
                if opened[index][0] == name:
                    del opened[index]
                    break
            continue
        if tag or token.startswith("&"):  # an opening tag or an entity is never cut
            extra = f"</{tag.group(2).lower()}>" if tag else ""
            if utf16_length(current + token + extra + close()) > limit and current != reopen():
                pieces.append(current + close())
                current = reopen()
            current += token
            if tag:
                opened.append((tag.group(2).lower(), token))
            continue
        rest = token
        while utf16_length(current + rest + close()) > limit:
            cut = _cut(rest, limit - utf16_length(current + close()))
            if cut == 0 and current != reopen():  # nothing more fits: this piece ends here
                pieces.append(current + close())
                current = reopen()
                continue
            cut = max(cut, 1)  # a piece holds at least one character, however long it is
            pieces.append(current + rest[:cut] + close())
            current = reopen()
            rest = rest[cut:]
        current += rest
    if current != reopen():
        pieces.append(current)
    return pieces


def _cut(text: str, room: int) -> int:
    """How much plain text fits in `room` UTF-16 units (0: nothing): up to its last space."""
    end = 0
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > room:
            break
        end = index + 1
    space = text.rfind(" ", 0, end)
    return space + 1 if space > end // 2 else end
