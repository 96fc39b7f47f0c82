"""End to end: the small things the sandbox walk-through showed (issue 15, cosmetic).

Each is what a person saw: a sentence twice, a lower-case start, a typed slash that became
a tappable command, a driver asked to tap a ride to ride along.
"""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes

from __future__ import annotations

from datetime import datetime

from bot.sandbox.harness import Harness
from config.i18n import WORD_JOINER
from models.clock import FakeClock
from tests.conftest import AMSTERDAM
from tests.e2e.exchange_helpers import neighbours, post_request, quick_request, say, tap, xbot
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import neighbour, open_rides, publish
from tests.e2e.rides_steps import tap as tap_on

__all__ = ["xbot"]


async def test_typed_slashes_in_a_card_are_not_commands(xbot: Harness) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await post_request(xbot, anna, "Wie helpt met <b>x</b> en /script op mijn pc?")
    card = group.find("Hulpvraag").text
    assert f"/{WORD_JOINER}script" in card
    assert f"</{WORD_JOINER}b>" in card
    assert "/script" not in card


async def test_an_anonymous_thank_you_starts_with_a_capital(xbot: Harness) -> None:
    group, _, (anna, joost) = await neighbours(xbot, "Anna", "Joost")
    await quick_request(xbot, anna, "Wie kan mijn heg snoeien?", "garden", show_name=False)
    joost.press(group.find("Hulpvraag"), "🤝 Ik help")
    await xbot.settle()
    await tap(xbot, anna, "✅ Gelukt, afronden")
    await tap(xbot, anna, "💐 Schrijf een bedankje")
    await say(xbot, anna, "Dank je wel!")
    await tap(xbot, anna, "📣 Ja, ook in de groep")
    assert "Een buur bedankt Joost" in group.find("Bedankt!").text


async def test_the_waiting_list_is_said_once_and_nobody_once(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    bram = await neighbour(bot, group, street, "Bram")
    cor = await neighbour(bot, group, street, "Cor")
    await publish(bot, joost)
    card = group.find("Boodschappenrit naar")
    await tap_on(bot, anna, card, "🙋 Ik rij mee")
    await tap_on(bot, bram, card, "🙋 Ik rij mee")
    await tap_on(bot, cor, card, "📝 Zet me op de wachtlijst")
    waiting = cor.private.find("Je staat op de wachtlijst").text
    assert waiting.lower().count("je staat op de wachtlijst") == 1, waiting
    # The driver of a ride nobody booked: "nobody" once, with the question.
    other = await neighbour(bot, group, street, "Els")
    await publish(bot, other)
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    empty = other.private.last.text
    assert empty.count("niemand mee") == 1, empty


async def test_a_driver_is_not_asked_to_tap_a_ride_to_ride_along(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    await publish(bot, joost)
    home = await open_rides(bot, joost)
    assert "om mee te rijden" not in home.text
    assert "je eigen ritten" in home.text


async def test_a_pop_up_in_a_dutch_group_speaks_the_presser_s_language(xbot: Harness) -> None:
    """Issue 15.12: Tomasz reads English; the group is Dutch; a refusal is his alone."""
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await quick_request(xbot, anna, "Wie kan mijn heg snoeien?", "garden")
    tomasz = xbot.fake.add_user("Tomasz", language_code="en")
    xbot.fake.add_member(group, tomasz)
    query = tomasz.press(group.find("Hulpvraag"), "🤝 Ik help")
    await xbot.settle()
    toast = (xbot.fake.toast(query) or {}).get("text", "")
    assert "You have not joined a street yet" in toast
    assert "‘Doe mee’" in toast  # the button as his Dutch group shows it
    assert "Hulpvraag" in group.find("Hulpvraag").text  # the group itself stays Dutch
