"""The impact report in the moderators chat: `/impact` or the "📊 Impact" button shows a
month's figures, with buttons for other months, a PDF with charts and a CSV file. On the
1st of the month the bot posts last month's PDF by itself (the outbox renderer below).

Only counts, never names: everything here may be read by the whole moderators chat.
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from telegram import Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import CommandHandler

from bot.outbox import RenderContext, Renderers
from bot.printing.impact_report import Bar, Chart, Figures, ImpactDocument, render_impact
from config.i18n import Translator, escape
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import (
    answer,
    button,
    chat_of,
    file_slug,
    friendly,
    is_private,
    keyboard,
    send,
    show,
)
from handlers.common import who as who_is
from handlers.context import PatchworkApp, PatchworkContext
from handlers.say import say
from models.core import as_language
from models.errors import StaleAction
from models.exchange.taxonomy import Taxonomy, UnknownCategory
from models.impact.service import (
    FIRST_MONTH,
    ImpactMonthly,
    ImpactReport,
    StreetImpact,
    parse_month,
    shift_month,
)
from models.messages import Button, Document, OutgoingMessage, outgoing

if TYPE_CHECKING:
    from bot.services import Services

ACTION = "imp"
MAX_STREET_LINES = 15  # the chat message stays short (and under 4096); the files list all
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHECKIN_OUTCOMES = ("all_good", "help_needed", "not_reached", "nobody", "all_clear")
CHECKIN_COLUMNS = (
    "checkin_residents",
    "checkin_messages",
    "checkin_on_time",
    "checkin_alarms",
    *(f"checkin_{outcome}" for outcome in CHECKIN_OUTCOMES),
)
CSV_COLUMNS = (
    "month",
    "neighbourhood",
    "street",
    "requests_asked",
    "requests_matched",
    "requests_done",
    "one_off_offers",
    "register_entries_added",
    "median_hours_to_match",
    "new_connections",
    "thanks",
    "feedback_answers",
    "feedback_helped",
    "feedback_met_someone_new",
    "rides_done",
    "seats_used",
    "ride_passengers",
    "cases_opened",
    "cases_closed",
    *CHECKIN_COLUMNS,
)


@dataclass(frozen=True)
class Words:
    """The report's words in one language."""

    i18n: Translator
    language: str
    taxonomy: Taxonomy

    def html(self, key: str, /, **params: Any) -> str:
        """Translated HTML."""
        return self.i18n.html(self.language, f"impact.{key}", **params)

    def plain(self, key: str, /, count: int | None = None, **params: Any) -> str:
        """Translated plain text."""
        return self.i18n.plain(self.language, f"impact.{key}", count=count, **params)

    def month(self, month: str) -> str:
        """ "november 2026"."""
        return format_date(parse_month(month), "MMMM yyyy", locale=self.language)

    def category(self, category_id: str) -> str:
        """A category's label (its id when the taxonomy no longer has it)."""
        try:
            return self.taxonomy.get(category_id).label(as_language(self.language))
        except UnknownCategory:
            return category_id

    def outcome(self, outcome: str) -> str:
        """A case outcome in words."""
        key = f"escalation.outcome.{outcome}"
        if key in self.i18n.keys(self.language):
            return self.i18n.plain(self.language, key)
        return outcome

    def hours(self, value: float | None) -> str:
        """A median wait: "3 minuten", "5 uur", "2 dagen", or "-"."""
        if value is None:
            return "-"
        if value >= 48:
            days = round(value / 24)
            return self.plain("days", count=days, n=days)
        if value < 1:
            minutes = max(1, round(value * 60))
            return self.plain("minutes", count=minutes, n=minutes)
        whole = round(value)
        return self.plain("hours", count=whole, n=whole)

    def counted(self, key: str, count: int) -> str:
        """A number with its noun in the right form: "1 hulpvraag", "2 hulpvragen"."""
        return self.plain(f"n_{key}", count=count, n=count)


def _words(services: Services, language: str) -> Words:
    return Words(services.i18n, language, services.exchange.taxonomy)


