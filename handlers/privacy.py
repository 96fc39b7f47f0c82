"""/mijngegevens and /vergeetmij: a person's data, and being forgotten."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from babel.dates import format_date
from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.outbox import RenderContext, Renderers
from config.i18n import Translator
from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import (
    button,
    friendly,
    keyboard,
    send,
    show,
    split_message,
    user_of,
    who,
)
from handlers.context import PatchworkApp, PatchworkContext
from handlers.menu import settings_item
from handlers.rides.say import RideSay
from handlers.say import say
from models.core import Language
from models.errors import StaleAction
from models.exchange.taxonomy import UnknownCategory
from models.messages import Button, NoMenu, OutgoingMessage, outgoing
from models.personal_data.notices import (
    DriverLeft,
    DriverLeftForCoordinator,
    PartnerLeft,
    PassengerLeft,
)
from models.privacy import PersonalData
from models.residents import Profile
from models.rides.model import RideStatus

TIMED = frozenset({"departs"})
MONTH = re.compile(r"\d{4}-\d{2}")


def _readable(context: PatchworkContext, language: Language, data: PersonalData) -> str:
    """Everything, as short lines an elderly reader can follow (dates, not codes)."""
    words = Readable(context.services.i18n, language, context.services.settings.tz)
    me = data.resident
    lines = [
        words.t("privacy.export_title"),
        words.t("privacy.export_name", name=me["display_name"]),
        words.t("privacy.export_language", language=words.p(f"language.{me['language']}")),
        words.t("privacy.export_house", house=me.get("house_number") or "-"),
        words.t("privacy.export_phone", phone=me.get("phone") or "-"),
    ]
    for name, records in data.sections.items():
        lines.append("")
        section = words.p(f"privacy.section.{name}")
        lines.append(words.t("privacy.export_section", section=section, count=len(records)))
        lines.extend("• " + words.record(record) for record in records)
    return "\n".join(lines)


@dataclass(frozen=True)
class Readable:
    """Puts exported records into words: `privacy.item.<what>`, dates in local time, codes
    through `privacy.value.<field>.<code>`, and what the person wrote on its own line."""

    i18n: Translator
    language: Language
    tz: tzinfo

    def t(self, key: str, /, **params: Any) -> str:
        """Translated HTML."""
        return self.i18n.html(self.language, key, **params)

    def p(self, key: str, /, **params: Any) -> str:
        """Translated plain text."""
        return self.i18n.plain(self.language, key, **params)

    def value(self, field: str, value: Any) -> str:
        """One value as a reader wants it."""
        if value is None or value == "":
            return "-"
        if isinstance(value, bool):
            return self.p("privacy.value.yes" if value else "privacy.value.no")
        if isinstance(value, datetime):
            local = value.astimezone(self.tz)
            day = format_date(local.date(), "d MMMM yyyy", locale=self.language)
            if field not in TIMED:
                return day
            return self.p("privacy.date_time", date=day, time=local.strftime("%H:%M"))
        if field == "month" and isinstance(value, str) and MONTH.fullmatch(value):
            year, month = (int(part) for part in value.split("-"))
            return format_date(date(year, month, 1), "MMMM yyyy", locale=self.language)
        coded = f"privacy.value.{field}.{value}"
        if coded in self.i18n.keys(self.language):
            return self.p(coded)
        return str(value)

    def record(self, record: dict[str, Any]) -> str:
        """One record as one line (and what the person wrote under it)."""
        key = f"privacy.item.{record.get('what')}"
        params = {k: self.value(k, v) for k, v in record.items() if k not in {"what", "text"}}
        if key in self.i18n.keys(self.language):
            line = self.t(key, **params)
        else:
            line = html.escape(" · ".join(v for v in params.values() if v != "-"), quote=False)
        text = record.get("text")
        if text:
            line += "\n   " + self.t("privacy.item_text", text=text)
        return line


@friendly
async def on_my_data(update: Update, context: PatchworkContext) -> None:
    """Send everything stored about the person, as text and as a JSON file."""
    me = await who(update, context)
    s = say(context, me.language)
    if me.resident is None:
        await send(update, s.t("privacy.nothing_stored"))
        return
    data = await context.services.privacy.export(me.user)
    for part in split_message(_readable(context, me.language, data)):
        await send(update, part)
    content = json.dumps(data.model_dump(mode="json"), ensure_ascii=False, indent=2).encode()
    message = update.effective_message
    if message is not None:
        await message.reply_document(
            content,
            filename="mijn-gegevens.json",
            caption=s.p("privacy.export_file"),
        )


@friendly
async def on_forget_me(update: Update, context: PatchworkContext) -> None:
    """Ask for confirmation before erasing."""
    me = await who(update, context)
    s = say(context, me.language)
    if me.resident is None:
        await send(update, s.t("privacy.nothing_stored"))
        return
    rows = [
        [button(s.p("privacy.forget_yes"), "forget", "yes")],
        [button(s.p("privacy.forget_no"), "forget", "no")],
    ]
    await send(update, s.t("privacy.forget_confirm"), keyboard(rows))


@on_press("forget")
@friendly
async def on_forget_button(update: Update, context: PatchworkContext) -> None:
    """Erase, or keep everything."""
    assert update.callback_query is not None
    choice = decode(update.callback_query.data).arg(0)
    me = await who(update, context)
    if choice == "no":
        await show(update, say(context, me.language).t("privacy.forget_cancelled"))
        return
    if choice != "yes" or me.resident is None:
        raise StaleAction()
    language: Language = me.language
    await dialogs.finish(update, context)
    await context.services.privacy.forget(user_of(update))
    s = say(context, language)
    await show(update, s.t("privacy.forget_done"))
    # The standing menu goes too: all its buttons would only say "je doet nog niet mee".
    await send(update, s.t("privacy.forgotten") + "\n\n" + s.t("privacy.menu_gone"), NoMenu())


@on_press("priv")
@friendly
async def on_privacy_button(update: Update, context: PatchworkContext) -> None:
    """The buttons under "Instellingen"."""
    assert update.callback_query is not None
    choice = decode(update.callback_query.data).arg(0)
    if choice == "export":
        await on_my_data(update, context)
    elif choice == "forget":
        await on_forget_me(update, context)
    else:
        raise StaleAction()


@settings_item
async def privacy_buttons(
    context: PatchworkContext, profile: Profile, language: Language
) -> list[list[Button]]:
    """ "Mijn gegevens" and "Wis mij" in the settings."""
    s = say(context, language)
    return [
        [button(s.p("privacy.button_export"), "priv", "export")],
        [button(s.p("privacy.button_forget"), "priv", "forget")],
    ]


# What others are told when someone is forgotten (never their name) ----------------------


def _say(ctx: RenderContext) -> RideSay:
    return RideSay(ctx.services.i18n, ctx.language, ctx.services.settings.tz)


async def partner_left(ctx: RenderContext, note: PartnerLeft) -> OutgoingMessage:
    """The other side of a conversation: it stopped, the neighbour no longer takes part."""
    s = say(ctx, ctx.language)
    try:
        label = ctx.services.exchange.taxonomy.get(note.category).label(ctx.language)
    except UnknownCategory:
        text = s.t("privacy.notice.partner_left_any")
    else:
        text = s.t("privacy.notice.partner_left", category=label)
    if note.reopened:
        text += "\n" + s.t("privacy.notice.request_open_again")
    return outgoing(text)


async def passenger_left(ctx: RenderContext, note: PassengerLeft) -> OutgoingMessage | None:
    """The driver: someone cannot come along any more (no name), and the list as it is now."""
    assert ctx.recipient.id is not None
    view = await ctx.services.rides.view_for(ctx.recipient.id, note.ride_id)
    if view is None or not view.is_driver or view.ride.status != RideStatus.SCHEDULED:
        return None
    s = _say(ctx)
    key = (
        "privacy.notice.passenger_left_moved" if note.promoted else "privacy.notice.passenger_left"
    )
    text = s.t(key, when=s.when(view.card), destination=view.ride.destination)
    text += "\n\n" + s.passenger_list(view)
    return outgoing(text, keyboard([[button(s.p("rides.notice.open"), "r.v", view.ride.id)]]))


async def driver_left(ctx: RenderContext, note: DriverLeft) -> OutgoingMessage | None:
    """A passenger (or a proxy's coordinator): the ride does not go."""
    found = await ctx.services.rides.passenger(note.ride_id, note.passenger_id)
    if found is None:
        return None
    card, line = found
    s = _say(ctx)
    key = "privacy.notice.driver_left_waiting" if note.waitlisted else "privacy.notice.driver_left"
    text = s.t(key, when=s.when(card))
    if note.proxy:
        text += "\n" + s.t(
            "rides.notice.about_proxy_call", name=line.name, phone=line.phone or "?"
        )
    return outgoing(text, keyboard([[button(s.p("rides.notice.other_rides"), "r.home")]]))


async def driver_left_coordinator(
    ctx: RenderContext, note: DriverLeftForCoordinator
) -> OutgoingMessage | None:
    """Coordinators: the ride does not go, and who was on it."""
    assert ctx.recipient.id is not None
    view = await ctx.services.rides.view_for(ctx.recipient.id, note.ride_id)
    if view is None or not view.is_coordinator:
        return None
    s = _say(ctx)
    text = s.t("privacy.notice.driver_left_coordinator", when=s.when(view.card))
    return outgoing(text + "\n\n" + s.passenger_list(view, cancelled=True))


def register_renderers(renderers: Renderers) -> None:
    """Install the renderers of what others are told after an erasure."""
    renderers.message(PartnerLeft)(partner_left)
    renderers.message(PassengerLeft)(passenger_left)
    renderers.message(DriverLeft)(driver_left)
    renderers.message(DriverLeftForCoordinator)(driver_left_coordinator)


def register(app: PatchworkApp) -> None:
    """Install the handlers of this module."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler(["mijngegevens", "mydata"], on_my_data, filters=private))
    app.add_handler(CommandHandler(["vergeetmij", "forgetme"], on_forget_me, filters=private))
