"""How the exchange's outbox messages and group cards look, drawn from current state."""

from __future__ import annotations

from bot.outbox import RenderContext, Renderers
from handlers.common import button, keyboard
from handlers.escalation.moderation import report_button
from handlers.exchange.after import feedback_rows, invite_rows
from handlers.exchange.common import (
    availability_text,
    card_text,
    conversation_rows,
    exchange,
    help_button,
    snippet,
    tg_mention,
    too_heavy_rows,
)
from handlers.say import say
from models.exchange.model import RequestStatus, Role
from models.exchange.notifications import (
    REQUEST_POST,
    THANKS_POST,
    ContactShareAsked,
    ContactShared,
    ConversationEnded,
    ConversationStarted,
    DoneProposed,
    EntryCheck,
    EntryPaused,
    FeedbackAsk,
    HelpDone,
    OfferInvite,
    ReciprocityNudge,
    RequestExpired,
    StillNeeded,
    ThankYouReceived,
)
from models.exchange.relay import ConversationView
from models.exchange.words import entry_rows, entry_text
from models.messages import OutgoingMessage, outgoing


def _resident_id(ctx: RenderContext) -> int:
    assert ctx.recipient.kind == "resident"
    assert ctx.recipient.id is not None
    return ctx.recipient.id


async def _view(ctx: RenderContext, conversation_id: int) -> ConversationView | None:
    return await exchange(ctx).relay.view(conversation_id, _resident_id(ctx))


async def request_card(ctx: RenderContext, request_id: int) -> OutgoingMessage | None:
    """A request's card: in the group with "Melden", privately with "Te zwaar voor buren"."""
    view = await exchange(ctx).requests.view(request_id)
    if view is None or view.request.status is RequestStatus.HELD:
        return None
    private = ctx.street is None
    text = card_text(ctx, ctx.language, view, private=private)
    rows = [] if view.owner_blocked else help_button(ctx, ctx.language, view.request)
    if private:
        rows.extend(too_heavy_rows(ctx, ctx.language, view))
    else:
        rows.append([report_button(ctx, ctx.language)])
    return outgoing(text, keyboard(rows))


async def started(ctx: RenderContext, note: ConversationStarted) -> OutgoingMessage | None:
    view = await _view(ctx, note.conversation_id)
    if view is None or not view.conversation.active:
        return None
    if note.you_started:
        key = f"exchange.started.you_{view.role.value}"
    elif view.request is not None:
        key = f"exchange.started.other_{view.request.kind.value}"
    else:
        key = "exchange.started.other_entry"
    s = say(ctx, ctx.language)
    text = s.t(key, name=view.other_name, subject=view.subject)
    text += "\n\n" + s.t("exchange.started.how", name=view.other_name)
    return outgoing(text, keyboard(conversation_rows(ctx, ctx.language, view)))


async def ended(ctx: RenderContext, note: ConversationEnded) -> OutgoingMessage | None:
    view = await _view(ctx, note.conversation_id)
    if view is None:
        return None
    key = f"exchange.ended.{note.reason}"
    return outgoing(say(ctx, ctx.language).t(key, name=view.other_name, subject=view.subject))


async def contact_asked(ctx: RenderContext, note: ContactShareAsked) -> OutgoingMessage | None:
    view = await _view(ctx, note.conversation_id)
    if view is None or not view.conversation.active or view.conversation.contact_shared:
        return None
    s = say(ctx, ctx.language)
    rows = [
        [button(s.p("exchange.contact.yes"), "xc", "share", view.id)],
        [button(s.p("exchange.contact.no"), "xc", "noshare", view.id)],
    ]
    text = s.t("exchange.contact.asked", name=view.other_name, subject=view.subject)
    return outgoing(text, keyboard(rows))


