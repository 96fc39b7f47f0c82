"""Steps the exchange's end-to-end tests share."""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes

from __future__ import annotations

import pytest

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from handlers.guard import SpamGuard
from models.core import ChannelUser, Street
from models.exchange.model import Availability, RegisterEntry, Request, RequestKind
from models.exchange.requests import Draft
from tests.e2e.helpers import resident, street_group


@pytest.fixture
async def xbot(bot: Harness) -> Harness:
    """The bot, without the one-message-per-second wait per private chat.

    Walks through the exchange send many messages to the same person, and a person taps
    more than 20 times a minute; both guards are tested with the foundation, here they
    would only make the tests slow (or drop taps).
    """
    assert bot.app is not None
    bot.app.bot.rate_limiter._private_rate = 0  # type: ignore[union-attr]
    bot.app.bot_data.spam = SpamGuard(1000)
    return bot


async def tap(bot: Harness, user: FakeUser, label: str) -> None:
    """Press the newest button with this label in the user's private chat, then settle."""
    user.press(user.private.with_button(label), label)
    await bot.settle()


async def say(bot: Harness, user: FakeUser, text: str) -> None:
    """Type a message in the private chat, then settle."""
    user.send(text)
    await bot.settle()


async def neighbours(
    bot: Harness, *names: str, usernames: bool = False
) -> tuple[FakeChat, Street, list[FakeUser]]:
    """A set-up street group with residents who joined and are members of the group."""
    group, _, street = await street_group(bot)
    users = []
    for name in names:
        kwargs = {"username": name.lower() + "_tg"} if usernames else {}
        user = await resident(bot, street, name, **kwargs)
        bot.fake.add_member(group, user)
        users.append(user)
    return group, street, users


async def add_entry(
    bot: Harness,
    user: FakeUser,
    text: str,
    category: str,
    when: str = "In het weekend",
    *,
    on_card: bool = True,
) -> None:
    """Put something in "wie kan wat" through the buttons."""
    await tap(bot, user, "🤝 Ik kan helpen")
    await tap(bot, user, "📋 Zet me in ‘wie kan wat’")
    await say(bot, user, text)
    await tap(bot, user, category)
    await tap(bot, user, when)
    await tap(bot, user, "Ja, mag op de kaart" if on_card else "Nee, liever niet")


async def post_request(
    bot: Harness,
    user: FakeUser,
    text: str,
    *,
    when: str = "Deze week",
    show_name: bool = True,
    offer: bool = False,
    keep_contacts: bool = False,
) -> None:
    """Ask the street for help (or make a one-off offer) through the buttons.

    A text with contact details is asked about first: they are taken out, unless
    `keep_contacts` (the resident chooses to leave them in)."""
    if offer:
        await tap(bot, user, "🤝 Ik kan helpen")
        await tap(bot, user, "🎁 Eenmalig iets aanbieden")
    else:
        await tap(bot, user, "🙋 Ik zoek hulp")
    await say(bot, user, text)
    if "Laat het staan" in user.private.last.buttons:
        await tap(bot, user, "Laat het staan" if keep_contacts else user.private.last.buttons[0])
    if user.private.last.buttons and user.private.last.buttons[0] == "Ja":
        await tap(bot, user, "Ja")
    else:
        await tap(bot, user, "✨ Iets anders")
    await tap(bot, user, when)
    label = f"Toon mijn voornaam ({user.first_name})" if show_name else "Plaats als ‘een buur’"
    await tap(bot, user, label)
    await tap(bot, user, "📣 Plaats mijn aanbod" if offer else "📣 Plaats mijn vraag")


def channel_user(user: FakeUser) -> ChannelUser:
    """The fake user as the domain knows them."""
    return ChannelUser(external_id=str(user.id), first_name=user.first_name)


async def quick_resident(
    bot: Harness, group: FakeChat, street: Street, name: str, **kwargs: str
) -> FakeUser:
    """A resident who joined through the service (quicker than tapping; same state)."""
    user = bot.fake.add_user(name, **kwargs)  # type: ignore[arg-type]
    user.started = True
    assert user.private is not None  # the private chat exists, as after /start
    bot.fake.add_member(group, user)
    await bot.services.residents.join(channel_user(user), street.join_code, name, "nl")
    return user


async def quick_entry(
    bot: Harness,
    user: FakeUser,
    text: str,
    category: str,
    availability: Availability = Availability.WEEKENDS,
) -> RegisterEntry:
    """An entry in "wie kan wat" added through the service."""
    return await bot.services.exchange.register.add(
        channel_user(user),
        category=category,
        text=text,
        availability=availability,
        on_card=True,
    )


async def quick_request(
    bot: Harness,
    user: FakeUser,
    text: str,
    category: str,
    *,
    offer: bool = False,
    show_name: bool = True,
) -> Request:
    """A request (or offer) posted through the service; its card is delivered."""
    kind = RequestKind.OFFER if offer else RequestKind.ASK
    posted = await bot.services.exchange.requests.post(
        channel_user(user),
        Draft(kind=kind, category=category, text=text, show_name=show_name),
    )
    bot.services.wake_outbox()
    await bot.settle()
    return posted.request
