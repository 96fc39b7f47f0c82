"""Asking for help and making a one-off offer: text, category, moment, name, post."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from telegram import Update

from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.buttons import on_press
from handlers.common import Who, button, friendly, keyboard, send, show, who
from handlers.context import PatchworkContext
from handlers.escalation.resident import show_offer
from handlers.escalation.screen import resumer, screen
from handlers.exchange.common import (
    card_text,
    category_rows,
    category_title,
    day_label,
    exchange,
    flow_press,
    parse_day,
    today,
)
from handlers.menu import menu_action
from handlers.say import say
from models.core import Language, Street
from models.errors import StaleAction
from models.exchange.model import Request, RequestKind, RequestStatus, When
from models.exchange.requests import Draft, Posted, RequestView
from models.exchange.taxonomy import OTHER
from models.messages import Button

FLOW = "exchange.ask"
DATE_BUTTONS = 7


def _kind(data: dict[str, Any]) -> RequestKind:
    return RequestKind(str(data.get("kind", RequestKind.ASK.value)))


@menu_action("ask")
async def ask(update: Update, context: PatchworkContext) -> None:
    """ "Ik zoek hulp": start a request."""
    await start(update, context, RequestKind.ASK)


async def start(
    update: Update, context: PatchworkContext, kind: RequestKind, text: str | None = None
) -> None:
    """Begin a request or offer (with the text already given after /vragen, if any)."""
    me = await who(update, context)
    await exchange(context).requests.may_post(me.user)
    data: dict[str, Any] = {"kind": kind.value, "step": "text"}
    if text:
        await _take_text(update, context, me.language, data, text)
        return
    await dialogs.expect(update, context, FLOW, **data)
    rows = category_rows(context, me.language, "xa", "cat")
    s = say(context, me.language)
    rows.append([button(s.p("exchange.stop"), "xa", "stop")])
    await send(update, s.t(f"exchange.ask.intro_{kind.value}"), keyboard(rows))


@dialogs.text_step(FLOW)
async def on_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """Typed text during the flow: the description, or a date."""
    message = update.effective_message
    assert message is not None
    me = await who(update, context)
    data = dict(dialog.data)
    step = data.get("step")
    s = say(context, me.language)
    if step == "text":
        await _take_text(update, context, me.language, data, message.text or "")
    elif step == "date":
        day = parse_day(message.text or "", today(context))
        if day is None:
            await send(update, s.t("exchange.ask.bad_date"))
            return
        data.update(when=When.DATE.value, date=day.isoformat())
        await _ask_name(update, context, me.language, data)
    else:
        await send(update, s.t("exchange.ask.use_buttons"))


async def _take_text(
    update: Update, context: PatchworkContext, language: Language, data: dict[str, Any], raw: str
) -> None:
    services = exchange(context)
    text = services.requests.clean(raw)
    data["text"] = text
    me = await who(update, context)
    if services.requests.assess(text, language).flagged:
        category = data.get("category") or _proposed(context, text) or OTHER
        posted = await services.requests.post(
            me.user, Draft(kind=_kind(data), category=category, text=text, show_name=False)
        )
        await dialogs.finish(update, context)
        await held_reply(update, context, language, posted)
        return
    if not await screen(update, context, text, resume=FLOW, data=data, contacts="text"):
        return  # doubtful: the resident is asked first (see _resume)
    if data.get("category"):
        await _ask_when(update, context, language, data)
        return
    proposed = _proposed(context, text)
    if proposed is None:
        await _ask_category(update, context, language, data, "exchange.ask.which_category")
        return
    data["proposed"] = proposed
    data["step"] = "category"
    await dialogs.expect(update, context, FLOW, **data)
    s = say(context, language)
    rows = [
        [button(s.p("exchange.yes"), "xa", "ok")],
        [button(s.p("exchange.ask.other_category"), "xa", "other")],
    ]
    await show(
        update,
        s.t(
            "exchange.ask.propose",
            category=category_title(context, language, proposed),
        ),
        keyboard(rows),
    )


@resumer(FLOW)
async def _resume(update: Update, context: PatchworkContext, data: dict[str, Any]) -> None:
    """ "Voor de buren" on a doubtful text: the flow goes on where it was."""
    me = await who(update, context)
    await _take_text(update, context, me.language, data, str(data["text"]))


def _proposed(context: PatchworkContext, text: str) -> str | None:
    best = exchange(context).taxonomy.best(text)
    return best.id if best else None


async def _ask_category(
    update: Update, context: PatchworkContext, language: Language, data: dict[str, Any], key: str
) -> None:
    data["step"] = "category"
    await dialogs.expect(update, context, FLOW, **data)
    await show(
        update,
        say(context, language).t(key),
        keyboard(category_rows(context, language, "xa", "cat")),
    )


async def _ask_when(
    update: Update, context: PatchworkContext, language: Language, data: dict[str, Any]
) -> None:
    data["step"] = "when"
    await dialogs.expect(update, context, FLOW, **data)
    labels = [When.TODAY, When.TOMORROW, When.WEEK, When.DATE, When.ANY]
    s = say(context, language)
    rows = [
        [button(s.p(f"exchange.when.button_{w.value}"), "xa", "when", w.value)] for w in labels
    ]
    await show(update, s.t(f"exchange.ask.when_{_kind(data).value}"), keyboard(rows))


async def _ask_date(
    update: Update, context: PatchworkContext, language: Language, data: dict[str, Any]
) -> None:
    data["step"] = "date"
    await dialogs.expect(update, context, FLOW, **data)
    start = today(context)
    days = [start + timedelta(days=i) for i in range(DATE_BUTTONS)]
    buttons = [button(day_label(language, d), "xa", "date", d.strftime("%Y%m%d")) for d in days]
    rows: list[list[Button]] = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    await show(update, say(context, language).t("exchange.ask.pick_date"), keyboard(rows))


async def _ask_name(
    update: Update, context: PatchworkContext, language: Language, data: dict[str, Any]
) -> None:
    me = await who(update, context)
    data["step"] = "name"
    await dialogs.expect(update, context, FLOW, **data)
    name = me.resident.display_name if me.resident else ""
    s = say(context, language)
    rows = [
        [button(s.p("exchange.ask.show_name", name=name), "xa", "name", 1)],
        [button(s.p("exchange.ask.as_neighbour"), "xa", "name", 0)],
    ]
    await show(update, s.t("exchange.ask.which_name"), keyboard(rows))


def _draft(data: dict[str, Any]) -> Draft:
    day = data.get("date")
    return Draft(
        kind=_kind(data),
        category=str(data["category"]),
        text=str(data["text"]),
        when=When(str(data.get("when", When.ANY.value))),
        when_date=date.fromisoformat(str(day)) if day else None,
        show_name=bool(data.get("show_name", True)),
        checked=bool(data.get("checked")),
    )


async def _summary(
    update: Update, context: PatchworkContext, language: Language, data: dict[str, Any]
) -> None:
    me = await who(update, context)
    data["step"] = "confirm"
    await dialogs.expect(update, context, FLOW, **data)
    draft = _draft(data)
    preview = _preview(context, me, draft)
    s = say(context, language)
    rows = [
        [button(s.p(f"exchange.ask.post_{draft.kind.value}"), "xa", "post")],
        [button(s.p("exchange.stop"), "xa", "stop")],
    ]
    await show(
        update,
        s.t("exchange.ask.summary") + "\n\n" + card_text(context, language, preview),
        keyboard(rows),
    )


def _preview(context: PatchworkContext, me: Who, draft: Draft) -> RequestView:
    """The card as it will look, before anything is stored."""
    now = context.services.clock.now()
    request = Request(
        id=0,
        street_id=0,
        resident_id=0,
        kind=draft.kind,
        category=draft.category,
        text=draft.text,
        when=draft.when,
        when_date=draft.when_date,
        show_name=draft.show_name,
        status=RequestStatus.OPEN,
        created_at=now,
        updated_at=now,
        active_since=now,
    )
    street = Street(id=0, neighbourhood_id=0, name="", chat=None, join_code="-", created_at=now)
    name = me.resident.display_name if me.resident else ""
    return RequestView(request=request, owner_name=name, street=street)


@on_press("xa")
@friendly
async def on_button(update: Update, context: PatchworkContext) -> None:
    """Buttons of the request and offer flow."""
    pressed = await flow_press(update, context, FLOW)
    if pressed is None:
        return
    callback, data, me = pressed
    language = me.language
    choice = callback.arg(0)
    s = say(context, language)
    if choice == "prefill" and data.get("prefill"):
        await start(update, context, RequestKind.ASK, str(data["prefill"]))
    elif choice == "cat":
        data["category"] = exchange(context).taxonomy.get(callback.arg(1)).id
        if data.get("text"):
            await _ask_when(update, context, language, data)
        else:
            data["step"] = "text"
            await dialogs.expect(update, context, FLOW, **data)
            rows = [[button(s.p("exchange.ask.no_text"), "xa", "notext")]]
            await show(update, s.t("exchange.ask.type_text"), keyboard(rows))
    elif choice == "notext" and data.get("category"):
        data["text"] = exchange(context).taxonomy.get(str(data["category"])).label(language)
        await _ask_when(update, context, language, data)
    elif choice == "ok" and data.get("proposed"):
        data["category"] = data["proposed"]
        await _ask_when(update, context, language, data)
    elif choice == "other" and data.get("text"):
        await _ask_category(update, context, language, data, "exchange.ask.which_category")
    elif choice == "when" and data.get("text") and data.get("category"):
        when = When(callback.arg(1))
        if when is When.DATE:
            await _ask_date(update, context, language, data)
            return
        data.update(when=when.value, date=None)
        await _ask_name(update, context, language, data)
    elif choice == "date" and data.get("step") == "date":
        raw = callback.arg(1)
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        if day < today(context):
            raise StaleAction()
        data.update(when=When.DATE.value, date=day.isoformat())
        await _ask_name(update, context, language, data)
    elif choice == "name" and data.get("step") == "name":
        data["show_name"] = callback.arg(1) == "1"
        await _summary(update, context, language, data)
    elif choice == "post" and data.get("step") == "confirm":
        await _post(update, context, language, data)
    else:
        raise StaleAction()


async def _post(
    update: Update, context: PatchworkContext, language: Language, data: dict[str, Any]
) -> None:
    me = await who(update, context)
    posted = await exchange(context).requests.post(me.user, _draft(data))
    await dialogs.finish(update, context)
    if posted.held:
        await held_reply(update, context, language, posted)
        return
    kind = posted.request.kind.value
    if posted.request.kind is RequestKind.ASK and posted.notified == 0:
        kind = "ask_none"
    s = say(context, language)
    rows = [[button(s.p("menu.mine"), "m", "mine")]]
    await show(
        update,
        s.t(f"exchange.ask.posted_{kind}", count=posted.notified),
        keyboard(rows),
    )


async def held_reply(
    update: Update, context: PatchworkContext, language: Language, posted: Posted
) -> None:
    """A heavy text stays private: escalation's offer of a professional, prefilled.

    One consent path for every way into a case (issue 6, route 2): `show_offer` puts the
    crisis numbers first where life or safety is at stake, "Ja, graag" starts route 1 with
    the theme and the text filled in, "Nee, dank je" shares nothing.
    """
    if posted.offer is None:
        await send(update, say(context, language).t("exchange.mine.held_note"))
        return
    await show_offer(update, context, posted.offer, posted.neighbourhood_name)
