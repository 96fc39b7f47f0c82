"""The one way handlers and renderers put things into words: a `Say` for one reader.

`say(context, language)` gives texts in a language: `.t(key, **params)` for HTML messages
(parameters escaped unless marked `Safe`), `.p(key, **params)` for button labels and
pop-ups (plain), both with `count=` for plural forms; dates and times come out in the
reader's language and in the time zone people live in. A `Say` needs no Telegram object,
so a renderer that returns a channel-neutral message can take one as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from babel.dates import format_date

from config.i18n import Translator

if TYPE_CHECKING:
    from bot.services import Services


class HasServices(Protocol):
    """A handler context or a render context: both reach the services."""

    @property
    def services(self) -> Services:
        """The service container."""
        ...


@dataclass(frozen=True)
class Say:
    """Texts for one reader: a language, the catalog and the time zone people live in."""

    i18n: Translator
    language: str
    tz: tzinfo

    def t(self, key: str, /, count: int | None = None, **params: Any) -> str:
        """Translated HTML (parameters escaped)."""
        return self.i18n.html(self.language, key, count=count, **params)

    def p(self, key: str, /, count: int | None = None, **params: Any) -> str:
        """Translated plain text (buttons, pop-ups)."""
        return self.i18n.plain(self.language, key, count=count, **params)

    def day(self, day: date) -> str:
        """ "dinsdag 1 december"."""
        return format_date(day, "EEEE d MMMM", locale=self.language)

    def short_day(self, day: date) -> str:
        """ "di 1 dec"."""
        return format_date(day, "EEE d MMM", locale=self.language)

    def weekday(self, day: date) -> str:
        """ "dinsdag"."""
        return format_date(day, "EEEE", locale=self.language)

    def clock(self, moment: datetime | time) -> str:
        """ "10:30" in local time."""
        if isinstance(moment, datetime):
            moment = moment.astimezone(self.tz).time()
        return moment.strftime("%H:%M")


def say(context: HasServices, language: str) -> Say:
    """Texts in a language, for a handler or a renderer."""
    services = context.services
    return Say(services.i18n, language, services.settings.tz)
