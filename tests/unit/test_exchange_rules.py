"""Rules of the exchange: the request state machine, typed dates, the relay limiter."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.exchange.model import (
    IllegalTransition,
    RequestEvent,
    RequestKind,
    RequestStatus,
    allowed_events,
    transition,
)
from models.exchange.relay import SlidingWindow
from models.exchange.words import parse_day

S, E = RequestStatus, RequestEvent
# Every allowed transition: (status, event, kind) → new status. Everything else is refused.
ALLOWED: dict[tuple[RequestStatus, RequestEvent, RequestKind], RequestStatus] = {}
for kind in RequestKind:
    ALLOWED |= {
        (S.OPEN, E.MATCH, kind): S.MATCHED,
        (S.OPEN, E.CANCEL, kind): S.CANCELLED,
        (S.OPEN, E.EXPIRE, kind): S.EXPIRED,
        (S.MATCHED, E.DONE, kind): S.DONE,
        (S.MATCHED, E.CANCEL, kind): S.CANCELLED,
        (S.MATCHED, E.RELEASE, kind): S.OPEN,
        (S.HELD, E.CANCEL, kind): S.CANCELLED,
    }
ALLOWED[(S.MATCHED, E.MATCH, RequestKind.OFFER)] = S.MATCHED

EVERY_CASE = [(s, e, k) for s in RequestStatus for e in RequestEvent for k in RequestKind]


@pytest.mark.parametrize(("status", "event", "kind"), EVERY_CASE)
def test_every_transition_is_allowed_or_refused_as_specified(
    status: RequestStatus, event: RequestEvent, kind: RequestKind
) -> None:
    expected = ALLOWED.get((status, event, kind))
    if expected is None:
        with pytest.raises(IllegalTransition):
            transition(status, event, kind)
        assert event not in allowed_events(status, kind)
    else:
        assert transition(status, event, kind) is expected
        assert event in allowed_events(status, kind)


def test_a_request_never_takes_a_second_helper_but_an_offer_may() -> None:
    with pytest.raises(IllegalTransition):
        transition(S.MATCHED, E.MATCH, RequestKind.ASK)
    assert transition(S.MATCHED, E.MATCH, RequestKind.OFFER) is S.MATCHED


@given(
    kind=st.sampled_from(list(RequestKind)),
    start=st.sampled_from([S.OPEN, S.HELD]),
    events=st.lists(st.sampled_from(list(RequestEvent)), max_size=30),
)
def test_random_event_sequences_keep_final_states_final(
    kind: RequestKind, start: RequestStatus, events: list[RequestEvent]
) -> None:
    status = start
    for event in events:
        try:
            new = transition(status, event, kind)
        except IllegalTransition:
            continue
        assert not status.final, f"{status} moved on {event}"
        if start is S.HELD:
            assert new in {S.HELD, S.CANCELLED}, "a held request is never posted"
        status = new
    if status.final:
        assert all(not allowed_events(status, k) for k in RequestKind)


TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12-12", date(2026, 12, 12)),
        ("12/12", date(2026, 12, 12)),
        ("12.12", date(2026, 12, 12)),
        ("1 12", date(2026, 12, 1)),
        ("3-1", date(2027, 1, 3)),
        ("30-11", TODAY),
        ("12-12-2026", date(2026, 12, 12)),
        ("12-12-26", date(2026, 12, 12)),
        ("31-2", None),
        ("29-11-2026", None),
        ("1-1-2030", None),
        ("morgen", None),
        ("", None),
        ("12", None),
        ("99999-1", None),
    ],
)
def test_typed_dates(typed: str, expected: date | None) -> None:
    assert parse_day(typed, TODAY) == expected


@given(st.text(max_size=20))
def test_any_typed_text_gives_a_date_within_a_year_or_none(typed: str) -> None:
    result = parse_day(typed, TODAY)
    assert result is None or TODAY <= result <= TODAY + timedelta(days=366)


def test_sliding_window_allows_a_burst_then_refuses_until_time_passes() -> None:
    window = SlidingWindow(3, timedelta(minutes=1))
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert [window.allow(1, start) for _ in range(4)] == [True, True, True, False]
    assert window.allow(2, start), "limits are per person"
    assert not window.allow(1, start + timedelta(seconds=59))
    assert window.allow(1, start + timedelta(minutes=1))
