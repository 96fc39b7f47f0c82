"""Telegram's side of check-ins: thin translators from presses to the service and back.

The opt-in conversation is a channel-neutral flow (`models/checkins/flow.py`); every
message is drawn by `models/checkins/texts.py`. Here: the buttons under those messages,
the blocks in "Mijn overzicht" and "Instellingen", the buddy's deep link, any private
message as a sign of life, and the outbox renderers. Check-in content goes only to
private chats and the moderators chat, never to a street group.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.outbox import RenderContext, Renderers
from handlers import flows, start
from handlers.buttons import on_press
from handlers.callbacks import Callback, decode
from handlers.common import answer, friendly, is_private, send, show, user_of, who
from handlers.context import PatchworkApp, PatchworkContext
from handlers.escalation.common import send_private
from handlers.menu import Section, overview_section, settings_item
from handlers.say import say
from handlers.start import deep_link
from models.checkins import texts
from models.checkins.flow import CheckInFlow
from models.checkins.model import (
    CHECKIN_REF,
    AllClear,
    BuddyAlarm,
    BuddyAnswered,
    BuddyLeft,
    BuddyRequest,
    BuddyStatus,
    CallList,
    CheckInPrompt,
    CheckInReminder,
    CheckInResumed,
    NobodyCould,
    PleaseCall,
    ResidentStopped,
    RoundInfo,
    RoundStatus,
    State,
)
from models.core import ChannelUser, Language
from models.errors import StaleAction
from models.messages import Button, OutgoingMessage, keyboard, outgoing, press
from models.residents import Profile

SIGN_OF_LIFE_GROUP = -20
OPT_IN = flows.serve(
    lambda services: CheckInFlow(services.checkins, services.bot_username), CheckInFlow
)


def _action(update: Update) -> Callback:
    """The pressed button's action (untrusted; a missing argument is BadCallback)."""
    assert update.callback_query is not None
    return decode(update.callback_query.data)


def _number(value: str) -> int:
    if not value.isdigit() or len(value) > 12:
        raise StaleAction()
    return int(value)


async def _reply(update: Update, message: OutgoingMessage) -> None:
    """Replace the pressed message (its buttons are used up) with the answer."""
    await show(update, message.text, message.keyboard)


# The resident --------------------------------------------------------------------------


@on_press("cia", kind_errors=True)
async def on_answer(update: Update, context: PatchworkContext) -> None:
    """ "Ja, alles goed" / "Niet zo goed" / "Ik wil graag even praten"."""
    args = _action(update)
    me = await who(update, context)
    result = await context.services.checkins.answer(me.user, args.int_arg(0), args.arg(1))
    s = say(context, me.language)
    if result.already:
        await answer(update, s.p("checkins.answered.already"))
        return
    answer_value = result.round.answer.value if result.round.answer else args.arg(1)
    await _reply(
        update, texts.answered(s, answer_value, result.late, result.buddy_name, result.round.id)
    )


@on_press("cic", kind_errors=True)
async def on_please_call(update: Update, context: PatchworkContext) -> None:
    """The resident says yes (or no) to a call or a chat with their buddy."""
    args = _action(update)
    me = await who(update, context)
    s = say(context, me.language)
    if args.arg(1) == "no":
        await show(update, s.t("checkins.call_no"))
        return
    name = await context.services.checkins.please_call(me.user, args.int_arg(0), args.arg(1))
    await show(
        update, s.t("checkins.call_asked", name=name) if name else s.t("checkins.call_none")
    )


@on_press("cip", kind_errors=True)
async def on_pause(update: Update, context: PatchworkContext) -> None:
    """Pause (ask how long, then until a day), or resume."""
    choice = _action(update).arg(0)
    me = await who(update, context)
    s = say(context, me.language)
    service = context.services.checkins
    if choice == "ask":
        if await service.overview(me.user) is None:
            raise StaleAction()
        message = texts.pause_choices(s)
        await send(update, message.text, message.choices)
        return
    view = await (
        service.resume(me.user) if choice == "resume" else service.pause(me.user, _number(choice))
    )
    key = "checkins.paused" if view.checkin.state is State.PAUSED else "checkins.resumed_now"
    day = view.checkin.paused_until
    await show(update, s.t(key, day=s.day(day) if day else ""))


