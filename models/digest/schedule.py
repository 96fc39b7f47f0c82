"""Time rules of the digest and the Bloemetje: local weekly moments that survive DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models.digest.model import WEEK, DigestSettings, WeekWindow

LATE_LIMIT = timedelta(hours=24)


def local_moment(day: date, minute_of_day: int, tz: ZoneInfo) -> datetime:
    """A wall-clock time on a local day, as an aware UTC datetime.

    A time that does not exist (the hour skipped in March) lands an hour later, after the
    gap; a time that exists twice (the hour repeated in October) is its first occurrence."""
    naive = datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60))
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def next_occurrence(settings: DigestSettings, after: datetime, tz: ZoneInfo) -> datetime:
    """The first moment strictly after `after` on the street's weekday and local time."""
    local_day = after.astimezone(tz).date()
    for offset in range(-1, 9):
        day = local_day + timedelta(days=offset)
        if day.weekday() != settings.weekday:
            continue
        moment = local_moment(day, settings.minute_of_day, tz)
        if moment > after:
            return moment
    raise AssertionError("a weekday always recurs within eight days")  # pragma: no cover


def iso_week(moment: datetime, tz: ZoneInfo) -> str:
    """The ISO week of a moment in local time, as "2026-W49"."""
    year, week, _ = moment.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def window_for(due: datetime, tz: ZoneInfo) -> WeekWindow:
    """The week a digest sent at `due` looks back on."""
    return WeekWindow(start=due - WEEK, end=due, week=iso_week(due, tz))


def is_late(due: datetime, now: datetime) -> bool:
    """Whether a digest is too late to send at all (the bot was down a day or more)."""
    return now - due >= LATE_LIMIT


def month_key(moment: datetime, tz: ZoneInfo) -> str:
    """The local month of a moment, as "2026-12"."""
    local = moment.astimezone(tz)
    return f"{local.year:04d}-{local.month:02d}"


def month_start(key: str) -> date:
    """The first day of a month key."""
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def next_month(key: str) -> str:
    """The month after a month key."""
    first = month_start(key)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return f"{following.year:04d}-{following.month:02d}"
