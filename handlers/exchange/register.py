"""The "wie kan wat" register: adding what I can offer, keeping it right, searching."""

from __future__ import annotations

from telegram import Update

from bot.storage.repos.infra import Dialog
from handlers import dialogs, flows
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, friendly, keyboard, send, show, who
from handlers.context import PatchworkContext
from handlers.exchange import ask
from handlers.exchange.common import (
    availability_text,
    category_rows,
    category_title,
    exchange,
    snippet,
)
from handlers.menu import menu_action
from handlers.say import say
from models.core import Language
from models.errors import StaleAction
from models.exchange.model import RequestKind
from models.exchange.register import SearchHit
from models.exchange.register_flow import EntryEditFlow, EntryFlow
from models.exchange.words import availability_buttons, entry_rows, entry_text
from models.messages import Button
from models.text import SHORT_TEXT_MAX, clean_text

OFFER_FLOW = "exchange.offer"
SEARCH_FLOW = "exchange.who"
# Adding an entry and changing its text are channel-neutral flows
# (models/exchange/register_flow.py).
ENTRY = flows.serve(lambda services: EntryFlow(services.exchange, services.residents), EntryFlow)
EDIT = flows.serve(lambda services: EntryEditFlow(services.exchange), EntryEditFlow)


@menu_action("offer")
async def offer_menu(update: Update, context: PatchworkContext) -> None:
    """ "Ik kan helpen": something for the register, or a one-off offer."""
    await choose_offer(update, context)


async def choose_offer(update: Update, context: PatchworkContext, text: str | None = None) -> None:
    """Register or one-off? Asked also after `/aanbieden <text>`, with the text kept.

    A one-off giveaway typed after /aanbieden ("ik geef mijn oude naaimachine weg") used to
    become a register entry, which is never posted in the group (issue 12).
    """
    me = await who(update, context)
    if text:
        await dialogs.expect(update, context, OFFER_FLOW, text=text)
    s = say(context, me.language)
    rows = [
        [button(s.p("exchange.offer.register"), "xo", "reg")],
        [button(s.p("exchange.offer.once"), "xo", "once")],
    ]
    await send(update, s.t("exchange.offer.intro"), keyboard(rows))


@on_press("xo")
@friendly
async def on_offer_choice(update: Update, context: PatchworkContext) -> None:
    """Which kind of offering (with the text typed after /aanbieden, if any)."""
    assert update.callback_query is not None
    choice = decode(update.callback_query.data).arg(0)
    me = await who(update, context)
    await context.services.residents.require_member(me.user)
    dialog = await dialogs.current(update, context)
    text = str(dialog.data["text"]) if dialog and dialog.flow == OFFER_FLOW else None
    if choice == "reg":
        await dialogs.finish(update, context)
        await start_entry(update, context, text)
    elif choice == "once":
        await dialogs.finish(update, context)
        await ask.start(update, context, RequestKind.OFFER, text)
    else:
        raise StaleAction()


async def start_entry(update: Update, context: PatchworkContext, text: str | None = None) -> None:
    """Begin adding an entry (with the text already given after /aanbieden, if any)."""
    await flows.begin(update, context, ENTRY, lambda flow, me: flow.start(me, text))


# Managing own entries -----------------------------------------------------------------


