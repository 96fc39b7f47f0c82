"""Samira proves to the municipality that the work helps: the month in figures in the
moderators chat, a PDF with charts and a CSV, and last month's PDF on the 1st by itself.
Counts only: no name, no request text, no case text reaches the report."""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes and the times sign

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from bot.sandbox.fake_telegram import Message
from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.exchange.model import HelpfulAnswer
from tests.conftest import AMSTERDAM
from tests.e2e.escalation_helpers import open_case, tap, team
from tests.e2e.exchange_helpers import channel_user, quick_request, quick_resident, xbot
from tests.e2e.helpers import street_group
from tests.e2e.test_street_card import _documents, _pdf, _text

__all__ = ["xbot"]


def _file(bot: Harness, message: Message) -> tuple[bytes, str]:
    assert message.document is not None
    content, name, _ = bot.fake.files[message.document["file_id"]]
    return bytes(content), str(name)


async def test_a_worker_reads_the_month_and_takes_pdf_and_csv_home(
    xbot: Harness, clock: FakeClock
) -> None:
    bot = xbot
    group, _, street = await street_group(bot)
    other, _, lindelaan = await street_group(bot, "Lindelaan", admin_name="Kees")
    moderators, samira = await team(bot)
    anna = await quick_resident(bot, group, street, "Anna")
    bram = await quick_resident(bot, group, street, "Bram")
    fenna = await quick_resident(bot, other, lindelaan, "Fenna")

    # Anna asks, Bram helps five hours later; done, a thank-you and "it helped, new to me".
    asked = await quick_request(bot, anna, "Wie kan mijn lamp ophangen-Q1?", "household")
    clock.advance(timedelta(hours=5))
    conversation = await bot.services.exchange.requests.help(channel_user(bram), asked.id)
    await bot.services.exchange.requests.done(channel_user(anna), asked.id)
    after = bot.services.exchange.after
    await after.thank(channel_user(anna), conversation.id, "Dank je wel-T1", public=False)
    await after.answer(
        channel_user(anna), conversation.id, helped=HelpfulAnswer.YES, knew_before=False
    )
    # Fenna's request in the Lindelaan waits; her one-off offer counts as an offer.
    await quick_request(bot, fenna, "Wie helpt met mijn laptop-Q2?", "computer")
    await quick_request(bot, fenna, "Ik ga zaterdag naar de markt-O1", "transport", offer=True)
    # A sensitive request is never placed, so never counted; a case is (without its text).
    await quick_request(bot, anna, "De deurwaarder staat voor de deur-S1", "paperwork")
    await open_case(bot, anna, text="Ik heb schulden-C1")
    await bot.settle()

    # Not a worker: Bram's /impact in his street group is refused politely.
    bram.send("/impact", chat=group)
    await bot.settle()
    assert "alleen in de groep van het wijkteam" in (group.last.text or "")

    samira.send("/impact", chat=moderators)
    await bot.settle()
    report = moderators.last
    text = report.text or ""
    assert "Impact in Oost, november 2026 (tot nu toe)" in text
    assert "2 hulpvragen, 1 keer een helper gevonden, 1 afgerond" in text
    assert "Tijd tot een helper (mediaan): 5 uur" in text
    # Counted as the words say, in the right form (issue 15.10).
    assert "1 eenmalig aanbod, 1 bedankje" in text
    assert "1 nieuw contact tussen buren" in text
    assert "1 keer feedback: 1 × ‘het hielp’, 1 × ‘nieuwe buur leren kennen’" in text
    assert "Zonnebloemstraat: 1 hulpvraag, 1 keer een helper gevonden, 1 afgerond" in text
    assert "Lindelaan: 1 hulpvraag, 0 keer een helper gevonden, 0 afgerond" in text
    assert "1 zaak geopend, 0 afgesloten" in text
    assert "◀ oktober 2026" in report.buttons
    assert not any("december" in b for b in report.buttons)  # no month after a running one

    # The PDF: figures, charts by street and category, and nothing personal.
    await tap(bot, samira, moderators, "📄 PDF met grafieken")
    pdf_message = _documents(moderators)[-1]
    content, name = _file(bot, pdf_message)
    assert name == "impact-oost-2026-11.pdf"
    pdf = _text(_pdf(bot, pdf_message))
    for expected in (
        "Impact in Oost, november 2026 (tot nu toe)",
        "Hulpvragen per straat",
        "Zonnebloemstraat",
        "Lindelaan",
        "Waar buren om vroegen",
        "Zaken geopend",
        "Er staan geen namen in dit rapport",
    ):
        assert expected in pdf, expected
    # The CSV: a row per street and one for the whole neighbourhood, Excel-ready.
    await tap(bot, samira, moderators, "📊 CSV voor Excel")
    content, name = _file(bot, _documents(moderators)[-1])
    assert name == "impact-oost-2026-11.csv"
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    by_street = {row["Straat"]: row for row in rows}  # a Dutch export: Dutch headers
    assert set(by_street) == {"Zonnebloemstraat", "Lindelaan", "Hele wijk"}
    whole = by_street["Hele wijk"]
    assert (whole["Hulpvragen"], whole["Afgerond"], whole["Zaken geopend"]) == (
        "2",
        "1",
        "1",
    )
    assert whole["Uren tot een helper (mediaan)"] == "5"
    assert by_street["Lindelaan"]["Eenmalige aanbiedingen"] == "1"

    # Nothing personal in any report message or file.
    secrets = ("Anna", "Bram", "Fenna", "Q1", "Q2", "O1", "S1", "C1", "T1")
    for message in moderators.bot_messages:
        blob = (message.text or "") + (message.caption or "")
        if message.document is not None:
            data, _ = _file(bot, message)
            blob += _text(data) if data.startswith(b"%PDF") else data.decode("utf-8-sig")
        if "Impact" in blob or "month" in blob:
            assert not [s for s in secrets if s in blob], blob

    # A member of the team's group who is no worker: the press is refused (and audited).
    bot.fake.add_member(moderators, bram)
    before = len(_documents(moderators))
    query = bram.press(report, data=f"imp:pdf:{street.neighbourhood_id}:2026-11")
    await bot.settle()
    toast = (bot.fake.toast(query) or {}).get("text", "")
    assert "alleen voor werkers van het wijkteam" in toast
    assert len(_documents(moderators)) == before

    # A button forged (or forwarded) into a street group does not pull the report there.
    bot.fake.add_member(group, samira)
    query = samira.press(group.last, data=f"imp:csv:{street.neighbourhood_id}:2026-11")
    await bot.settle()
    assert "alleen in de groep van het wijkteam" in (bot.fake.toast(query) or {}).get("text", "")
    assert _documents(group) == []

    # October: nothing happened; December is not there yet.
    await tap(bot, samira, moderators, "◀ oktober 2026")
    assert "0 hulpvragen" in (report.text or "")
    samira.send("/impact 2026-12", chat=moderators)
    await bot.settle()
    assert "Die maand ken ik niet" in (moderators.last.text or "")


