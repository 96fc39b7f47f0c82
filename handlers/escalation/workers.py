"""The moderators chat: linking it, case cards and their buttons, the workers' private
flows (message to the resident, note, close), /auditlog, and the operator's /koppelcode."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.outbox import RenderContext, Renderers
from bot.storage.repos.infra import Dialog
from handlers import dialogs
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
from handlers.escalation.common import (
    age_text,
    level_label,
    local_time,
    outcome_label,
    private_chat,
    send_private,
    theme_label,
)
from handlers.impact import open_button
from handlers.say import say
from handlers.start import deep_link, other_home
from models.core import ChannelUser
from models.errors import NotAllowed, StaleAction
from models.escalation.cases import needs_crisis_numbers
from models.escalation.model import (
    CASE_REF,
    CLOSING_OUTCOMES,
    CaseCard,
    CaseDetails,
    CaseMessageToWorker,
    CaseReminder,
    CaseStatus,
    CaseUnclaimedAlert,
    CaseWithdrawn,
    ContactWay,
    Outcome,
    TeamMissingAlert,
    WorkerUnreachable,
)
from models.messages import Button, Keyboard, OutgoingMessage, link, outgoing

MESSAGE_FLOW = "case.message"
NOTE_FLOW = "case.note"


def _ctx(ctx: RenderContext) -> PatchworkContext:
    from handlers.escalation.resident import _ctx as shim  # noqa: PLC0415

    return shim(ctx)


# Linking the moderators chat ---------------------------------------------------------


@friendly
async def on_koppel(update: Update, context: PatchworkContext) -> None:
    """/koppel <code> in the community workers' group: an administrator links it."""
    me = await who(update, context)
    lang = me.language
    message = update.effective_message
    s = say(context, lang)
    if is_private(update):
        await send(update, s.t("escalation.koppel_in_group"))
        return
    if message is not None and message.sender_chat is not None:
        await send(update, s.t("errors.anonymous"))
        return
    if not context.args:
        await send(update, s.t("escalation.koppel_usage"))
        return
    chat = chat_of(update)
    await context.services.streets.require_admin(chat, me.user)
    hood = await context.services.moderators.link(me.user, chat, context.args[0])
    await send(
        update,
        s.t(
            "escalation.linked",
            neighbourhood=hood.name,
            bot=context.services.bot_username,
        ),
        keyboard([[open_button(context, lang)]]),
    )


@friendly
async def on_koppelcode(update: Update, context: PatchworkContext) -> None:
    """/koppelcode Wijk | Gemeente in the operator chat: a one-time code for a team chat."""
    me = await who(update, context)
    lang = me.language
    operator = context.services.settings.operator_chat_id
    if operator is None or chat_of(update).chat_id != str(operator):
        raise NotAllowed()
    parts = [p.strip() for p in " ".join(context.args or []).split("|")]
    s = say(context, lang)
    if len(parts) != 2 or not all(parts):
        await send(update, s.t("escalation.code_usage"))
        return
    hood, code = await context.services.moderators.issue_code(
        parts[0], parts[1], actor=f"telegram:{me.user.external_id}"
    )
    await send(
        update,
        s.t(
            "escalation.code_issued",
            neighbourhood=hood.name,
            municipality=hood.municipality,
            code=code.code,
            until=local_time(context, code.expires_at),
        ),
    )


@friendly
async def on_organisation(update: Update, context: PatchworkContext) -> None:
    """/organisatie <naam> in the moderators chat: how a worker's messages are signed."""
    me = await who(update, context)
    s = say(context, me.language)
    if not context.args:
        await send(update, s.t("escalation.organisation_usage"))
        return
    organisation = await context.services.moderators.set_organisation(
        chat_of(update), me.user, " ".join(context.args)
    )
    await send(update, s.t("escalation.organisation_set", organisation=organisation))


# The case card --------------------------------------------------------------------------


