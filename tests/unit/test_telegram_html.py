"""The fake's HTML parse mode: entity offsets as Telegram counts them (UTF-16 units)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sandbox.telegram_html import ParseError, auto_entities, parse_html, utf16_len


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("<b>Mijn overzicht</b>\nNaam: Anna", "Mijn overzicht\nNaam: Anna", [("bold", 0, 14)]),
        ("a\nb\n<i>c</i>", "a\nb\nc", [("italic", 4, 1)]),
        ("🙋 <b>Doe mee</b>", "🙋 Doe mee", [("bold", 3, 7)]),
        ("<b>x <i>y</i></b>", "x y", [("bold", 0, 3), ("italic", 2, 1)]),
        ("&lt;b&gt; &amp;", "<b> &", []),
        ('<a href="https://e.org/">e</a>', "e", [("text_link", 0, 1)]),
    ],
)
def test_entities_sit_where_telegram_puts_them(
    source: str, text: str, entities: list[tuple[str, int, int]]
) -> None:
    parsed = parse_html(source)
    assert parsed.text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == entities


@pytest.mark.parametrize("source", ["<p>x</p>", "a & b", "<b>x", "x</b>", "<a>x</a>"])
def test_malformed_html_is_refused(source: str) -> None:
    with pytest.raises(ParseError):
        parse_html(source)


_plain = st.text(st.characters(blacklist_characters="<>&", blacklist_categories=("Cs",)))


@given(before=_plain, inside=_plain.filter(bool), after=_plain)
def test_a_bold_span_covers_exactly_its_text(before: str, inside: str, after: str) -> None:
    parsed = parse_html(f"{before}<b>{inside}</b>{after}")
    assert parsed.text == before + inside + after
    [entity] = parsed.entities
    assert entity["offset"] == utf16_len(before)
    assert entity["length"] == utf16_len(inside)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Stuur /setup in de groep.", [("bot_command", 6, 6)]),
        ("/start@patchwork_bot nu", [("bot_command", 0, 20)]),
        ("zie https://t.me/x?start=j1.", [("url", 4, 23)]),
        ("geen a/b of 1/2", []),
        ("🙋 /hulp", [("bot_command", 3, 5)]),
    ],
)
def test_telegram_finds_commands_and_addresses_by_itself(
    text: str, found: list[tuple[str, int, int]]
) -> None:
    entities = auto_entities(text, [])
    assert [(e["type"], e["offset"], e["length"]) for e in entities] == found


def test_no_command_is_found_inside_a_link_or_code() -> None:
    parsed = parse_html('<code>/setup</code> <a href="https://e.org/">/menu</a>')
    entities = auto_entities(parsed.text, parsed.entities)
    assert [e["type"] for e in entities] == ["code", "text_link"]