@on_press("xm")
@friendly
async def on_manage(update: Update, context: PatchworkContext) -> None:
    """The owner's buttons on an entry: show, pause/resume, text, when, card, remove, ok."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    language = me.language
    register = exchange(context).register
    action = callback.arg(0)
    entry_id = callback.int_arg(1)
    entry = await register.own(me.user, entry_id)
    s = say(context, language)
    if action == "show":
        pass
    elif action == "pause":
        entry = await register.update(me.user, entry_id, paused=not entry.paused)
    elif action == "ok":
        entry = await register.confirm(me.user, entry_id)
        await show(update, s.t("exchange.manage.confirmed", text=entry.text))
        return
    elif action == "card":
        entry = await register.update(me.user, entry_id, on_card=not entry.on_card)
    elif action == "text":
        await flows.begin(update, context, EDIT, lambda flow, me: flow.start(me, entry_id))
        return
    elif action == "when":
        rows = availability_buttons(s, "xm", "av", entry_id)
        await show(update, s.t("exchange.entry.when"), keyboard(rows))
        return
    elif action == "av":
        entry = await register.update(me.user, entry_id, availability=callback.arg(2))
    elif action == "del":
        rows = [
            [button(s.p("exchange.manage.remove_yes"), "xm", "delok", entry_id)],
            [button(s.p("exchange.no"), "xm", "show", entry_id)],
        ]
        await show(update, s.t("exchange.manage.remove_q"), keyboard(rows))
        return
    elif action == "delok":
        await register.remove(me.user, entry_id)
        await show(update, s.t("exchange.manage.removed"))
        return
    else:
        raise StaleAction()
    await show(
        update, entry_text(s, register.taxonomy, language, entry), keyboard(entry_rows(s, entry))
    )


# Searching ----------------------------------------------------------------------------


@menu_action("who")
async def who_can(update: Update, context: PatchworkContext) -> None:
    """ "Wie kan wat?": type words or tap a category."""
    await start_search(update, context)


async def start_search(
    update: Update, context: PatchworkContext, words: str | None = None
) -> None:
    """Search right away (words given), or ask what the person looks for."""
    me = await who(update, context)
    await context.services.residents.require_member(me.user)
    if words:
        await _results(update, context, me.language, query=words)
        return
    await dialogs.expect(update, context, SEARCH_FLOW)
    await send(
        update,
        say(context, me.language).t("exchange.who.intro"),
        keyboard(category_rows(context, me.language, "xw", "cat")),
    )


@dialogs.text_step(SEARCH_FLOW)
async def on_search_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """Typed search words."""
    message = update.effective_message
    assert message is not None
    me = await who(update, context)
    await dialogs.finish(update, context)
    words = clean_text(message.text, max_length=SHORT_TEXT_MAX, multiline=False)
    await _results(update, context, me.language, query=words)


@on_press("xw")
@friendly
async def on_search_button(update: Update, context: PatchworkContext) -> None:
    """A category tapped in "Wie kan wat?"."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    if callback.arg(0) != "cat":
        raise StaleAction()
    await dialogs.finish(update, context)
    await _results(update, context, me.language, category=callback.arg(1))


async def _results(
    update: Update,
    context: PatchworkContext,
    language: Language,
    *,
    query: str | None = None,
    category: str | None = None,
) -> None:
    me = await who(update, context)
    hits = await exchange(context).register.search(me.user, query=query, category=category)
    topic = query or category_title(context, language, category or "other")
    s = say(context, language)
    if not hits:
        rows: list[list[Button]] = [[button(s.p("exchange.who.ask_group"), "m", "ask")]]
        if query:
            # Offer to ask the street with the same words, without typing them again.
            await ask.offer_to_ask(update, context, query)
            rows = [[button(s.p("exchange.who.ask_group"), "xa", "prefill")]]
        await show(update, s.t("exchange.who.none", topic=topic), keyboard(rows))
        return
    lines = [s.t("exchange.who.found", topic=topic)]
    rows = []
    for number, hit in enumerate(hits, start=1):
        lines.append(_hit_line(context, language, number, hit))
        label = s.p("exchange.who.ask_button", number=number, name=hit.first_name)
        rows.append([button(label, "xv", hit.entry.id)])
    await show(update, "\n".join(lines), keyboard(rows))


def _hit_line(context: PatchworkContext, language: Language, number: int, hit: SearchHit) -> str:
    return say(context, language).t(
        "exchange.who.hit",
        number=number,
        name=hit.first_name,
        street=hit.street_name,
        emoji=exchange(context).taxonomy.get(hit.entry.category).emoji,
        text=snippet(hit.entry.text, 80),
        when=availability_text(context, language, hit.entry.availability),
    )


@on_press("xv")
@friendly
async def on_ask_entry(update: Update, context: PatchworkContext) -> None:
    """ "Vraag": start a relayed conversation with the entry's owner."""
    assert update.callback_query is not None
    entry_id = decode(update.callback_query.data).int_arg(0)
    me = await who(update, context)
    await dialogs.finish(update, context)
    await exchange(context).relay.start_for_entry(me.user, entry_id)
