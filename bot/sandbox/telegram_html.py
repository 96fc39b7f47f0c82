"""Telegram's HTML parse mode, as strict as Telegram: text, entities, or a parse error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_TAG = re.compile(
    r"</?([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>"
)


class ParseError(ValueError):
    """Telegram would answer: Bad Request: can't parse entities."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts offsets in."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Parsed:
    """Plain text with Bot API entities."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        # not `offset`: HTMLParser keeps its own column counter under that name
        self.position = 0
        self.stack: list[tuple[str, int, dict[str, Any]]] = []
        self.entities: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            raise ParseError(f'Unsupported start tag "{tag}"')
        attributes = dict(attrs)
        extra: dict[str, Any] = {}
        if tag == "a":
            href = attributes.get("href")
            if not href:
                raise ParseError("Can't find end of the URL")
            extra["url"] = href
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise ParseError('Tag "span" must have class "tg-spoiler"')
        self.stack.append((tag, self.position, extra))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            raise ParseError(f'Unmatched end tag "{tag}"')
        _, start, extra = self.stack.pop()
        if self.position > start:
            self.entities.append(
                {"type": TAGS[tag], "offset": start, "length": self.position - start, **extra}
            )

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self.position += utf16_len(data)


def parse_html(source: str) -> Parsed:
    """Parse Telegram HTML strictly: every < and & must be a tag or an entity."""
    position = 0
    while True:
        lt = source.find("<", position)
        if lt < 0:
            break
        match = _TAG.match(source, lt)
        if match is None or match.group(1).lower() not in TAGS:
            raise ParseError(f"Unsupported start tag at byte offset {lt}")
        position = match.end()
    for amp in (m.start() for m in re.finditer("&", source)):
        if not _ENTITY.match(source, amp):
            raise ParseError(f"Unknown or unescaped '&' at byte offset {amp}")
    parser = _Parser()
    parser.feed(source)
    parser.close()
    if parser.stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{parser.stack[-1][0]}"')
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return Parsed(text="".join(parser.parts), entities=entities)


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram adds when a message starts with /command."""
    match = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?", text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


_AUTO = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/]))"
    r"|(?P<url>\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]])"
)
_NO_AUTO = frozenset({"text_link", "code", "pre"})


def auto_entities(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add what Telegram finds by itself in a message: /commands and web addresses."""
    taken = [(e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in _NO_AUTO]
    found = list(entities)
    for match in _AUTO.finditer(text):
        offset = utf16_len(text[: match.start()])
        length = utf16_len(match.group(0))
        if any(start < offset + length and offset < end for start, end in taken):
            continue
        kind = "bot_command" if match.group("bot_command") else "url"
        found.append({"type": kind, "offset": offset, "length": length})
    return sorted(found, key=lambda e: (e["offset"], -e["length"]))
