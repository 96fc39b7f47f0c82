"""The resident's side: route 1 ("Ik heb hulp van een professional nodig"), offers of
routes 2-4, the crisis numbers, the status of their case, replies and withdrawal."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.outbox import RenderContext, Renderers
from bot.storage.repos.infra import Dialog
from handlers import dialogs
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, friendly, is_private, keyboard, send, show, who
from handlers.context import PatchworkApp, PatchworkContext
from handlers.escalation.common import crisis_text, theme_label
from handlers.menu import MENU_ROWS, Section, main_menu, menu_action, overview_section
from handlers.say import say
from models.core import Language
from models.errors import NotAStreetMember, StaleAction
from models.escalation import words
from models.escalation.cases import clean_case_text, clean_phone, needs_crisis_numbers
from models.escalation.model import (
    CaseDraft,
    CaseMessageToResident,
    CaseStatus,
    CaseStatusChanged,
    ContactWay,
    EscalationOffered,
    Offer,
    ResidentCaseView,
    TooHeavyOutcome,
)
from models.messages import Button, OutgoingMessage, outgoing
from models.residents import Profile
from models.sensitivity import Level, Theme, assess_sensitivity
from models.text import clean_text

FLOW = "pro"
REPLY_FLOW = "case.reply"
NET_GROUP = -2
MENU_NAME = "pro"
SAFE_TIMES = ("morning", "afternoon", "evening", "any")
THEMES = (Theme.MONEY, Theme.HOUSING, Theme.SAFETY, Theme.HEALTH, Theme.LONELINESS, Theme.OTHER)

if [MENU_NAME] not in MENU_ROWS:
    MENU_ROWS.append([MENU_NAME])


# Route 1 ----------------------------------------------------------------------------


@menu_action(MENU_NAME)
async def on_menu(update: Update, context: PatchworkContext) -> None:
    """The menu button "Ik heb hulp van een professional nodig"."""
    await begin(update, context)


@friendly
async def on_command(update: Update, context: PatchworkContext) -> None:
    """/hulpverlener: the same as the menu button."""
    await dialogs.finish(update, context)
    await begin(update, context)


async def begin(update: Update, context: PatchworkContext, offer: Offer | None = None) -> None:
    """Start route 1, optionally prefilled from an offer (routes 2-4)."""
    me = await who(update, context)
    lang = me.language
    s = say(context, lang)
    try:
        info = await context.services.escalation.start(me.user)
    except NotAStreetMember:
        await send(update, crisis_text(context, lang))
        await send(update, s.t("escalation.not_member"))
        return
    if info.open_case is not None:
        await show_status(update, context, info.open_case, lang)
        return
    if not info.has_team:
        await send(update, crisis_text(context, lang))
        await send(update, s.t("escalation.no_team", neighbourhood=info.neighbourhood_name))
        return
    data: dict[str, Any] = {"hood": info.neighbourhood_name, "offer": None}
    if offer is not None:
        data["offer"] = offer.id
        source = offer.source
        if needs_crisis_numbers(source.prefilled_theme, offer.level):
            await send(update, crisis_text(context, lang))
        if source.prefilled_theme is not None:
            data["theme"] = source.prefilled_theme.value
        if source.prefilled_text:
            data["text"] = source.prefilled_text
    if "theme" in data:
        await _ask_text(update, context, data, lang)
        return
    await dialogs.expect(update, context, FLOW, step="theme", **data)
    rows = [
        [button(theme_label(context, lang, theme), FLOW, "t", theme.value)] for theme in THEMES
    ]
    rows.append([button(s.p("escalation.stop"), FLOW, "stop")])
    await send(
        update,
        s.t("escalation.intro", neighbourhood=info.neighbourhood_name),
        keyboard(rows),
    )


async def _ask_text(
    update: Update, context: PatchworkContext, data: dict[str, Any], lang: str
) -> None:
    await dialogs.expect(update, context, FLOW, step="text", **data)
    s = say(context, lang)
    if data.get("text"):
        rows = [
            [button(s.p("escalation.text_keep"), FLOW, "keep")],
            [button(s.p("escalation.text_edit"), FLOW, "edit")],
            [button(s.p("escalation.text_drop"), FLOW, "drop")],
        ]
        await send(update, s.t("escalation.prefilled", text=data["text"]), keyboard(rows))
        return
    rows = [[button(s.p("escalation.skip"), FLOW, "skip")]]
    await send(update, s.t("escalation.ask_text"), keyboard(rows))


async def _ask_contact(
    update: Update, context: PatchworkContext, data: dict[str, Any], lang: str
) -> None:
    await dialogs.expect(update, context, FLOW, step="contact", **data)
    s = say(context, lang)
    rows = [
        [button(s.p("escalation.contact_bot"), FLOW, "c", "bot")],
        [button(s.p("escalation.contact_phone"), FLOW, "c", "phone")],
    ]
    await send(update, s.t("escalation.ask_contact"), keyboard(rows))


async def _ask_safe_time(
    update: Update, context: PatchworkContext, data: dict[str, Any], lang: str
) -> None:
    await dialogs.expect(update, context, FLOW, step="time", **data)
    s = say(context, lang)
    rows = [[button(s.p(f"escalation.time_{code}"), FLOW, "st", code)] for code in SAFE_TIMES]
    await send(update, s.t("escalation.ask_safe_time"), keyboard(rows))


async def _confirm(
    update: Update, context: PatchworkContext, data: dict[str, Any], lang: str
) -> None:
    await dialogs.expect(update, context, FLOW, step="consent", **data)
    s = say(context, lang)
    lines = [
        s.t(
            "escalation.summary_theme",
            theme=theme_label(context, lang, Theme(data["theme"])),
        )
    ]
    if data.get("text"):
        lines.append(s.t("escalation.summary_text", text=data["text"]))
    else:
        lines.append(s.t("escalation.summary_no_text"))
    if data.get("contact") == ContactWay.PHONE.value:
        lines.append(
            s.t(
                "escalation.summary_phone",
                phone=data.get("phone", ""),
                time=data.get("safe_time") or "-",
            )
        )
    else:
        lines.append(s.t("escalation.summary_bot"))
    rows = [
        [button(s.p("escalation.consent_yes"), FLOW, "yes")],
        [button(s.p("escalation.consent_no"), FLOW, "no")],
    ]
    text = (
        "\n".join(lines) + "\n\n" + s.t("escalation.consent", neighbourhood=data.get("hood", ""))
    )
    await send(update, text, keyboard(rows))


@on_press(FLOW)
@friendly
async def on_flow_button(update: Update, context: PatchworkContext) -> None:
    """Buttons of route 1: theme, skip or keep the text, contact, safe time, consent."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    lang = me.language
    choice = callback.arg(0)
    data = await dialogs.answers(update, context, FLOW)
    step = data.pop("step", None)
    s = say(context, lang)
    if choice == "stop":
        await _end(update, context, data, lang)
    elif choice == "t" and step == "theme":
        theme = Theme(callback.arg(1)) if callback.arg(1) in {x.value for x in THEMES} else None
        if theme is None:
            raise StaleAction()
        data["theme"] = theme.value
        await show(
            update,
            s.t("escalation.theme_chosen", theme=theme_label(context, lang, theme)),
        )
        if theme is Theme.SAFETY:
            await send(update, crisis_text(context, lang))
        await _ask_text(update, context, data, lang)
    elif choice in {"skip", "drop"} and step == "text":
        data.pop("text", None)
        await _ask_contact(update, context, data, lang)
    elif choice == "keep" and step == "text" and data.get("text"):
        await _ask_contact(update, context, data, lang)
    elif choice == "edit" and step == "text":
        data.pop("text", None)
        await _ask_text(update, context, data, lang)
    elif choice == "c" and step == "contact":
        if callback.arg(1) == "phone":
            data["contact"] = ContactWay.PHONE.value
            await dialogs.expect(update, context, FLOW, step="phone", **data)
            await send(update, s.t("escalation.ask_phone"))
        else:
            data["contact"] = ContactWay.BOT.value
            await _confirm(update, context, data, lang)
    elif choice == "st" and step == "time" and callback.arg(1) in SAFE_TIMES:
        data["safe_time"] = s.p(f"escalation.time_{callback.arg(1)}")
        await _confirm(update, context, data, lang)
    elif choice == "yes" and step == "consent":
        await _open(update, context, data, lang)
    elif choice == "no" and step == "consent":
        await _end(update, context, data, lang)
    else:
        raise StaleAction()


