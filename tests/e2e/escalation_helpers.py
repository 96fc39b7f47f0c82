"""Steps the escalation and moderation end-to-end tests share."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.sandbox.fake_telegram import FakeChat, FakeTelegram, FakeUser
from bot.sandbox.harness import Harness, running_bot
from models.clock import FakeClock

PRO = "🧑‍⚕️ Ik heb hulp van een professional nodig"


@asynccontextmanager
async def bot_with_operator(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The bot with an operator chat (for link codes and 72-hour alerts)."""
    fake = FakeTelegram(now=clock.now)
    operator = fake.add_user("Olga")
    chat = fake.add_group("Patchwork beheer", admins=[operator])
    chat.bot_member = True
    async with running_bot(
        tmp_path / "bot.sqlite3", clock=clock, fake=fake, operator_chat_id=chat.id
    ) as harness:
        yield harness


def operator_chat(bot: Harness) -> FakeChat:
    """The operator chat of bot_with_operator."""
    chat_id = bot.settings.operator_chat_id
    assert chat_id is not None
    return bot.fake.chats[chat_id]


async def team(
    bot: Harness,
    neighbourhood: str = "Oost",
    municipality: str = "Vlietstad",
    worker: str = "Samira",
) -> tuple[FakeChat, FakeUser]:
    """A community workers' group linked as the moderators chat with a one-time code."""
    _, code = await bot.services.moderators.issue_code(neighbourhood, municipality)
    samira = bot.fake.add_user(worker)
    group = bot.fake.add_group(f"Wijkteam {neighbourhood}", admins=[samira])
    bot.fake.add_bot_to_group(group, by=samira)
    samira.send(f"/koppel {code.code}", chat=group)
    samira.start_bot()
    await bot.settle()
    group.find("Deze groep is nu de groep van het wijkteam")
    return group, samira


async def tap(bot: Harness, user: FakeUser, chat: FakeChat, label: str) -> str:
    """Press the newest button with this label in a chat and wait for the bot."""
    query = user.press(chat.with_button(label), label)
    await bot.settle()
    return query


async def say(bot: Harness, user: FakeUser, text: str, chat: FakeChat | None = None) -> None:
    """Type a message and wait for the bot."""
    user.send(text, chat=chat)
    await bot.settle()


async def open_case(
    bot: Harness, anna: FakeUser, *, theme: str = "💶 Geld en schulden", text: str | None = None
) -> None:
    """Route 1 through the buttons: theme, optional text, through this chat, consent."""
    await say(bot, anna, PRO)
    await tap(bot, anna, anna.private, theme)
    if text is None:
        await tap(bot, anna, anna.private, "⏭ Overslaan")
    else:
        await say(bot, anna, text)
    await tap(bot, anna, anna.private, "💬 Via deze chat")
    await tap(bot, anna, anna.private, "✅ Ja, dat mag")


def group_leaks(bot: Harness, *secrets: str) -> list[str]:
    """Every call to any group chat (street or moderators) that carries one of the secrets."""
    leaks = []
    for call in bot.fake.calls:
        chat_id = call.params.get("chat_id")
        try:
            is_group = int(chat_id) < 0  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if not is_group:
            continue
        blob = json.dumps(call.params, ensure_ascii=False)
        leaks.extend(f"{call.method}: {s}" for s in secrets if s.lower() in blob.lower())
    return leaks


def code_in(text: str) -> str:
    """The link code in the operator's message."""
    match = re.search(r"/koppel ([A-Z0-9]{8})", text)
    assert match is not None, text
    return match.group(1)
