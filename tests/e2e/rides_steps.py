"""Steps the rides end-to-end tests share: neighbours in the group, publishing by buttons."""

from __future__ import annotations

from bot.sandbox.fake_telegram import FakeChat, FakeUser, Message
from bot.sandbox.harness import Harness
from models.core import ChannelUser, NeighbourhoodRole, Street
from tests.e2e.helpers import resident

RIDES = "🚗 Boodschappenritten"


async def tap(bot: Harness, user: FakeUser, message: Message, label: str) -> str:
    """Press a button and wait until the bot has handled it; returns the query id."""
    query = user.press(message, label)
    await bot.settle()
    return query


async def say(bot: Harness, user: FakeUser, text: str) -> None:
    """Type a message in the private chat and wait for the answer."""
    user.send(text)
    await bot.settle()


async def neighbour(bot: Harness, group: FakeChat, street: Street, name: str) -> FakeUser:
    """A resident who joined the street and is a member of its group chat."""
    user = await resident(bot, street, name)
    bot.fake.add_member(group, user)
    return user


async def open_rides(bot: Harness, user: FakeUser) -> Message:
    """Tap "Boodschappenritten" on the reply keyboard; returns the rides page."""
    await say(bot, user, RIDES)
    return user.private.find("Boodschappenritten in wijk")


async def publish(
    bot: Harness,
    driver: FakeUser,
    *,
    day: str = "Morgen",
    time: str = "10:00",
    destination: str = "AH Amsterdamstraat",
    seats: str = "2",
    back: str = "Rond 11:30",
    weekly: bool = False,
) -> Message:
    """Publish a ride by tapping through the steps; returns the "done" message."""
    chat = driver.private
    page = await open_rides(bot, driver)
    await tap(bot, driver, page, "🚙 Ik rijd")
    await tap(bot, driver, chat.last, day)
    if time in chat.last.buttons:
        await tap(bot, driver, chat.last, time)
    else:
        await say(bot, driver, time)
    await say(bot, driver, destination)
    await tap(bot, driver, chat.last, seats)
    await tap(bot, driver, chat.last, "🏠 Bij de mensen thuis")
    await tap(bot, driver, chat.last, back)
    weekly_label = next(b for b in chat.last.buttons if b.startswith("🔁"))
    await tap(bot, driver, chat.last, weekly_label if weekly else "1️⃣ Alleen deze keer")
    if "➡️ Verder" in chat.last.buttons:
        await tap(bot, driver, chat.last, "➡️ Verder")
    await tap(bot, driver, chat.last, "✅ Rit plaatsen")
    return chat.find("staat in de groep")


async def make_coordinator(bot: Harness, street: Street, user: FakeUser) -> None:
    """The operator gives the coordinator role (as `patchwork role grant` does)."""
    resident_ = await bot.services.residents.find(user_of(user))
    assert resident_ is not None
    await bot.services.coordinators.operator_grant(
        street.neighbourhood_id, resident_.id, NeighbourhoodRole.COORDINATOR
    )
    await bot.settle()


def user_of(user: FakeUser) -> ChannelUser:
    """The channel identity of a fake user, as the handlers build it."""
    return ChannelUser(external_id=str(user.id), first_name=user.first_name)