@dialogs.text_step(FLOW)
async def on_flow_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """Typed answers in route 1: the short text, the phone number, the safe time."""
    message = update.effective_message
    assert message is not None
    me = await who(update, context)
    lang = me.language
    data = {k: v for k, v in dialog.data.items() if k != "step"}
    step = dialog.data.get("step")
    if step == "text":
        text = clean_case_text(message.text)
        if text is None:
            raise StaleAction()
        data["text"] = text
        if assess_sensitivity(text, lang).level is Level.CRISIS:
            await send(update, crisis_text(context, lang))
        await _ask_contact(update, context, data, lang)
    elif step == "phone":
        data["phone"] = clean_phone(message.text)
        await _ask_safe_time(update, context, data, lang)
    elif step == "time":
        data["safe_time"] = clean_text(message.text, max_length=60, multiline=False)
        await _confirm(update, context, data, lang)
    else:
        await send(update, say(context, lang).t("escalation.tap_button"))


async def _open(
    update: Update, context: PatchworkContext, data: dict[str, Any], lang: str
) -> None:
    me = await who(update, context)
    draft = CaseDraft(
        theme=Theme(data["theme"]),
        text=data.get("text"),
        contact=ContactWay(data.get("contact", ContactWay.BOT.value)),
        phone=data.get("phone"),
        safe_time=data.get("safe_time"),
        offer_id=data.get("offer"),
    )
    case = await context.services.escalation.open_case(me.user, draft)
    await dialogs.finish(update, context)
    await show(
        update,
        say(context, lang).t("escalation.sent", neighbourhood=data.get("hood", ""), case=case.id),
        keyboard(_status_rows(context, lang, case.id)),
    )


