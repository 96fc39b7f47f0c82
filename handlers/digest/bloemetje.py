"""Bloemetje in de Buurt on Telegram: the monthly question, nominating, consent, names.

The group question has a link button that opens a private chat (deep link `bl<street>`),
so nobody nominates in front of the street. Every press re-checks the round in the
database: a button from last month says so kindly.
"""

from __future__ import annotations

from typing import Any

from babel.dates import format_date
from babel.lists import format_list
from telegram import Update

from bot.outbox import RenderContext, Renderers
from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, friendly, keyboard, send, show, user_of, who
from handlers.context import PatchworkApp, PatchworkContext
from handlers.escalation.screen import resumer, screen
from handlers.say import say
from handlers.start import deep_link
from models.digest.bloemetje import (
    BloemetjeAnnouncement,
    BloemetjeAsk,
    BloemetjeConsentAsk,
    BloemetjeKindWords,
    NominationBallot,
    announce_moment,
)
from models.errors import StaleAction
from models.messages import Button, OutgoingMessage, link, outgoing

LINK = "bl"
REASON_FLOW = "bloemetje.reason"
PAGE = 8


def _month_arg(month: str) -> str:
    return month.replace("-", "")


def _month(value: str) -> str:
    if len(value) != 6 or not value.isdigit():
        raise StaleAction()
    return f"{value[:4]}-{value[4:]}"


def _day(context: PatchworkContext, language: str, month: str) -> str:
    moment = announce_moment(month, context.services.settings.tz)
    local = moment.astimezone(context.services.settings.tz)
    return format_date(local.date(), "EEEE d MMMM", locale=language)


def _ballot_rows(
    context: PatchworkContext, language: str, ballot: NominationBallot, page: int
) -> list[list[Button]]:
    start = page * PAGE
    shown = ballot.candidates[start : start + PAGE]
    month = _month_arg(ballot.month)
    names = [c.name for c in ballot.candidates]
    rows: list[list[Button]] = []
    for candidate in shown:
        label = candidate.name
        if names.count(candidate.name) > 1:
            nth = names[: ballot.candidates.index(candidate) + 1].count(candidate.name)
            label = f"{candidate.name} ({nth})"
        if ballot.current and ballot.current.resident_id == candidate.resident_id:
            label = "✅ " + label
        rows.append([button(label, "blv", ballot.street_id, month, candidate.resident_id)])
    nav: list[Button] = []
    s = say(context, language)
    if page > 0:
        nav.append(button(s.p("bloemetje.previous"), "blp", ballot.street_id, page - 1))
    if start + PAGE < len(ballot.candidates):
        nav.append(button(s.p("bloemetje.more_names"), "blp", ballot.street_id, page + 1))
    rows.append(nav)
    return rows


async def _show_ballot(
    update: Update, context: PatchworkContext, street_id: int, page: int
) -> None:
    me = await who(update, context)
    ballot = await context.services.bloemetje.ballot(me.user, street_id)
    s = say(context, me.language)
    if not ballot.candidates:
        await show(update, s.t("bloemetje.nobody", street=ballot.street_name))
        return
    key = "bloemetje.ballot_again" if ballot.current else "bloemetje.ballot"
    text = s.t(
        key,
        street=ballot.street_name,
        day=_day(context, me.language, ballot.month),
        name=ballot.current.name if ballot.current else "",
    )
    await show(update, text, keyboard(_ballot_rows(context, me.language, ballot, page)))


@deep_link(LINK)
async def nominate_link(update: Update, context: PatchworkContext, payload: str) -> None:
    """The "Noem een buur" button in the group opened the private chat."""
    if not payload.isdigit() or len(payload) > 12:
        raise StaleAction()
    await _show_ballot(update, context, int(payload), 0)


@on_press("blp")
@friendly
async def on_page(update: Update, context: PatchworkContext) -> None:
    """More names."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    await _show_ballot(update, context, callback.int_arg(0), callback.int_arg(1))


@on_press("blv")
@friendly
async def on_vote(update: Update, context: PatchworkContext) -> None:
    """A neighbour was chosen."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    street_id, month = callback.int_arg(0), _month(callback.arg(1))
    me = await who(update, context)
    result = await context.services.bloemetje.nominate(
        me.user, street_id, month, callback.int_arg(2)
    )
    day = _day(context, me.language, month)
    s = say(context, me.language)
    text = s.t("bloemetje.thanks", name=result.nominee.name, day=day)
    if result.replaced is not None:
        text = s.t("bloemetje.changed", old=result.replaced.name) + "\n" + text
    rows = [
        [
            button(
                s.p("bloemetje.add_reason"),
                "blr",
                street_id,
                _month_arg(month),
            )
        ],
        [
            button(
                s.p("bloemetje.no_reason"),
                "blr",
                street_id,
                _month_arg(month),
                0,
            )
        ],
    ]
    await show(update, text, keyboard(rows))


