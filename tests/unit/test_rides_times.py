"""Typed times in everyday Dutch (and English), and the local-time arithmetic of rides."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rides.times import (
    TimeOutsideDay,
    UnclearTime,
    at_local,
    bookable_dates,
    check_departure_time,
    evening_reminder_at,
    hour_reminder_at,
    parse_time,
)
from tests.conftest import AMSTERDAM

WORDS = {
    1: "een",
    2: "twee",
    3: "drie",
    4: "vier",
    5: "vijf",
    6: "zes",
    7: "zeven",
    8: "acht",
    9: "negen",
    10: "tien",
    11: "elf",
    12: "twaalf",
}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10:30", time(10, 30)),
        ("10.30", time(10, 30)),
        ("10u30", time(10, 30)),
        ("10 uur 30", time(10, 30)),
        ("1030", time(10, 30)),
        ("930", time(9, 30)),
        ("10u", time(10, 0)),
        ("10 uur", time(10, 0)),
        ("10", time(10, 0)),
        ("om 10 uur", time(10, 0)),
        ("tien uur", time(10, 0)),
        ("half 11", time(10, 30)),
        ("Half elf", time(10, 30)),
        ("half 1", time(12, 30)),
        ("half 3", time(14, 30)),
        ("kwart over 10", time(10, 15)),
        ("kwart voor 11", time(10, 45)),
        ("10 over 10", time(10, 10)),
        ("tien voor elf", time(10, 50)),
        ("5 over half 11", time(10, 35)),
        ("vijf voor half elf", time(10, 25)),
        ("2 uur", time(14, 0)),
        ("2:30", time(14, 30)),
        ("14:30", time(14, 30)),
        ("02:30", time(2, 30)),
        ("8 uur 's avonds", time(20, 0)),
        ("9 uur \u2019s ochtends", time(9, 0)),
        ("10:30 uur", time(10, 30)),
        ("10am", time(10, 0)),
        ("2pm", time(14, 0)),
        ("half past 10", time(10, 30)),
        ("quarter to 11", time(10, 45)),
        ("12:00", time(12, 0)),
        ("  10.30  ", time(10, 30)),
    ],
)
def test_common_forms(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "morgen", "10:75", "25:00", "half", "kwart over", "13 over 10 over", "x" * 60, "-1"],
)
def test_what_we_do_not_understand_is_asked_again(typed: str) -> None:
    with pytest.raises(UnclearTime):
        parse_time(typed)


@given(st.integers(0, 23), st.integers(0, 59))
def test_digital_times_read_back_exactly(hour: int, minute: int) -> None:
    assert parse_time(f"{hour:02d}:{minute:02d}") == time(hour, minute)
    assert parse_time(f"{hour:02d}.{minute:02d}") == time(hour, minute)


def _face(hour: int) -> int:
    return hour % 12 or 12


def _spoken(at: time, form: str, words: bool) -> str:
    """How a Dutch speaker says a time in the daytime (07:00 to 18:59)."""
    hour, minute = at.hour, at.minute
    say = (lambda n: WORDS[n]) if words else str
    if form == "half":
        return f"half {say(_face(hour + 1))}"
    if form == "kwart_over":
        return f"kwart over {say(_face(hour))}"
    if form == "kwart_voor":
        return f"kwart voor {say(_face(hour + 1))}"
    if form == "over":
        return f"{minute} over {say(_face(hour))}"
    if form == "voor":
        return f"{60 - minute} voor {say(_face(hour + 1))}"
    return f"{say(_face(hour))} uur"


FORMS = {
    "half": lambda m: m == 30,
    "kwart_over": lambda m: m == 15,
    "kwart_voor": lambda m: m == 45,
    "over": lambda m: 1 <= m <= 29,
    "voor": lambda m: 31 <= m <= 59,
    "uur": lambda m: m == 0,
}


@given(
    st.integers(7, 18),
    st.integers(0, 59),
    st.sampled_from(sorted(FORMS)),
    st.booleans(),
)
def test_spoken_daytime_forms_read_back(hour: int, minute: int, form: str, words: bool) -> None:
    if not FORMS[form](minute):
        minute = next(m for m in range(60) if FORMS[form](m))
    at = time(hour, minute)
    assert parse_time(_spoken(at, form, words)) == at


@given(st.text(max_size=50))
def test_any_text_gives_a_time_or_a_kind_question(text: str) -> None:
    try:
        result = parse_time(text)
    except UnclearTime:
        return
    assert isinstance(result, time)


def test_departures_are_in_the_daytime() -> None:
    assert check_departure_time(time(6, 0)) == time(6, 0)
    assert check_departure_time(time(22, 0)) == time(22, 0)
    for night in (time(5, 59), time(22, 1), time(2, 30)):
        with pytest.raises(TimeOutsideDay):
            check_departure_time(night)


def test_reminders_follow_the_local_clock_over_the_change_to_winter_time() -> None:
    # Sunday 25 October 2026: the clocks go back at 03:00.
    departs = at_local(date(2026, 10, 25), time(10, 0), AMSTERDAM)
    assert departs == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)
    assert evening_reminder_at(departs, AMSTERDAM) == datetime(2026, 10, 24, 16, 0, tzinfo=UTC)
    assert hour_reminder_at(departs) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    # And in spring, the last Sunday of March.
    spring = at_local(date(2027, 3, 28), time(10, 0), AMSTERDAM)
    assert spring == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert evening_reminder_at(spring, AMSTERDAM) == datetime(2027, 3, 27, 17, 0, tzinfo=UTC)


def test_bookable_dates_start_today_in_amsterdam() -> None:
    # 23:30 UTC on 30 November is already 1 December in Amsterdam.
    late = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    days = bookable_dates(late, AMSTERDAM)
    assert days[0] == date(2026, 12, 1)
    assert len(days) == 14
    assert days[-1] == date(2026, 12, 14)
