"""When digests and the Bloemetje are due: local weekday and time, DST, ISO weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.digest.bloemetje import announce_moment, ask_moment, last_ask_moment, month_end
from models.digest.model import DigestSettings
from models.digest.schedule import (
    is_late,
    iso_week,
    local_moment,
    month_key,
    next_month,
    next_occurrence,
    window_for,
)

TZ = ZoneInfo("Europe/Amsterdam")
DEFAULT = DigestSettings(street_id=1)


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)  # type: ignore[misc]


def test_default_is_sunday_five_pm_local() -> None:
    monday = _local(2026, 11, 30, 10, 0)
    assert next_occurrence(DEFAULT, monday, TZ) == _local(2026, 12, 6, 17, 0)


def test_the_moment_itself_is_not_next() -> None:
    due = _local(2026, 12, 6, 17, 0)
    assert next_occurrence(DEFAULT, due, TZ) == _local(2026, 12, 13, 17, 0)
    assert next_occurrence(DEFAULT, due - timedelta(seconds=1), TZ) == due


@pytest.mark.parametrize(
    ("after", "expected_utc"),
    [
        # Summer time (UTC+2) until the last Sunday of October 2026, 25 October.
        (_local(2026, 10, 18, 12, 0), datetime(2026, 10, 18, 15, 0, tzinfo=UTC)),
        # The change happens that very night: 17:00 is now UTC+1.
        (_local(2026, 10, 24, 12, 0), datetime(2026, 10, 25, 16, 0, tzinfo=UTC)),
        # And back to summer time on 29 March 2026.
        (_local(2026, 3, 22, 18, 0), datetime(2026, 3, 29, 15, 0, tzinfo=UTC)),
    ],
)
def test_local_time_is_kept_across_clock_changes(after: datetime, expected_utc: datetime) -> None:
    moment = next_occurrence(DEFAULT, after, TZ)
    assert moment == expected_utc
    assert moment.astimezone(TZ).hour == 17


def test_skipped_and_repeated_hours() -> None:
    # 02:30 does not exist on 29 March 2026: it lands after the jump, at 03:30 local.
    assert local_moment(date(2026, 3, 29), 150, TZ).astimezone(TZ).hour == 3
    # 02:30 exists twice on 25 October 2026: the first one (still summer time).
    assert local_moment(date(2026, 10, 25), 150, TZ) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@given(
    after=st.datetimes(
        min_value=datetime(2024, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=datetime(2030, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    weekday=st.integers(0, 6),
    minute=st.integers(0, 24 * 60 - 1),
)
def test_next_occurrence_is_the_right_local_day_within_a_week(
    after: datetime, weekday: int, minute: int
) -> None:
    settings = DigestSettings(street_id=1, weekday=weekday, minute_of_day=minute)
    moment = next_occurrence(settings, after, TZ)
    assert moment > after
    assert moment - after <= timedelta(days=7, hours=1)
    local = moment.astimezone(TZ)
    assert local.weekday() == weekday
    wall = datetime.combine(local.date(), time(minute // 60, minute % 60))
    exists = wall.replace(tzinfo=TZ).astimezone(UTC).astimezone(TZ).replace(tzinfo=None) == wall
    if exists:  # else it is the hour skipped in March, and the moment lands after it
        assert (local.hour, local.minute) == (minute // 60, minute % 60)


def test_iso_week_and_window() -> None:
    due = _local(2026, 12, 6, 17, 0)
    window = window_for(due, TZ)
    assert window.week == "2026-W49"
    assert window.end == due
    assert window.start == due - timedelta(days=7)
    assert window.coming_end == due + timedelta(days=7)
    # A Sunday in early January still belongs to the last ISO week of the old year.
    assert iso_week(_local(2027, 1, 3, 17, 0), TZ) == "2026-W53"
    # A Monday digest right after midnight UTC is counted in local time.
    assert iso_week(datetime(2026, 12, 6, 23, 30, tzinfo=UTC), TZ) == "2026-W50"


def test_late_means_a_day_or_more() -> None:
    due = _local(2026, 12, 6, 17, 0)
    assert not is_late(due, due + timedelta(hours=23, minutes=59))
    assert is_late(due, due + timedelta(hours=24))


def test_bloemetje_moments() -> None:
    assert month_key(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), TZ) == "2026-12"
    assert next_month("2026-12") == "2027-01"
    assert ask_moment("2026-12", TZ) == _local(2026, 12, 1, 10, 0)
    assert last_ask_moment("2026-12", TZ) == _local(2026, 12, 6, 0, 0)
    assert announce_moment("2026-12", TZ) == _local(2026, 12, 8, 10, 0)
    assert month_end("2026-12", TZ) == _local(2027, 1, 1, 0, 0)
