"""End to end, as people tap: publish → book → full → waiting list → cancel → moves up →
reminders once each → the driver cancels → everyone is told."""

from __future__ import annotations

from datetime import datetime

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.conftest import AMSTERDAM
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import make_coordinator, neighbour, publish, say, tap


async def test_the_whole_life_of_a_ride(bot: Harness, clock: FakeClock) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    bram = await neighbour(bot, group, street, "Bram")
    cor = await neighbour(bot, group, street, "Cor")
    gijs = await neighbour(bot, group, street, "Gijs")
    await make_coordinator(bot, street, gijs)

    done = await publish(bot, joost)
    assert "Je rit staat in de groep" in (done.text or "")
    card = group.find("Boodschappenrit naar AH Amsterdamstraat")
    assert "dinsdag 1 december om 10:00 (terug rond 11:30)" in (card.text or "")
    assert "Chauffeur: Joost" in (card.text or "")
    assert "Nog 2 plekken vrij van de 2" in (card.text or "")
    assert card.buttons == ["🙋 Ik rij mee", "🚩 Melden"]

    # Anna books with one tap in the group; the details come privately.
    query = await tap(bot, anna, card, "🙋 Ik rij mee")
    assert bot.fake.toast(query) == {
        "text": "Gelukt, je rijdt mee! Ik heb je een berichtje gestuurd.",
        "show_alert": True,
    }
    booked = anna.private.find("Gelukt! Je rijdt mee.")
    assert "huisnummer nog onbekend" in (booked.text or "")
    assert "Nog 1 plek vrij van de 2" in (card.text or "")
    # She gives her house number; only the driver will see it.
    await tap(bot, anna, booked, "🏠 Huisnummer doorgeven")
    await say(bot, anna, "12a")
    assert "Ophalen: thuis, Zonnebloemstraat 12a" in (anna.private.last.text or "")

    # Bram takes the last seat: the card turns into a waiting-list card.
    await tap(bot, bram, card, "🙋 Ik rij mee")
    assert (card.text or "").endswith("🪑 Vol.")
    assert card.buttons == ["📝 Zet me op de wachtlijst", "🚩 Melden"]
    await tap(bot, cor, card, "📝 Zet me op de wachtlijst")
    assert "Je staat op de wachtlijst" in (cor.private.last.text or "")
    assert "Vol. 1 persoon op de wachtlijst" in (card.text or "")
    assert "12a" not in (card.text or "")

    # Anna cannot come after all: Cor moves up at once and is told.
    view = anna.private.with_button("✖️ Afmelden")
    await tap(bot, anna, view, "✖️ Afmelden")
    await tap(bot, anna, anna.private.last, "✖️ Ja, afmelden")
    assert "Je bent afgemeld" in (anna.private.last.text or "")
    assert "Er is een plek vrijgekomen!" in (cor.private.last.text or "")
    assert (card.text or "").endswith("🪑 Vol.")

    # The evening before at 18:00: driver and passengers, once each.
    before = len(bot.fake.sent_texts())
    clock.set(datetime(2026, 11, 30, 17, 59, tzinfo=AMSTERDAM))
    await bot.tick()
    assert len(bot.fake.sent_texts()) == before
    clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    evening = joost.private.find("Morgen rijd je")
    assert "1. Bram — thuis, Zonnebloemstraat" in (evening.text or "")
    assert "2. Cor — thuis, Zonnebloemstraat" in (evening.text or "")
    assert "Morgen rijd je mee" in (bram.private.last.text or "")
    assert "Morgen rijd je mee" in (cor.private.last.text or "")
    assert not any("Morgen rijd je mee" in t for t in anna.private.texts())
    sent = len(bot.fake.sent_texts())
    await bot.tick()
    clock.set(datetime(2026, 11, 30, 20, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    assert len(bot.fake.sent_texts()) == sent

    # One hour before: once more, once each.
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    await bot.tick()
    assert sum("Over een uur vertrek je" in t for t in joost.private.texts()) == 1
    assert sum("Over een uur rijd je mee" in t for t in bram.private.texts()) == 1
    assert sum("Over een uur rijd je mee" in t for t in cor.private.texts()) == 1

    # Joost falls ill: everyone on the ride and the coordinator hear it at once.
    reminder = joost.private.find("Over een uur vertrek je")
    await tap(bot, joost, reminder, "👀 Bekijk de rit")
    await tap(bot, joost, joost.private.last, "❌ Rit afzeggen")
    assert "Ik laat het 2 mensen meteen weten" in (joost.private.last.text or "")
    await tap(bot, joost, joost.private.last, "❌ Ja, afzeggen")
    for passenger in (bram, cor):
        assert "Helaas, de rit gaat niet door." in (passenger.private.last.text or "")
    told = gijs.private.find("heeft de rit van dinsdag 1 december om 10:00")
    assert "Bram" in (told.text or "")
    assert "Deze rit gaat niet door." in (card.text or "")
    assert card.buttons == ["🚩 Melden"]
