"""Neutral messages in Telegram's markup: HTML as it is, buttons as inline keyboards."""

from __future__ import annotations

from telegram import (
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from models.messages import AskText, Button, Choices, Keyboard, Menu

TelegramMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ForceReply


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
    if isinstance(choices, AskText) and in_group:
        # With privacy mode on, the bot sees a typed answer in a group only as a reply.
        return ForceReply(selective=True, input_field_placeholder=choices.placeholder)
    return None