def card_outgoing(context: PatchworkContext, lang: str, card: CaseCard) -> OutgoingMessage:
    """The card: number, theme, level, street, age — never a name or a text."""
    case = card.case
    now = context.services.clock.now()
    s = say(context, lang)
    if case.status is CaseStatus.CLAIMED:
        status = s.p("escalation.card_claimed", name=card.claimer_name or "?")
    elif case.status is CaseStatus.CLOSED:
        outcome = outcome_label(context, lang, case.outcome or Outcome.OTHER)
        status = s.p("escalation.card_closed", outcome=outcome)
    else:
        status = s.p("escalation.card_open")
    lines = [
        s.t(
            "escalation.card",
            case=case.id,
            theme=theme_label(context, lang, case.theme),
            level=level_label(context, lang, case.level),
            street=card.street_name or "-",
            received=local_time(context, case.created_at),
            age=age_text(context, lang, case.age(now)),
            status=status,
        )
    ]
    if case.unread_since is not None and not case.closed:
        lines.append(s.t("escalation.card_unread"))
    if case.reminded_at is not None and case.status is CaseStatus.OPEN:
        lines.append(s.t("escalation.card_waiting"))
    rows: list[list[Button]] = []
    if not case.closed:
        claim_key = (
            "escalation.card_claim" if case.claimed_by is None else "escalation.card_takeover"
        )
        rows = [
            [
                button(s.p(claim_key), "cs", "c", case.id),
                button(s.p("escalation.card_view"), "cs", "v", case.id),
            ],
            [button(s.p("escalation.card_message"), "cs", "m", case.id)],
            [
                button(s.p("escalation.card_note"), "cs", "n", case.id),
                button(s.p("escalation.card_close"), "cs", "x", case.id),
            ],
        ]
    elif case.outcome is not Outcome.WITHDRAWN:
        rows = [
            [
                button(s.p("escalation.card_view"), "cs", "v", case.id),
                button(s.p("escalation.card_note"), "cs", "n", case.id),
            ]
        ]
    return outgoing("\n".join(lines), keyboard(rows))


def details_text(context: PatchworkContext, lang: str, details: CaseDetails) -> str:
    """Everything about a case, for a worker's private chat."""
    case = details.case
    s = say(context, lang)
    if case.contact is ContactWay.PHONE and case.phone:
        contact = s.p(
            "escalation.contact_line_phone", phone=case.phone, time=case.safe_time or "-"
        )
    else:
        contact = s.p("escalation.contact_line_bot")
    if case.erased_at is not None:
        text = s.p("escalation.details_erased")
    else:
        text = case.text or s.p("escalation.details_no_text")
    if case.status is CaseStatus.CLAIMED:
        status = s.p("escalation.card_claimed", name=details.claimer_name or "?")
    elif case.status is CaseStatus.CLOSED:
        status = s.p(
            "escalation.card_closed",
            outcome=outcome_label(context, lang, case.outcome or Outcome.OTHER),
        )
    else:
        status = s.p("escalation.card_open")
    parts = [
        s.t(
            "escalation.details",
            case=case.id,
            theme=theme_label(context, lang, case.theme),
            level=level_label(context, lang, case.level),
            name=details.resident_name,
            street=details.street_name or "-",
            neighbourhood=details.neighbourhood_name,
            status=status,
            contact=contact,
            text=text,
        )
    ]
    if details.messages:
        lines = [s.t("escalation.details_messages")]
        for message in details.messages[-10:]:
            who_key = (
                "escalation.from_resident"
                if message.direction == "from_resident"
                else "escalation.from_team"
            )
            lines.append(
                s.t(
                    "escalation.details_line",
                    time=local_time(context, message.created_at),
                    who=s.p(who_key),
                    text=message.text or s.p("escalation.details_erased"),
                )
            )
        parts.append("\n".join(lines))
    if details.notes:
        lines = [s.t("escalation.details_notes")]
        for note, author in details.notes[-10:]:
            lines.append(
                s.t(
                    "escalation.details_line",
                    time=local_time(context, note.created_at),
                    who=author,
                    text=note.text or s.p("escalation.details_erased"),
                )
            )
        parts.append("\n".join(lines))
    text_out = "\n\n".join(parts)
    if len(text_out) > 4000:
        text_out = text_out[:3990] + "…"
    return text_out