async def _end(update: Update, context: PatchworkContext, data: dict[str, Any], lang: str) -> None:
    """No consent: nothing is shared; an offer is declined (its helper hears "niet")."""
    me = await who(update, context)
    await dialogs.finish(update, context)
    if data.get("offer"):
        with contextlib.suppress(StaleAction):
            await context.services.escalation.decline_offer(me.user, int(data["offer"]))
    await show(update, say(context, lang).t("escalation.declined"))


# Status, replies, withdrawal ----------------------------------------------------------


def _status_rows(context: PatchworkContext, lang: str, case_id: int) -> list[list[Button]]:
    s = say(context, lang)
    return [
        [button(s.p("escalation.rc_message"), "rc", "m", case_id)],
        [button(s.p("escalation.rc_withdraw"), "rc", "w", case_id)],
    ]


def status_text(context: PatchworkContext, lang: str, view: ResidentCaseView) -> str:
    """ "Ontvangen", "opgepakt door Samira", "afgesloten"."""
    case = view.case
    s = say(context, lang)
    if case.status is CaseStatus.CLAIMED:
        status = s.p("escalation.status_claimed", name=view.claimer_name or "")
    elif case.status is CaseStatus.CLOSED:
        status = s.p("escalation.status_closed")
    else:
        status = s.p("escalation.status_received")
    return s.t(
        "escalation.status",
        case=case.id,
        neighbourhood=view.neighbourhood_name,
        status=status,
    )


