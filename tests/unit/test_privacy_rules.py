"""Rules of data rights without a database: retention settings, leaving an erased person
out of waiting messages, and words for everything an export can hold."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.i18n import Translator
from config.settings import SettingsError, load_settings
from models.core import MembershipRole, NeighbourhoodRole
from models.escalation.model import (
    CaseStatus,
    ContactWay,
    OfferStatus,
    Outcome,
    ReportReason,
    ReportStatus,
    SourceKind,
)
from models.exchange.model import (
    Availability,
    ConversationStatus,
    HelpfulAnswer,
    RequestStatus,
    Role,
)
from models.personal_data import checkins, digest, escalation, exchange, rides
from models.personal_data.redact import Traces, mentions, redact
from models.rides.model import BookingStatus, PickupKind, RideStatus
from models.sensitivity import Theme

# Settings -------------------------------------------------------------------------------


def test_retention_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    settings = load_settings()
    assert settings.request_text_retention_days == 90
    assert settings.case_text_retention_days == 180


def test_retention_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATCHWORK_REQUEST_TEXT_RETENTION_DAYS", "30")
    monkeypatch.setenv("PATCHWORK_CASE_TEXT_RETENTION_DAYS", "365")
    settings = load_settings()
    assert settings.request_text_retention_days == 30
    assert settings.case_text_retention_days == 365


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PATCHWORK_REQUEST_TEXT_RETENTION_DAYS", "0", "greater than or equal to 1"),
        ("PATCHWORK_REQUEST_TEXT_RETENTION_DAYS", "-5", "greater than or equal to 1"),
        ("PATCHWORK_CASE_TEXT_RETENTION_DAYS", "3651", "less than or equal to 3650"),
        ("PATCHWORK_CASE_TEXT_RETENTION_DAYS", "half jaar", "valid integer"),
        ("PATCHWORK_REQUEST_TEXT_RETENTION_DAYS", "1.5", "valid integer"),
    ],
)
def test_bad_retention_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"{name}: ")
    assert message in str(caught.value)


# Redaction of waiting messages ----------------------------------------------------------

ANNA = Traces.of(["Anna"], ["Wie kan mijn heg snoeien voor zaterdag?", "ok"])


def _digest(*items: dict[str, Any], total: int | None = None) -> dict[str, Any]:
    section = {"kind": "thanks", "items": list(items), "total": total or len(items)}
    return {"digest": {"street_id": 1, "sections": [section]}}


def _item(**params: str) -> dict[str, Any]:
    return {"key": "digest.item.request", "params": params}


@pytest.mark.parametrize(
    ("payload", "expected", "drop"),
    [
        # Ids only: untouched.
        ({"ride_id": 4, "passenger_id": 9}, {"ride_id": 4, "passenger_id": 9}, False),
        # A digest line naming her goes, the section's total shrinks with it.
        (
            _digest(_item(name="Anna", text="x"), _item(name="Bram", text="y"), total=5),
            _digest(_item(name="Bram", text="y"), total=4),
            False,
        ),
        # Her text, shortened by the digest, is still hers.
        (
            _digest(_item(text="Wie kan mijn heg snoeien…"), _item(text="Wie heeft een ladder")),
            _digest(_item(text="Wie heeft een ladder")),
            False,
        ),
        # Names match whole, not inside other words; very short texts are not traces.
        (
            _digest(_item(name="Annastraat", text="ok")),
            _digest(_item(name="Annastraat", text="ok")),
            False,
        ),
        ({"names": ["Bram", "anna", "Els"]}, {"names": ["Bram", "Els"]}, False),
        # An announcement of nobody is not sent at all.
        ({"names": ["Anna"], "month": "2026-12"}, {"names": [], "month": "2026-12"}, True),
        # Her name outside any list cannot be cut out: not sent.
        ({"street_name": "Anna", "reasons": []}, {"street_name": "Anna", "reasons": []}, True),
    ],
)
def test_redact(payload: dict[str, Any], expected: dict[str, Any], drop: bool) -> None:
    outcome = redact(payload, ANNA)
    assert outcome.drop is drop
    if not drop:
        assert outcome.payload == expected
        assert outcome.changed is (payload != expected)


json_leaf = st.one_of(
    st.integers(-5, 5), st.booleans(), st.none(), st.sampled_from(["Anna", "Bram", "boor", ""])
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["items", "total", "name", "text", "x"]), inner, max_size=4
        ),
    ),
    max_leaves=20,
)


@given(st.dictionaries(st.sampled_from(["a", "b", "items", "total"]), json_value, max_size=4))
def test_redacted_payloads_never_mention_the_person(payload: dict[str, Any]) -> None:
    traces = Traces.of(["Anna"], [])
    outcome = redact(payload, traces)
    if not mentions(payload, traces):
        assert outcome.payload == payload
        assert not outcome.changed
    elif not outcome.drop:
        assert not mentions(outcome.payload, traces)


# Words for every record -------------------------------------------------------------------

CODES: dict[str, list[str]] = {
    "role": [*MembershipRole, *NeighbourhoodRole, *Role],
    "availability": list(Availability),
    "entry_state": ["active", "paused", "removed"],
    "status": list(RequestStatus),
    "conversation_state": list(ConversationStatus),
    "helped": list(HelpfulAnswer),
    "ride_status": list(RideStatus),
    "weekday": [str(day) for day in range(7)],
    "booking": list(BookingStatus),
    "their_booking": list(BookingStatus),
    "pickup": list(PickupKind),
    "theme": list(Theme),
    "case_status": list(CaseStatus),
    "outcome": list(Outcome),
    "contact": list(ContactWay),
    "source": list(SourceKind),
    "offer_status": list(OfferStatus),
    "reason": list(ReportReason),
    "report_status": list(ReportStatus),
    "answer": ["pending", "yes", "no"],
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_record_and_code_has_words(language: str) -> None:
    keys = Translator.load().keys(language)
    items = [
        "street",
        "neighbourhood_role",
        *exchange.ITEMS,
        *rides.ITEMS,
        *escalation.ITEMS,
        *digest.ITEMS,
        *checkins.ITEMS,
    ]
    missing = [f"privacy.item.{what}" for what in items if f"privacy.item.{what}" not in keys]
    for field, codes in CODES.items():
        missing += [
            f"privacy.value.{field}.{code}"
            for code in codes
            if f"privacy.value.{field}.{code}" not in keys
        ]
    for provider in (exchange.ExchangeData, rides.RidesData, escalation.EscalationData):
        missing += [f"privacy.section.{provider.name}"]
    missing += ["privacy.section.digest", "privacy.section.membership"]
    missing += [f"privacy.section.{checkins.CheckInData.name}"]
    assert [key for key in missing if key not in keys] == []
