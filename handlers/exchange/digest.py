"""The exchange in the weekly digest, and the feedback questions after a grocery ride.

- "Ik help" under each open request of the digest (the same `xh` press as on the group
  card: the service re-checks that the request is still open, so a digest from days ago
  answers politely that someone already helps or that it is closed);
- the invitation line opens "Ik kan helpen" for members (`xk<join code>`), and lets
  everyone else join the street first (joining ends with the same invitation);
- "Heeft dit geholpen?" / "Kende je elkaar al?" after a ride (`xg`), stored with the
  exchange's other feedback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel.dates import format_date
from telegram import Update

from bot.outbox import RenderContext, Renderers
from handlers import start
from handlers.buttons import on_press
from handlers.callbacks import decode
from handlers.common import button, friendly, keyboard, show, who
from handlers.context import PatchworkApp, PatchworkContext
from handlers.digest.render import digest_button
from handlers.exchange.common import exchange, snippet
from handlers.menu import run_menu_item
from handlers.say import HasServices, say
from models.core import Language, Street
from models.digest.model import DigestItem, ItemAction
from models.digest.sources import ACTION_HELP, ACTION_INVITE
from models.errors import StaleAction
from models.exchange.model import HelpfulAnswer
from models.exchange.notifications import RideFeedbackAsk
from models.messages import Button, OutgoingMessage, link, outgoing, press
from models.rides.model import BookingStatus

if TYPE_CHECKING:
    from bot.services import Services

INVITE_LINK = "xk"
RIDE_FEEDBACK = "xg"
BUTTON_TEXT = 28


@digest_button(ACTION_HELP)
def help_button(
    services: Services, language: str, street: Street | None, item: DigestItem, action: ItemAction
) -> Button:
    """ "🤝 Ik help Mo: lamp ophangen" — one per open request in the digest."""
    name = item.params.get("name")
    text = snippet(item.params.get("text", ""), BUTTON_TEXT)
    if name:
        label = services.i18n.plain(language, "exchange.digest.help", name=name, text=text)
    else:
        label = services.i18n.plain(language, "exchange.digest.help_anonymous", text=text)
    return press(label, "xh", action.ref_id)


@digest_button(ACTION_INVITE)
def invite_button(
    services: Services, language: str, street: Street | None, item: DigestItem, action: ItemAction
) -> Button | None:
    """ "🤝 Ik kan helpen": a link that opens the offering steps in a private chat."""
    if street is None or not services.bot_username:
        return None
    url = f"https://t.me/{services.bot_username}?start={INVITE_LINK}{street.join_code}"
    return link(services.i18n.plain(language, "menu.offer"), url)


@start.deep_link(INVITE_LINK)
async def on_invite_link(update: Update, context: PatchworkContext, code: str) -> None:
    """From the digest: members go straight to "Ik kan helpen"; others join first."""
    me = await who(update, context)
    preview = await context.services.residents.preview_join(me.user, code)
    if preview.already_member:
        await run_menu_item(update, context, "offer")
    else:
        await start.begin_join(update, context, code)


# After a ride -----------------------------------------------------------------------


def ride_feedback_rows(
    context: HasServices, language: Language, ride_id: int
) -> list[list[Button]]:
    """The three answers to "Heeft dit geholpen?" about a ride."""
    return [
        [
            button(
                say(context, language).p(f"exchange.feedback.{a.value}"),
                RIDE_FEEDBACK,
                "h",
                ride_id,
                a.value,
            )
            for a in HelpfulAnswer
        ]
    ]


async def ride_feedback(ctx: RenderContext, note: RideFeedbackAsk) -> OutgoingMessage | None:
    """The questions after a ride, drawn when they go out (skipped if nothing to ask)."""
    recipient = ctx.recipient.id
    if recipient is None:
        return None
    found = await ctx.services.rides.passenger(note.ride_id, recipient)
    if found is None or found[1].booking.status is not BookingStatus.BOOKED:
        return None  # the driver said meanwhile that this passenger was not there
    card = found[0]
    asked = await exchange(ctx).after.ride_feedback(note.ride_id, recipient)
    if asked is None or asked.answered_at is not None:
        return None
    text = say(ctx, ctx.language).t(
        "exchange.feedback.ride_helped",
        day=format_date(card.ride.local_date, "EEEE d MMMM", locale=ctx.language),
        destination=card.ride.destination,
        driver=card.driver_name,
    )
    return outgoing(text, keyboard(ride_feedback_rows(ctx, ctx.language, note.ride_id)))


@on_press(RIDE_FEEDBACK)
@friendly
async def on_ride_feedback(update: Update, context: PatchworkContext) -> None:
    """ "Heeft dit geholpen?" then "Kende je elkaar al?", about a ride."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    me = await who(update, context)
    language = me.language
    question = callback.arg(0)
    ride_id = callback.int_arg(1)
    after = exchange(context).after
    s = say(context, language)
    if question == "h":
        answers = {a.value: a for a in HelpfulAnswer}
        if callback.arg(2) not in answers:
            raise StaleAction()
        await after.answer_ride(me.user, ride_id, helped=answers[callback.arg(2)])
        card = await context.services.rides.card(ride_id)
        driver = card.driver_name if card else s.p("exchange.card.a_neighbour")
        rows = [
            [
                button(s.p("exchange.yes"), RIDE_FEEDBACK, "k", ride_id, 1),
                button(s.p("exchange.no"), RIDE_FEEDBACK, "k", ride_id, 0),
            ]
        ]
        await show(update, s.t("exchange.feedback.knew", name=driver), keyboard(rows))
    elif question == "k":
        await after.answer_ride(me.user, ride_id, knew_before=callback.arg(2) == "1")
        await show(update, s.t("exchange.feedback.thanks"))
    else:
        raise StaleAction()


def register(app: PatchworkApp) -> None:
    """Install the ride feedback buttons (the digest buttons register on import)."""


def register_renderers(outbox: Renderers) -> None:
    """Install the renderer of the questions after a ride."""
    outbox.message(RideFeedbackAsk)(ride_feedback)