async def test_last_months_report_arrives_once_on_the_first(
    xbot: Harness, clock: FakeClock
) -> None:
    bot = xbot
    group, _, street = await street_group(bot)
    moderators, samira = await team(bot)
    anna = await quick_resident(bot, group, street, "Anna")
    await quick_request(bot, anna, "Wie kan mijn heg snoeien?", "garden")
    await bot.tick()  # 30 November: October was empty, nothing is sent
    assert _documents(moderators) == []

    clock.set(datetime(2026, 12, 1, 8, 30, tzinfo=AMSTERDAM))
    await bot.tick()
    assert _documents(moderators) == []  # before 09:00
    clock.set(datetime(2026, 12, 1, 9, 1, tzinfo=AMSTERDAM))
    await bot.tick()
    await bot.tick()
    monthly = _documents(moderators)
    assert len(monthly) == 1
    assert "Het impactrapport over november 2026 is klaar" in (monthly[0].caption or "")
    assert "Impact in Oost, november 2026" in _text(_pdf(bot, monthly[0]))
    assert "(tot nu toe)" not in _text(_pdf(bot, monthly[0]))
    assert "december 2026 ▶" in monthly[0].buttons
    # The buttons under the PDF work too: the running month opens as a new message.
    samira.press(monthly[0], "december 2026 ▶")
    await bot.settle()
    assert "Impact in Oost, december 2026 (tot nu toe)" in (moderators.last.text or "")

    # A restart does not send it again.
    await bot.restart()
    await bot.tick()
    assert len(_documents(moderators)) == 1