async def contact_shared(ctx: RenderContext, note: ContactShared) -> OutgoingMessage | None:
    view = await _view(ctx, note.conversation_id)
    if view is None or not view.conversation.contact_shared:
        return None
    other = await ctx.services.residents.get(view.other_id)
    if other is None:
        return None
    other_role = Role.RECEIVER if view.role is Role.GIVER else Role.GIVER
    handle = (
        view.conversation.giver_contact
        if other_role is Role.GIVER
        else view.conversation.receiver_contact
    )
    s = say(ctx, ctx.language)
    lines = [s.t("exchange.contact.shared", name=view.other_name)]
    lines.append(
        s.t(
            "exchange.contact.link",
            link=tg_mention(other.external_id, other.display_name),
        )
    )
    if handle:
        lines.append(s.t("exchange.contact.username", handle=handle))
    if other.phone:
        lines.append(s.t("exchange.contact.phone", phone=other.phone))
    return outgoing("\n".join(lines))


async def done_proposed(ctx: RenderContext, note: DoneProposed) -> OutgoingMessage | None:
    view = await _view(ctx, note.conversation_id)
    if view is None or view.request is None or view.request.status is not RequestStatus.MATCHED:
        return None
    s = say(ctx, ctx.language)
    rows = [
        [button(s.p("exchange.conv.done"), "xr", "done", view.request.id)],
        [button(s.p("exchange.not_yet"), "xc", "cur", view.id)],
    ]
    text = s.t("exchange.done_proposed", name=view.other_name, subject=view.subject)
    return outgoing(text, keyboard(rows))


async def help_done(ctx: RenderContext, note: HelpDone) -> OutgoingMessage | None:
    view = await _view(ctx, note.conversation_id)
    if view is None:
        return None
    s = say(ctx, ctx.language)
    # The conversation is closed now; this opens it again, for a while.
    again = [button(s.p("exchange.conv.again", name=view.other_name), "xc", "again", view.id)]
    if note.role is Role.GIVER:
        return outgoing(
            s.t(
                "exchange.done.giver",
                name=view.other_name,
                subject=view.subject,
            ),
            keyboard([again]),
        )
    rows = [
        [button(s.p("exchange.thanks.write"), "xt", "write", view.id)],
        [button(s.p("exchange.thanks.no"), "xt", "no", view.id)],
        again,
    ]
    text = s.t("exchange.done.receiver", name=view.other_name)
    return outgoing(text, keyboard(rows))


async def feedback(ctx: RenderContext, note: FeedbackAsk) -> OutgoingMessage | None:
    view = await _view(ctx, note.conversation_id)
    if view is None:
        return None
    # The helper is asked whether it went well; "did this help?" is for the one helped.
    key = "exchange.feedback.went_well" if view.role is Role.GIVER else "exchange.feedback.helped"
    text = say(ctx, ctx.language).t(key, subject=view.subject)
    return outgoing(text, keyboard(feedback_rows(ctx, ctx.language, view.id)))


async def thanks_received(ctx: RenderContext, note: ThankYouReceived) -> OutgoingMessage | None:
    thanks = await exchange(ctx).after.thanks(note.thanks_id)
    if thanks is None:
        return None
    sender = await ctx.services.residents.get(thanks.from_id)
    name = sender.display_name if sender else "?"
    return outgoing(
        say(ctx, ctx.language).t("exchange.thanks.received", name=name, text=thanks.text)
    )


async def thanks_post(ctx: RenderContext, thanks_id: int) -> OutgoingMessage | None:
    """A public bedankje in the street group, with "Melden" (None once it is not public)."""
    after = exchange(ctx).after
    thanks = await after.thanks(thanks_id)
    if thanks is None or not thanks.public or ctx.street is None:
        return None
    sender = await ctx.services.residents.get(thanks.from_id)
    helper = await ctx.services.residents.get(thanks.to_id)
    if sender is None or helper is None:
        return None
    show_name = True
    if thanks.request_id is not None:
        request = await exchange(ctx).requests.view(thanks.request_id)
        show_name = request is not None and request.request.show_name
    s = say(ctx, ctx.language)
    # "een buur" opens the sentence here: "Een buur bedankt Joost".
    anonymous = s.p("exchange.card.a_neighbour")
    name = sender.display_name if show_name else anonymous[:1].upper() + anonymous[1:]
    return outgoing(
        s.t(
            "exchange.thanks.group",
            name=name,
            helper=helper.display_name,
            text=thanks.text,
        ),
        keyboard([[report_button(ctx, ctx.language)]]),
    )


