"""End to end: keeping one's own entries right, neighbourhood scope, other ways to finish."""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes

from __future__ import annotations

from bot.sandbox.harness import Harness
from models.exchange.model import Availability
from tests.e2e.exchange_helpers import (
    add_entry,
    channel_user,
    neighbours,
    quick_entry,
    quick_request,
    quick_resident,
    say,
    tap,
    xbot,
)
from tests.e2e.helpers import street_group

__all__ = ["xbot"]


async def test_own_entry_can_be_edited_paused_taken_off_the_card_and_removed(
    xbot: Harness,
) -> None:
    bot = xbot
    _, _, (bram,) = await neighbours(bot, "Bram")
    await add_entry(bot, bram, "ladder lenen", "🔧 Gereedschap lenen")
    await tap(bot, bram, "📋 Mijn overzicht")
    assert "ladder lenen — in het weekend" in bram.private.last.text
    await tap(bot, bram, "✏️ ladder lenen")
    await tap(bot, bram, "✏️ Tekst")
    await say(bot, bram, "lange ladder lenen (4 meter)")
    assert "lange ladder lenen (4 meter)" in bram.private.last.text
    await tap(bot, bram, "🕒 Wanneer")
    await tap(bot, bram, "’s Avonds")
    assert "Wanneer: ’s avonds" in bram.private.last.text  # mid-line: lower case (15)
    await tap(bot, bram, "🖨 Van de straatkaart af")
    assert "Op de straatkaart: Nee" in bram.private.last.text
    street_id = (await bot.services.exchange.register.mine(channel_user(bram)))[0].street_id
    assert await bot.services.exchange.register.card(street_id) == []
    await tap(bot, bram, "🗑 Weghalen")
    await tap(bot, bram, "Ja, haal het weg")
    assert "Het is weggehaald" in bram.private.last.text
    assert await bot.services.exchange.register.mine(channel_user(bram)) == []


async def test_search_shows_own_street_first_then_the_neighbourhood(xbot: Harness) -> None:
    bot = xbot
    _, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    other_group, _, other_street = await street_group(bot, "Tulpstraat", admin_name="Kees")
    far_group, _, far_street = await street_group(
        bot, "Dijkweg", neighbourhood="West", admin_name="Joop"
    )
    cees = await quick_resident(bot, other_group, other_street, "Cees")
    dirk = await quick_resident(bot, far_group, far_street, "Dirk")
    await quick_entry(bot, cees, "ladder en trap lenen", "tools")
    await quick_entry(bot, dirk, "ladder lenen", "tools")
    await quick_entry(bot, bram, "boormachine lenen", "tools", Availability.EVENINGS)
    await say(bot, anna, "/wiekanwat ladder")
    results = anna.private.last
    assert "1. Bram (Zonnebloemstraat)" in results.text
    assert "2. Cees (Tulpstraat)" in results.text
    assert "Dirk" not in results.text, "another neighbourhood is out of scope"
    await say(bot, anna, "/wiekanwat lapop")
    assert "Ik vond nog niemand voor “lapop”" in anna.private.last.text
    await tap(bot, anna, "🙋 Vraag het in de groep")
    assert "Gaat het over: 💻 Computer en telefoon?" in anna.private.last.text


async def test_helper_proposes_done_and_private_thanks_stay_out_of_the_group(
    xbot: Harness,
) -> None:
    bot = xbot
    group, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    await quick_request(bot, anna, "Wie kan mijn heg snoeien?", "garden")
    card = group.find("Hulpvraag")
    bram.press(card, "🤝 Ik help")
    await bot.settle()
    await tap(bot, bram, "🏁 Klaar? Vraag het na")
    assert "Ik vraag Anna of het klaar is" in bram.private.last.text
    question = anna.private.find("Bram vraagt: is")
    anna.press(question, "✅ Gelukt, afronden")
    await bot.settle()
    assert "Gelukt!" in card.text
    assert bram.private.find("Dank je wel voor je hulp")
    before = len(group.bot_messages)
    await tap(bot, anna, "💐 Schrijf een bedankje")
    await say(bot, anna, "Super bedankt!")
    await tap(bot, anna, "💌 Nee, alleen aan Bram")
    assert "Super bedankt!" in bram.private.find("Een bedankje van Anna").text
    assert len(group.bot_messages) == before
    await tap(bot, anna, "📋 Mijn overzicht")
    assert "Buren hielpen jou 1 keer" in anna.private.find("Samen").text
    await tap(bot, bram, "📋 Mijn overzicht")
    assert "Je hielp buren 1 keer" in bram.private.find("Samen").text


async def test_register_conversation_ends_with_ik_ben_geholpen(xbot: Harness) -> None:
    bot = xbot
    _, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    await quick_entry(bot, bram, "ladder lenen", "tools")
    await say(bot, anna, "/wiekanwat ladder")
    await tap(bot, anna, "💬 1. Vraag Bram")
    anna.send_voice()
    await bot.settle()
    assert bram.private.bot_messages[-1].voice is not None
    assert "Anna" in (bram.private.bot_messages[-1].caption or "")
    await tap(bot, anna, "✅ Ik ben geholpen")
    assert anna.private.find("Wil je Bram bedanken?")
    assert bram.private.find("Dank je wel voor je hulp")
    await tap(bot, anna, "Nee, dank je")
    await tap(bot, anna, "Ja")
    await tap(bot, anna, "Ja")
    assert anna.private.find("Zo laten we zien")


async def test_a_5000_character_search_gets_a_kind_answer(xbot: Harness) -> None:
    bot = xbot
    _, _, (anna,) = await neighbours(bot, "Anna")
    await say(bot, anna, "/wiekanwat " + "ladder " * 715)
    answer = anna.private.last.text or ""
    assert "Dat is te lang" in answer
    assert "maximaal 120 tekens" in answer
    assert "Er ging iets mis" not in " ".join(anna.private.texts())
