"""Pieces the exchange handlers share: category buttons, cards, moments, conversation keys."""

from __future__ import annotations

from datetime import datetime

from config.i18n import Safe, escape
from handlers.common import button
from handlers.say import HasServices, say
from models.core import Language
from models.exchange import words
from models.exchange.model import (
    Availability,
    RegisterEntry,
    Request,
    RequestKind,
    RequestStatus,
)
from models.exchange.relay import ConversationView
from models.exchange.requests import RequestView
from models.exchange.service import Exchange
from models.exchange.taxonomy import Category
from models.exchange.words import availability, category_buttons
from models.messages import Button

SNIPPET = 40


def exchange(context: HasServices) -> Exchange:
    """The exchange services."""
    return context.services.exchange


def snippet(text: str, length: int = SNIPPET) -> str:
    """The start of a text, on one line, for buttons and short mentions."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= length else one_line[: length - 1].rstrip() + "…"


def category_rows(
    context: HasServices, language: Language, action: str, *prefix: object
) -> list[list[Button]]:
    """Every category as a button, two per row."""
    return category_buttons(exchange(context).taxonomy, language, action, *prefix)


def category_title(context: HasServices, language: Language, category_id: str) -> str:
    """Emoji and label of a category."""
    category: Category = exchange(context).taxonomy.get(category_id)
    return category.title(language)


def availability_text(context: HasServices, language: Language, value: Availability) -> str:
    """When someone can help, in words."""
    return availability(say(context, language), value)


def card_text(
    context: HasServices, language: Language, view: RequestView, *, private: bool = False
) -> str:
    """The card of a request or offer, as it stands now (group post or private copy)."""
    s = say(context, language)
    return words.card_text(s, exchange(context).taxonomy, language, view, private=private)


def help_button(context: HasServices, language: Language, request: Request) -> list[list[Button]]:
    """ "Ik help" (or "Interesse") while the request can take a helper."""
    can_take = request.status is RequestStatus.OPEN or (
        request.status is RequestStatus.MATCHED and request.kind is RequestKind.OFFER
    )
    if not can_take:
        return []
    label = say(context, language).p(f"exchange.card.button_{request.kind.value}")
    return [[button(label, "xh", request.id)]]


def too_heavy_rows(
    context: HasServices, language: Language, view: RequestView
) -> list[list[Button]]:
    """ "Te zwaar voor buren" on a private copy of a request nobody helps with yet."""
    request = view.request
    if request.kind is not RequestKind.ASK or request.status is not RequestStatus.OPEN:
        return []
    if view.owner_blocked:
        return []
    return [[button(say(context, language).p("exchange.conv.heavy"), "xz", "ask", request.id)]]


def entry_line(context: HasServices, language: Language, entry: RegisterEntry) -> str:
    """One own entry in "Mijn overzicht"."""
    key = "exchange.mine.entry_paused" if entry.paused else "exchange.mine.entry"
    return say(context, language).t(
        key,
        emoji=exchange(context).taxonomy.get(entry.category).emoji,
        text=entry.text,
        when=availability_text(context, language, entry.availability),
    )


def conversation_rows(
    context: HasServices, language: Language, view: ConversationView
) -> list[list[Button]]:
    """The buttons under a conversation message, depending on the side and the state."""
    conversation = view.conversation
    rows: list[list[Button]] = []
    if not conversation.active:
        return rows
    request = view.request
    s = say(context, language)
    if request is not None and view.owns_request and request.status is RequestStatus.MATCHED:
        rows.append([button(s.p("exchange.conv.done"), "xr", "done", request.id)])
    elif request is not None and not view.owns_request and conversation.helped_at is None:
        rows.append([button(s.p("exchange.conv.klaar"), "xc", "klaar", view.id)])
    elif request is None and view.role.value == "receiver" and conversation.helped_at is None:
        rows.append([button(s.p("exchange.conv.helped"), "xc", "done", view.id)])
    if not conversation.shares(view.role):
        rows.append([button(s.p("exchange.conv.share"), "xc", "share", view.id)])
    if request is not None and not view.owns_request and request.kind is RequestKind.ASK:
        rows.append([button(s.p("exchange.conv.heavy"), "xc", "heavy", view.id)])
    rows.append([button(s.p("exchange.conv.end"), "xc", "end", view.id)])
    return rows


def conversation_title(context: HasServices, language: Language, view: ConversationView) -> str:
    """The other person and the subject, as a heading."""
    return say(context, language).t(
        "exchange.conv.title", name=view.other_name, subject=view.subject
    )


def tg_mention(external_id: str | None, name: str) -> Safe:
    """A link to a Telegram user, only used once both sides agreed to share."""
    if not external_id:
        return Safe(escape(name))
    return Safe(f'<a href="tg://user?id={escape(external_id)}">{escape(name)}</a>')


def now_local(context: HasServices) -> datetime:
    """Now, in the people's time zone."""
    return context.services.clock.now().astimezone(context.services.settings.tz)