@on_press("cis", kind_errors=True)
async def on_stop(update: Update, context: PatchworkContext) -> None:
    """Stop the check-in (asked once more first)."""
    choice = _action(update).arg(0)
    me = await who(update, context)
    s = say(context, me.language)
    if choice == "ask":
        if await context.services.checkins.overview(me.user) is None:
            raise StaleAction()
        message = texts.stop_confirm(s)
        await send(update, message.text, message.choices)
    elif choice == "yes":
        await context.services.checkins.stop(me.user)
        await show(update, s.t("checkins.stopped"))
    else:
        await show(update, s.t("checkins.stop.kept"))


# Buddies ---------------------------------------------------------------------------------


@deep_link("cb")
async def on_invite_link(update: Update, context: PatchworkContext, code: str) -> None:
    """A neighbour opened a personal invite link."""
    me = await who(update, context)
    buddy, name = await context.services.checkins.open_invite(me.user, code)
    message = texts.buddy_request(say(context, me.language), buddy.id, name)
    await send(update, message.text, message.choices)


@on_press("cib", kind_errors=True)
async def on_invite_answer(update: Update, context: PatchworkContext) -> None:
    """ "Ja, ik wil buddy zijn" / "Nee, liever niet"."""
    args = _action(update)
    me = await who(update, context)
    yes = args.arg(1) == "1"
    name = await context.services.checkins.answer_invite(me.user, args.int_arg(0), yes)
    key = "checkins.buddy.thanks_yes" if yes else "checkins.buddy.thanks_no"
    await show(update, say(context, me.language).t(key, name=name))


@on_press("cbs", kind_errors=True)
async def on_stop_buddy(update: Update, context: PatchworkContext) -> None:
    """Stop being someone's buddy (asked once more); they are told kindly."""
    args = _action(update)
    me = await who(update, context)
    s = say(context, me.language)
    buddy_id = args.int_arg(0)
    if len(args.args) < 2 or args.arg(1) != "yes":
        rows = [
            [press(s.p("checkins.buddy.stop_yes"), "cbs", buddy_id, "yes")],
            [press(s.p("checkins.stop.no"), "cis", "no")],
        ]
        await send(update, s.t("checkins.buddy.stop_ask"), keyboard(rows))
        return
    name = await context.services.checkins.stop_buddy(me.user, buddy_id)
    await show(update, s.t("checkins.buddy.stopped_you", name=name))


@on_press("cig", kind_errors=True)
async def on_going(update: Update, context: PatchworkContext) -> None:
    """ "Ik ga kijken": who and where, and how it was afterwards."""
    args = _action(update)
    me = await who(update, context)
    view = await context.services.checkins.going(me.user, args.int_arg(0), args.int_arg(1))
    await _reply(update, texts.going(say(context, me.language), view))


@on_press("cin", kind_errors=True)
async def on_cannot(update: Update, context: PatchworkContext) -> None:
    """ "Ik kan nu niet": the alarm moves on in the chain."""
    args = _action(update)
    me = await who(update, context)
    await context.services.checkins.cannot(me.user, args.int_arg(0), args.int_arg(1))
    await show(update, say(context, me.language).t("checkins.alarm.passed_on"))


@on_press("cio", kind_errors=True)
async def on_buddy_outcome(update: Update, context: PatchworkContext) -> None:
    """The buddy closes the alarm: alles goed, hulp nodig, niet bereikt."""
    args = _action(update)
    me = await who(update, context)
    outcome = await context.services.checkins.close(me.user, args.int_arg(0), args.arg(1))
    await _reply(update, texts.closed(say(context, me.language), outcome))


# The community workers ------------------------------------------------------------------


