"""The private main menu, "Mijn overzicht" and "Instellingen".

Capabilities plug in here: `menu_action("ask")` replaces the "coming soon" placeholder
of a menu button; `overview_section` and `settings_item` add blocks and buttons.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import (
    Handler,
    answer,
    button,
    explain,
    friendly,
    keyboard,
    send,
    show,
    who,
)
from handlers.context import PatchworkApp, PatchworkContext
from handlers.say import say
from models.core import LANGUAGES, Language
from models.errors import DomainError, StaleAction
from models.messages import Button, Menu
from models.residents import Profile
from models.text import words_key

MENU_ROWS: list[list[str]] = [["ask", "offer"], ["who", "rides"], ["mine", "settings"]]
_MEMBERS_ONLY = {"ask", "offer", "who", "rides", "mine"}
REPLY_KEYBOARD_GROUP = -10


@dataclass
class Section:
    """A block in "Mijn overzicht": HTML text and its buttons."""

    text: str
    rows: list[list[Button]] = field(default_factory=list)


OverviewSection = Callable[[PatchworkContext, Profile, Language], Awaitable[Section | None]]
SettingsItem = Callable[[PatchworkContext, Profile, Language], Awaitable[list[list[Button]]]]

_actions: dict[str, Handler] = {}
overview_sections: list[OverviewSection] = []
settings_items: list[SettingsItem] = []


def menu_action(name: str) -> Callable[[Handler], Handler]:
    """Decorator: what the menu button `name` does (replaces the placeholder)."""

    def decorate(fn: Handler) -> Handler:
        _actions[name] = fn
        return fn

    return decorate


def overview_section(fn: OverviewSection) -> OverviewSection:
    """Decorator: add a block to "Mijn overzicht"."""
    overview_sections.append(fn)
    return fn


def settings_item(fn: SettingsItem) -> SettingsItem:
    """Decorator: add buttons to "Instellingen"."""
    settings_items.append(fn)
    return fn


def menu_names() -> list[str]:
    """Every menu item, in display order."""
    return [name for row in MENU_ROWS for name in row]


def main_menu(context: PatchworkContext, language: str) -> list[list[Button]]:
    """The main menu as inline keyboard rows."""
    return [
        [button(say(context, language).p(f"menu.{n}"), "m", n) for n in row] for row in MENU_ROWS
    ]


def reply_keyboard(context: PatchworkContext, language: str) -> Menu:
    """The same menu as a keyboard that stays under the text box."""
    s = say(context, language)
    return Menu(rows=tuple(tuple(s.p(f"menu.{n}") for n in row) for row in MENU_ROWS))


async def show_menu(
    update: Update, context: PatchworkContext, language: str, intro_key: str = "menu.intro"
) -> None:
    """Send the main menu with a short line above it, and refresh the reply keyboard."""
    s = say(context, language)
    await send(update, s.t("menu.keyboard_hint"), reply_keyboard(context, language))
    await send(update, s.t(intro_key), keyboard(main_menu(context, language)))


async def run_menu_item(update: Update, context: PatchworkContext, name: str) -> None:
    """Run one menu item for the person, after the membership check it needs."""
    await dialogs.finish(update, context)
    me = await who(update, context)
    if name in _MEMBERS_ONLY:
        await context.services.residents.require_member(me.user)
    action = _actions.get(name)
    if action is None:
        await send(update, say(context, me.language).t("menu.coming_soon"))
        return
    await action(update, context)


@on_press("m")
@friendly
async def on_menu_button(update: Update, context: PatchworkContext) -> None:
    """A tap on an inline menu button."""
    assert update.callback_query is not None
    name = decode(update.callback_query.data).arg(0)
    if name not in menu_names() and name not in _actions:
        raise StaleAction()
    await answer(update)
    try:
        await run_menu_item(update, context, name)
    except DomainError as error:
        # The press is answered already (so the spinner stops at once): say it in the chat.
        await explain(update, context, error, in_chat=True)


async def on_reply_keyboard(update: Update, context: PatchworkContext) -> None:
    """A tap on the reply keyboard, or its words typed by hand ("boodschappenritten")."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    labels = {
        words_key(say(context, lang).p(f"menu.{name}")): name
        for lang in LANGUAGES
        for name in menu_names()
    }
    name = labels.get(words_key(message.text))
    if name is None:
        return
    await friendly(lambda u, c: run_menu_item(u, c, name))(update, context)
    raise ApplicationHandlerStop


@friendly
async def on_menu_command(update: Update, context: PatchworkContext) -> None:
    """/menu shows the menu."""
    me = await who(update, context)
    await dialogs.finish(update, context)
    await show_menu(update, context, me.language)


@menu_action("mine")
async def overview(update: Update, context: PatchworkContext) -> None:
    """ "Mijn overzicht": who I am here, then every capability's block."""
    me = await who(update, context)
    profile = await context.services.residents.require_member(me.user)
    hood = await context.services.streets.neighbourhood(profile.streets[-1].neighbourhood_id)
    parts = [
        say(context, me.language).t(
            "overview.me",
            name=profile.resident.display_name,
            streets=", ".join(s.name for s in profile.streets),
            neighbourhood=hood.name,
        )
    ]
    rows: list[list[Button]] = []
    for section_fn in overview_sections:
        section = await section_fn(context, profile, me.language)
        if section is not None:
            parts.append(section.text)
            rows.extend(section.rows)
    rows.append([button(say(context, me.language).p("menu.back"), "m", "menu")])
    await send(update, "\n\n".join(parts), keyboard(rows))


@menu_action("settings")
async def settings(update: Update, context: PatchworkContext) -> None:
    """ "Instellingen": language, name, house number, and every capability's items."""
    me = await who(update, context)
    s = say(context, me.language)
    rows = [[button(s.p("settings.language"), "set", "lang")]]
    profile = await context.services.residents.profile(me.user)
    if profile is not None:
        rows.append([button(s.p("settings.name"), "set", "name")])
        rows.append([button(s.p("settings.house"), "set", "house")])
        for item in settings_items:
            rows.extend(await item(context, profile, me.language))
    await send(update, s.t("settings.title"), keyboard(rows))


@menu_action("menu")
async def back_to_menu(update: Update, context: PatchworkContext) -> None:
    """The "back to menu" button."""
    me = await who(update, context)
    await show(
        update,
        say(context, me.language).t("menu.intro"),
        keyboard(main_menu(context, me.language)),
    )


def register(app: PatchworkApp) -> None:
    """Install the menu handlers."""
    app.add_handler(CommandHandler("menu", on_menu_command))
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE
            & filters.TEXT
            & ~filters.COMMAND
            & filters.UpdateType.MESSAGE,
            on_reply_keyboard,
        ),
        group=REPLY_KEYBOARD_GROUP,
    )
