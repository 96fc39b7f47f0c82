"""Times of day as people type them ("10:30", "half 11", "kwart over 10", "10u"), and the
local-time arithmetic of rides (people live in Europe/Amsterdam, storage keeps UTC)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from models.errors import InvalidInput
from models.text import fold

TIME_TEXT_MAX = 40
EARLIEST = time(6, 0)
LATEST = time(22, 0)
EVENING_REMINDER = time(18, 0)
BOOKABLE_DAYS = 14


class UnclearTime(InvalidInput):
    """A typed time we could not read; the person is asked again, with examples."""

    message_key = "rides.errors.unclear_time"


class TimeOutsideDay(InvalidInput):
    """A departure at night: rides leave between 06:00 and 22:00."""

    message_key = "rides.errors.time_outside_day"


_WORDS = {
    "een": 1,
    "eén": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "twintig": 20,
    "kwart": 15,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "quarter": 15,
}
_AM = (
    "'s ochtends",
    "'s morgens",
    "'s nachts",
    "s ochtends",
    "s morgens",
    "s nachts",
    "in de ochtend",
    "am",
    "a.m.",
)
_PM = (
    "'s middags",
    "'s avonds",
    "s middags",
    "s avonds",
    "in de middag",
    "in de avond",
    "pm",
    "p.m.",
)
_NUMBER = r"(\d{1,2}|[a-zéë]+)"
_DIGITAL = re.compile(r"^(\d{1,2})\s*(?::|\.|u|h)\s*(\d{2})$")
_COMPACT = re.compile(r"^(\d)(\d{2})$|^(\d{2})(\d{2})$")
_WHOLE = re.compile(r"^(\d{1,2}|[a-z]+)(?:\s*(?:u|h|o'clock))?$")
_HALF = re.compile(rf"^half\s+{_NUMBER}$")
_OVER_HALF = re.compile(rf"^{_NUMBER}\s+(over|voor)\s+half\s+{_NUMBER}$")
_OVER = re.compile(rf"^{_NUMBER}\s+(over|voor|past|to)\s+{_NUMBER}$")
_HALF_PAST = re.compile(rf"^half\s+past\s+{_NUMBER}$")


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _WORDS.get(token)


def _strip_marker(text: str) -> tuple[str, str | None]:
    for marker, meaning in [(m, "am") for m in _AM] + [(m, "pm") for m in _PM]:
        if text.endswith(" " + marker) or (text.endswith(marker) and marker in {"am", "pm"}):
            return text.removesuffix(marker).strip(), meaning
    return text, None


def _normalise(text: str) -> str:
    value = fold(text).replace("\u2019", "'").replace("uur", "u").strip(" .!?")
    value = re.sub(r"^(?:om|rond|ongeveer|at|around)\s+", "", value)
    value = re.sub(r"(?<=\d)\s*(?:u|h)$", "", value)
    return re.sub(r"\s+", " ", value)


def _clock_face(face: int, minute: int, marker: str | None) -> time:
    """A time from a 12-hour clock face as people say it, to 24 hours.

    Without a marker ("'s avonds", "pm") hours 1 to 6 mean the afternoon: nobody is
    driven to the shops at three at night.
    """
    if not 1 <= face <= 12 or not 0 <= minute <= 59:
        raise UnclearTime()
    if marker == "am":
        hour = 0 if face == 12 else face
    elif marker == "pm":
        hour = face if face == 12 else face + 12
    else:
        hour = face + 12 if face <= 6 else face
    return time(hour, minute)


def _literal(hour_text: str, minute: int, marker: str | None) -> time:
    """Digits as typed: "14:30" is literal; "2:30" (no leading zero) is read as said."""
    hour = int(hour_text)
    if not 0 <= minute <= 59 or not 0 <= hour <= 23:
        raise UnclearTime()
    if hour >= 13 or hour == 0 or hour_text.startswith("0"):
        if marker == "pm" and hour < 12:
            hour += 12
        return time(hour, minute)
    return _clock_face(hour, minute, marker)


def _previous(face: int) -> int:
    return 12 if face == 1 else face - 1


def parse_time(text: str) -> time:
    """Read a typed time of day; UnclearTime when it is not one we understand."""
    if len(text) > TIME_TEXT_MAX:
        raise UnclearTime()
    value, marker = _strip_marker(_normalise(text))
    if match := _DIGITAL.match(value):
        return _literal(match.group(1), int(match.group(2)), marker)
    if match := _COMPACT.match(value):
        hour_text = match.group(1) or match.group(3)
        return _literal(hour_text, int(match.group(2) or match.group(4)), marker)
    if match := _WHOLE.match(value):
        token = match.group(1)
        if token.isdigit():
            return _literal(token, 0, marker)
        face = _number(token)
        if face is None or face > 12:
            raise UnclearTime()
        return _clock_face(face, 0, marker)
    if match := _HALF_PAST.match(value):
        face = _number(match.group(1))
        if face is None:
            raise UnclearTime()
        return _clock_face(face, 30, marker)
    if match := _HALF.match(value):
        face = _number(match.group(1))
        if face is None:
            raise UnclearTime()
        return _clock_face(_previous(face), 30, marker)
    if match := _OVER_HALF.match(value):
        minutes, face = _number(match.group(1)), _number(match.group(3))
        if minutes is None or face is None or not 1 <= minutes <= 14:
            raise UnclearTime()
        offset = 30 + minutes if match.group(2) == "over" else 30 - minutes
        return _clock_face(_previous(face), offset, marker)
    if match := _OVER.match(value):
        minutes, face = _number(match.group(1)), _number(match.group(3))
        if minutes is None or face is None or not 1 <= minutes <= 29:
            raise UnclearTime()
        if match.group(2) in {"over", "past"}:
            return _clock_face(face, minutes, marker)
        return _clock_face(_previous(face), 60 - minutes, marker)
    raise UnclearTime()


def check_departure_time(at: time) -> time:
    """Rides leave in the daytime (06:00 to 22:00)."""
    if not EARLIEST <= at <= LATEST:
        raise TimeOutsideDay(earliest=EARLIEST.strftime("%H:%M"), latest=LATEST.strftime("%H:%M"))
    return at


def at_local(day: date, at: time, tz: tzinfo) -> datetime:
    """A local date and wall-clock time as an aware UTC moment."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def local(moment: datetime, tz: tzinfo) -> datetime:
    """A stored (UTC) moment in the time zone people live in."""
    return moment.astimezone(tz)


