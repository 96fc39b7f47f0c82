"""Check-ins in the impact report: a line in the chat text and a block in the PDF, numbers only."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader

from bot.printing.impact_report import render_impact
from config.i18n import Translator
from handlers.impact import Words, report_csv, report_document, report_text
from models.checkins.model import ImpactCounts
from models.exchange.taxonomy import default_taxonomy
from models.impact.ports import CaseFigures, RideFigures
from models.impact.service import ImpactReport, StreetImpact


def _report(checkins: ImpactCounts) -> ImpactReport:
    return ImpactReport(
        neighbourhood_id=1,
        neighbourhood="Oost",
        month="2026-11",
        complete=True,
        streets=(),
        total=StreetImpact(street_id=None, street="Oost"),
        categories=(),
        rides=RideFigures(rides=0, seats_used=0, passengers=0),
        cases=CaseFigures(opened=0, outcomes=()),
        checkins=checkins,
    )


WORDS = Words(Translator.load(), "nl", default_taxonomy())
FIGURES = ImpactCounts(
    residents=3, rounds=40, on_time=37, alarms=2, outcomes={"all_good": 1, "all_clear": 1}
)


def test_the_chat_text_counts_check_ins() -> None:
    text = report_text(WORDS, _report(FIGURES))
    assert (
        "3 bewoners met een check-in, 40 berichtjes, 37 op tijd beantwoord, 2 keer alarm" in text
    )
    assert "✅ Alles goed (1)" in text
    assert "later toch gereageerd (1)" in text


def test_no_check_ins_no_line_and_no_block() -> None:
    report = _report(ImpactCounts())
    assert "Even contact" not in report_text(WORDS, report)
    assert len(report_document(WORDS, report).blocks) == 5


def test_the_pdf_has_a_check_in_block() -> None:
    document = report_document(WORDS, _report(FIGURES))
    assert document.blocks[-1].title == "Even contact (check-ins)"
    pdf = PdfReader(io.BytesIO(render_impact(document)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Bewoners met een check-in" in text


def test_the_csv_has_check_in_columns_on_the_neighbourhood_row_only() -> None:
    text = report_csv(WORDS, _report(FIGURES)).decode("utf-8-sig")
    (total,) = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert total["Bewoners met check-in"] == "3"
    assert total["Check-in alarmen"] == "2"
    assert total["Check-in afloop: alles goed"] == "1"
    assert total["Check-in afloop: niet bereikt"] == "0"
