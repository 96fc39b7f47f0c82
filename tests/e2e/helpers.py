"""Steps that many end-to-end tests share: a set-up street, a joined resident."""

from __future__ import annotations

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from models.core import ChatRef, Street


async def street_group(
    bot: Harness,
    name: str = "Zonnebloemstraat",
    neighbourhood: str = "Oost",
    municipality: str = "Vlietstad",
    admin_name: str = "Piet",
) -> tuple[FakeChat, FakeUser, Street]:
    """A group with an administrator, the bot added and set up in one line."""
    admin = bot.fake.add_user(admin_name)
    group = bot.fake.add_group(f"{name} buren", admins=[admin])
    bot.fake.add_bot_to_group(group, by=admin)
    admin.send(f"/setup {name} | {neighbourhood} | {municipality}", chat=group)
    await bot.settle()
    street = await bot.services.streets.by_chat(ChatRef(chat_id=str(group.id)))
    assert street is not None
    return group, admin, street


async def join(bot: Harness, user: FakeUser, street: Street, *, name: str | None = None) -> None:
    """Open the "Doe mee" link, keep (or type) the name, choose Dutch."""
    user.start_bot(f"j{street.join_code}")
    await bot.settle()
    chat = user.private
    if name is None:
        user.press(
            chat.with_button(f"✅ Noem mij {user.first_name}"), f"✅ Noem mij {user.first_name}"
        )
    else:
        user.press(chat.with_button("✏️ Een andere naam"), "✏️ Een andere naam")
        await bot.settle()
        user.send(name)
    await bot.settle()
    user.press(chat.with_button("🇳🇱 Nederlands"), "🇳🇱 Nederlands")
    await bot.settle()


async def resident(bot: Harness, street: Street, first_name: str, **kwargs: object) -> FakeUser:
    """A new Telegram user who has joined the street."""
    user = bot.fake.add_user(first_name, **kwargs)  # type: ignore[arg-type]
    await join(bot, user, street)
    return user