WORKER_LINK = "w"  # t.me/<bot>?start=w opens the worker's private chat on their home


def private_link(context: PatchworkContext) -> str:
    """The deep link that opens a worker's private chat with the bot, on their home."""
    return f"https://t.me/{context.services.bot_username}?start={WORKER_LINK}"


async def point_to_private(
    update: Update, context: PatchworkContext, lang: str, *, reached: bool, case_id: int
) -> None:
    """In the moderators chat: say where the action went on, with a button to go there.

    Pressed in the group, a worker's action continues in their private chat; a pop-up
    alone was missed. Never anything of the case itself in this line."""
    if is_private(update):
        return
    s = say(context, lang)
    name = user_of(update).first_name or ""
    key = "escalation.pointer.sent" if reached else "escalation.pointer.start_first"
    rows = [[link(s.p("escalation.pointer.open"), private_link(context))]]
    await send(update, s.t(key, name=name, case=case_id), keyboard(rows))


@deep_link(WORKER_LINK)
async def worker_link(update: Update, context: PatchworkContext, payload: str) -> None:
    """The button under a pointer: the worker's home, or the usual answer to others."""
    if not await worker_home(update, context):
        me = await who(update, context)
        await send(update, say(context, me.language).t("start.not_member"))


@other_home
async def worker_home(update: Update, context: PatchworkContext) -> bool:
    """A community worker's home in their private chat: their wijken and open cases."""
    me = await who(update, context)
    home = await context.services.escalation.worker_home(me.user)
    if not home:
        return False
    s = say(context, me.language)
    lines = [s.t("escalation.home.title", name=me.user.first_name or "")]
    rows: list[list[Button]] = []
    for hood in home:
        name = hood.neighbourhood.name
        lines.append(s.t("escalation.home.hood", count=len(hood.cases), neighbourhood=name))
        for item in hood.cases:
            state = "mine" if item.mine else item.case.status.value
            label = s.p(
                f"escalation.home.case_{state}",
                case=item.case.id,
                theme=theme_label(context, me.language, item.case.theme),
            )
            rows.append([button(label, "cs", "v", item.case.id)])
    lines.append(s.t("escalation.home.more"))
    await send(update, "\n\n".join(lines), keyboard(rows))
    return True


@on_press("cs")
@friendly
async def on_card_button(update: Update, context: PatchworkContext) -> None:
    """Oppakken, Bekijken, Bericht aan bewoner, Notitie, Afsluiten (each re-checked)."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    try:
        await _card_action(update, context)
    except WorkerUnreachable:
        # Never started the bot: a pointer with the button that opens the chat.
        me = await who(update, context)
        await answer(update)
        await point_to_private(
            update, context, me.language, reached=False, case_id=callback.int_arg(1)
        )
        if is_private(update):
            raise


async def _card_action(update: Update, context: PatchworkContext) -> None:
    """One card button, re-checked: the worker's standing and the case's state."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    user = user_of(update)
    me = await who(update, context)
    lang = me.language
    op, case_id = callback.arg(0), callback.int_arg(1)
    escalation = context.services.escalation
    s = say(context, lang)
    if op == "c":
        await escalation.claim(user, case_id)
        await answer(update, s.p("escalation.claimed_toast", case=case_id))
    elif op == "v":
        details = await escalation.view(user, case_id)
        try:
            await send_private(
                context,
                user,
                details_text(context, lang, details),
                _private_rows(context, lang, details),
            )
        except WorkerUnreachable:
            await escalation.view_undelivered(user, case_id)
            raise
        await answer(update, s.p("escalation.sent_privately"))
        await point_to_private(update, context, lang, reached=True, case_id=case_id)
    elif op in {"m", "n"}:
        action = "message" if op == "m" else "note"
        case, _ = await escalation.require_worker(user, case_id, action)
        if op == "m" and case.closed:
            raise StaleAction()
        flow = MESSAGE_FLOW if op == "m" else NOTE_FLOW
        organisation = await _organisation(context, user, case.neighbourhood_id)
        key = "escalation.ask_message" if op == "m" else "escalation.ask_note"
        await send_private(context, user, s.t(key, case=case_id, organisation=organisation))
        await context.services.dialogs.put(
            private_chat(user), user.external_id, flow, {"case": case_id}
        )
        if not is_private(update):
            await answer(update, s.p("escalation.sent_privately"))
            await point_to_private(update, context, lang, reached=True, case_id=case_id)
    elif op == "x":
        await escalation.require_open_for_worker(user, case_id, "close")
        rows = [
            [button(outcome_label(context, lang, outcome), "cs", "o", case_id, outcome.value)]
            for outcome in CLOSING_OUTCOMES
        ]
        await send_private(
            context, user, s.t("escalation.ask_outcome", case=case_id), keyboard(rows)
        )
        if not is_private(update):
            await answer(update, s.p("escalation.sent_privately"))
            await point_to_private(update, context, lang, reached=True, case_id=case_id)
    elif op == "o":
        outcome = (
            Outcome(callback.arg(2))
            if callback.arg(2) in {o.value for o in CLOSING_OUTCOMES}
            else None
        )
        if outcome is None:
            raise StaleAction()
        await escalation.close(user, case_id, outcome)
        await show(
            update,
            s.t(
                "escalation.closed_ok",
                case=case_id,
                outcome=outcome_label(context, lang, outcome),
            ),
        )
    else:
        raise StaleAction()


