"""Pieces the escalation handlers share: crisis numbers, private sends, labels."""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.telegram.render import inline_keyboard
from handlers.context import PatchworkContext
from handlers.say import say
from models.core import ChannelUser, ChatRef
from models.escalation.model import Outcome, WorkerUnreachable
from models.messages import Keyboard
from models.sensitivity import Level, Theme


def crisis_text(context: PatchworkContext, language: str) -> str:
    """112, 113 Zelfmoordpreventie and Veilig Thuis: shown at once, before anything else."""
    return say(context, language).t("escalation.crisis")


async def send_private(
    context: PatchworkContext,
    user: ChannelUser,
    text: str,
    markup: Keyboard | None = None,
) -> None:
    """Send to a person's private chat; WorkerUnreachable when they never opened one."""
    try:
        await context.bot.send_message(
            int(user.external_id),
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(markup),
        )
    except (Forbidden, BadRequest) as err:
        if isinstance(err, BadRequest) and "chat not found" not in err.message.lower():
            raise
        raise WorkerUnreachable() from None


def private_chat(user: ChannelUser) -> ChatRef:
    """The private chat with a person (its id is theirs on Telegram)."""
    return ChatRef(channel=user.channel, chat_id=user.external_id)


def theme_label(context: PatchworkContext, language: str, theme: Theme) -> str:
    """ "Geld en schulden", "Wonen"…"""
    return say(context, language).p(f"escalation.theme.{theme.value}")


def level_label(context: PatchworkContext, language: str, level: Level) -> str:
    """ "professional" or "crisis"."""
    return say(context, language).p(f"escalation.level.{level.value}")


def outcome_label(context: PatchworkContext, language: str, outcome: Outcome) -> str:
    """ "doorverwezen", "opgelost"…"""
    return say(context, language).p(f"escalation.outcome.{outcome.value}")


def local_time(context: PatchworkContext, moment: datetime) -> str:
    """A moment as people in the Netherlands read it: 30-11 10:00."""
    return moment.astimezone(context.services.settings.tz).strftime("%d-%m %H:%M")


def age_text(context: PatchworkContext, language: str, age: timedelta) -> str:
    """ "3 uur", "2 dagen", "10 minuten"."""
    minutes = max(0, int(age.total_seconds() // 60))
    s = say(context, language)
    if minutes < 60:
        return s.p("escalation.age_minutes", count=minutes)
    hours = minutes // 60
    if hours < 48:
        return s.p("escalation.age_hours", count=hours)
    return s.p("escalation.age_days", count=hours // 24)
