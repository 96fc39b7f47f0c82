"""After the help: the bedankje, two feedback questions, invitations, "Mijn overzicht"."""

from __future__ import annotations

from telegram import Update

from handlers import flows
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, friendly, keep_answer, keyboard, send, show, who
from handlers.context import PatchworkContext
from handlers.exchange import register
from handlers.exchange.common import entry_line, exchange, snippet
from handlers.menu import Section, overview_section
from handlers.say import HasServices, say
from models.core import ChannelUser, Language
from models.errors import StaleAction
from models.exchange.model import HelpfulAnswer, RegisterEntry
from models.exchange.thanks_flow import ThanksFlow
from models.messages import Button
from models.residents import Profile

# The bedankje is a channel-neutral flow (models/exchange/thanks_flow.py).
THANKS = flows.serve(lambda services: ThanksFlow(services.exchange), ThanksFlow)


@on_press("xf")
@friendly
async def on_feedback(update: Update, context: PatchworkContext) -> None:
    """ "Heeft dit geholpen?" then "Kende je elkaar al?"."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    language = me.language
    question = callback.arg(0)
    conversation_id = callback.int_arg(1)
    after = exchange(context).after
    s = say(context, language)
    if question == "h":
        await after.answer(me.user, conversation_id, helped=HelpfulAnswer(callback.arg(2)))
        view = await exchange(context).relay.open_view(me.user, conversation_id)
        rows = [
            [
                button(s.p("exchange.yes"), "xf", "k", conversation_id, 1),
                button(s.p("exchange.no"), "xf", "k", conversation_id, 0),
            ]
        ]
        # The answer stays on the first question; the next one comes as a new message,
        # at the bottom of the chat, where it is seen (an edited old message is missed).
        await keep_answer(update)
        await send(update, s.t("exchange.feedback.knew", name=view.other_name), keyboard(rows))
    elif question == "k":
        await after.answer(me.user, conversation_id, knew_before=callback.arg(2) == "1")
        await keep_answer(update)
        await send(update, s.t("exchange.feedback.thanks"))
    else:
        raise StaleAction()


def feedback_rows(
    context: HasServices, language: Language, conversation_id: int
) -> list[list[Button]]:
    """The three answers to "Heeft dit geholpen?"."""
    return [
        [
            button(
                say(context, language).p(f"exchange.feedback.{a.value}"),
                "xf",
                "h",
                conversation_id,
                a.value,
            )
            for a in HelpfulAnswer
        ]
    ]


@on_press("xi")
@friendly
async def on_invite(update: Update, context: PatchworkContext) -> None:
    """Answers to the invitation to add something to "wie kan wat"."""
    assert update.callback_query is not None
    choice = decode(update.callback_query.data).arg(0)
    me = await who(update, context)
    s = say(context, me.language)
    if choice == "add":
        await register.start_entry(update, context)
    elif choice == "later":
        await show(update, s.t("exchange.invite.later"))
    elif choice == "never":
        await exchange(context).register.stop_invites(me.user)
        await show(update, s.t("exchange.invite.never_done"))
    else:
        raise StaleAction()


def invite_rows(context: HasServices, language: Language) -> list[list[Button]]:
    """Add something, later, or never ask again."""
    s = say(context, language)
    return [
        [button(s.p("exchange.invite.add"), "xi", "add")],
        [
            button(s.p("exchange.invite.later_button"), "xi", "later"),
            button(s.p("exchange.invite.never"), "xi", "never"),
        ],
    ]


async def after_join(update: Update, context: PatchworkContext, language: Language) -> None:
    """Right after joining: everyone has something to give; invite gently, once."""
    me = await who(update, context)
    await exchange(context).register.invited(me.user)
    s = say(context, language)
    await send(
        update,
        s.t("exchange.invite.text"),
        keyboard(
            [
                [button(s.p("exchange.invite.add"), "xi", "add")],
                [button(s.p("exchange.invite.later_button"), "xi", "later")],
            ]
        ),
    )


# "Mijn overzicht" ------------------------------------------------------------------------


@overview_section
async def my_entries(context: PatchworkContext, profile: Profile, language: Language) -> Section:
    """What I offer in "wie kan wat"."""
    user_entries = await _entries(context, profile)
    s = say(context, language)
    if not user_entries:
        return Section(
            s.t("exchange.mine.no_entries"),
            [[button(s.p("exchange.invite.add"), "xo", "reg")]],
        )
    lines = [s.t("exchange.mine.entries_title")]
    rows: list[list[Button]] = []
    for entry in user_entries:
        lines.append(entry_line(context, language, entry))
        rows.append([button("✏️ " + snippet(entry.text, 30), "xm", "show", entry.id)])
    return Section("\n".join(lines), rows)


def _user(profile: Profile) -> ChannelUser:
    """The profile's resident as a channel user (the services take one)."""
    resident = profile.resident
    return ChannelUser(channel=resident.channel or "", external_id=resident.external_id or "")


async def _entries(context: PatchworkContext, profile: Profile) -> list[RegisterEntry]:
    return list(await exchange(context).register.mine(_user(profile)))


@overview_section
async def my_requests(
    context: PatchworkContext, profile: Profile, language: Language
) -> Section | None:
    """My requests and offers that are not finished."""
    user = _user(profile)
    requests = await exchange(context).requests.mine(user)
    if not requests:
        return None
    s = say(context, language)
    lines = [s.t("exchange.mine.requests_title")]
    rows: list[list[Button]] = []
    for request in requests:
        state = s.p(f"exchange.mine.state_{request.status.value}")
        lines.append(s.t("exchange.mine.request", text=snippet(request.text), state=state))
        rows.append([button("📌 " + snippet(request.text, 30), "xr", "show", request.id)])
    return Section("\n".join(lines), rows)


@overview_section
async def my_conversations(
    context: PatchworkContext, profile: Profile, language: Language
) -> Section | None:
    """Conversations through the bot, the current one marked."""
    user = _user(profile)
    views = await exchange(context).relay.mine(user)
    if not views:
        return None
    s = say(context, language)
    lines = [s.t("exchange.mine.conversations_title")]
    rows: list[list[Button]] = []
    for view in views:
        key = (
            "exchange.mine.conversation_current" if view.current else "exchange.mine.conversation"
        )
        lines.append(s.t(key, name=view.other_name, subject=snippet(view.subject)))
        rows.append([button("💬 " + view.other_name, "xc", "cur", view.id)])
    return Section("\n".join(lines), rows)


@overview_section
async def my_reciprocity(
    context: PatchworkContext, profile: Profile, language: Language
) -> Section:
    """How often I helped and was helped: for my eyes only, no points, no ranking."""
    counts = await exchange(context).after.reciprocity(profile.resident.id)
    return Section(
        say(context, language).t(
            "exchange.mine.together",
            given=counts.given,
            received=counts.received,
        )
    )