async def still_needed(ctx: RenderContext, note: StillNeeded) -> OutgoingMessage | None:
    view = await exchange(ctx).requests.view(note.request_id)
    if view is None or view.request.status is not RequestStatus.OPEN:
        return None
    s = say(ctx, ctx.language)
    rows = [
        [button(s.p("exchange.stale.yes"), "xr", "need", view.request.id, 1)],
        [button(s.p("exchange.stale.no"), "xr", "need", view.request.id, 0)],
    ]
    text = s.t("exchange.stale.question", text=snippet(view.request.text))
    return outgoing(text, keyboard(rows))


async def expired(ctx: RenderContext, note: RequestExpired) -> OutgoingMessage | None:
    view = await exchange(ctx).requests.view(note.request_id)
    if view is None:
        return None
    s = say(ctx, ctx.language)
    rows = [[button(s.p("exchange.stale.again"), "m", "ask")]]
    text = s.t("exchange.stale.expired", text=snippet(view.request.text))
    return outgoing(text, keyboard(rows))


async def entry_check(ctx: RenderContext, note: EntryCheck) -> OutgoingMessage | None:
    entry = await exchange(ctx).register.get(note.entry_id)
    if entry is None or entry.removed_at is not None:
        return None
    s = say(ctx, ctx.language)
    rows = [
        [button(s.p("exchange.check.ok"), "xm", "ok", entry.id)],
        [button(s.p("exchange.check.change"), "xm", "show", entry.id)],
        [button(s.p("exchange.manage.remove"), "xm", "del", entry.id)],
    ]
    text = s.t(
        "exchange.check.question",
        text=entry.text,
        when=availability_text(ctx, ctx.language, entry.availability),
    )
    return outgoing(text, keyboard(rows))


async def entry_paused(ctx: RenderContext, note: EntryPaused) -> OutgoingMessage | None:
    entry = await exchange(ctx).register.get(note.entry_id)
    if entry is None or entry.removed_at is not None or not entry.paused:
        return None
    s = say(ctx, ctx.language)
    text = s.t("exchange.check.paused", text=entry.text)
    text += "\n\n" + entry_text(s, exchange(ctx).taxonomy, ctx.language, entry)
    return outgoing(text, keyboard(entry_rows(s, entry)))


async def offer_invite(ctx: RenderContext, note: OfferInvite) -> OutgoingMessage | None:
    return outgoing(
        say(ctx, ctx.language).t("exchange.invite.monthly"),
        keyboard(invite_rows(ctx, ctx.language)),
    )


async def reciprocity(ctx: RenderContext, note: ReciprocityNudge) -> OutgoingMessage | None:
    counts = await exchange(ctx).after.reciprocity(_resident_id(ctx))
    s = say(ctx, ctx.language)
    if note.nudge == "add_offer":
        if counts.entries:
            return None
        rows = [[button(s.p("exchange.invite.add"), "xo", "reg")]]
        text = s.t("exchange.nudge.add_offer", count=counts.received)
        return outgoing(text, keyboard(rows))
    rows = [[button(s.p("menu.ask"), "m", "ask")]]
    return outgoing(s.t("exchange.nudge.ask_too", count=counts.given), keyboard(rows))


def register(renderers: Renderers) -> None:
    """Install the renderers of the exchange."""
    renderers.post(REQUEST_POST)(request_card)
    renderers.message(ConversationStarted)(started)
    renderers.message(ConversationEnded)(ended)
    renderers.message(ContactShareAsked)(contact_asked)
    renderers.message(ContactShared)(contact_shared)
    renderers.message(DoneProposed)(done_proposed)
    renderers.message(HelpDone)(help_done)
    renderers.message(FeedbackAsk)(feedback)
    renderers.message(ThankYouReceived)(thanks_received)
    renderers.post(THANKS_POST)(thanks_post)
    renderers.message(StillNeeded)(still_needed)
    renderers.message(RequestExpired)(expired)
    renderers.message(EntryCheck)(entry_check)
    renderers.message(EntryPaused)(entry_paused)
    renderers.message(OfferInvite)(offer_invite)
    renderers.message(ReciprocityNudge)(reciprocity)
