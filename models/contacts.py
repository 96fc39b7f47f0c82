"""Contact details in typed text: phone numbers, e-mail addresses and @usernames.

Neighbours reach each other through the bot (relay) until both choose to share contact
details, so such details must not reach a street group by accident: a display name may
not hold them, and texts bound for a group are checked before they are posted."""

from __future__ import annotations

import re
from enum import StrEnum

import phonenumbers

from models.errors import InvalidInput

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A Telegram username: 5-32 of letters, digits and _, not part of an e-mail address.
_USERNAME = re.compile(r"(?<![\w.@])@[A-Za-z][A-Za-z0-9_]{4,31}(?![\w@])")
REGION = "NL"


class ContactKind(StrEnum):
    """What kind of contact detail a text holds."""

    PHONE = "phone"
    EMAIL = "email"
    USERNAME = "username"


class NameHasContact(InvalidInput):
    """A display name with a phone number, e-mail address or @username in it."""

    message_key = "errors.name_has_contact"


def contact_spans(text: str, region: str = REGION) -> list[tuple[int, int, ContactKind]]:
    """Where contact details are in a text: (start, end, kind), in order, not overlapping."""
    spans = [
        (m.start, m.end, ContactKind.PHONE)
        for m in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID)
    ]
    spans += [(m.start(), m.end(), ContactKind.EMAIL) for m in _EMAIL.finditer(text)]
    spans += [(m.start(), m.end(), ContactKind.USERNAME) for m in _USERNAME.finditer(text)]
    kept: list[tuple[int, int, ContactKind]] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def contact_kinds(text: str) -> set[ContactKind]:
    """The kinds of contact details a text holds (empty: none)."""
    return {kind for _, _, kind in contact_spans(text)}


def without_contacts(text: str, replacement: str = "…") -> str:
    """The text with every contact detail replaced (the neighbours reach them via the bot)."""
    out, last = [], 0
    for start, end, _ in contact_spans(text):
        out += [text[last:start], replacement]
        last = end
    out.append(text[last:])
    return "".join(out).strip()


def require_no_contact(name: str) -> str:
    """A display name, or NameHasContact when it holds contact details."""
    if contact_spans(name):
        raise NameHasContact()
    return name
