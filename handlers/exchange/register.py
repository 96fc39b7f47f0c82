"""The "wie kan wat" register: adding what I can offer, keeping it right, searching."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, friendly, keyboard, send, show, who
from handlers.context import PatchworkContext
from handlers.escalation.screen import resumer, screen
from handlers.exchange import ask
from handlers.exchange.common import (
    availability_text,
    category_rows,
    category_title,
    exchange,
    flow_press,
    snippet,
)
from handlers.menu import menu_action
from handlers.say import HasServices, say
from models.core import Language
from models.errors import StaleAction
from models.exchange.model import ENTRY_TEXT_MAX, Availability, RegisterEntry, RequestKind
from models.exchange.register import SearchHit
from models.messages import Button
from models.text import SHORT_TEXT_MAX, clean_text

FLOW = "exchange.entry"
EDIT_FLOW = "exchange.entry_edit"
OFFER_FLOW = "exchange.offer"
SEARCH_FLOW = "exchange.who"
# Small things anyone can give: (category, text key); shown as quick picks.
EXAMPLES = [
    ("company", "exchange.examples.chat"),
    ("garden", "exchange.examples.plants"),
    ("paperwork", "exchange.examples.letter"),
    ("cooking", "exchange.examples.cooking"),
]


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
    me = await who(update, context)
    await context.services.residents.require_member(me.user)
    data: dict[str, Any] = {"step": "text"}
    if text:
        await _take_text(update, context, me.language, data, text)
        return
    await dialogs.expect(update, context, FLOW, **data)
    s = say(context, me.language)
    rows = [[button(s.p(key), "xe", "ex", i)] for i, (_, key) in enumerate(EXAMPLES)]
    rows.append([button(s.p("exchange.stop"), "xe", "stop")])
    await send(update, s.t("exchange.entry.intro"), keyboard(rows))


@dialogs.text_step(FLOW)
async def on_entry_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """The typed description of what someone offers."""
    message = update.effective_message
    assert message is not None
    me = await who(update, context)
    data = dict(dialog.data)
    if data.get("step") != "text":
        await send(update, say(context, me.language).t("exchange.ask.use_buttons"))
        return
    await _take_text(update, context, me.language, data, message.text or "")


async def _take_text(
    update: Update, context: PatchworkContext, language: Language, data: dict[str, Any], raw: str
) -> None:
    text = clean_text(raw, max_length=ENTRY_TEXT_MAX, multiline=False)
    data["text"] = text
    if not await screen(update, context, text, resume=FLOW, data=data, contacts="text"):
        return  # heavy (never saved) or doubtful (asked first)
    proposals = exchange(context).register.propose(text)
    data["step"] = "category"
    await dialogs.expect(update, context, FLOW, **data)
    s = say(context, language)
    if proposals:
        rows = [[button(c.title(language), "xe", "cat", c.id)] for c in proposals]
        rows.append([button(s.p("exchange.ask.other_category"), "xe", "other")])
        await show(update, s.t("exchange.entry.propose"), keyboard(rows))
        return
    await show(
        update,
        s.t("exchange.ask.which_category"),
        keyboard(category_rows(context, language, "xe", "cat")),
    )


@resumer(FLOW)
async def _resume_entry(update: Update, context: PatchworkContext, data: dict[str, Any]) -> None:
    """ "Voor de buren": go on with the entry where it was."""
    me = await who(update, context)
    await _take_text(update, context, me.language, data, str(data["text"]))


async def _ask_availability(
    update: Update, context: PatchworkContext, language: Language, data: dict[str, Any]
) -> None:
    data["step"] = "availability"
    await dialogs.expect(update, context, FLOW, **data)
    rows = [
        [button(availability_text(context, language, a), "xe", "av", a.value)]
        for a in Availability
    ]
    await show(update, say(context, language).t("exchange.entry.when"), keyboard(rows))


@on_press("xe")
@friendly
async def on_entry_button(update: Update, context: PatchworkContext) -> None:
    """Buttons of the add-an-entry flow."""
    pressed = await flow_press(update, context, FLOW)
    if pressed is None:
        return
    callback, data, me = pressed
    language = me.language
    choice = callback.arg(0)
    s = say(context, language)
    if choice == "ex" and data.get("step") == "text":
        index = callback.int_arg(1)
        if index >= len(EXAMPLES):
            raise StaleAction()
        category, key = EXAMPLES[index]
        data.update(text=s.p(key), category=category)
        await _ask_availability(update, context, language, data)
    elif choice == "cat" and data.get("text"):
        data["category"] = exchange(context).taxonomy.get(callback.arg(1)).id
        await _ask_availability(update, context, language, data)
    elif choice == "other" and data.get("text"):
        await show(
            update,
            s.t("exchange.ask.which_category"),
            keyboard(category_rows(context, language, "xe", "cat")),
        )
    elif choice == "av" and data.get("category"):
        data["availability"] = Availability(callback.arg(1)).value
        data["step"] = "card"
        await dialogs.expect(update, context, FLOW, **data)
        rows = [
            [button(s.p("exchange.entry.card_yes"), "xe", "card", 1)],
            [button(s.p("exchange.entry.card_no"), "xe", "card", 0)],
        ]
        await show(update, s.t("exchange.entry.card_question"), keyboard(rows))
    elif choice == "card" and data.get("step") == "card":
        entry = await exchange(context).register.add(
            me.user,
            category=str(data["category"]),
            text=str(data["text"]),
            availability=Availability(str(data["availability"])),
            on_card=callback.arg(1) == "1",
            checked=bool(data.get("checked")),
        )
        await dialogs.finish(update, context)
        rows = [
            [button(s.p("exchange.entry.add_more"), "xo", "reg")],
            [button(s.p("menu.back"), "m", "menu")],
        ]
        await show(
            update,
            s.t(
                "exchange.entry.saved",
                text=entry.text,
                when=availability_text(context, language, entry.availability),
            ),
            keyboard(rows),
        )
    else:
        raise StaleAction()


# Managing own entries -----------------------------------------------------------------


def entry_rows(
    context: HasServices, language: Language, entry: RegisterEntry
) -> list[list[Button]]:
    """What the owner can do with an entry."""
    pause = "exchange.manage.resume" if entry.paused else "exchange.manage.pause"
    card = "exchange.manage.card_off" if entry.on_card else "exchange.manage.card_on"
    s = say(context, language)
    return [
        [button(s.p(pause), "xm", "pause", entry.id)],
        [
            button(s.p("exchange.manage.text"), "xm", "text", entry.id),
            button(s.p("exchange.manage.when"), "xm", "when", entry.id),
        ],
        [button(s.p(card), "xm", "card", entry.id)],
        [button(s.p("exchange.manage.remove"), "xm", "del", entry.id)],
        [button(s.p("menu.back"), "m", "mine")],
    ]


def entry_text(context: HasServices, language: Language, entry: RegisterEntry) -> str:
    """An own entry, in full."""
    s = say(context, language)
    return s.t(
        "exchange.manage.title",
        category=category_title(context, language, entry.category),
        text=entry.text,
        when=availability_text(context, language, entry.availability),
        card=s.p("exchange.yes" if entry.on_card else "exchange.no"),
        state=s.p(
            "exchange.manage.paused" if entry.paused else "exchange.manage.active",
        ),
    )


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
        await dialogs.expect(update, context, EDIT_FLOW, entry_id=entry_id)
        await send(update, s.t("exchange.manage.type_text", text=entry.text))
        return
    elif action == "when":
        rows = [
            [button(availability_text(context, language, a), "xm", "av", entry_id, a.value)]
            for a in Availability
        ]
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
        update,
        entry_text(context, language, entry),
        keyboard(entry_rows(context, language, entry)),
    )


@dialogs.text_step(EDIT_FLOW)
async def on_edit_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """A new text for an own entry."""
    message = update.effective_message
    assert message is not None
    entry_id = int(dialog.data["entry_id"])
    text = clean_text(message.text, max_length=ENTRY_TEXT_MAX, multiline=False)
    await _save_edit(update, context, {"entry_id": entry_id, "text": text})


@resumer(EDIT_FLOW)
async def _save_edit(update: Update, context: PatchworkContext, data: dict[str, Any]) -> None:
    """Screen the new text (neighbours read it), then save it."""
    text = str(data["text"])
    if not await screen(update, context, text, resume=EDIT_FLOW, data=data, contacts="text"):
        return
    me = await who(update, context)
    entry = await exchange(context).register.update(
        me.user, int(data["entry_id"]), text=text, checked=bool(data.get("checked"))
    )
    await dialogs.finish(update, context)
    await send(
        update,
        entry_text(context, me.language, entry),
        keyboard(entry_rows(context, me.language, entry)),
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
            await dialogs.expect(update, context, ask.FLOW, step="prefill", prefill=query)
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