def _private_rows(context: PatchworkContext, lang: str, details: CaseDetails) -> Keyboard | None:
    case = details.case
    if case.closed:
        return None
    s = say(context, lang)
    return keyboard(
        [
            [button(s.p("escalation.card_message"), "cs", "m", case.id)],
            [
                button(s.p("escalation.card_note"), "cs", "n", case.id),
                button(s.p("escalation.card_close"), "cs", "x", case.id),
            ],
        ]
    )


async def _organisation(
    context: PatchworkContext, user: ChannelUser, neighbourhood_id: int
) -> str:
    services = context.services
    async with services.db.read() as tx:
        resident = await tx.residents.by_external(user.channel, user.external_id)
        organisation = await tx.moderators.organisation(resident.id) if resident else None
    if organisation:
        return organisation
    hood = await services.escalation.neighbourhood_name(neighbourhood_id)
    return say(context, services.settings.default_language).p(
        "escalation.default_org", neighbourhood=hood
    )


async def _case_text(
    update: Update,
    context: PatchworkContext,
    dialog: Dialog,
    save: Callable[[ChannelUser, int, str], Awaitable[object]],
    done_key: str,
) -> None:
    """A worker's typed text for the case of the dialog: saved, the dialog ended, confirmed."""
    message = update.effective_message
    assert message is not None
    me = await who(update, context)
    case_id = int(dialog.data["case"])
    await save(me.user, case_id, message.text or "")
    await dialogs.finish(update, context)
    await send(update, say(context, me.language).t(done_key, case=case_id))


@dialogs.text_step(MESSAGE_FLOW)
async def on_message_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """The worker's next private message goes to the resident of the case."""
    escalation = context.services.escalation
    await _case_text(
        update, context, dialog, escalation.message_resident, "escalation.message_sent"
    )


@dialogs.text_step(NOTE_FLOW)
async def on_note_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """The worker's note for the case."""
    escalation = context.services.escalation
    await _case_text(update, context, dialog, escalation.add_note, "escalation.note_saved")


@friendly
async def on_auditlog(update: Update, context: PatchworkContext) -> None:
    """/auditlog <case>: who viewed and did what, sent privately to a worker of that wijk."""
    me = await who(update, context)
    lang = me.language
    args = context.args or []
    s = say(context, lang)
    if len(args) != 1 or not args[0].lstrip("#").isdigit():
        await send(update, s.t("escalation.auditlog_usage"))
        return
    case_id = int(args[0].lstrip("#"))
    lines = await context.services.escalation.audit_log(me.user, case_id)
    i18n = context.services.i18n
    known = i18n.keys(lang)
    out = [s.t("escalation.auditlog_title", case=case_id)]
    for line in lines:
        kind, _, name = line.actor.partition(":")
        actor = s.p(f"escalation.actor.{kind}", name=name)
        action_key = "escalation.action." + line.action.replace(".", "_")
        action = s.p(action_key) if action_key in known else line.action
        if line.detail:
            action += f" ({line.detail})"
        out.append(
            s.t(
                "escalation.auditlog_line",
                time=local_time(context, line.at),
                actor=actor,
                action=action,
            )
        )
    await send_private(context, me.user, "\n".join(out)[:4000])
    if not is_private(update):
        await send(update, s.t("escalation.sent_privately_long"))