def _title(words: Words, report: ImpactReport) -> str:
    key = "title" if report.complete else "title_running"
    return words.plain(key, neighbourhood=report.neighbourhood, month=words.month(report.month))


def report_text(words: Words, report: ImpactReport) -> str:
    """The month in a few short lines for the moderators chat (HTML)."""
    total = report.total
    lines = [
        "📊 <b>" + escape(_title(words, report)) + "</b>",
        "",
        words.html("exchange_title"),
        words.html(
            "line_requests",
            asked=words.counted("requests", total.asked),
            matched=total.matched,
            done=total.done,
        ),
        words.html("line_wait", wait=words.hours(total.median_hours_to_match)),
        words.html(
            "line_offers",
            entries=words.counted("entries", total.entries),
            offers=words.counted("offers", total.offers),
            thanks=words.counted("thanks", total.thanks),
        ),
        words.html("line_connections", count=total.connections),
        words.html(
            "line_feedback",
            answers=total.feedback,
            helped=total.helped,
            met=total.met_someone_new,
        ),
    ]
    if report.categories:
        top = ", ".join(f"{words.category(c)} ({n})" for c, n in report.categories[:4])
        lines.append(words.html("line_categories", categories=top))
    busy = sorted(
        (s for s in report.streets if s.asked or s.offers or s.connections),
        key=lambda s: (-s.asked, s.street),
    )
    if busy:
        lines += ["", words.html("streets_title")]
        lines += [
            words.html(
                "line_street",
                street=s.street,
                asked=words.counted("requests", s.asked),
                matched=s.matched,
                done=s.done,
            )
            for s in busy[:MAX_STREET_LINES]
        ]
        if len(busy) > MAX_STREET_LINES:
            rest = len(busy) - MAX_STREET_LINES
            lines.append(words.html("more_streets", count=rest))
    rides, cases = report.rides, report.cases
    lines += [
        "",
        words.html(
            "line_rides",
            rides=words.counted("rides", rides.rides),
            seats=rides.seats_used,
            people=rides.passengers,
        ),
        words.html(
            "line_cases", opened=words.counted("cases", cases.opened), closed=len(cases.outcomes)
        ),
        *checkin_lines(words, report),
        "",
        words.html("privacy_note"),
    ]
    return "\n".join(lines)


def checkin_lines(words: Words, report: ImpactReport) -> list[str]:
    """Check-ins in numbers only: residents, messages answered on time, alarms, outcomes."""
    figures = report.checkins
    if not figures.residents and not figures.rounds:
        return []
    outcomes = ", ".join(
        f"{words.i18n.plain(words.language, f'checkins.outcome.{key}')} ({count})"
        for key, count in sorted(figures.outcomes.items())
    )
    return [
        words.html(
            "line_checkins",
            residents=figures.residents,
            rounds=figures.rounds,
            on_time=figures.on_time,
            alarms=figures.alarms,
            outcomes=outcomes or "-",
        )
    ]


def report_rows(words: Words, report: ImpactReport) -> list[list[Button]]:
    """Earlier / later month, PDF and CSV of this month."""
    month, neighbourhood_id = report.month, report.neighbourhood_id
    nav = []
    if month > FIRST_MONTH:
        earlier = shift_month(month, -1)
        nav.append(button("◀ " + words.month(earlier), ACTION, "m", neighbourhood_id, earlier))
    if report.complete:  # a running month has no later one yet
        later = shift_month(month, 1)
        nav.append(button(words.month(later) + " ▶", ACTION, "m", neighbourhood_id, later))
    return [
        nav,
        [
            button(words.plain("pdf_button"), ACTION, "pdf", neighbourhood_id, month),
            button(words.plain("csv_button"), ACTION, "csv", neighbourhood_id, month),
        ],
    ]