@on_press("ciw", kind_errors=True)
async def on_worker_take(update: Update, context: PatchworkContext) -> None:
    """A worker takes the alarm; the name and address come to them privately."""
    args = _action(update)
    me = await who(update, context)
    view = await context.services.checkins.worker_take(user_of(update), args.int_arg(0))
    s = say(context, me.language)
    message = outgoing(
        "\n\n".join([s.t("checkins.worker.private"), texts.where(s, view)]),
        keyboard(texts.outcome_rows(s, "cwo", view.round.id)),
    )
    await send_private(context, me.user, message.text, message.keyboard)
    if not is_private(update):
        await answer(update, s.p("checkins.worker.sent_privately"))


@on_press("cwo", kind_errors=True)
async def on_worker_outcome(update: Update, context: PatchworkContext) -> None:
    """A worker closes the alarm with its outcome (the card shows it)."""
    args = _action(update)
    me = await who(update, context)
    outcome = await context.services.checkins.worker_close(me.user, args.int_arg(0), args.arg(1))
    if is_private(update):
        await _reply(update, texts.closed(say(context, me.language), outcome))


# The telephone circle (coordinators) --------------------------------------------------------


@friendly
async def on_circle_command(update: Update, context: PatchworkContext) -> None:
    """/belronde: today's calls, and which neighbours without Telegram are called daily."""
    await show_circle(update, context)


@on_press("cpl", kind_errors=True)
async def on_circle_button(update: Update, context: PatchworkContext) -> None:
    """ "📞 Telefooncirkel" in the coordinator's panel: the same as /belronde."""
    await show_circle(update, context)


async def show_circle(update: Update, context: PatchworkContext) -> None:
    """Today's list (if any), then the neighbours in (and not in) the daily calls."""
    me = await who(update, context)
    s = say(context, me.language)
    service = context.services.checkins
    proxies = await service.proxies(me.user)
    lines = await service.call_list(me.user)
    if lines:
        message = texts.call_list(s, lines)
        await send(update, message.text, message.choices)
    message = texts.circle(s, proxies)
    await send(update, message.text, message.choices)


@on_press("cpx", kind_errors=True)
async def on_circle_start(update: Update, context: PatchworkContext) -> None:
    """Put a neighbour in the daily calls: choose the time first."""
    args = _action(update)
    me = await who(update, context)
    proxy_id = args.int_arg(0)
    proxy = next(
        (p for p in await context.services.checkins.proxies(me.user) if p.proxy_id == proxy_id),
        None,
    )
    if proxy is None:
        raise StaleAction()
    message = texts.circle_time(say(context, me.language), proxy_id, proxy.name)
    await show(update, message.text, message.keyboard)


@on_press("cpt", kind_errors=True)
async def on_circle_time(update: Update, context: PatchworkContext) -> None:
    """The time is chosen: the neighbour is called every day from now on."""
    args = _action(update)
    me = await who(update, context)
    await context.services.checkins.start_calls(me.user, args.int_arg(0), args.int_arg(1))
    s = say(context, me.language)
    message = texts.circle(s, await context.services.checkins.proxies(me.user))
    await show(
        update, "\n\n".join([s.t("checkins.circle.started"), message.text]), message.keyboard
    )


@on_press("cps", kind_errors=True)
async def on_circle_stop(update: Update, context: PatchworkContext) -> None:
    """Take a neighbour out of the daily calls."""
    args = _action(update)
    me = await who(update, context)
    await context.services.checkins.stop_calls(me.user, args.int_arg(0))
    s = say(context, me.language)
    message = texts.circle(s, await context.services.checkins.proxies(me.user))
    await show(
        update, "\n\n".join([s.t("checkins.circle.stopped"), message.text]), message.keyboard
    )


@on_press("cpr", kind_errors=True)
async def on_call_result(update: Update, context: PatchworkContext) -> None:
    """ "bereikt" / "niet bereikt": the list is redrawn with who is left."""
    args = _action(update)
    me = await who(update, context)
    lines = await context.services.checkins.call_result(
        me.user, args.int_arg(0), args.arg(1) == "1"
    )
    await _reply(update, texts.call_list(say(context, me.language), lines))


