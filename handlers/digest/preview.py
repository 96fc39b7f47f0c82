"""`/digest`: a preview of the next digest; and the private copy in "Instellingen".

In the group a street contact asks; the preview goes to their private chat, so the
group never sees it (if they never opened a chat with the bot, a button opens one).
In a private chat any resident sees the preview of their street.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import CommandHandler

from bot.telegram.render import inline_keyboard
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
    who,
)
from handlers.context import PatchworkApp, PatchworkContext
from handlers.digest.render import render_digest, when_text
from handlers.menu import settings_item
from handlers.say import say
from handlers.start import deep_link
from models.digest.model import Preview
from models.messages import Button, Keyboard, link
from models.residents import Profile

PREVIEW_LINK = "dg"


async def _preview_message(
    context: PatchworkContext, language: str, preview: Preview, *, for_contact: bool = False
) -> tuple[str, Keyboard | None]:
    """The preview; a street contact's has "Nu naar de groep sturen" under it."""
    services = context.services
    when = when_text(preview.due_at, language, services.settings.tz)
    s = say(context, language)
    if preview.digest is None:
        text = s.t("digest.preview.empty", street=preview.street_name, when=when)
        return text, None
    street = await services.streets.get(preview.street_id)
    intro = s.t("digest.preview.intro", when=when)
    outgoing = render_digest(services, language, preview.digest, street, intro=intro)
    rows = [list(row) for row in outgoing.keyboard.rows] if outgoing.keyboard else []
    if for_contact:
        rows.append([button(s.p("digest.send_now.button"), "dgn", preview.street_id)])
    return outgoing.text, keyboard(rows)


async def _group_preview(update: Update, context: PatchworkContext) -> None:
    user = user_of(update)
    preview = await context.services.digest.preview_in_group(chat_of(update), user)
    street = await context.services.streets.get(preview.street_id)
    me = await context.services.residents.find(user)
    text, markup = await _preview_message(
        context, me.language if me else street.language, preview, for_contact=True
    )
    s = say(context, street.language)
    try:
        await context.bot.send_message(
            int(user.external_id),
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(markup),
        )
    except (Forbidden, BadRequest):
        bot = context.services.bot_username
        url = f"https://t.me/{bot}?start={PREVIEW_LINK}{preview.street_id}"
        label = s.p("digest.preview.open_private")
        await send(
            update,
            s.t("digest.preview.start_private"),
            keyboard([[link(label, url)]]),
        )
        return
    await send(update, s.t("digest.preview.sent_private"))


async def _private_preview(
    update: Update, context: PatchworkContext, street_id: int | None
) -> None:
    me = await who(update, context)
    digest = context.services.digest
    if street_id is None:
        choices = await digest.reader_streets(me.user)
        if len(choices) > 1:
            rows = [[button(c.name, "dgp", c.street_id)] for c in choices]
            await send(
                update, say(context, me.language).t("digest.preview.choose"), keyboard(rows)
            )
            return
        street_id = choices[0].street_id
    preview = await digest.preview_for_resident(me.user, street_id)
    text, markup = await _preview_message(context, me.language, preview)
    await send(update, text, markup)


@friendly
async def on_digest_command(update: Update, context: PatchworkContext) -> None:
    """/digest (or /weekoverzicht): the next digest, without posting it to the group."""
    if is_private(update):
        await _private_preview(update, context, None)
    else:
        await _group_preview(update, context)


@on_press("dgp")
@friendly
async def on_preview_button(update: Update, context: PatchworkContext) -> None:
    """A street chosen for the preview (from the list, or from the group settings)."""
    assert update.callback_query is not None
    street_id = decode(update.callback_query.data).int_arg(0)
    if is_private(update):
        await _private_preview(update, context, street_id)
    else:
        await _group_preview(update, context)


@deep_link(PREVIEW_LINK)
async def preview_link(update: Update, context: PatchworkContext, payload: str) -> None:
    """The street contact opened the private chat from the group's preview button."""
    if not payload.isdigit() or len(payload) > 12:
        await _private_preview(update, context, None)
        return
    me = await who(update, context)
    preview = await context.services.digest.preview_for_contact(int(payload), me.user)
    text, markup = await _preview_message(context, me.language, preview, for_contact=True)
    await send(update, text, markup)


@on_press("dgn")
@friendly
async def on_send_now(update: Update, context: PatchworkContext) -> None:
    """The street contact sends this week's digest now (their admin rights checked again)."""
    assert update.callback_query is not None
    street_id = decode(update.callback_query.data).int_arg(0)
    me = await who(update, context)
    digest = context.services.digest
    outcome = await digest.send_now(street_id, me.user)
    street = await context.services.streets.get(street_id)
    preview = await digest.preview_for_contact(street_id, me.user)
    when = when_text(preview.due_at, me.language, context.services.settings.tz)
    await show(
        update,
        say(context, me.language).t(
            f"digest.send_now.{outcome.value}", street=street.name, when=when
        ),
    )


# The private copy ---------------------------------------------------------------------


def _private_rows(context: PatchworkContext, language: str, on: bool) -> list[list[Button]]:
    key = "digest.private.button_on" if on else "digest.private.button_off"
    return [[button(say(context, language).p(key), "dgo", 0 if on else 1)]]


@settings_item
async def private_copy_item(
    context: PatchworkContext, profile: Profile, language: str
) -> list[list[Button]]:
    """ "Weekoverzicht ook privé: aan/uit" under Instellingen, for residents of a street."""
    if profile.home_street is None:
        return []
    on = await context.services.digest.private_copy(profile.resident.id)
    return _private_rows(context, language, on)


@on_press("dgo")
@friendly
async def on_private_copy(update: Update, context: PatchworkContext) -> None:
    """Switch the private copy on or off."""
    assert update.callback_query is not None
    on = decode(update.callback_query.data).int_arg(0) == 1
    me = await who(update, context)
    state = await context.services.digest.set_private_copy(me.user, on)
    key = "digest.private.now_on" if state else "digest.private.now_off"
    await show(
        update,
        say(context, me.language).t(key),
        keyboard(_private_rows(context, me.language, state)),
    )


def register(app: PatchworkApp) -> None:
    """Install the preview and private-copy handlers."""
    app.add_handler(CommandHandler(["digest", "weekoverzicht"], on_digest_command))