async def show_status(
    update: Update, context: PatchworkContext, view: ResidentCaseView, lang: str
) -> None:
    """The resident's case: status and what they can do."""
    rows = [] if view.case.closed else _status_rows(context, lang, view.case.id)
    await send(update, status_text(context, lang, view), keyboard(rows))


@on_press("rc")
@friendly
async def on_case_button(update: Update, context: PatchworkContext) -> None:
    """The resident's buttons: write to the team, withdraw consent (with a confirmation)."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    lang = me.language
    choice, case_id = callback.arg(0), callback.int_arg(1)
    escalation = context.services.escalation
    view = await escalation.my_case(me.user)
    if view is None or view.case.id != case_id:
        raise StaleAction()
    s = say(context, lang)
    if choice == "m":
        await dialogs.expect(update, context, REPLY_FLOW, case=case_id)
        await send(update, s.t("escalation.ask_reply"))
    elif choice == "w":
        rows = [
            [button(s.p("escalation.withdraw_yes"), "rc", "wy", case_id)],
            [button(s.p("escalation.withdraw_no"), "rc", "s", case_id)],
        ]
        await send(update, s.t("escalation.withdraw_confirm"), keyboard(rows))
    elif choice == "wy":
        await escalation.withdraw(me.user, case_id)
        await show(update, s.t("escalation.withdrawn"))
    elif choice == "s":
        await show(
            update,
            status_text(context, lang, view),
            keyboard(_status_rows(context, lang, case_id)),
        )
    else:
        raise StaleAction()


@dialogs.text_step(REPLY_FLOW)
async def on_reply_text(update: Update, context: PatchworkContext, dialog: Dialog) -> None:
    """The resident's message to the wijkteam."""
    message = update.effective_message
    assert message is not None
    me = await who(update, context)
    await context.services.escalation.resident_message(
        me.user, int(dialog.data["case"]), message.text or ""
    )
    await dialogs.finish(update, context)
    await send(update, say(context, me.language).t("escalation.reply_sent"))


@overview_section
async def overview(context: PatchworkContext, profile: Profile, lang: Language) -> Section | None:
    """ "Mijn overzicht": the status of an open case, privately."""
    view = await context.services.escalation.my_case(_user_of_profile(profile))
    if view is None:
        return None
    return Section(status_text(context, lang, view), _status_rows(context, lang, view.case.id))


def _user_of_profile(profile: Profile) -> Any:
    from models.core import ChannelUser  # noqa: PLC0415

    resident = profile.resident
    return ChannelUser(channel=resident.channel or "", external_id=resident.external_id or "")


# Offers (routes 2-4) and the sensitivity net ---------------------------------------------


def offer_message(
    context: PatchworkContext, lang: str, offer: Offer, neighbourhood: str
) -> OutgoingMessage:
    """An offer of route 1 with its two buttons (crisis numbers first where needed)."""
    return words.offer_message(say(context, lang), offer, neighbourhood)


async def show_offer(
    update: Update, context: PatchworkContext, offer: Offer, neighbourhood: str
) -> None:
    """Offer route 1 prefilled as a direct reply (for a capability's own handler)."""
    me = await who(update, context)
    outgoing = offer_message(context, me.language, offer, neighbourhood)
    markup = outgoing.keyboard
    await send(update, outgoing.text, markup)


async def acknowledge_too_heavy(update: Update, context: PatchworkContext) -> None:
    """Tell the helper who pressed "te zwaar voor buren" what happens next (nothing more)."""
    me = await who(update, context)
    await send(update, say(context, me.language).t("escalation.too_heavy_ack"))