def report_document(words: Words, report: ImpactReport) -> ImpactDocument:
    """The PDF's contents in the reader's language."""
    total, rides, cases = report.total, report.rides, report.cases
    exchange = Figures(
        title=words.plain("exchange_heading"),
        lines=(
            (words.plain("pdf_asked"), str(total.asked)),
            (words.plain("pdf_matched"), str(total.matched)),
            (words.plain("pdf_done"), str(total.done)),
            (words.plain("pdf_wait"), words.hours(total.median_hours_to_match)),
            (words.plain("pdf_offers"), str(total.offers)),
            (words.plain("pdf_entries"), str(total.entries)),
            (words.plain("pdf_connections"), str(total.connections)),
            (words.plain("pdf_thanks"), str(total.thanks)),
            (words.plain("pdf_feedback"), str(total.feedback)),
            (words.plain("pdf_helped"), str(total.helped)),
            (words.plain("pdf_met"), str(total.met_someone_new)),
        ),
    )
    per_street = Chart(
        title=words.plain("chart_streets"),
        series=(words.plain("pdf_asked"), words.plain("pdf_matched"), words.plain("pdf_done")),
        bars=tuple(Bar(s.street, (s.asked, s.matched, s.done)) for s in report.streets),
        empty=words.plain("chart_empty"),
    )
    categories = Chart(
        title=words.plain("chart_categories"),
        series=(words.plain("pdf_asked"),),
        bars=tuple(Bar(words.category(c), (n,)) for c, n in report.categories),
        empty=words.plain("chart_empty"),
    )
    rides_block = Figures(
        title=words.plain("rides_heading"),
        lines=(
            (words.plain("pdf_rides"), str(rides.rides)),
            (words.plain("pdf_seats"), str(rides.seats_used)),
            (words.plain("pdf_passengers"), str(rides.passengers)),
        ),
    )
    cases_block = Figures(
        title=words.plain("cases_heading"),
        lines=(
            (words.plain("pdf_cases_opened"), str(cases.opened)),
            (words.plain("pdf_cases_closed"), str(len(cases.outcomes))),
            *((words.outcome(o), str(n)) for o, n in report.outcome_counts),
        ),
    )
    figures = report.checkins
    checkins_blocks = (
        (
            Figures(
                title=words.plain("checkins_heading"),
                lines=(
                    (words.plain("pdf_checkin_residents"), str(figures.residents)),
                    (words.plain("pdf_checkin_rounds"), str(figures.rounds)),
                    (words.plain("pdf_checkin_on_time"), str(figures.on_time)),
                    (words.plain("pdf_checkin_alarms"), str(figures.alarms)),
                    *(
                        (words.i18n.plain(words.language, f"checkins.outcome.{key}"), str(n))
                        for key, n in sorted(figures.outcomes.items())
                    ),
                ),
            ),
        )
        if figures.residents or figures.rounds
        else ()
    )
    return ImpactDocument(
        title=_title(words, report),
        subtitle=words.plain("pdf_subtitle"),
        blocks=(exchange, per_street, categories, rides_block, cases_block, *checkins_blocks),
        footer=words.plain("pdf_footer", neighbourhood=report.neighbourhood),
    )


def _cell(text: str) -> str:
    """A name as a spreadsheet cell: never read as a formula (names are typed by people)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _decimal(value: float | None, language: str) -> str:
    """A number as the reader's spreadsheet reads it: 5,5 in Dutch, 5.5 in English."""
    if value is None:
        return ""
    text = f"{value:g}"
    return text.replace(".", ",") if language == "nl" else text


def _csv_row(report: ImpactReport, row: StreetImpact, street: str, language: str) -> list[object]:
    return [
        report.month,
        _cell(report.neighbourhood),
        _cell(street),
        row.asked,
        row.matched,
        row.done,
        row.offers,
        row.entries,
        _decimal(row.median_hours_to_match, language),
        row.connections,
        row.thanks,
        row.feedback,
        row.helped,
        row.met_someone_new,
    ]


