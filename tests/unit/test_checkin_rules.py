"""Check-in time rules: the next local moment across DST, late sends, pauses, days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.checkins.model import Frequency, Schedule
from models.checkins.rules import (
    halfway,
    local_date,
    next_due,
    normalise_days,
    pause_end,
    resume_moment,
    too_late,
)

AMS = ZoneInfo("Europe/Amsterdam")


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("schedule", "after", "expected"),
    [
        # Daily at 9:00: later today, or tomorrow once it has passed.
        (Schedule(), ams(2026, 11, 30, 8, 0), ams(2026, 11, 30, 9, 0)),
        (Schedule(), ams(2026, 11, 30, 9, 0), ams(2026, 12, 1, 9, 0)),
        # Mondays and Thursdays: from a Tuesday, the Thursday.
        (
            Schedule(frequency=Frequency.WEEKDAYS, days=(0, 3)),
            ams(2026, 12, 1, 12, 0),
            ams(2026, 12, 3, 9, 0),
        ),
        # Weekly on Sunday at 18:00.
        (
            Schedule(frequency=Frequency.WEEKLY, days=(6,), minute_of_day=18 * 60),
            ams(2026, 11, 30, 10, 0),
            ams(2026, 12, 6, 18, 0),
        ),
    ],
)
def test_next_due(schedule: Schedule, after: datetime, expected: datetime) -> None:
    assert next_due(schedule, after, AMS) == expected


def test_nine_oclock_stays_nine_oclock_when_the_clocks_go_back() -> None:
    # Saturday 24 October 2026 09:00 is 07:00 UTC (summer); Sunday 25 October is winter time.
    saturday = next_due(Schedule(), ams(2026, 10, 24, 8, 0), AMS)
    sunday = next_due(Schedule(), saturday, AMS)
    assert saturday.astimezone(UTC).hour == 7
    assert sunday.astimezone(UTC).hour == 8
    assert sunday.astimezone(AMS).hour == 9
    assert sunday - saturday == timedelta(hours=25)


def test_nine_oclock_stays_nine_oclock_when_the_clocks_go_forward() -> None:
    saturday = next_due(Schedule(), ams(2027, 3, 27, 8, 0), AMS)
    sunday = next_due(Schedule(), saturday, AMS)
    assert sunday.astimezone(AMS).hour == 9
    assert sunday - saturday == timedelta(hours=23)


@given(
    st.datetimes(
        min_value=datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=datetime(2030, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.sampled_from([7 * 60, 9 * 60, 12 * 60, 20 * 60]),
    st.sets(st.integers(0, 6), min_size=1),
)
def test_next_due_is_after_on_a_chosen_day_at_the_local_time(
    after: datetime, minute: int, days: set[int]
) -> None:
    schedule = Schedule(
        frequency=Frequency.WEEKDAYS, days=tuple(sorted(days)), minute_of_day=minute
    )
    due = next_due(schedule, after, AMS)
    local = due.astimezone(AMS)
    assert due > after
    assert due - after <= timedelta(days=8)
    assert local.weekday() in days
    assert (local.hour, local.minute) == divmod(minute, 60)


def test_a_schedule_without_its_days_has_no_next_moment() -> None:
    with pytest.raises(ValueError, match="days"):
        next_due(Schedule(frequency=Frequency.WEEKLY), ams(2026, 11, 30, 8, 0), AMS)


def test_the_local_date_is_amsterdams() -> None:
    # 23:30 UTC on 30 November is already 1 December in Amsterdam.
    assert local_date(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), AMS) == "2026-12-01"


def test_late_limit() -> None:
    due = ams(2026, 11, 30, 9, 0)
    assert not too_late(due, due + timedelta(hours=5))
    assert too_late(due, due + timedelta(hours=7))


def test_pauses_are_one_to_sixty_days_and_resume_at_the_local_time() -> None:
    assert pause_end(date(2026, 10, 20), 7) == date(2026, 10, 27)
    with pytest.raises(ValueError, match="sixty"):
        pause_end(date(2026, 10, 20), 61)
    moment = resume_moment(Schedule(), date(2026, 10, 27), AMS)
    assert moment.astimezone(AMS).hour == 9
    assert moment.astimezone(UTC).hour == 8  # winter time after the change


def test_the_reminder_comes_halfway() -> None:
    sent = ams(2026, 11, 30, 9, 0)
    assert halfway(sent, Schedule(window_hours=4)) == ams(2026, 11, 30, 11, 0)


@pytest.mark.parametrize(
    ("frequency", "days", "expected"),
    [
        (Frequency.DAILY, (1, 2), ()),
        (Frequency.WEEKLY, (4, 1), (4,)),
        (Frequency.WEEKDAYS, (4, 1, 4, 9), (1, 4)),
    ],
)
def test_days_are_normalised(
    frequency: Frequency, days: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    assert normalise_days(frequency, days) == expected
