"""Time rules of check-ins: the next local moment (DST-correct), late sends, pauses.

Everything takes the moment it reasons about; nothing reads the machine's clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from models.checkins.model import (
    LATE_LIMIT,
    PAUSE_MAX_DAYS,
    Frequency,
    Schedule,
)
from models.digest.schedule import local_moment

__all__ = ["local_moment"]


def next_due(schedule: Schedule, after: datetime, tz: ZoneInfo) -> datetime:
    """The first check-in moment strictly after `after`, at the local time on a local day.

    A time in the hour skipped in March lands after the gap; a time in the hour repeated
    in October is its first occurrence (see `local_moment`)."""
    if not schedule.complete:
        raise ValueError("a schedule without its days has no next moment")
    local_day = after.astimezone(tz).date()
    for offset in range(-1, 9):
        day = local_day + timedelta(days=offset)
        if not schedule.runs_on(day):
            continue
        moment = local_moment(day, schedule.minute_of_day, tz)
        if moment > after:
            return moment
    raise AssertionError("a chosen weekday recurs within eight days")  # pragma: no cover


def local_date(moment: datetime, tz: ZoneInfo) -> str:
    """The Amsterdam date of a moment, as "2026-12-01" (the round's idempotency part)."""
    return moment.astimezone(tz).date().isoformat()


def too_late(due: datetime, now: datetime) -> bool:
    """Whether a check-in that fell due while the bot was down is skipped rather than sent."""
    return now - due > LATE_LIMIT


def pause_end(today: date, days: int) -> date:
    """The day a pause of `days` days ends (the check-in comes again that day)."""
    if not 1 <= days <= PAUSE_MAX_DAYS:
        raise ValueError("a pause is one to sixty days")
    return today + timedelta(days=days)


def resume_moment(schedule: Schedule, until: date, tz: ZoneInfo) -> datetime:
    """When a pause ends: the check-in's local time on the day it resumes."""
    return local_moment(until, schedule.minute_of_day, tz)


def halfway(sent_at: datetime, schedule: Schedule) -> datetime:
    """When the reminder comes: halfway through the window."""
    return sent_at + schedule.window / 2


def normalise_days(frequency: Frequency, days: tuple[int, ...]) -> tuple[int, ...]:
    """Sorted, unique weekday numbers; a weekly schedule keeps one day, a daily one none."""
    clean = tuple(sorted({d for d in days if 0 <= d <= 6}))
    if frequency is Frequency.DAILY:
        return ()
    if frequency is Frequency.WEEKLY:
        return clean[-1:]
    return clean
