"""End to end: the whole help exchange, from an offer in the register to feedback."""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes

from __future__ import annotations

from bot.sandbox.harness import Harness
from tests.e2e.exchange_helpers import say, tap, xbot
from tests.e2e.helpers import resident, street_group

__all__ = ["xbot"]


async def test_full_walk(xbot: Harness) -> None:
    bot = xbot
    group, _, street = await street_group(bot)
    bram = await resident(bot, street, "Bram", username="bram_nl")
    anna = await resident(bot, street, "Anna", username="anna78")
    bot.fake.add_member(group, bram)
    bot.fake.add_member(group, anna)

    # Bram puts his ladder in "wie kan wat".
    await tap(bot, bram, "🤝 Ik kan helpen")
    await tap(bot, bram, "📋 Zet me in ‘wie kan wat’")
    await say(bot, bram, "ladder lenen")
    await tap(bot, bram, "🔧 Gereedschap lenen")
    await tap(bot, bram, "In het weekend")
    await tap(bot, bram, "Ja, mag op de kaart")
    assert "Je staat nu in ‘wie kan wat’" in bram.private.last.text

    # Anna searches and finds Bram.
    await tap(bot, anna, "🔎 Wie kan wat?")
    await say(bot, anna, "ladder")
    results = anna.private.find("Wie kan helpen met")
    assert "Bram (Zonnebloemstraat)" in results.text
    assert "bram_nl" not in results.text
    await tap(bot, anna, "💬 1. Vraag Bram")
    assert "Je praat nu met Bram" in anna.private.find("Je praat nu met").text
    assert "Anna wil je iets vragen" in bram.private.find("wil je iets vragen").text

    # A relayed conversation, both ways, with a photo.
    await say(bot, anna, "Hoi Bram, mag ik zaterdag je ladder lenen?")
    relayed = bram.private.find("mag ik zaterdag je ladder lenen")
    assert "Anna" in relayed.text
    assert "anna78" not in relayed.text
    await say(bot, bram, "Natuurlijk! Ik breng hem om 10 uur.")
    assert "Ik breng hem om 10 uur" in anna.private.find("Ik breng hem").text
    anna.send_photo(caption="Dit is de dakgoot")
    await bot.settle()
    assert bram.private.bot_messages[-1].photo is not None

    # Contact details only after both agreed.
    await tap(bot, anna, "📇 Deel mijn contactgegevens")
    assert "Pas als jullie allebei ja zeggen" in anna.private.last.text
    assert not any("anna78" in text for text in bram.private.texts())
    await tap(bot, bram, "📇 Ja, deel de mijne")
    assert "@anna78" in bram.private.find("Dit zijn die van Anna").text
    assert "@bram_nl" in anna.private.find("Dit zijn die van Bram").text

    # Anna asks the street for help with her hedge.
    await tap(bot, anna, "🙋 Ik zoek hulp")
    await say(bot, anna, "Wie kan mijn heg snoeien?")
    await tap(bot, anna, "Ja")
    await tap(bot, anna, "Deze week")
    await tap(bot, anna, "Toon mijn voornaam (Anna)")
    await tap(bot, anna, "📣 Plaats mijn vraag")
    card = group.find("Hulpvraag")
    assert "Anna" in card.text
    assert "Wie kan mijn heg snoeien?" in card.text
    assert card.buttons == ["🤝 Ik help", "🚩 Melden"]

    # Bram helps; the group card no longer offers "Ik help".
    bram.press(card, "🤝 Ik help")
    await bot.settle()
    assert card.edited
    assert card.buttons == ["🚩 Melden"]
    assert "Er helpt al een buur" in card.text
    assert "Goed nieuws! Bram wil je helpen" in anna.private.find("Goed nieuws").text

    # Anna marks it done, thanks Bram in the group, answers the feedback.
    await tap(bot, anna, "✅ Gelukt, afronden")
    assert "Gelukt!" in card.text
    await tap(bot, anna, "💐 Schrijf een bedankje")
    await say(bot, anna, "Dank je Bram, de heg is prachtig!")
    await tap(bot, anna, "📣 Ja, ook in de groep")
    thanks = group.find("Bedankt!")
    assert "Anna bedankt Bram" in thanks.text
    assert "de heg is prachtig" in thanks.text
    assert "de heg is prachtig" in bram.private.find("Een bedankje van Anna").text
    await tap(bot, anna, "Een beetje")
    await tap(bot, anna, "Nee")
    assert "Zo laten we zien" in anna.private.find("Dank je wel!").text
    await tap(bot, bram, "Ja")
    summary = await bot.services.exchange.after.feedback_summary(
        [street.id], bot.clock.now().replace(year=2000), bot.clock.now().replace(year=2100)
    )
    assert summary.helped == {"little": 1, "yes": 1}
    assert summary.new_connections == 1
