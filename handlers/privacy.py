"""/mijngegevens and /vergeetmij: a person's data, and being forgotten."""

from __future__ import annotations

import json

from telegram import InlineKeyboardButton, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from handlers import dialogs
from handlers.callbacks import decode, pattern
from handlers.common import (
    button,
    friendly,
    keyboard,
    send,
    show,
    split_message,
    t,
    tp,
    user_of,
    who,
)
from handlers.context import PatchworkApp, PatchworkContext
from handlers.menu import settings_item
from models.core import Language
from models.errors import StaleAction
from models.privacy import PersonalData
from models.residents import Profile


def _readable(context: PatchworkContext, language: str, data: PersonalData) -> str:
    me = data.resident
    lines = [
        t(context, language, "privacy.export_title"),
        t(context, language, "privacy.export_name", name=me["display_name"]),
        t(
            context,
            language,
            "privacy.export_language",
            language=tp(context, language, f"language.{me['language']}"),
        ),
        t(context, language, "privacy.export_house", house=me.get("house_number") or "-"),
        t(context, language, "privacy.export_phone", phone=me.get("phone") or "-"),
    ]
    for name, records in data.sections.items():
        lines.append("")
        section = tp(context, language, f"privacy.section.{name}")
        lines.append(
            t(context, language, "privacy.export_section", section=section, count=len(records))
        )
        for record in records:
            values = [str(v) for v in record.values() if v not in (None, "", [], {})]
            lines.append(
                "• " + t(context, language, "privacy.export_item", item=" · ".join(values))
            )
    return "\n".join(lines)


@friendly
async def on_my_data(update: Update, context: PatchworkContext) -> None:
    """Send everything stored about the person, as text and as a JSON file."""
    me = await who(update, context)
    if me.resident is None:
        await send(update, t(context, me.language, "privacy.nothing_stored"))
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
            caption=tp(context, me.language, "privacy.export_file"),
        )


@friendly
async def on_forget_me(update: Update, context: PatchworkContext) -> None:
    """Ask for confirmation before erasing."""
    me = await who(update, context)
    if me.resident is None:
        await send(update, t(context, me.language, "privacy.nothing_stored"))
        return
    rows = [
        [button(tp(context, me.language, "privacy.forget_yes"), "forget", "yes")],
        [button(tp(context, me.language, "privacy.forget_no"), "forget", "no")],
    ]
    await send(update, t(context, me.language, "privacy.forget_confirm"), keyboard(rows))


@friendly
async def on_forget_button(update: Update, context: PatchworkContext) -> None:
    """Erase, or keep everything."""
    assert update.callback_query is not None
    choice = decode(update.callback_query.data).arg(0)
    me = await who(update, context)
    if choice == "no":
        await show(update, t(context, me.language, "privacy.forget_cancelled"))
        return
    if choice != "yes" or me.resident is None:
        raise StaleAction()
    language: Language = me.language
    await dialogs.finish(update, context)
    await context.services.privacy.forget(user_of(update))
    await show(update, t(context, language, "privacy.forgotten"))


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
) -> list[list[InlineKeyboardButton]]:
    """ "Mijn gegevens" and "Wis mij" in the settings."""
    return [
        [button(tp(context, language, "privacy.button_export"), "priv", "export")],
        [button(tp(context, language, "privacy.button_forget"), "priv", "forget")],
    ]


def register(app: PatchworkApp) -> None:
    """Install the handlers of this module."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler(["mijngegevens", "mydata"], on_my_data, filters=private))
    app.add_handler(CommandHandler(["vergeetmij", "forgetme"], on_forget_me, filters=private))
    app.add_handler(CallbackQueryHandler(on_forget_button, pattern=pattern("forget")))
    app.add_handler(CallbackQueryHandler(on_privacy_button, pattern=pattern("priv")))
