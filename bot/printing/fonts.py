"""The typeface of everything Patchwork prints, and text it can draw.

Atkinson Hyperlegible (a typeface the Braille Institute designed for low vision) ships as
a package of its own (fontpkg-atkinson-hyperlegible, OFL-1.1).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

FONT = "Atkinson"
_FILES = Path(str(files("fontpkg_atkinson_hyperlegible"))) / "files"
REGULAR = _FILES / "AtkinsonHyperlegible-Regular.ttf"
BOLD = _FILES / "AtkinsonHyperlegible-Bold.ttf"
PT = 0.3528  # millimetres per point


def add_fonts(pdf: FPDF) -> None:
    """Make the typeface (regular and bold) available in a document."""
    pdf.add_font(FONT, "", str(REGULAR))
    pdf.add_font(FONT, "B", str(BOLD))


@cache
def _coverage() -> frozenset[int]:
    """Code points the typeface can draw."""
    return frozenset(TTFont(str(REGULAR)).getBestCmap())


def printable(text: str) -> str:
    """The text with characters the typeface lacks replaced by their plain base letter,
    or left out (emoji); never empty when the text was not."""
    covered = _coverage()
    out: list[str] = []
    for ch in text:
        if ord(ch) in covered:
            out.append(ch)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        )
        out.append("".join(c for c in base if ord(c) in covered))
    cleaned = " ".join("".join(out).split())
    return cleaned if cleaned or not text.strip() else "?"
