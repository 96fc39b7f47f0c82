"""Parsers and codecs: free text, callback data, join links, Telegram HTML."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sandbox.telegram_html import ParseError, parse_html, utf16_len
from config.i18n import Safe, escape
from handlers.callbacks import MAX_BYTES, BadCallback, decode, encode
from models.errors import TextEmpty, TextTooLong
from models.streets import JOIN_CODE_LENGTH, join_code_from_payload, new_join_code
from models.text import clean_name, clean_text, fold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Anna  ", "Anna"),
        ("Anna\u200b", "Anna"),
        ("Jan\tde  Vries", "Jan de Vries"),
        ("regel 1\r\n\r\n\r\n\r\nregel 2", "regel 1\n\nregel 2"),
        ("cafe\u0301", "café"),
    ],
)
def test_clean_text_normalises(raw: str, expected: str) -> None:
    assert clean_text(raw, max_length=100) == expected


def test_clean_text_limits() -> None:
    with pytest.raises(TextEmpty):
        clean_text(" \n\t ", max_length=10)
    with pytest.raises(TextTooLong) as caught:
        clean_text("x" * 11, max_length=10)
    assert caught.value.params == {"max_length": 10, "length": 11}
    assert clean_name("Anna\nMaria") == "Anna Maria"


@given(st.text())
def test_clean_text_never_exceeds_its_limit_or_keeps_controls(raw: str) -> None:
    try:
        cleaned = clean_text(raw, max_length=50)
    except (TextEmpty, TextTooLong):
        return
    assert 0 < len(cleaned) <= 50
    assert cleaned == cleaned.strip()
    assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)


def test_fold_ignores_case_and_accents() -> None:
    assert fold("  Ëindhoven  Oost ") == "eindhoven oost"


_args = st.lists(st.text(alphabet="abcXYZ019_-", min_size=1, max_size=8), max_size=4)


@given(st.sampled_from(["m", "jn", "rq.help", "ride_book"]), _args)
def test_callback_round_trip(action: str, args: list[str]) -> None:
    data = encode(action, *args)
    assert len(data.encode()) <= MAX_BYTES
    parsed = decode(data)
    assert parsed.action == action
    assert list(parsed.args) == args


@given(st.text(max_size=80))
def test_decode_never_crashes_on_foreign_data(data: str) -> None:
    try:
        parsed = decode(data)
    except BadCallback:
        return
    assert encode(parsed.action, *parsed.args) == data


def test_callback_rejects_what_telegram_would() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        encode("m", "x" * 40, "y" * 30)
    with pytest.raises(ValueError, match="bad callback argument"):
        encode("m", "a:b")
    with pytest.raises(BadCallback):
        decode("m:1").int_arg(1)
    with pytest.raises(BadCallback):
        decode("m:abc").int_arg(0)


def test_join_codes_round_trip() -> None:
    code = new_join_code()
    assert len(code) == JOIN_CODE_LENGTH
    assert join_code_from_payload("j" + code) == code
    assert join_code_from_payload("x" + code) is None
    assert join_code_from_payload("j" + code + "a") is None
    assert join_code_from_payload("j" + "I" * JOIN_CODE_LENGTH) is None


@given(st.text(max_size=200))
def test_escaped_text_always_parses_back_to_itself(text: str) -> None:
    from config.i18n import WORD_JOINER

    parsed = parse_html(f"<b>{escape(text)}</b>")
    # As typed, but for the invisible word joiner that keeps "/x" from being a command.
    assert parsed.text.replace(WORD_JOINER, "") == text
    if text:
        shown = utf16_len(parsed.text)
        assert parsed.entities == [{"type": "bold", "offset": 0, "length": shown}]


def test_safe_text_is_not_escaped_again() -> None:
    assert escape(Safe("<b>x</b>")) == "<b>x</b>"
    assert escape("<b>") == html.escape("<b>", quote=False)


@pytest.mark.parametrize(
    "bad",
    [
        "<script>x</script>",
        "a < b",
        "<b>open",
        "Tom & Jerry",
        "<b><i>x</b></i>",
        '<span class="x">y</span>',
    ],
)
def test_telegram_html_rejects_what_telegram_rejects(bad: str) -> None:
    with pytest.raises(ParseError):
        parse_html(bad)


def test_telegram_html_entities_use_utf16_offsets() -> None:
    parsed = parse_html('👋 <b>Hoi</b> <a href="https://t.me/x">link</a>')
    assert parsed.text == "👋 Hoi link"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 3},
        {"type": "text_link", "offset": 7, "length": 4, "url": "https://t.me/x"},
    ]


def test_typed_slashes_never_become_tappable_commands() -> None:
    from config.i18n import WORD_JOINER, escape

    typed = "<b>x</b> /script en /start, 1/2 kilo, zie https://example.nl/pad"
    out = escape(typed)
    assert "&lt;/" + WORD_JOINER + "b&gt;" in out
    assert "/" + WORD_JOINER + "script" in out
    assert "/" + WORD_JOINER + "start" in out
    assert "1/2" in out
    assert "https://example.nl/pad" in out
    assert (
        out.replace(WORD_JOINER, "")
        == "&lt;b&gt;x&lt;/b&gt; /script en /start, 1/2 kilo, zie https://example.nl/pad"
    )


def test_a_long_subject_is_shortened_to_a_few_words_in_relayed_messages() -> None:
    from datetime import UTC, datetime

    from models.exchange.model import Conversation, Role
    from models.exchange.relay import ConversationView

    created = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    conversation = Conversation(id=1, giver_id=1, receiver_id=2, created_at=created)
    view = ConversationView(
        conversation=conversation,
        me_id=1,
        role=Role.GIVER,
        other_id=2,
        other_name="Anna",
        subject="Wie kan mijn lamp in de gang ophangen, hij is zwaar",
    )
    assert view.short_subject == "Wie kan mijn lamp in de gang…"
    assert view.model_copy(update={"subject": "Lamp ophangen"}).short_subject == "Lamp ophangen"