@on_press("eo")
@friendly
async def on_offer_button(update: Update, context: PatchworkContext) -> None:
    """Yes to an offer starts route 1 prefilled; no shares nothing."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    offer_id = callback.int_arg(1)
    escalation = context.services.escalation
    if callback.arg(0) == "y":
        offer, _ = await escalation.get_offer(me.user, offer_id)
        await dialogs.finish(update, context)
        await begin(update, context, offer)
    elif callback.arg(0) == "n":
        await escalation.decline_offer(me.user, offer_id)
        await show(update, say(context, me.language).t("escalation.offer_declined"))
    else:
        raise StaleAction()


async def sensitivity_net(update: Update, context: PatchworkContext) -> None:
    """Private text nobody waited for: if it sounds heavy, offer a professional at once."""
    message = update.effective_message
    if message is None or not message.text or not is_private(update):
        return
    me = await who(update, context)
    lang = me.language
    result = await context.services.escalation.offer_for_text(me.user, message.text, lang)
    if not result.sensitivity.flagged:
        return
    if result.offer is None:
        if result.sensitivity.level is Level.CRISIS or result.sensitivity.theme is Theme.SAFETY:
            await send(update, crisis_text(context, lang))
        await send(
            update,
            say(context, lang).t("escalation.not_member"),
            keyboard(main_menu(context, lang)),
        )
    else:
        await show_offer(update, context, result.offer, result.neighbourhood_name or "")
    raise ApplicationHandlerStop


# Renderers ---------------------------------------------------------------------------


def register(app: PatchworkApp, renderers: Renderers) -> None:
    """Install the resident's handlers and renderers."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler(["hulpverlener", "professional"], on_command, filters=private))
    app.add_handler(
        MessageHandler(
            private & filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE,
            sensitivity_net,
        ),
        group=NET_GROUP,
    )

    @renderers.message(EscalationOffered)
    async def render_offer(ctx: RenderContext, note: EscalationOffered) -> OutgoingMessage | None:
        found = await ctx.services.escalation.offer_preview(note.offer_id)
        if found is None:
            return None
        offer, hood = found
        return offer_message(_ctx(ctx), ctx.language, offer, hood)

    @renderers.message(CaseStatusChanged)
    async def render_status(ctx: RenderContext, note: CaseStatusChanged) -> OutgoingMessage | None:
        view = await ctx.services.escalation.resident_view(note.case_id)
        if view is None:
            return None
        s = say(ctx, ctx.language)
        if note.status is CaseStatus.CLAIMED:
            text = s.t(
                "escalation.note_claimed",
                name=view.claimer_name or "",
                case=view.case.id,
            )
            rows = [] if view.case.closed else _status_rows(_ctx(ctx), ctx.language, view.case.id)
            return outgoing(text, keyboard(rows))
        return outgoing(s.t("escalation.note_closed", case=view.case.id))

    @renderers.message(CaseMessageToResident)
    async def render_to_resident(
        ctx: RenderContext, note: CaseMessageToResident
    ) -> OutgoingMessage | None:
        relayed = await ctx.services.escalation.relayed(note.case_id, note.message_id)
        if relayed is None or relayed.case.closed:
            return None
        s = say(ctx, ctx.language)
        organisation = relayed.organisation or s.p(
            "escalation.default_org", neighbourhood=relayed.neighbourhood_name
        )
        text = s.t(
            "escalation.to_resident",
            name=relayed.author_name,
            organisation=organisation,
            text=relayed.message.text or "",
        )
        rows = [[button(s.p("escalation.reply_button"), "rc", "m", note.case_id)]]
        return outgoing(text, keyboard(rows))

    @renderers.message(TooHeavyOutcome)
    async def render_too_heavy(ctx: RenderContext, note: TooHeavyOutcome) -> OutgoingMessage:
        key = "escalation.too_heavy_passed" if note.passed_on else "escalation.too_heavy_declined"
        return outgoing(say(ctx, ctx.language).t(key))


class _RenderOnly:
    """Lets renderers reuse handler helpers that only need `services`."""

    def __init__(self, ctx: RenderContext) -> None:
        self.services = ctx.services


def _ctx(ctx: RenderContext) -> PatchworkContext:
    return _RenderOnly(ctx)  # type: ignore[return-value]
