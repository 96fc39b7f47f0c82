"""Pieces the exchange handlers share: category buttons, cards, moments, conversation keys."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from babel.dates import format_date
from telegram import Update

from config.i18n import Safe, escape
from handlers import dialogs
from handlers.callbacks import Callback, decode
from handlers.common import Who, button, show, who
from handlers.context import PatchworkContext
from handlers.say import HasServices, say
from models.core import Language
from models.exchange.model import (
    Availability,
    RegisterEntry,
    Request,
    RequestKind,
    RequestStatus,
    When,
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


def today(context: HasServices) -> date:
    """Today where people live."""
    return context.services.clock.now().astimezone(context.services.settings.tz).date()


def day_label(language: Language, day: date) -> str:
    """A short day for a button: "di 1 dec"."""
    return format_date(day, "EEE d MMM", locale=language).replace(".", "")


def when_text(context: HasServices, language: Language, request: Request) -> str:
    """The wished moment of a request, in words."""
    if request.when is When.DATE and request.when_date is not None:
        return format_date(request.when_date, "EEEE d MMMM", locale=language)
    return say(context, language).p(f"exchange.when.{request.when.value}")


def parse_day(text: str, now: date) -> date | None:
    """A typed date: "12-12", "12/12", "12-12-2026" or "12 12"; the next such day, or None."""
    cleaned = text.strip().replace("/", "-").replace(".", "-").replace(" ", "-")
    parts = [p for p in cleaned.split("-") if p]
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) <= 4 for p in parts):
        return None
    day, month = int(parts[0]), int(parts[1])
    year = int(parts[2]) if len(parts) == 3 else now.year
    if len(parts) == 3 and year < 100:
        year += 2000
    try:
        result = date(year, month, day)
    except ValueError:
        return None
    if len(parts) == 2 and result < now:
        try:
            result = date(year + 1, month, day)
        except ValueError:
            return None
    if result < now or result > now + timedelta(days=366):
        return None
    return result


def owner_label(context: HasServices, language: Language, view: RequestView) -> str:
    """The requester's first name, or "een buur" when they chose not to show it."""
    if view.request.show_name:
        return view.owner_name
    return say(context, language).p("exchange.card.a_neighbour")


def card_text(
    context: HasServices, language: Language, view: RequestView, *, private: bool = False
) -> str:
    """The card of a request or offer, as it stands now (group post or private copy)."""
    request = view.request
    kind = request.kind.value
    lines = []
    s = say(context, language)
    if private:
        lines.append(s.t(f"exchange.card.private_intro_{kind}"))
    lines.append(
        s.t(
            f"exchange.card.title_{kind}",
            name=owner_label(context, language, view),
        )
    )
    lines.append(
        s.t(
            "exchange.card.meta",
            category=category_title(context, language, request.category),
            when=when_text(context, language, request),
        )
    )
    lines.append(s.t("exchange.card.text", text=request.text))
    lines.append(s.t(status_key(request, view.takers)))
    return "\n".join(lines)


def status_key(request: Request, takers: int) -> str:
    """The line that tells where a request stands."""
    if request.status is RequestStatus.OPEN:
        return f"exchange.card.open_{request.kind.value}"
    if request.status is RequestStatus.MATCHED:
        return f"exchange.card.matched_{request.kind.value}"
    return f"exchange.card.{request.status.value}"


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


async def flow_press(
    update: Update, context: PatchworkContext, flow: str
) -> tuple[Callback, dict[str, Any], Who] | None:
    """A button of an exchange flow: the press, the answers so far and who pressed.

    None when the button was "Stop": the flow has ended and said so.
    """
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    data = await dialogs.answers(update, context, flow)
    me = await who(update, context)
    if callback.arg(0) == "stop":
        await dialogs.finish(update, context)
        await show(update, say(context, me.language).t("exchange.ask.stopped"))
        return None
    return callback, data, me
