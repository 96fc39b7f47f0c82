"""The street card PDF: its words (extracted back from the PDF) and its QR code (decoded)."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from bot.printing.fonts import printable
from bot.printing.street_card import CardTexts, render_card
from models.digest.card import CardEntry, RideContact, StreetCard, group_entries

LINK = "https://t.me/patchwork_test_bot?start=jabcdefghjk"
TEXTS = CardTexts(
    heading="Wie kan wat in de Zonnebloemstraat",
    intro="Buren helpen elkaar met kleine dingen.",
    empty="Er staat nog niemand op de lijst.",
    more="En nog 2 buren. Doe mee om te zien wie.",
    rides="Boodschappenrit nodig? Bel Joost: 06 12345678",
    join_title="Doe mee!",
    join_help="Richt de camera van je telefoon op de code.",
    footer="Patchwork · buren helpen elkaar · wijk Oost",
)


def _card(entries: list[CardEntry], limit: int = 60) -> StreetCard:
    groups, more = group_entries(entries, limit)
    return StreetCard(
        street_id=1,
        street_name="Zonnebloemstraat",
        neighbourhood="Oost",
        language="nl",
        join_payload="jabcdefghjk",
        groups=groups,
        more=more,
        ride_contact=RideContact(name="Joost", phone="06 12345678"),
    )


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _qr_codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    found: list[str] = []
    for index in range(len(document)):
        image = document[index].render(scale=2).to_pil()
        found.extend(code.text for code in zxingcpp.read_barcodes(image))
    return found


ENTRIES = [
    CardEntry(first_name="Piet", category="Gereedschap", offer="Heggenschaar lenen"),
    CardEntry(first_name="Anna", category="Gezelschap", offer="Koffie en een praatje"),
    CardEntry(first_name="Ayşe", category="Koken", offer="Soep voor wie ziek is 🍲"),
    CardEntry(first_name="Karel", category="Gereedschap", offer="Ladder lenen"),
]


@pytest.mark.parametrize("size", ["A4", "A6"])
def test_card_has_the_words_and_a_working_qr_code(size: str) -> None:
    pdf = render_card(_card(ENTRIES), TEXTS, LINK, size)  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for words in (
        "Zonnebloemstraat",
        "Wie kan wat in de Zonnebloemstraat",
        "Gereedschap",
        "Karel: Ladder lenen",
        "Piet: Heggenschaar lenen",
        "Ayşe: Soep voor wie ziek is",
        "Bel Joost: 06 12345678",
        "Doe mee!",
    ):
        assert words in " ".join(text.split()), words
    # Categories alphabetical, names alphabetical within a category.
    flat = " ".join(text.split())
    assert flat.index("Gereedschap") < flat.index("Gezelschap") < flat.index("Koken")
    assert flat.index("Karel") < flat.index("Piet")
    assert _qr_codes(pdf) == [LINK]


def test_a4_is_a4_and_a6_is_a6() -> None:
    for size, (width, height) in (("A4", (595, 842)), ("A6", (298, 420))):
        page = PdfReader(io.BytesIO(render_card(_card(ENTRIES), TEXTS, LINK, size))).pages[0]  # type: ignore[arg-type]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
            width,
            height,
        )


def test_body_text_is_at_least_twelve_points() -> None:
    pdf = render_card(_card(ENTRIES), TEXTS, LINK, "A6")
    sizes: set[float] = set()

    def visit(text: str, cm: object, tm: object, font: object, size: float) -> None:
        if text.strip():
            sizes.add(size * abs(tm[0]) if isinstance(tm, list) and tm[0] else size)  # type: ignore[index]

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    assert sizes
    assert min(sizes) >= 12


def test_empty_register_and_a_long_one() -> None:
    empty = render_card(_card([]), TEXTS, LINK, "A4")
    assert "Er staat nog niemand op de lijst." in " ".join(_text(empty).split())
    many = [
        CardEntry(first_name=f"Buur{i:02d}", category=f"Soort {i % 5}", offer="Helpen met iets")
        for i in range(12)
    ]
    card = _card(many, limit=10)
    assert card.more == 2
    assert sum(len(g.entries) for g in card.groups) == 10
    pdf = render_card(card, TEXTS, LINK, "A4")
    assert "En nog 2 buren" in " ".join(_text(pdf).split())
    assert _qr_codes(pdf) == [LINK]


def test_printable_keeps_what_the_typeface_draws() -> None:
    typographic = "Ay\u015fe \u2019s koffie \u2013 fijn"  # all in the typeface
    assert printable(typographic) == typographic
    assert printable("Anna 🌻") == "Anna"
    assert printable("İlkay") == "Ilkay"
    assert printable("🌻🌻") == "?"
