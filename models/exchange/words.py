"""How the exchange's choices are put into words and buttons, for flows and handlers alike:
categories, availability, moments, own register entries, the card of a request."""

from __future__ import annotations

from datetime import date, timedelta

from models.core import Language
from models.exchange.model import (
    Availability,
    RegisterEntry,
    Request,
    RequestStatus,
    When,
)
from models.exchange.requests import RequestView
from models.exchange.taxonomy import Taxonomy
from models.messages import Button, press
from models.say import Say

DAY_TEXT_MAX = 40


def category_buttons(
    taxonomy: Taxonomy, language: Language, action: str, *prefix: object
) -> list[list[Button]]:
    """Every category as a button, two per row; pressed, it hands back its id last."""
    buttons = [press(c.title(language), action, *prefix, c.id) for c in taxonomy.categories]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def availability(s: Say, value: Availability) -> str:
    """When someone can help, in words, as it reads inside a line: in lower case (the
    catalog holds the labels as they stand alone, on buttons, with their capital)."""
    return s.p(f"exchange.availability.{value.value}").lower()


def availability_buttons(s: Say, action: str, *prefix: object) -> list[list[Button]]:
    """Every availability as a button, one per row; pressed, it hands back its value last."""
    return [
        [press(s.p(f"exchange.availability.{a.value}"), action, *prefix, a.value)]
        for a in Availability
    ]


def entry_text(s: Say, taxonomy: Taxonomy, language: Language, entry: RegisterEntry) -> str:
    """An own entry, in full."""
    return s.t(
        "exchange.manage.title",
        category=taxonomy.get(entry.category).title(language),
        text=entry.text,
        when=availability(s, entry.availability),
        card=s.p("exchange.yes" if entry.on_card else "exchange.no"),
        state=s.p("exchange.manage.paused" if entry.paused else "exchange.manage.active"),
    )


def entry_rows(s: Say, entry: RegisterEntry) -> list[list[Button]]:
    """What the owner can do with an entry."""
    pause = "exchange.manage.resume" if entry.paused else "exchange.manage.pause"
    card = "exchange.manage.card_off" if entry.on_card else "exchange.manage.card_on"
    return [
        [press(s.p(pause), "xm", "pause", entry.id)],
        [
            press(s.p("exchange.manage.text"), "xm", "text", entry.id),
            press(s.p("exchange.manage.when"), "xm", "when", entry.id),
        ],
        [press(s.p(card), "xm", "card", entry.id)],
        [press(s.p("exchange.manage.remove"), "xm", "del", entry.id)],
        [press(s.p("menu.back"), "m", "mine")],
    ]


# Requests and offers ---------------------------------------------------------------------


def owner_label(s: Say, view: RequestView) -> str:
    """The requester's first name, or "een buur" when they chose not to show it."""
    if view.request.show_name:
        return view.owner_name
    return s.p("exchange.card.a_neighbour")


def when_text(s: Say, request: Request) -> str:
    """The wished moment of a request, in words."""
    if request.when is When.DATE and request.when_date is not None:
        return s.day(request.when_date)
    return s.p(f"exchange.when.{request.when.value}")


def status_key(request: Request, takers: int) -> str:
    """The line that tells where a request stands."""
    if request.status is RequestStatus.OPEN:
        return f"exchange.card.open_{request.kind.value}"
    if request.status is RequestStatus.MATCHED:
        return f"exchange.card.matched_{request.kind.value}"
    return f"exchange.card.{request.status.value}"


def card_text(
    s: Say, taxonomy: Taxonomy, language: Language, view: RequestView, *, private: bool = False
) -> str:
    """The card of a request or offer, as it stands now (group post or private copy)."""
    request = view.request
    kind = request.kind.value
    lines = []
    if private:
        lines.append(s.t(f"exchange.card.private_intro_{kind}"))
    lines.append(s.t(f"exchange.card.title_{kind}", name=owner_label(s, view)))
    category = taxonomy.get(request.category)
    lines.append(
        s.t("exchange.card.meta", category=category.title(language), when=when_text(s, request))
    )
    if request.text not in category.labels.values():
        # Posted "zonder uitleg", the text is the category's name: not "“Tuin”" again.
        lines.append(s.t("exchange.card.text", text=request.text))
    lines.append(s.t(status_key(request, view.takers)))
    return "\n".join(lines)


def day_label(s: Say, day: date) -> str:
    """A short day for a button: "di 1 dec"."""
    return s.short_day(day).replace(".", "")


def parse_day(text: str, now: date) -> date | None:
    """A typed date: "12-12", "12/12", "12-12-2026" or "12 12"; the next such day, or None."""
    if len(text) > DAY_TEXT_MAX:
        return None
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
