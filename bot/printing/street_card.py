"""The street card as a PDF (fpdf2), with a vector QR code (segno) to join.

Made to be read by elderly neighbours on paper: Atkinson Hyperlegible (a typeface the
Braille Institute designed for low vision), body text of at least 12 pt, black on
white, short lines, one idea per line. A4 to hang up or copy; A6 as a small card: the
front says how to join and whom to call, the back lists who can do what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.printing.fonts import FONT, PT, add_fonts, printable
from models.digest.card import StreetCard

Size = Literal["A4", "A6"]
BLACK = (0, 0, 0)
RULE_GREY = (90, 90, 90)


@dataclass(frozen=True)
class CardTexts:
    """The card's words in its language (plain text, filled in by the adapter)."""

    heading: str  # "Wie kan wat in de Zonnebloemstraat"
    intro: str
    empty: str
    more: str  # "En nog 4 buren: vraag het de bot."
    rides: str | None  # "Boodschappenrit nodig? Bel Joost: 06 12345678"
    join_title: str
    join_help: str
    footer: str


@dataclass(frozen=True)
class _Layout:
    format: tuple[float, float]
    margin: float
    title_pt: float
    heading_pt: float
    body_pt: float
    category_pt: float
    small_pt: float
    qr_mm: float
    line: float  # line height as a factor of the font size in mm
    footer_on_every_page: bool


LAYOUTS: dict[Size, _Layout] = {
    "A4": _Layout((210, 297), 18, 30, 22, 15, 17, 13, 50, 1.35, footer_on_every_page=True),
    "A6": _Layout((105, 148), 8, 20, 15, 12, 13, 12, 40, 1.3, footer_on_every_page=False),
}


class _Card(FPDF):
    def __init__(self, layout: _Layout, footer_text: str) -> None:
        super().__init__(format=layout.format)
        self.layout = layout
        self.footer_text = footer_text
        add_fonts(self)
        self.set_margins(layout.margin, layout.margin, layout.margin)
        bottom = layout.margin + (6 if layout.footer_on_every_page else 0)
        self.set_auto_page_break(auto=True, margin=bottom)
        self.set_text_color(*BLACK)

    def footer(self) -> None:
        """A quiet line at the bottom of the page (on A6 only under the front)."""
        if not self.layout.footer_on_every_page and self.page_no() > 1:
            return
        self.set_y(-(self.layout.margin + 4))
        self.set_font(FONT, "", self.layout.small_pt)
        self.cell(0, 5, printable(self.footer_text), align="C")

    def write_lines(self, text: str, size: float, *, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(
            0,
            size * PT * self.layout.line,
            printable(text),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def entry(self, name: str, offer: str) -> None:
        """A bullet with the name in bold and the offer after it; wrapped lines indented."""
        size = self.layout.body_pt
        height = size * PT * self.layout.line
        base = self.l_margin
        indent = base + size * PT * 1.4
        self.set_font(FONT, "", size)
        self.set_x(base)
        self.cell(indent - base, height, "•")
        self.set_left_margin(indent)
        self.set_font(FONT, "B", size)
        self.write(height, printable(name) + ": ")
        self.set_font(FONT, "", size)
        self.write(height, printable(offer))
        self.ln(height)
        self.set_left_margin(base)
        self.ln(0.6)

    def rule(self, weight: float = 0.6) -> None:
        self.set_draw_color(*RULE_GREY)
        self.set_line_width(weight)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)


def _qr(pdf: _Card, link: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as black rectangles (sharp at any print size), quiet zone included."""
    code = segno.make(link, error="m", micro=False)
    matrix = [list(row) for row in code.matrix]
    modules = len(matrix) + 8  # four modules of quiet zone on each side
    cell = size / modules
    pdf.set_fill_color(*BLACK)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(
                x + (start + 4) * cell, y + (r + 4) * cell, (c - start) * cell, cell, style="F"
            )


def _join_block(pdf: _Card, texts: CardTexts, link: str) -> None:
    layout = pdf.layout
    size = layout.qr_mm
    if pdf.get_y() + size > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    _qr(pdf, link, pdf.l_margin - size / 12, top, size)
    text_x = pdf.l_margin + size + 2
    pdf.set_xy(text_x, top + size / 8)
    pdf.set_left_margin(text_x)
    pdf.write_lines(texts.join_title, layout.heading_pt, bold=True)
    pdf.ln(1)
    pdf.write_lines(texts.join_help, layout.body_pt)
    pdf.set_left_margin(layout.margin)
    pdf.set_y(max(pdf.get_y(), top + size) + 2)


def _rides_box(pdf: _Card, text: str) -> None:
    layout = pdf.layout
    pdf.set_draw_color(*BLACK)
    pdf.set_line_width(0.8)
    pdf.set_font(FONT, "B", layout.category_pt)
    pdf.multi_cell(
        0,
        layout.category_pt * PT * layout.line,
        printable(text),
        border=1,
        padding=3,
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)


def _register(pdf: _Card, card: StreetCard, texts: CardTexts) -> None:
    layout = pdf.layout
    if not card.groups:
        pdf.write_lines(texts.empty, layout.body_pt)
        return
    for group in card.groups:
        if pdf.get_y() + 3 * layout.body_pt * PT * layout.line > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.write_lines(group.category, layout.category_pt, bold=True)
        pdf.rule(0.4)
        for entry in group.entries:
            pdf.entry(entry.first_name, entry.offer)
        pdf.ln(2.5)
    if card.more:
        pdf.write_lines(texts.more, layout.body_pt)


def render_card(card: StreetCard, texts: CardTexts, link: str, size: Size) -> bytes:
    """The card as PDF bytes: A4 on one or more pages, or A6 (front and back)."""
    layout = LAYOUTS[size]
    pdf = _Card(layout, texts.footer)
    pdf.set_title(printable(texts.heading))
    pdf.set_author("Patchwork")
    pdf.set_creator("Patchwork")
    pdf.add_page()
    pdf.write_lines(card.street_name, layout.title_pt, bold=True)
    pdf.write_lines(texts.heading, layout.heading_pt, bold=True)
    pdf.ln(1)
    pdf.rule(1.2)
    pdf.write_lines(texts.intro, layout.body_pt)
    pdf.ln(3)
    if size == "A6":
        if texts.rides:
            _rides_box(pdf, texts.rides)
        _join_block(pdf, texts, link)
        pdf.add_page()
        pdf.write_lines(texts.heading, layout.heading_pt, bold=True)
        pdf.rule(1.2)
        _register(pdf, card, texts)
    else:
        _register(pdf, card, texts)
        pdf.ln(2)
        if texts.rides:
            _rides_box(pdf, texts.rides)
        _join_block(pdf, texts, link)
    return bytes(pdf.output())