# Menu blocks -----------------------------------------------------------------------------


@overview_section
async def my_checkin(
    context: PatchworkContext, profile: Profile, language: Language
) -> Section | None:
    """ "Mijn overzicht": my check-in (or a gentle offer), and whom I am a buddy for."""
    s = say(context, language)
    user = _user(profile)
    service = context.services.checkins
    view = await service.overview(user)
    parts: list[str] = []
    rows: list[list[Button]] = []
    if view is not None and view.checkin.state in (State.ACTIVE, State.PAUSED, State.WAITING):
        parts.append(texts.overview_text(s, view))
        rows.extend(texts.overview_rows(s, view))
    else:
        parts.append(s.t("checkins.offer"))
        rows.append([press(s.p("checkins.start_button"), "ci", "start")])
    for buddy, name in await service.buddying(user):
        parts.append(s.t("checkins.overview.buddy_for", name=name))
        rows.append([press(s.p("checkins.buddy.stop_button", name=name), "cbs", buddy.id)])
    return Section("\n\n".join(parts), rows)


@settings_item
async def volunteer_item(
    context: PatchworkContext, profile: Profile, language: str
) -> list[list[Button]]:
    """ "Buddy voor buren: aan/uit" and the check-in itself, under Instellingen."""
    if profile.home_street is None:
        return []
    s = say(context, language)
    on = await context.services.checkins.volunteer(_user(profile))
    key = "checkins.volunteer.button_off" if on else "checkins.volunteer.button_on"
    return [
        [press(s.p("checkins.settings_button"), "ci", "start")],
        [press(s.p(key), "civ", 0 if on else 1)],
    ]


@on_press("civ", kind_errors=True)
async def on_volunteer(update: Update, context: PatchworkContext) -> None:
    """Agree (or no longer) to be asked as a buddy by neighbours."""
    args = _action(update)
    me = await who(update, context)
    on = await context.services.checkins.set_volunteer(me.user, args.arg(0) == "1")
    s = say(context, me.language)
    key = "checkins.volunteer.now_on" if on else "checkins.volunteer.now_off"
    await show(update, s.t(key))


def _user(profile: Profile) -> ChannelUser:
    resident = profile.resident
    return ChannelUser(
        channel=resident.channel or "telegram", external_id=resident.external_id or ""
    )


async def after_join(update: Update, context: PatchworkContext, language: Language) -> None:
    """Right after joining, once: a gentle word about staying in touch (no pressure)."""
    s = say(context, language)
    rows = [[press(s.p("checkins.start_button"), "ci", "start")]]
    await send(update, s.t("checkins.after_join"), keyboard(rows))


# Any message is a sign of life -------------------------------------------------------------


async def on_any_message(update: Update, context: PatchworkContext) -> None:
    """A private message in the window counts as an answer; a late one brings the all-clear."""
    if update.effective_user is None:
        return
    outcome = await context.services.checkins.sign_of_life(user_of(update))
    if outcome == "late":
        me = await who(update, context)
        await send(update, say(context, me.language).t("checkins.sign_late"))


# What the bot says on its own -------------------------------------------------------------


