"""`/instellingen` in a street group: digest day and time, language, the Bloemetje.

Only a street contact (a chat administrator, asked of Telegram at every press) may
change them; everything is done with buttons.
"""

from __future__ import annotations

from babel.dates import get_day_names
from telegram import Update
from telegram.ext import CommandHandler

from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import (
    button,
    chat_of,
    friendly,
    is_private,
    keyboard,
    send,
    show,
    user_of,
)
from handlers.context import PatchworkApp, PatchworkContext
from handlers.menu import run_menu_item
from handlers.say import say
from models.core import LANGUAGES, Language
from models.digest.model import BadSetting, SettingsView
from models.messages import Button

ACTION = "dgs"
HOURS = range(7, 22)
MINUTES = (0, 15, 30, 45)


def day_name(language: str, weekday: int) -> str:
    """The name of a weekday in a language ("zondag")."""
    return str(get_day_names("wide", locale=language)[weekday])


def clock_text(minute_of_day: int) -> str:
    """A time of day as 17:00."""
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def _summary(context: PatchworkContext, view: SettingsView) -> str:
    lang = view.language
    settings = view.settings
    s = say(context, lang)
    return s.t(
        "digest.settings.summary",
        street=view.street_name,
        day=day_name(lang, settings.weekday),
        time=clock_text(settings.minute_of_day),
        language=s.p(f"language.{lang}"),
        bloemetje=s.p("digest.settings.on" if settings.bloemetje else "digest.settings.off"),
    )


def _main_rows(context: PatchworkContext, view: SettingsView) -> list[list[Button]]:
    lang = view.language
    other: Language = "en" if lang == "nl" else "nl"
    bloemetje_key = (
        "digest.settings.bloemetje_off"
        if view.settings.bloemetje
        else "digest.settings.bloemetje_on"
    )
    return [
        [
            button(say(context, lang).p("digest.settings.day"), ACTION, "days"),
            button(say(context, lang).p("digest.settings.time"), ACTION, "hours"),
        ],
        [button(say(context, other).p(f"language.{other}"), ACTION, "lang", other)],
        [
            button(
                say(context, lang).p(bloemetje_key),
                ACTION,
                "bl",
                0 if view.settings.bloemetje else 1,
            )
        ],
        [button(say(context, lang).p("digest.settings.preview"), "dgp", view.street_id)],
        [button(say(context, lang).p("digest.settings.done"), ACTION, "done")],
    ]


async def _show_main(update: Update, context: PatchworkContext, view: SettingsView) -> None:
    await show(update, _summary(context, view), keyboard(_main_rows(context, view)))


@friendly
async def on_settings_command(update: Update, context: PatchworkContext) -> None:
    """/instellingen: in a group the street's settings; in private the resident's own."""
    if is_private(update):
        await run_menu_item(update, context, "settings")
        return
    view = await context.services.digest.settings_view(chat_of(update), user_of(update))
    await send(update, _summary(context, view), keyboard(_main_rows(context, view)))


def _number(value: str, allowed: range | tuple[int, ...]) -> int:
    if not value.isdigit() or int(value) not in allowed:
        raise BadSetting()
    return int(value)


@on_press(ACTION)
@friendly
async def on_settings_button(update: Update, context: PatchworkContext) -> None:
    """A settings button: pick a day, an hour, minutes, a language, the Bloemetje."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    choice = callback.arg(0)
    digest = context.services.digest
    chat, user = chat_of(update), user_of(update)
    if choice == "days":
        view = await digest.settings_view(chat, user)
        lang = view.language
        days = [button(day_name(lang, d), ACTION, "day", d) for d in range(7)]
        rows = [
            days[0:4],
            days[4:7],
            [button(say(context, lang).p("digest.settings.back"), ACTION, "menu")],
        ]
        await show(update, say(context, lang).t("digest.settings.ask_day"), keyboard(rows))
    elif choice == "hours":
        view = await digest.settings_view(chat, user)
        lang = view.language
        hours = [button(f"{h:02d}:00", ACTION, "hour", h) for h in HOURS]
        rows = [hours[i : i + 5] for i in range(0, len(hours), 5)]
        rows.append([button(say(context, lang).p("digest.settings.back"), ACTION, "menu")])
        await show(update, say(context, lang).t("digest.settings.ask_hour"), keyboard(rows))
    elif choice == "hour":
        hour = _number(callback.arg(1), HOURS)
        view = await digest.settings_view(chat, user)
        lang = view.language
        rows = [[button(f"{hour:02d}:{m:02d}", ACTION, "at", hour, m) for m in MINUTES]]
        rows.append([button(say(context, lang).p("digest.settings.back"), ACTION, "hours")])
        await show(update, say(context, lang).t("digest.settings.ask_minute"), keyboard(rows))
    elif choice == "at":
        hour, minute = _number(callback.arg(1), HOURS), _number(callback.arg(2), MINUTES)
        view = await digest.update_settings(chat, user, minute_of_day=hour * 60 + minute)
        await _show_main(update, context, view)
    elif choice == "day":
        view = await digest.update_settings(chat, user, weekday=_number(callback.arg(1), range(7)))
        await _show_main(update, context, view)
    elif choice == "lang":
        language = next((lang for lang in LANGUAGES if lang == callback.arg(1)), None)
        if language is None:
            raise BadSetting()
        view = await digest.update_settings(chat, user, language=language)
        await _show_main(update, context, view)
    elif choice == "bl":
        on = _number(callback.arg(1), (0, 1)) == 1
        view = await digest.update_settings(chat, user, bloemetje=on)
        await _show_main(update, context, view)
    elif choice == "menu":
        await _show_main(update, context, await digest.settings_view(chat, user))
    elif choice == "done":
        view = await digest.settings_view(chat, user)
        await show(update, _summary(context, view))
    else:
        raise BadSetting()


def register(app: PatchworkApp) -> None:
    """Install the settings handlers."""
    app.add_handler(CommandHandler(["instellingen", "settings"], on_settings_command))
