"""`/kaart`: the printable street card as PDF documents (A4 and A6) in the same chat."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import CommandHandler

from bot.printing.street_card import CardTexts, render_card
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import (
    button,
    chat_of,
    file_slug,
    friendly,
    is_private,
    keyboard,
    send,
    user_of,
    who,
)
from handlers.context import PatchworkApp, PatchworkContext
from handlers.say import say
from models.digest.card import StreetCard

ACTION = "crd"


def card_texts(context: PatchworkContext, card: StreetCard) -> CardTexts:
    """The card's words in the street's language."""
    lang = card.language
    contact = card.ride_contact
    s = say(context, lang)
    return CardTexts(
        heading=s.p("card.heading", street=card.street_name),
        intro=s.p("card.intro"),
        empty=s.p("card.empty"),
        more=s.p("card.more", count=card.more),
        rides=s.p("card.rides", name=contact.name, phone=contact.phone) if contact else None,
        join_title=s.p("card.join_title"),
        join_help=s.p("card.join_help"),
        footer=s.p("card.footer", neighbourhood=card.neighbourhood),
    )


async def _send_card(update: Update, context: PatchworkContext, card: StreetCard) -> None:
    chat = update.effective_chat
    assert chat is not None
    link = f"https://t.me/{context.services.bot_username}?start={card.join_payload}"
    texts = card_texts(context, card)
    await chat.send_chat_action(ChatAction.UPLOAD_DOCUMENT)
    me = await who(update, context)
    slug = file_slug(card.street_name, "straat")
    for size in ("A4", "A6"):
        data = await asyncio.to_thread(render_card, card, texts, link, size)
        await chat.send_document(
            document=data,
            filename=f"straatkaart-{slug}-{size.lower()}.pdf",
            caption=say(context, me.language).t(
                f"card.caption_{size.lower()}", street=card.street_name
            ),
            parse_mode=ParseMode.HTML,
        )


@friendly
async def on_card_command(update: Update, context: PatchworkContext) -> None:
    """/kaart: in a group for its street; in private a choice of the streets one may print."""
    cards = context.services.cards
    if not is_private(update):
        await _send_card(
            update, context, await cards.card_in_group(chat_of(update), user_of(update))
        )
        return
    choices = await cards.streets_for(user_of(update))
    if len(choices) == 1:
        await _send_card(
            update, context, await cards.card_for_street(user_of(update), choices[0].street_id)
        )
        return
    me = await who(update, context)
    rows = [[button(c.name, ACTION, c.street_id)] for c in choices]
    await send(update, say(context, me.language).t("card.choose"), keyboard(rows))


@on_press(ACTION)
@friendly
async def on_card_button(update: Update, context: PatchworkContext) -> None:
    """A street chosen for its card (permission checked again)."""
    assert update.callback_query is not None
    street_id = decode(update.callback_query.data).int_arg(0)
    card = await context.services.cards.card_for_street(user_of(update), street_id)
    await _send_card(update, context, card)


def register(app: PatchworkApp) -> None:
    """Install the street-card handlers."""
    app.add_handler(CommandHandler(["kaart", "card"], on_card_command))