def report_csv(words: Words, report: ImpactReport) -> bytes:
    """One row per street and one for the whole neighbourhood (with rides and cases).

    Dutch spreadsheets expect a semicolon; the byte order mark makes Excel read UTF-8.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if words.language == "nl" else ",")
    # Headers in the report's language: a Dutch export reads Dutch.
    writer.writerow([words.plain(f"csv.{column}") for column in CSV_COLUMNS])
    for row in report.streets:
        blank = [""] * (5 + len(CHECKIN_COLUMNS))  # rides, cases, check-ins: whole wijk only
        writer.writerow([*_csv_row(report, row, row.street, words.language), *blank])
    rides, cases, checkins = report.rides, report.cases, report.checkins
    writer.writerow(
        [
            *_csv_row(report, report.total, words.plain("csv_total"), words.language),
            rides.rides,
            rides.seats_used,
            rides.passengers,
            cases.opened,
            len(cases.outcomes),
            checkins.residents,
            checkins.rounds,
            checkins.on_time,
            checkins.alarms,
            *(checkins.outcomes.get(outcome, 0) for outcome in CHECKIN_OUTCOMES),
        ]
    )
    return ("\ufeff" + out.getvalue()).encode()


def _filename(report: ImpactReport, extension: str) -> str:
    return f"impact-{file_slug(report.neighbourhood, 'wijk')}-{report.month}.{extension}"


@friendly
async def on_impact_command(update: Update, context: PatchworkContext) -> None:
    """/impact [YYYY-MM] in the moderators chat: the month's figures (workers only)."""
    me = await who_is(update, context)
    if is_private(update):
        await send(update, say(context, me.language).t("impact.in_group"))
        return
    args = context.args or []
    month = args[0] if args else None
    report = await context.services.impact.for_moderators_chat(me.user, chat_of(update), month)
    words = _words(context.services, me.language)
    rows = report_rows(words, report)
    await send(update, report_text(words, report), keyboard(rows))


@on_press(ACTION)
@friendly
async def on_impact_button(update: Update, context: PatchworkContext) -> None:
    """Another month, or the month as PDF or CSV; the worker check runs on every press."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    choice = callback.arg(0)
    if choice not in {"m", "pdf", "csv", "open"}:
        raise StaleAction()
    me = await who_is(update, context)
    impact = context.services.impact
    if choice == "open":
        report = await impact.for_moderators_chat(me.user, chat_of(update))
    else:
        report = await impact.for_moderators_chat(
            me.user, chat_of(update), callback.arg(2), neighbourhood_id=callback.int_arg(1)
        )
    words = _words(context.services, me.language)
    if choice in {"m", "open"}:
        await answer(update)
        rows = report_rows(words, report)
        text = report_text(words, report)
        if choice == "m":
            await show(update, text, keyboard(rows))
        else:
            await send(update, text, keyboard(rows))
        return
    await answer(update, words.plain("making"))
    chat = update.effective_chat
    assert chat is not None
    await chat.send_chat_action(ChatAction.UPLOAD_DOCUMENT)
    if choice == "pdf":
        document = report_document(words, report)
        data = await asyncio.to_thread(render_impact, document)
        filename = _filename(report, "pdf")
    else:
        data = report_csv(words, report)
        filename = _filename(report, "csv")
    await chat.send_document(
        document=data,
        filename=filename,
        caption=words.html("caption", month=words.month(report.month)),
        parse_mode=ParseMode.HTML,
    )


def open_button(context: PatchworkContext, language: str) -> Button:
    """ "📊 Impact" under messages in the moderators chat (opens this month)."""
    return button(say(context, language).p("impact.open_button"), ACTION, "open")


def register(app: PatchworkApp) -> None:
    """Install /impact and its buttons."""
    app.add_handler(CommandHandler(["impact", "rapportage"], on_impact_command))


def register_renderers(renderers: Renderers) -> None:
    """The monthly PDF, drawn at send time from the counts as they are then."""

    @renderers.message(ImpactMonthly)
    async def render_monthly(ctx: RenderContext, note: ImpactMonthly) -> OutgoingMessage | None:
        report = await ctx.services.impact.report(note.neighbourhood_id, note.month)
        if report is None or report.empty:
            return None  # a month in which nothing happened is not worth a message
        words = _words(ctx.services, ctx.language)
        data = await asyncio.to_thread(render_impact, report_document(words, report))
        rows = report_rows(words, report)
        return outgoing(
            words.html("monthly_caption", month=words.month(report.month)),
            keyboard(rows),
            document=Document(content=data, filename=_filename(report, "pdf")),
        )
