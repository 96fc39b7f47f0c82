"""Rendering a digest as one Telegram message (HTML, escaped), with its buttons.

Other capabilities add buttons for their items with `digest_button("request.help")`;
an item whose action has no button renderer is shown without a button.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.outbox import RenderContext, Renderers
from config.i18n import Translator
from models.core import Street
from models.digest.compose import shorten
from models.digest.model import MESSAGE_LIMIT, Digest, DigestItem, ItemAction, WeeklyDigest
from models.digest.sources import ACTION_INVITE
from models.messages import Button, OutgoingMessage, keyboard, link, outgoing
from models.streets import join_payload

if TYPE_CHECKING:
    from bot.services import Services

DigestButton = Callable[["Services", str, Street | None, DigestItem, ItemAction], Button | None]
digest_buttons: dict[str, DigestButton] = {}


def digest_button(kind: str) -> Callable[[DigestButton], DigestButton]:
    """Decorator: how the button for an item action of `kind` looks (None: no button)."""

    def decorate(fn: DigestButton) -> DigestButton:
        digest_buttons[kind] = fn
        return fn

    return decorate


def text_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); HTML counted in full, to be safe."""
    return len(text.encode("utf-16-le")) // 2


def when_text(moment: datetime, language: str, tz: ZoneInfo) -> str:
    """A local date and time people read easily: "dinsdag 8 december 10:00"."""
    return format_datetime(moment, "EEEE d MMMM HH:mm", tzinfo=tz, locale=language)


def _item(i18n: Translator, language: str, item: DigestItem, tz: ZoneInfo) -> str:
    params: dict[str, object] = dict(item.params)
    if item.when is not None:
        params["when"] = when_text(item.when, language, tz)
    return i18n.html(language, item.key, count=item.count, **params)


def render_text(
    i18n: Translator, language: str, digest: Digest, tz: ZoneInfo, *, intro: str = ""
) -> str:
    """The digest as HTML; `intro` (already HTML) goes above it."""
    parts = [intro] if intro else []
    parts.append(i18n.html(language, "digest.header", street=digest.street_name))
    for section in digest.sections:
        lines: list[str] = []
        if section.title_key:
            lines.append(i18n.html(language, section.title_key))
        bullet = "• " if section.title_key else ""
        lines.extend(bullet + _item(i18n, language, item, tz) for item in section.items)
        if section.more:
            lines.append(i18n.html(language, "digest.more", count=section.more))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def fit(
    i18n: Translator, language: str, digest: Digest, tz: ZoneInfo, *, intro: str = ""
) -> Digest:
    """The digest shortened until it fits one message in this language."""
    return shorten(
        digest,
        lambda d: text_length(render_text(i18n, language, d, tz, intro=intro)),
        MESSAGE_LIMIT,
    )


def render_digest(
    services: Services,
    language: str,
    digest: Digest,
    street: Street | None,
    *,
    intro: str = "",
) -> OutgoingMessage:
    """The whole message: shortened text and the buttons of the items that are shown."""
    tz = services.settings.tz
    shown = fit(services.i18n, language, digest, tz, intro=intro)
    rows: list[list[Button]] = []
    for section in shown.sections:
        for item in section.items:
            if item.action is None:
                continue
            renderer = digest_buttons.get(item.action.kind)
            made = renderer(services, language, street, item, item.action) if renderer else None
            if made is not None:
                rows.append([made])
    text = render_text(services.i18n, language, shown, tz, intro=intro)
    return outgoing(text, keyboard(rows))


@digest_button(ACTION_INVITE)
def _invite_button(
    services: Services,
    language: str,
    street: Street | None,
    item: DigestItem,
    action: ItemAction,
) -> Button | None:
    if street is None or not services.bot_username:
        return None
    label = services.i18n.plain(language, "digest.button.invite")
    url = f"https://t.me/{services.bot_username}?start={join_payload(street)}"
    return link(label, url)


def register_renderers(renderers: Renderers) -> None:
    """The weekly digest from the outbox, in the recipient's language."""

    @renderers.message(WeeklyDigest)
    async def weekly(ctx: RenderContext, note: WeeklyDigest) -> OutgoingMessage | None:
        street = ctx.street or await ctx.services.streets.get(note.digest.street_id)
        return render_digest(ctx.services, ctx.language, note.digest, street)


__all__ = ["digest_button", "fit", "render_digest", "render_text", "when_text"]
