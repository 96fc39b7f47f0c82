"""The monthly impact report as an A4 PDF (fpdf2): key figures and simple bar charts.

Made for a funder's desk and for community workers who print it: the same typeface as the
street card, black and grey only (it copies well), every bar labelled with its number so
no chart has to be read off an axis. Only counts are printed, never a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot.printing.fonts import FONT, PT, add_fonts, printable

MARGIN = 18.0
TITLE_PT = 22.0
HEADING_PT = 15.0
BODY_PT = 12.0
SMALL_PT = 10.0
LINE = 1.4
BAR_HEIGHT = 5.0
LABEL_WIDTH = 55.0
SHADES = ((40, 40, 40), (120, 120, 120), (190, 190, 190))  # dark, middle, light grey


@dataclass(frozen=True)
class Bar:
    """One labelled row of a chart: a value per series."""

    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart with a legend (one name per series)."""

    title: str
    series: tuple[str, ...]
    bars: tuple[Bar, ...]
    empty: str  # said instead of the chart when every value is 0


@dataclass(frozen=True)
class Figures:
    """A block of key figures: a heading and "label: value" lines."""

    title: str
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ImpactDocument:
    """Everything the PDF shows, in the reader's language (filled in by the adapter)."""

    title: str
    subtitle: str
    blocks: tuple[Figures | Chart, ...]
    footer: str


class _Report(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        add_fonts(self)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 6)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        """What the report is, and the page number."""
        self.set_y(-(MARGIN + 2))
        self.set_font(FONT, "", SMALL_PT)
        self.cell(0, 5, printable(f"{self.footer_text} · {self.page_no()}"), align="C")

    def lines(self, text: str, size: float, *, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * PT * LINE, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def figures(self, block: Figures) -> None:
        self.ln(3)
        self.lines(block.title, HEADING_PT, bold=True)
        height = BODY_PT * PT * LINE
        for label, value in block.lines:
            self.set_font(FONT, "", BODY_PT)
            self.cell(110, height, printable(label))
            self.set_font(FONT, "B", BODY_PT)
            self.cell(0, height, printable(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def chart(self, chart: Chart) -> None:
        self.ln(3)
        self.lines(chart.title, HEADING_PT, bold=True)
        peak = max((v for bar in chart.bars for v in bar.values), default=0)
        if peak == 0:
            self.lines(chart.empty, BODY_PT)
            return
        self._legend(chart.series)
        width = self.w - 2 * MARGIN - LABEL_WIDTH - 12
        for bar in chart.bars:
            rows = len(bar.values)
            if self.will_page_break(rows * BAR_HEIGHT + 3):
                self.add_page()
            top = self.get_y()
            self.set_font(FONT, "", SMALL_PT)
            self.set_xy(MARGIN, top)
            self.cell(
                LABEL_WIDTH - 2, BAR_HEIGHT, self._fit(printable(bar.label), LABEL_WIDTH - 3)
            )
            for index, value in enumerate(bar.values):
                y = top + index * BAR_HEIGHT
                length = width * value / peak
                if length > 0:
                    self.set_fill_color(*SHADES[index % len(SHADES)])
                    self.rect(MARGIN + LABEL_WIDTH, y + 0.6, length, BAR_HEIGHT - 1.2, style="F")
                self.set_xy(MARGIN + LABEL_WIDTH + length + 1.5, y)
                self.cell(10, BAR_HEIGHT, str(value))
            self.set_xy(MARGIN, top + rows * BAR_HEIGHT + 2)

    def _fit(self, text: str, width: float) -> str:
        """The text cut short with "…" to fit one line of `width` mm in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def _legend(self, series: Sequence[str]) -> None:
        if len(series) < 2:
            return
        self.set_font(FONT, "", SMALL_PT)
        x = MARGIN
        y = self.get_y()
        for index, name in enumerate(series):
            self.set_fill_color(*SHADES[index % len(SHADES)])
            self.rect(x, y + 1, 4, 3, style="F")
            text = printable(name)
            self.set_xy(x + 5, y)
            self.cell(self.get_string_width(text) + 2, BAR_HEIGHT, text)
            x += 5 + self.get_string_width(text) + 8
        self.set_xy(MARGIN, y + BAR_HEIGHT + 1)


def render_impact(document: ImpactDocument) -> bytes:
    """The report as PDF bytes."""
    pdf = _Report(document.footer)
    pdf.set_title(printable(document.title))
    pdf.set_creator("Patchwork")
    pdf.add_page()
    pdf.lines(document.title, TITLE_PT, bold=True)
    pdf.lines(document.subtitle, BODY_PT)
    for block in document.blocks:
        if isinstance(block, Chart):
            pdf.chart(block)
        else:
            pdf.figures(block)
    return bytes(pdf.output())
