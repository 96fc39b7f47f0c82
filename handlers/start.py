"""/start, joining a street through the "Doe mee" link, language, help and privacy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, friendly, keyboard, send, show, user_of, who
from handlers.context import PatchworkApp, PatchworkContext
from handlers.menu import main_menu, menu_action, reply_keyboard, show_menu
from handlers.say import say
from models.core import LANGUAGES, Language
from models.errors import StaleAction, UnknownJoinCode
from models.streets import join_code_from_payload

JOIN_FLOW = "join"
DeepLink = Callable[[Update, PatchworkContext, str], Awaitable[None]]
_deep_links: dict[str, DeepLink] = {}


def deep_link(prefix: str) -> Callable[[DeepLink], DeepLink]:
    """Decorator: handle /start payloads that begin with prefix (join links are built in)."""

    def decorate(fn: DeepLink) -> DeepLink:
        _deep_links[prefix] = fn
        return fn

    return decorate


OtherHome = Callable[[Update, PatchworkContext], Awaitable[bool]]
_other_homes: list[OtherHome] = []


def other_home(fn: OtherHome) -> OtherHome:
    """Decorator: what plain /start shows someone who is not a resident of a street (a
    community worker's home); returns False when it is not for them."""
    _other_homes.append(fn)
    return fn


def _language(value: str) -> Language:
    for language in LANGUAGES:
        if value == language:
            return language
    raise StaleAction()


@friendly
async def on_start(update: Update, context: PatchworkContext) -> None:
    """/start with a join code joins; plain /start explains or shows the menu."""
    await dialogs.finish(update, context)
    payload = context.args[0] if context.args else ""
    code = join_code_from_payload(payload) if payload else None
    if code is not None:
        await begin_join(update, context, code)
        return
    for prefix, handler in _deep_links.items():
        if payload.startswith(prefix):
            await handler(update, context, payload.removeprefix(prefix))
            return
    me = await who(update, context)
    if payload:
        raise UnknownJoinCode()
    profile = await context.services.residents.profile(me.user)
    if profile is None or profile.home_street is None:
        for home in _other_homes:
            if await home(update, context):
                return
        await send(update, say(context, me.language).t("start.not_member"))
        return
    await show_menu(update, context, me.language, "start.welcome_back")


async def begin_join(update: Update, context: PatchworkContext, code: str) -> None:
    """Step 1: which street, and what name neighbours will see."""
    user = user_of(update)
    preview = await context.services.residents.preview_join(user, code)
    language = preview.language
    if preview.already_member:
        await show_menu(update, context, language, "start.already_member")
        return
    await dialogs.expect(update, context, JOIN_FLOW, code=code, step="name")
    s = say(context, language)
    intro = s.t(
        "join.intro",
        street=preview.street.name,
        neighbourhood=preview.neighbourhood.name,
    )
    if preview.suggested_name:
        rows = [
            [button(s.p("join.use_name", name=preview.suggested_name), "jn", "ok")],
            [button(s.p("join.other_name"), "jn", "other")],
        ]
        await send(update, intro + "\n\n" + s.t("join.ask_name"), keyboard(rows))
    else:
        await send(update, intro + "\n\n" + s.t("join.type_name"))


async def _ask_language(
    update: Update, context: PatchworkContext, code: str, name: str, language: str
) -> None:
    await dialogs.expect(update, context, JOIN_FLOW, code=code, step="language", name=name)
    s = say(context, language)
    rows = [[button(s.p(f"language.{lang}"), "jn", "lang", lang) for lang in LANGUAGES]]
    await show(update, s.t("join.ask_language", name=name), keyboard(rows))


@on_press("jn")
@friendly
async def on_join_button(update: Update, context: PatchworkContext) -> None:
    """Buttons of the join steps: use my name, another name, a language."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    data = await dialogs.answers(update, context, JOIN_FLOW)
    me = await who(update, context)
    code = str(data["code"])
    choice = callback.arg(0)
    if choice == "ok" and data.get("step") == "name":
        preview = await context.services.residents.preview_join(me.user, code)
        await _ask_language(update, context, code, preview.suggested_name, me.language)
    elif choice == "other" and data.get("step") == "name":
        await show(update, say(context, me.language).t("join.type_name"))
    elif choice == "lang" and data.get("step") == "language":
        await _complete(update, context, code, str(data["name"]), _language(callback.arg(1)))
    else:
        raise StaleAction()


@dialogs.text_step(JOIN_FLOW)
async def on_join_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """Typed text during joining: a name at the name step, else a nudge to the buttons."""
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    me = await who(update, context)
    code = str(dialog.data["code"])
    if dialog.data.get("step") == "name":
        from models.text import clean_name  # noqa: PLC0415 - keep the import next to its one use

        await _ask_language(update, context, code, clean_name(message.text), me.language)
        return
    s = say(context, me.language)
    rows = [[button(s.p(f"language.{lang}"), "jn", "lang", lang) for lang in LANGUAGES]]
    await send(update, s.t("join.tap_language"), keyboard(rows))


async def _complete(
    update: Update, context: PatchworkContext, code: str, name: str, language: Language
) -> None:
    result = await context.services.residents.join(user_of(update), code, name, language)
    await dialogs.finish(update, context)
    s = say(context, language)
    await show(
        update,
        s.t(
            "join.done",
            name=result.resident.display_name,
            street=result.street.name,
        ),
    )
    for hook in after_join:
        await hook(update, context, language)
    await send(update, s.t("join.explain"), reply_keyboard(context, language))
    await send(update, s.t("menu.intro"), keyboard(main_menu(context, language)))


AfterJoin = Callable[[Update, PatchworkContext, Language], Awaitable[None]]
after_join: list[AfterJoin] = []


@friendly
async def on_help(update: Update, context: PatchworkContext) -> None:
    """/help and /hulp: what the bot does and how to use it."""
    me = await who(update, context)
    await send(
        update, say(context, me.language).t("help.text"), keyboard(main_menu(context, me.language))
    )


@friendly
async def on_privacy(update: Update, context: PatchworkContext) -> None:
    """/privacy: what is stored and why, in plain words."""
    me = await who(update, context)
    days = context.services.settings
    text = say(context, me.language).t(
        "privacy.text",
        request_days=days.request_text_retention_days,
        case_days=days.case_text_retention_days,
    )
    await send(update, text)


async def _language_buttons(update: Update, context: PatchworkContext) -> None:
    me = await who(update, context)
    rows = [[button(say(context, lang).p(f"language.{lang}"), "lang", lang) for lang in LANGUAGES]]
    await send(update, say(context, me.language).t("language.choose"), keyboard(rows))


@friendly
async def on_language_command(update: Update, context: PatchworkContext) -> None:
    """/taal and /language: choose a language with buttons."""
    await _language_buttons(update, context)


@on_press("lang")
@friendly
async def on_language_button(update: Update, context: PatchworkContext) -> None:
    """A language was chosen."""
    assert update.callback_query is not None
    language = _language(decode(update.callback_query.data).arg(0))
    resident = await context.services.residents.set_language(user_of(update), language)
    s = say(context, language)
    await show(update, s.t("language.set"))
    if resident is not None:
        await send(update, s.t("menu.keyboard_hint"), reply_keyboard(context, language))


@on_press("set")
@friendly
async def on_settings_button(update: Update, context: PatchworkContext) -> None:
    """Buttons under "Instellingen": language, name, house number."""
    assert update.callback_query is not None
    choice = decode(update.callback_query.data).arg(0)
    me = await who(update, context)
    s = say(context, me.language)
    if choice == "lang":
        await _language_buttons(update, context)
    elif choice == "name":
        await dialogs.expect(update, context, "settings.name")
        await send(update, s.t("settings.ask_name"))
    elif choice == "house":
        await dialogs.expect(update, context, "settings.house")
        current = me.resident.house_number if me.resident else None
        rows = [[button(s.p("settings.house_clear"), "set", "house_clear")]] if current else []
        await send(
            update,
            s.t("settings.ask_house", current=current or "-"),
            keyboard(rows),
        )
    elif choice == "house_clear":
        await dialogs.finish(update, context)
        await context.services.residents.set_house_number(me.user, None)
        await show(update, s.t("settings.house_cleared"))
    else:
        raise StaleAction()


@dialogs.text_step("settings.name")
async def on_name_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """A new display name was typed."""
    text = update.effective_message.text if update.effective_message else ""
    resident = await context.services.residents.rename(user_of(update), text or "")
    await dialogs.finish(update, context)
    await send(
        update, say(context, resident.language).t("settings.name_set", name=resident.display_name)
    )


@dialogs.text_step("settings.house")
async def on_house_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """A house number was typed."""
    text = update.effective_message.text if update.effective_message else ""
    resident = await context.services.residents.set_house_number(user_of(update), text or "")
    await dialogs.finish(update, context)
    house = resident.house_number or ""
    await send(update, say(context, resident.language).t("settings.house_set", house=house))


def register(app: PatchworkApp) -> None:
    """Install the handlers of this module."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", on_start, filters=private))
    app.add_handler(CommandHandler(["help", "hulp"], on_help))
    app.add_handler(CommandHandler("privacy", on_privacy))
    app.add_handler(CommandHandler(["taal", "language"], on_language_command, filters=private))


__all__ = ["after_join", "deep_link", "menu_action", "register"]