def local_today(now: datetime, tz: tzinfo) -> date:
    """Today's date where people live."""
    return now.astimezone(tz).date()


def reminders_ahead(
    departs_at: datetime, booked_at: datetime, tz: tzinfo
) -> tuple[Literal["evening", "hour"], ...]:
    """The reminders a seat booked at `booked_at` will still get, in order.

    A reminder goes to those who had their seat before it was due (the sweep's rule), so
    a booking at 20:45 the evening before gets only the one an hour before departure:
    the confirmation must not promise the evening one."""
    ahead: list[Literal["evening", "hour"]] = []
    if booked_at < evening_reminder_at(departs_at, tz):
        ahead.append("evening")
    if booked_at < hour_reminder_at(departs_at):
        ahead.append("hour")
    return tuple(ahead)


Promise = Literal["both", "hour", "none"]


def reminder_promise(departs_at: datetime, at: datetime, tz: tzinfo) -> Promise:
    """Which reminders a seat booked (or a ride published) at `at` can be promised."""
    ahead = reminders_ahead(departs_at, at, tz)
    return "both" if len(ahead) == 2 else "hour" if ahead else "none"


def evening_reminder_at(departs_at: datetime, tz: tzinfo) -> datetime:
    """18:00 local time on the day before the departure (summer or winter time alike)."""
    day_before = local(departs_at, tz).date() - timedelta(days=1)
    return at_local(day_before, EVENING_REMINDER, tz)


def hour_reminder_at(departs_at: datetime) -> datetime:
    """One real hour before departure."""
    return departs_at - timedelta(hours=1)


def bookable_dates(now: datetime, tz: tzinfo, days: int = BOOKABLE_DAYS) -> list[date]:
    """Today and the days after it that a ride can be published for."""
    today = local_today(now, tz)
    return [today + timedelta(days=n) for n in range(days)]


def hhmm(at: time) -> str:
    """A time as "10:30" (how it is stored in a weekly template)."""
    return at.strftime("%H:%M")


def from_hhmm(value: str) -> time:
    """The inverse of hhmm."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))
