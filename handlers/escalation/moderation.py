"""Moderation: the "Melden" button under group cards, /melden as a reply, report cards in
the moderators chat with remove / block / unblock / no action."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CommandHandler

from bot.outbox import RenderContext, Renderers
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import (
    answer,
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
from handlers.escalation.common import send_private
from handlers.say import say
from models.errors import StaleAction
from models.escalation.model import (
    REPORT_REF,
    ModerationNotice,
    ReportCard,
    ReportHandled,
    ReportReason,
    ReportStatus,
)
from models.messages import Button, OutgoingMessage, outgoing
from models.notifications import PlacedPost, Recipient

REPORT_ACTION = "rp"


def report_button(context: PatchworkContext | RenderContext, language: str) -> Button:
    """The "Melden" button any group card can add; it needs no id (the message is the key)."""
    return button(say(context, language).p("moderation.button"), REPORT_ACTION)


async def _ask_reason(update: Update, context: PatchworkContext, post: PlacedPost) -> None:
    me = await who(update, context)
    lang = me.resident.language if me.resident else me.language
    s = say(context, lang)
    rows = [
        [button(s.p(f"moderation.reason.{reason.value}"), "rr", post.id, reason.value)]
        for reason in ReportReason
    ]
    await send_private(context, me.user, s.t("moderation.ask_reason"), keyboard(rows))


@on_press(REPORT_ACTION)
@friendly
async def on_report_button(update: Update, context: PatchworkContext) -> None:
    """ "Melden" under a post: the reason is asked privately, nobody in the group sees it."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if not isinstance(message, Message):
        raise StaleAction()
    post = await context.services.moderation.find_post(chat_of(update), message.message_id)
    await _ask_reason(update, context, post)
    me = await who(update, context)
    if not is_private(update):
        await answer(update, say(context, me.own).p("moderation.reason_asked"))


@friendly
async def on_report_command(update: Update, context: PatchworkContext) -> None:
    """/melden as a reply to a message of the bot (a relayed message, a group card)."""
    me = await who(update, context)
    message = update.effective_message
    reply = message.reply_to_message if message else None
    s = say(context, me.language)
    if reply is None:
        await send(update, s.t("moderation.reply_usage"))
        return
    post = await context.services.moderation.find_post(chat_of(update), reply.message_id)
    await _ask_reason(update, context, post)
    if not is_private(update):
        await send(update, s.t("moderation.reason_asked_group"))


@on_press("rr")
@friendly
async def on_reason(update: Update, context: PatchworkContext) -> None:
    """A reason was chosen: the report goes to the moderators chat."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    reason_value = callback.arg(1)
    if reason_value not in {r.value for r in ReportReason}:
        raise StaleAction()
    await context.services.moderation.report(
        me.user, callback.int_arg(0), ReportReason(reason_value)
    )
    await show(update, say(context, me.language).t("moderation.reported"))


@on_press("rk")
@friendly
async def on_report_card(update: Update, context: PatchworkContext) -> None:
    """Buttons on a report card: remove the post, block, unblock, no action (workers only)."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    user = user_of(update)
    me = await who(update, context)
    op, report_id = callback.arg(0), callback.int_arg(1)
    moderation = context.services.moderation
    actions = {
        "rm": moderation.remove_post,
        "bl": moderation.block,
        "ub": moderation.unblock,
        "ds": moderation.dismiss,
    }
    action = actions.get(op)
    if action is None:
        raise StaleAction()
    await action(user, report_id)
    await answer(update, say(context, me.language).p("moderation.done"))


def report_card(
    ctx: RenderContext, card: ReportCard, post_text: str | None, *, private: bool = False
) -> OutgoingMessage:
    """The report card: street, reason, who placed it, the post, what was done."""
    lang = ctx.language
    report = card.report
    s = say(ctx, lang)
    lines = [
        s.t(
            "moderation.card",
            report=report.id,
            street=card.street_name or "-",
            reason=s.p(f"moderation.reason.{report.reason.value}"),
            owner=card.owner_name or s.p("moderation.owner_unknown"),
        )
    ]
    if private:
        lines.append(s.t("moderation.private_message"))
    elif post_text:
        lines.append(f"<blockquote>{post_text}</blockquote>")
    else:
        lines.append(s.t("moderation.post_gone"))
    if report.post_removed_at is not None:
        lines.append(s.t("moderation.card_removed"))
    if card.owner_blocked:
        lines.append(s.t("moderation.card_blocked", name=card.owner_name or ""))
    if report.status is ReportStatus.DISMISSED:
        lines.append(s.t("moderation.card_dismissed"))
    if card.handler_name:
        lines.append(s.t("moderation.card_handled_by", name=card.handler_name))
    rows: list[list[Button]] = []
    if report.post_removed_at is None and report.status is not ReportStatus.DISMISSED:
        rows.append([button(s.p("moderation.remove"), "rk", "rm", report.id)])
    if report.owner_resident_id is not None and report.street_id is not None:
        if card.owner_blocked:
            rows.append([button(s.p("moderation.unblock"), "rk", "ub", report.id)])
        elif report.status is not ReportStatus.DISMISSED:
            rows.append([button(s.p("moderation.block"), "rk", "bl", report.id)])
    if report.status is ReportStatus.OPEN:
        rows.append([button(s.p("moderation.dismiss"), "rk", "ds", report.id)])
    return outgoing("\n".join(lines), keyboard(rows))


async def _post_text(ctx: RenderContext, card: ReportCard) -> str | None:
    """The reported post as the street sees it now (its capability's own renderer)."""
    services = ctx.services
    report = card.report
    renderer = services.renderers.posts.get(report.ref_kind)
    if renderer is None or report.post_removed_at is not None:
        return None
    async with services.db.read() as tx:
        post = await tx.posts.get(report.post_id)
        street = await tx.streets.get(report.street_id) if report.street_id else None
    if post is None:
        return None
    post_ctx = RenderContext(
        services,
        street.language if street else ctx.language,
        Recipient.street(street.id) if street else ctx.recipient,
        post.chat,
        street,
    )
    outgoing = await renderer(post_ctx, report.ref_id)
    return outgoing.text if outgoing else None


def register(app: PatchworkApp, renderers: Renderers) -> None:
    """Install the moderation handlers and renderers."""
    app.add_handler(CommandHandler(["melden", "report"], on_report_command))

    @renderers.post(REPORT_REF)
    async def render_report(ctx: RenderContext, report_id: int) -> OutgoingMessage | None:
        card = await ctx.services.moderation.card(report_id)
        if card is None or ctx.street is not None:
            return None
        async with ctx.services.db.read() as tx:
            hood = await tx.neighbourhoods.get(card.report.neighbourhood_id)
        if (
            hood is None
            or hood.moderators_chat is None
            or hood.moderators_chat.chat_id != ctx.chat.chat_id
        ):
            return None
        private = card.report.ref_kind in ctx.services.moderation.hooks.private_kinds
        return report_card(ctx, card, await _post_text(ctx, card), private=private)

    @renderers.message(ModerationNotice)
    async def render_notice(ctx: RenderContext, note: ModerationNotice) -> OutgoingMessage:
        street = await ctx.services.moderation.street_name(note.street_id)
        return outgoing(
            say(ctx, ctx.language).t(f"moderation.notice_{note.action}", street=street)
        )

    @renderers.message(ReportHandled)
    async def render_thanks(ctx: RenderContext, note: ReportHandled) -> OutgoingMessage:
        return outgoing(say(ctx, ctx.language).t("moderation.report_thanks"))
