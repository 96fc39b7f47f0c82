"""How the exchange's choices are put into words and buttons, for flows and handlers alike:
categories, availability, own register entries."""

from __future__ import annotations

from models.core import Language
from models.exchange.model import Availability, RegisterEntry
from models.exchange.taxonomy import Taxonomy
from models.messages import Button, press
from models.say import Say


def category_buttons(
    taxonomy: Taxonomy, language: Language, action: str, *prefix: object
) -> list[list[Button]]:
    """Every category as a button, two per row; pressed, it hands back its id last."""
    buttons = [press(c.title(language), action, *prefix, c.id) for c in taxonomy.categories]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def availability(s: Say, value: Availability) -> str:
    """When someone can help, in words."""
    return s.p(f"exchange.availability.{value.value}")


def availability_buttons(s: Say, action: str, *prefix: object) -> list[list[Button]]:
    """Every availability as a button, one per row; pressed, it hands back its value last."""
    return [[press(availability(s, a), action, *prefix, a.value)] for a in Availability]


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
