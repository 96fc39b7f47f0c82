"""The one way the bot puts things into words: a `Say` for one reader.

A `Say` holds a language, the catalog and the time zone people live in: `.t(key, **params)`
gives HTML (parameters escaped unless marked `Safe`), `.p(key, **params)` plain text for
buttons and pop-ups, both with `count=` for plural forms; dates and times come out in the
reader's language. It needs no channel object, so channel-neutral flows and renderers in
`models/` take one as it is; handlers get one from `say(context, language)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Any

from babel.dates import format_date
from config.i18n import Translator


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
