"""Every text that can reach a group or a neighbour is screened first (PRODUCT.md §3.6).

`screen` answers at once when a text is heavy: the crisis numbers first where life or
safety is at stake, then the offer of a professional; nothing reaches the neighbours.
A doubtful text is held and the resident is asked privately, with two buttons, whether
it is for the neighbours or rather for a professional: "voor de buren" resumes the flow
that asked (registered with `resumer`), "liever een professional" offers route 1,
prefilled. Logs carry the level and theme only, never the text.

A text bound for a street group that holds a phone number, e-mail address or @username
is held too (issue 18): the resident is asked privately whether to take it out ("Haal
mijn nummer eruit", the first and safe choice; the neighbours reach them through the bot)
or to leave it in. Only the resident's own choice puts a contact detail in a group.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, friendly, keyboard, send, show, who
from handlers.context import PatchworkContext
from handlers.escalation.common import crisis_text
from handlers.escalation.resident import show_offer
from handlers.menu import main_menu
from handlers.say import say
from models.contacts import contact_spans, without_contacts
from models.errors import StaleAction
from models.escalation.cases import TextOffer
from models.escalation.model import SourceKind
from models.sensitivity import Level, Theme

log = logging.getLogger(__name__)

FLOW = "screen"
ACTION = "sc"
Resume = Callable[[Update, PatchworkContext, dict[str, Any]], Awaitable[None]]
_resumers: dict[str, Resume] = {}


def resumer(name: str) -> Callable[[Resume], Resume]:
    """Decorator: how the flow `name` goes on once the resident said "voor de buren"."""

    def decorate(fn: Resume) -> Resume:
        if name in _resumers and _resumers[name] is not fn:
            raise ValueError(f"resumer {name} registered twice")
        _resumers[name] = fn
        return fn

    return decorate


async def screen(
    update: Update,
    context: PatchworkContext,
    text: str,
    *,
    resume: str,
    data: dict[str, Any],
    kind: SourceKind = SourceKind.TEXT,
    ref_id: int | None = None,
    contacts: str | None = None,
) -> bool:
    """True when the text may go on to the neighbours now; else the resident was answered.

    `data` is what `resume` needs to go on; with `data["checked"]` the resident already
    said the doubtful text is for the neighbours (a heavy text is stopped regardless).
    `contacts` names the key of `data` that holds the text as it will reach a group: its
    contact details are asked about first (see `contacts_cleared`). None for texts that
    reach only one neighbour, such as the relay.
    """
    me = await who(update, context)
    result = await context.services.escalation.offer_for_text(
        me.user, text, me.language, kind=kind, ref_id=ref_id
    )
    sensitivity = result.sensitivity
    if sensitivity.flagged:
        log.info("text held: level=%s theme=%s", sensitivity.level, sensitivity.theme)
        await dialogs.finish(update, context)
        await answer_heavy(update, context, result)
        return False
    if sensitivity.uncertain and not data.get("checked"):
        log.info("text doubtful, asking: theme=%s", sensitivity.theme)
        await dialogs.expect(
            update,
            context,
            FLOW,
            resume=resume,
            data=data,
            text=text,
            kind=kind.value,
            ref=ref_id,
        )
        lang = me.language
        if sensitivity.needs_numbers:
            # Close to a crisis, or about safety at home: the numbers come first anyway.
            await send(update, crisis_text(context, lang))
        s = say(context, lang)
        rows = [
            [button(s.p("escalation.screen.neighbours"), ACTION, "n")],
            [button(s.p("escalation.screen.professional"), ACTION, "p")],
        ]
        await send(update, s.t("escalation.screen.question"), keyboard(rows))
        return False
    if contacts is not None:
        return await contacts_cleared(update, context, resume=resume, data=data, field=contacts)
    return True


async def contacts_cleared(
    update: Update,
    context: PatchworkContext,
    *,
    resume: str,
    data: dict[str, Any],
    field: str = "text",
) -> bool:
    """True when `data[field]` (bound for a group) holds no contact details, or the
    resident chose already; else they are asked privately and `resume` goes on later."""
    text = str(data.get(field) or "")
    if data.get("contacts") or not contact_spans(text):
        return True
    me = await who(update, context)
    s = say(context, me.language)
    await dialogs.expect(
        update, context, FLOW, resume=resume, data=data, field=field, ask="contacts"
    )
    log.info("text with contact details held, asking")
    rows = [
        [button(s.p("escalation.contacts.remove"), ACTION, "x")],
        [button(s.p("escalation.contacts.keep"), ACTION, "k")],
    ]
    preview = without_contacts(text, s.p("escalation.contacts.replacement"))
    await send(update, s.t("escalation.contacts.question", preview=preview), keyboard(rows))
    return False


def _contacts_choice(
    context: PatchworkContext, language: str, held: dict[str, Any], remove: bool
) -> dict[str, Any]:
    """The held flow's answers after the resident's choice about their contact details."""
    data = dict(held.get("data") or {})
    field = str(held.get("field") or "text")
    text = str(data.get(field) or "")
    if remove:
        stripped = without_contacts(
            text, say(context, language).p("escalation.contacts.replacement")
        )
        # Never longer than the text that passed the field's length limit.
        data[field] = stripped[: max(len(text), 1)]
    data["contacts"] = "removed" if remove else "kept"
    return data


async def answer_heavy(update: Update, context: PatchworkContext, result: TextOffer) -> None:
    """The crisis numbers first where needed, then the offer of a professional."""
    me = await who(update, context)
    lang = me.language
    if result.offer is None:
        sensitivity = result.sensitivity
        if sensitivity.level is Level.CRISIS or sensitivity.theme is Theme.SAFETY:
            await send(update, crisis_text(context, lang))
        await send(
            update,
            say(context, lang).t("escalation.not_member"),
            keyboard(main_menu(context, lang)),
        )
        return
    await show_offer(update, context, result.offer, result.neighbourhood_name or "")


@on_press(ACTION)
@friendly
async def on_button(update: Update, context: PatchworkContext) -> None:
    """ "Voor de buren" goes on where the flow was; "liever een professional" offers one."""
    assert update.callback_query is not None
    choice = decode(update.callback_query.data).arg(0)
    data = await dialogs.answers(update, context, FLOW)
    resume = _resumers.get(str(data.get("resume")))
    if resume is None:
        raise StaleAction()
    me = await who(update, context)
    about_contacts = data.get("ask") == "contacts"
    if about_contacts != (choice in ("x", "k")):
        raise StaleAction()  # a button of the other question, pressed late
    if about_contacts:
        s = say(context, me.language)
        remove = choice == "x"
        await show(
            update, s.t("escalation.contacts.removed" if remove else "escalation.contacts.kept")
        )
        await dialogs.finish(update, context)
        await resume(update, context, _contacts_choice(context, me.language, data, remove))
    elif choice == "n":
        await show(update, say(context, me.language).t("escalation.screen.ok"))
        await dialogs.finish(update, context)
        await resume(update, context, {**dict(data.get("data") or {}), "checked": True})
    elif choice == "p":
        result = await context.services.escalation.offer_for_text(
            me.user,
            str(data.get("text") or ""),
            me.language,
            kind=SourceKind(str(data.get("kind", SourceKind.TEXT.value))),
            ref_id=int(data["ref"]) if data.get("ref") is not None else None,
            wanted=True,
        )
        await dialogs.finish(update, context)
        await show(update, say(context, me.language).t("escalation.screen.pro_chosen"))
        await answer_heavy(update, context, result)
    else:
        raise StaleAction()