# Renderers -----------------------------------------------------------------------------


def register(app: PatchworkApp, renderers: Renderers) -> None:
    """Install the moderators chat handlers and renderers."""
    groups = filters.ChatType.GROUPS
    app.add_handler(CommandHandler("koppel", on_koppel))
    app.add_handler(CommandHandler("koppelcode", on_koppelcode))
    app.add_handler(
        CommandHandler(["organisatie", "organisation"], on_organisation, filters=groups)
    )
    app.add_handler(CommandHandler("auditlog", on_auditlog))

    @renderers.post(CASE_REF)
    async def render_card(ctx: RenderContext, case_id: int) -> OutgoingMessage | None:
        card = await ctx.services.escalation.card(case_id)
        # A card only ever goes to its own neighbourhood's moderators chat.
        if card is None or card.moderators_chat_id != ctx.chat.chat_id or ctx.street is not None:
            return None
        return card_outgoing(_ctx(ctx), ctx.language, card)

    @renderers.message(CaseReminder)
    async def render_reminder(ctx: RenderContext, note: CaseReminder) -> OutgoingMessage | None:
        card = await ctx.services.escalation.card(note.case_id)
        if card is None or card.case.status is not CaseStatus.OPEN:
            return None
        return outgoing(
            say(ctx, ctx.language).t("escalation.reminder", case=note.case_id, hours=note.hours)
        )

    @renderers.message(CaseUnclaimedAlert)
    async def render_unclaimed(
        ctx: RenderContext, note: CaseUnclaimedAlert
    ) -> OutgoingMessage | None:
        card = await ctx.services.escalation.card(note.case_id)
        if card is None or card.case.status is not CaseStatus.OPEN:
            return None
        hood = await ctx.services.escalation.neighbourhood_name(card.case.neighbourhood_id)
        return outgoing(
            say(ctx, ctx.language).t(
                "escalation.unclaimed_operator",
                case=note.case_id,
                hours=note.hours,
                neighbourhood=hood,
            )
        )

    @renderers.message(TeamMissingAlert)
    async def render_team_missing(ctx: RenderContext, note: TeamMissingAlert) -> OutgoingMessage:
        hood = await ctx.services.escalation.neighbourhood_name(note.neighbourhood_id)
        return outgoing(say(ctx, ctx.language).t("escalation.team_missing", neighbourhood=hood))

    @renderers.message(CaseMessageToWorker)
    async def render_to_worker(
        ctx: RenderContext, note: CaseMessageToWorker
    ) -> OutgoingMessage | None:
        escalation = ctx.services.escalation
        if not await escalation.still_worker(note.case_id, note.worker_resident_id):
            return None
        relayed = await escalation.relayed(note.case_id, note.message_id)
        if relayed is None or relayed.case.claimed_by != note.worker_resident_id:
            return None
        s = say(ctx, ctx.language)
        text = s.t(
            "escalation.to_worker",
            case=note.case_id,
            text=relayed.message.text or "",
        )
        rows = [[button(s.p("escalation.reply_button"), "cs", "m", note.case_id)]]
        return outgoing(text, keyboard(rows))

    @renderers.message(CaseWithdrawn)
    async def render_withdrawn(ctx: RenderContext, note: CaseWithdrawn) -> OutgoingMessage:
        return outgoing(say(ctx, ctx.language).t("escalation.withdrawn_worker", case=note.case_id))


__all__ = ["card_outgoing", "needs_crisis_numbers", "register"]
