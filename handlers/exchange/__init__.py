"""The help exchange in Telegram: menu items, commands, buttons, the relay, renderers.

Callback actions (every press is re-checked in the services):
  xa  request/offer flow       xo  "Ik kan helpen" choice     xe  add-an-entry flow
  xm  manage own entry         xw  search by category          xv  "Vraag" on an entry
  xh  "Ik help" / "Interesse"  xr  own request buttons         xz  "te zwaar" on a private card
  xc  conversation buttons     xt  thank-you                   xf  feedback answers
  xi  invitation answers       xg  feedback after a ride       xk  link: "Ik kan helpen"
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.outbox import Renderers
from handlers import dialogs, start
from handlers.common import friendly, is_private, keyboard, send, who
from handlers.context import PatchworkApp, PatchworkContext

# Importing the flow modules registers their buttons (@on_press).
from handlers.exchange import after, ask, relay, renderers, requests  # noqa: F401
from handlers.exchange import digest as in_digest
from handlers.exchange import register as register_flow
from handlers.menu import run_menu_item
from handlers.say import say
from models.exchange.model import RequestKind
from models.messages import link

DEEP_LINK = "x_"
_COMMANDS = {"vragen": "ask", "aanbieden": "offer", "wiekanwat": "who"}


async def _go_private(update: Update, context: PatchworkContext, item: str) -> None:
    """In a group: these things happen in the private chat; a button opens it."""
    me = await who(update, context)
    url = f"https://t.me/{context.services.bot_username}?start={DEEP_LINK}{item}"
    s = say(context, me.language)
    markup = keyboard([[link(s.p("exchange.group.open_private"), url)]])
    await send(update, s.t("exchange.group.private_only"), markup)


@friendly
async def on_ask_command(update: Update, context: PatchworkContext) -> None:
    """/vragen [tekst]: ask for help (the text is optional)."""
    if not is_private(update):
        await _go_private(update, context, "ask")
        return
    text = " ".join(context.args or [])
    if not text:
        await run_menu_item(update, context, "ask")
        return
    await dialogs.finish(update, context)
    me = await who(update, context)
    await context.services.residents.require_member(me.user)
    await ask.start(update, context, RequestKind.ASK, text)


@friendly
async def on_offer_command(update: Update, context: PatchworkContext) -> None:
    """/aanbieden [tekst]: something for "wie kan wat", or a one-off offer for the group."""
    if not is_private(update):
        await _go_private(update, context, "offer")
        return
    text = " ".join(context.args or [])
    if not text:
        await run_menu_item(update, context, "offer")
        return
    await dialogs.finish(update, context)
    await context.services.residents.require_member((await who(update, context)).user)
    await register_flow.choose_offer(update, context, text)


@friendly
async def on_who_command(update: Update, context: PatchworkContext) -> None:
    """/wiekanwat [woorden]: search the register."""
    if not is_private(update):
        await _go_private(update, context, "who")
        return
    words = " ".join(context.args or [])
    if not words:
        await run_menu_item(update, context, "who")
        return
    await dialogs.finish(update, context)
    await register_flow.start_search(update, context, words)


@start.deep_link(DEEP_LINK)
async def on_deep_link(update: Update, context: PatchworkContext, rest: str) -> None:
    """t.me/bot?start=x_ask (from a group command) opens that menu item."""
    if rest not in _COMMANDS.values():
        rest = "menu"
    await run_menu_item(update, context, rest)


def register(app: PatchworkApp) -> None:
    """Install the exchange's handlers."""
    app.add_handler(CommandHandler("vragen", on_ask_command))
    app.add_handler(CommandHandler("aanbieden", on_offer_command))
    app.add_handler(CommandHandler("wiekanwat", on_who_command))
    in_digest.register(app)
    app.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE
            & filters.UpdateType.MESSAGE
            & ~filters.COMMAND
            & ~filters.StatusUpdate.ALL,
            relay.on_private_message,
        ),
        group=relay.RELAY_GROUP,
    )
    if after.after_join not in start.after_join:
        start.after_join.append(after.after_join)


def register_renderers(outbox: Renderers) -> None:
    """Install the exchange's outbox renderers."""
    renderers.register(outbox)
    in_digest.register_renderers(outbox)
