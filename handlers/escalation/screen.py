"""Every text that can reach a group or a neighbour is screened first (PRODUCT.md §3.6).

`screen` answers at once when a text is heavy: the crisis numbers first where life or
safety is at stake, then the offer of a professional; nothing reaches the neighbours.
A doubtful text is held and the resident is asked privately, with two buttons, whether
it is for the neighbours or rather for a professional: "voor de buren" resumes the flow
that asked (registered with `resumer`), "liever een professional" offers route 1,
prefilled. Logs carry the level and theme only, never the text.
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
) -> bool:
    """True when the text may go on to the neighbours now; else the resident was answered.

    `data` is what `resume` needs to go on; with `data["checked"]` the resident already
    said the doubtful text is for the neighbours (a heavy text is stopped regardless).
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
    return True


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
    if choice == "n":
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