@on_press("blr")
@friendly
async def on_reason_button(update: Update, context: PatchworkContext) -> None:
    """Add a short reason, or leave it."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    street_id, month = callback.int_arg(0), _month(callback.arg(1))
    me = await who(update, context)
    s = say(context, me.language)
    if len(callback.args) > 2:
        await dialogs.finish(update, context)
        await show(
            update,
            s.t("bloemetje.done", day=_day(context, me.language, month)),
        )
        return
    await context.services.bloemetje.ballot(me.user, street_id)  # still open?
    await dialogs.expect(update, context, REASON_FLOW, street=street_id, month=month)
    await send(update, s.t("bloemetje.ask_reason"))


@dialogs.text_step(REASON_FLOW)
async def on_reason_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """The typed reason (one line, length-limited)."""
    assert update.effective_message is not None
    text = update.effective_message.text or ""
    await _save_reason(update, context, {**dialog.data, "text": text})


@resumer(REASON_FLOW)
async def _save_reason(update: Update, context: PatchworkContext, data: dict[str, Any]) -> None:
    """Screen the reason (the street may read it), then save it."""
    text = str(data["text"])
    if text.strip() and not await screen(
        update, context, text, resume=REASON_FLOW, data=data, contacts="text"
    ):
        return
    me = await who(update, context)
    month = str(data["month"])
    nominee = await context.services.bloemetje.set_reason(
        user_of(update), int(data["street"]), month, text, checked=bool(data.get("checked"))
    )
    await dialogs.finish(update, context)
    await send(
        update,
        say(context, me.language).t(
            "bloemetje.reason_saved",
            name=nominee.name,
            day=_day(context, me.language, month),
        ),
    )


@on_press("blc")
@friendly
async def on_consent(update: Update, context: PatchworkContext) -> None:
    """A nominee says yes or no to being named."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    street_id, month = callback.int_arg(0), _month(callback.arg(1))
    agree = callback.int_arg(2) == 1
    me = await who(update, context)
    result = await context.services.bloemetje.answer(me.user, street_id, month, agree)
    day = _day(context, me.language, month)
    key = "bloemetje.consent_yes" if result.agreed else "bloemetje.consent_no"
    other = "bloemetje.consent_change_no" if result.agreed else "bloemetje.consent_change_yes"
    s = say(context, me.language)
    rows = [
        [
            button(
                s.p(other),
                "blc",
                street_id,
                _month_arg(month),
                0 if agree else 1,
            )
        ]
    ]
    await show(update, s.t(key, day=day), keyboard(rows))


def register(app: PatchworkApp) -> None:
    """Install the Bloemetje handlers."""


def register_renderers(renderers: Renderers) -> None:
    """The Bloemetje's outbox messages."""

    @renderers.message(BloemetjeAsk)
    async def ask(ctx: RenderContext, note: BloemetjeAsk) -> OutgoingMessage | None:
        services = ctx.services
        url = f"https://t.me/{services.bot_username}?start={LINK}{note.street_id}"
        s = say(ctx, ctx.language)
        label = s.p("bloemetje.nominate_button")
        day = format_date(
            announce_moment(note.month, services.settings.tz)
            .astimezone(services.settings.tz)
            .date(),
            "EEEE d MMMM",
            locale=ctx.language,
        )
        return outgoing(
            s.t("bloemetje.ask", day=day),
            keyboard([[link(label, url)]]),
        )

    @renderers.message(BloemetjeConsentAsk)
    async def consent(ctx: RenderContext, note: BloemetjeConsentAsk) -> OutgoingMessage:
        services = ctx.services
        day = format_date(
            announce_moment(note.month, services.settings.tz)
            .astimezone(services.settings.tz)
            .date(),
            "EEEE d MMMM",
            locale=ctx.language,
        )
        month = _month_arg(note.month)
        s = say(ctx, ctx.language)
        rows = [
            [
                button(
                    s.p("bloemetje.consent_agree"),
                    "blc",
                    note.street_id,
                    month,
                    1,
                )
            ],
            [
                button(
                    s.p("bloemetje.consent_decline"),
                    "blc",
                    note.street_id,
                    month,
                    0,
                )
            ],
        ]
        text = s.t("bloemetje.consent_ask", street=note.street_name, day=day)
        return outgoing(text, keyboard(rows))

    @renderers.message(BloemetjeAnnouncement)
    async def announce(ctx: RenderContext, note: BloemetjeAnnouncement) -> OutgoingMessage:
        names = format_list(list(note.names), locale=ctx.language)
        return outgoing(say(ctx, ctx.language).t("bloemetje.announce", names=names))

    @renderers.message(BloemetjeKindWords)
    async def words(ctx: RenderContext, note: BloemetjeKindWords) -> OutgoingMessage:
        s = say(ctx, ctx.language)
        lines = [s.t("bloemetje.words", street=note.street_name)]
        lines.extend(s.t("bloemetje.word", text=w) for w in note.reasons)
        return outgoing("\n".join(lines))
