"""Cleaning and capping free text from people before it enters the domain."""

from __future__ import annotations

import re
import unicodedata

from models.contacts import require_no_contact
from models.errors import TextEmpty, TextTooLong

NAME_MAX = 32
SHORT_TEXT_MAX = 120
DESCRIPTION_MAX = 500
MESSAGE_MAX = 1000

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _strip_controls(value: str) -> str:
    """Drop control and format characters except newlines and tabs."""
    return "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cf", "Cs"}
    )


def clean_text(value: str | None, *, max_length: int, multiline: bool = True) -> str:
    """Normalise free text and enforce its limits; raises TextEmpty or TextTooLong."""
    text = unicodedata.normalize("NFC", _strip_controls(value or "")).replace("\r\n", "\n")
    if not multiline:
        text = text.replace("\n", " ")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if not text:
        raise TextEmpty()
    if len(text) > max_length:
        raise TextTooLong(max_length=max_length, length=len(text))
    return text


def clean_name(value: str | None) -> str:
    """A display name: one line, at most NAME_MAX characters, no phone number, e-mail or @name.

    Names are shown on group cards; neighbours reach each other through the bot."""
    return require_no_contact(clean_text(value, max_length=NAME_MAX, multiline=False))


def fold(value: str) -> str:
    """A comparison key: lower case, accents removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain).strip()


_NOT_A_WORD = re.compile(r"[^\w ]+")


def words_key(value: str) -> str:
    """Only the words of a text, folded: "🚗 Boodschappenritten!" matches "boodschappenritten"."""
    return " ".join(_NOT_A_WORD.sub(" ", fold(value)).replace("_", " ").split())