def register_renderers(renderers: Renderers) -> None:
    """Install the outbox renderers of check-ins."""

    async def info(ctx: RenderContext, round_id: int) -> RoundInfo | None:
        return await ctx.services.checkins.round_info(round_id)

    @renderers.message(CheckInPrompt)
    async def render_prompt(ctx: RenderContext, note: CheckInPrompt) -> OutgoingMessage | None:
        found = await info(ctx, note.round_id)
        if found is None or found.round.status is not RoundStatus.OPEN:
            return None
        return texts.prompt(say(ctx, ctx.language), found)

    @renderers.message(CheckInReminder)
    async def render_reminder(ctx: RenderContext, note: CheckInReminder) -> OutgoingMessage | None:
        found = await info(ctx, note.round_id)
        if found is None or found.round.status is not RoundStatus.OPEN:
            return None
        return texts.reminder(say(ctx, ctx.language), found)

    @renderers.message(BuddyAlarm)
    async def render_alarm(ctx: RenderContext, note: BuddyAlarm) -> OutgoingMessage | None:
        found = await info(ctx, note.round_id)
        if found is None or found.round.status is not RoundStatus.ALARM:
            return None
        return texts.alarm(say(ctx, ctx.language), found, note.step)

    @renderers.message(AllClear)
    async def render_all_clear(ctx: RenderContext, note: AllClear) -> OutgoingMessage | None:
        found = await info(ctx, note.round_id)
        if found is None:
            return None
        s = say(ctx, ctx.language)
        if ctx.recipient.kind == "moderators":
            return texts.all_clear_workers(s, found)
        return texts.all_clear(s, found)

    @renderers.message(CallList)
    async def render_calls(ctx: RenderContext, note: CallList) -> OutgoingMessage | None:
        if ctx.recipient.id is None:
            return None
        lines = await ctx.services.checkins.calls_for(ctx.recipient.id)
        if not lines:
            return None
        return texts.call_list(say(ctx, ctx.language), lines, reminder=note.reminder)

    @renderers.message(NobodyCould)
    async def render_nobody(ctx: RenderContext, note: NobodyCould) -> OutgoingMessage | None:
        found = await info(ctx, note.round_id)
        return texts.nobody(say(ctx, ctx.language), found) if found else None

    @renderers.message(PleaseCall)
    async def render_call(ctx: RenderContext, note: PleaseCall) -> OutgoingMessage | None:
        found = await info(ctx, note.round_id)
        return texts.please_call(say(ctx, ctx.language), found, note.reason) if found else None

    @renderers.message(BuddyRequest)
    async def render_request(ctx: RenderContext, note: BuddyRequest) -> OutgoingMessage | None:
        found = await ctx.services.checkins.buddy_request(note.buddy_id)
        if found is None:
            return None
        buddy, name = found
        if name is None or buddy.status is not BuddyStatus.INVITED:
            return None
        return texts.buddy_request(say(ctx, ctx.language), buddy.id, name)

    @renderers.message(BuddyAnswered)
    async def render_answered(ctx: RenderContext, note: BuddyAnswered) -> OutgoingMessage | None:
        found = await ctx.services.checkins.buddy_answered(note.buddy_id)
        if found is None:
            return None
        name, checkin = found
        starts = checkin.next_due_at if checkin.state is State.ACTIVE else None
        return texts.buddy_answered(say(ctx, ctx.language), name, note.accepted, starts)

    @renderers.message(BuddyLeft)
    async def render_left(ctx: RenderContext, note: BuddyLeft) -> OutgoingMessage:
        found = await ctx.services.checkins.buddy_answered(note.buddy_id)
        name = found[0] if found else None
        return texts.buddy_left(say(ctx, ctx.language), name, note.reason, note.others)

    @renderers.message(ResidentStopped)
    async def render_stopped(ctx: RenderContext, note: ResidentStopped) -> OutgoingMessage | None:
        found = await ctx.services.checkins.buddy_request(note.buddy_id)
        return texts.resident_stopped(say(ctx, ctx.language), found[1]) if found else None

    @renderers.message(CheckInResumed)
    async def render_resumed(ctx: RenderContext, note: CheckInResumed) -> OutgoingMessage:
        return texts.resumed(say(ctx, ctx.language))

    @renderers.post(CHECKIN_REF)
    async def render_card(ctx: RenderContext, round_id: int) -> OutgoingMessage | None:
        found = await ctx.services.checkins.card(round_id)
        return texts.card(say(ctx, ctx.language), found) if found else None


def register(app: PatchworkApp) -> None:
    """Install the check-in handlers (buttons register themselves with @on_press)."""
    if after_join not in start.after_join:
        start.after_join.append(after_join)
    app.add_handler(
        CommandHandler(["belronde", "calls"], on_circle_command, filters=filters.ChatType.PRIVATE)
    )
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE, on_any_message),
        group=SIGN_OF_LIFE_GROUP,
    )
