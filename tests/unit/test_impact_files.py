"""The impact report's chat text, CSV and PDF from a report with awkward data."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader

from bot.printing.impact_report import render_impact
from config.i18n import Translator
from handlers.impact import Words, report_csv, report_document, report_rows, report_text
from models.exchange.taxonomy import default_taxonomy
from models.impact.ports import CaseFigures, RideFigures
from models.impact.service import BadMonth, ImpactReport, StreetImpact, parse_month

LONG = "Burgemeester van der Zwaan-Hoogenboomstraat achter de kerk"


def _report(streets: int = 2, first_name: str = '=HYPERLINK("http://x")') -> ImpactReport:
    rows = [
        StreetImpact(street_id=1, street=first_name, asked=3, matched=2, done=1),
        StreetImpact(street_id=2, street=LONG, asked=1, median_hours_to_match=5.5),
    ]
    rows += [
        StreetImpact(street_id=10 + n, street=f"Straat {n:02d}", asked=1) for n in range(streets)
    ]
    return ImpactReport(
        neighbourhood_id=1,
        neighbourhood="Oost",
        month="2026-11",
        complete=True,
        streets=tuple(rows),
        total=StreetImpact(street_id=None, street="Oost", asked=4, median_hours_to_match=5.5),
        categories=(("transport", 2), ("gone_from_the_taxonomy", 1)),
        rides=RideFigures(rides=2, seats_used=5, passengers=4),
        cases=CaseFigures(opened=1, outcomes=("referred",)),
    )


def _words(language: str) -> Words:
    return Words(Translator.load(), language, default_taxonomy())


@pytest.mark.parametrize(
    "typed",
    [
        "0001-01",
        "1999-12",
        "+202-01",
        "\uff12\uff10\uff12\uff16-01",
        "2026-1",
        "2026-13",
        "2026-00",
    ],
)
def test_only_plain_months_from_2000_are_accepted(typed: str) -> None:
    with pytest.raises(BadMonth):
        parse_month(typed)


def test_no_earlier_month_button_before_the_first_month() -> None:
    words = _words("nl")
    first = _report().model_copy(update={"month": "2000-01"})
    labels = [b.label for row in report_rows(words, first) for b in row]
    assert not any(label.startswith("◀") for label in labels)


def test_csv_is_safe_for_excel_in_both_languages() -> None:
    nl = report_csv(_words("nl"), _report()).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(nl), delimiter=";"))
    # A Dutch export has Dutch headers (issue 15.10); an English one the plain names.
    assert rows[0]["Straat"] == '\'=HYPERLINK("http://x")'  # text, never a formula
    assert rows[1]["Uren tot een helper (mediaan)"] == "5,5"
    assert rows[-1]["Straat"] == "Hele wijk"
    assert rows[-1]["Zaken afgesloten"] == "1"
    en = report_csv(_words("en"), _report()).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(en), delimiter=","))
    assert rows[1]["median_hours_to_match"] == "5.5"
    assert rows[-1]["street"] == "Whole neighbourhood"


def test_the_chat_text_stays_short_with_many_streets() -> None:
    text = report_text(_words("nl"), _report(streets=40))
    assert "En nog 27 straten: zie de PDF of de CSV." in text
    assert len(text) < 4096
    assert "gone_from_the_taxonomy (1)" in text  # an old category still shows, by its id


def test_the_pdf_cuts_long_street_names_and_lists_the_outcomes() -> None:
    words = _words("nl")
    pdf = render_impact(report_document(words, _report(streets=40)))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert LONG not in text
    assert "Burgemeester van der" in text
    assert "Straat 39" in text  # every street is in the file
    assert "doorverwezen" in text


def test_a_short_wait_reads_in_minutes_and_counts_take_their_right_form() -> None:
    """Issue 15.10: '1 uur' for a helper found in a minute; '1 hulpvragen'."""
    words = _words("nl")
    assert words.hours(0.02) == "1 minuut"
    assert words.hours(0.5) == "30 minuten"
    assert words.hours(5) == "5 uur"
    assert words.hours(72) == "3 dagen"
    assert words.counted("requests", 1) == "1 hulpvraag"
    assert words.counted("thanks", 2) == "2 bedankjes"
    assert _words("en").counted("offers", 1) == "1 one-off offer"
