"""Drivers and passengers in the details: typed times, fewer seats, no-shows, refusals."""

from __future__ import annotations

from datetime import datetime

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.conftest import AMSTERDAM
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import neighbour, open_rides, publish, say, tap, user_of


async def test_a_typed_time_is_understood_or_asked_again_kindly(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    page = await open_rides(bot, joost)
    await tap(bot, joost, page, "🚙 Ik rijd")
    await tap(bot, joost, joost.private.last, "Morgen")
    assert "Hoe laat vertrek je op dinsdag 1 december?" in (joost.private.last.text or "")
    await say(bot, joost, "na de lunch")
    assert "Die tijd begrijp ik niet" in (joost.private.last.text or "")
    await say(bot, joost, "kwart over 3 's nachts")
    assert "Ritten vertrekken tussen 06:00 en 22:00" in (joost.private.last.text or "")
    await say(bot, joost, "half 11")
    assert "Waar ga je naartoe?" in (joost.private.last.text or "")
    await say(bot, joost, "Markt Oost")
    await tap(bot, joost, joost.private.last, "3")
    await tap(bot, joost, joost.private.last, "📍 Op één verzamelpunt")
    await say(bot, joost, "bij de kerk")
    await say(bot, joost, "10 uur")
    assert "De terugtijd moet na de vertrektijd liggen" in (joost.private.last.text or "")
    await say(bot, joost, "12u")
    await tap(bot, joost, joost.private.last, "1️⃣ Alleen deze keer")
    summary = joost.private.last.text or ""
    assert "dinsdag 1 december om 10:30 (terug rond 12:00)" in summary
    assert "Verzamelen: bij de kerk" in summary
    await tap(bot, joost, joost.private.last, "✅ Rit plaatsen")
    card = group.find("Boodschappenrit naar Markt Oost")
    assert "📍 Verzamelen: bij de kerk" in (card.text or "")


async def test_fewer_seats_means_choosing_who_waits(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    bram = await neighbour(bot, group, street, "Bram")
    await publish(bot, joost, seats="2")
    card = group.find("Boodschappenrit naar")
    await tap(bot, anna, card, "🙋 Ik rij mee")
    await tap(bot, bram, card, "🙋 Ik rij mee")

    page = await open_rides(bot, joost)
    await tap(bot, joost, page, next(b for b in page.buttons if "AH" in b))
    await tap(bot, joost, joost.private.last, "🪑 Aantal plekken aanpassen")
    await tap(bot, joost, joost.private.last, "1")
    choose = joost.private.last
    assert "Kies wie naar de wachtlijst gaat: 1 persoon (gekozen: 0)" in (choose.text or "")
    query = await tap(bot, joost, choose, "✅ Opslaan")
    assert "Kies eerst wie naar de wachtlijst gaat" in (bot.fake.toast(query) or {})["text"]
    await tap(bot, joost, choose, "🪑 Bram")
    await tap(bot, joost, choose, "✅ Opslaan")
    assert "Er rijdt 1 persoon mee:\n1. Anna" in (choose.text or "")
    assert "Wachtlijst (1):</b>" not in (choose.text or "")  # HTML is rendered, not shown
    assert "Wachtlijst (1):\n1. Bram" in (choose.text or "")
    assert "vooraan op de wachtlijst" in (bram.private.last.text or "")
    assert "Nog" not in (card.text or "")
    assert "Vol. 1 persoon op de wachtlijst" in (card.text or "")


async def test_after_the_ride_the_driver_marks_who_was_not_there(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    bram = await neighbour(bot, group, street, "Bram")
    await publish(bot, joost)
    card = group.find("Boodschappenrit naar")
    await tap(bot, anna, card, "🙋 Ik rij mee")
    await tap(bot, bram, card, "🙋 Ik rij mee")

    clock.set(datetime(2026, 12, 1, 10, 5, tzinfo=AMSTERDAM))
    await bot.tick()
    assert "Deze rit is vertrokken." in (card.text or "")
    assert card.buttons == ["🚩 Melden"]
    query = anna.press(card, data="r.b:1")  # an old "Ik rij mee" button
    await bot.settle()
    assert "al vertrokken" in (bot.fake.toast(query) or {})["text"]

    clock.set(datetime(2026, 12, 1, 12, 31, tzinfo=AMSTERDAM))  # an hour after 11:30
    await bot.tick()
    wrap = joost.private.find("Dank je wel voor het rijden, Joost!")
    assert wrap.buttons[:2] == ["🚫 Anna was er niet", "🚫 Bram was er niet"]
    await tap(bot, joost, wrap, "🚫 Bram was er niet")
    assert "Niet gekomen (1):\n1. Bram" in (wrap.text or "")
    assert "↩️ Bram was er toch" in wrap.buttons
    assert "✅ Iedereen was er" not in wrap.buttons
    await tap(bot, joost, wrap, "✅ Klaar")
    assert "Dank je wel voor het rijden" in (wrap.text or "")
    # Feedback is owed to Anna only; it waits for the help exchange's questions.
    async with bot.services.db.read() as tx:
        due = await tx.rides.pending_feedback(10)
    anna_resident = await bot.services.residents.find(user_of(anna))
    assert anna_resident is not None
    assert [d.resident_id for d in due] == [anna_resident.id]


async def test_refusals_are_kind(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    await publish(bot, joost)
    card = group.find("Boodschappenrit naar")
    # Someone in the group who never joined the street.
    stranger = bot.fake.add_user("Stranger")
    bot.fake.add_member(group, stranger)
    query = await tap(bot, stranger, card, "🙋 Ik rij mee")
    assert "Je doet nog niet mee" in (bot.fake.toast(query) or {})["text"]
    # The driver cannot ride along with himself.
    query = await tap(bot, joost, card, "🙋 Ik rij mee")
    assert "Dit is je eigen rit" in (bot.fake.toast(query) or {})["text"]
    # A made-up button.
    query = joost.press(card, data="r.v:999")
    await bot.settle()
    assert "Deze rit bestaat niet meer" in (bot.fake.toast(query) or {})["text"]


async def test_booking_in_the_group_when_the_private_chat_is_closed(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    await publish(bot, joost)
    card = group.find("Boodschappenrit naar")
    anna.block_bot()
    query = await tap(bot, anna, card, "🙋 Ik rij mee")
    toast = (bot.fake.toast(query) or {})["text"]
    assert toast.startswith("Gelukt, je rijdt mee! Open een chat met mij")
    assert "Nog 1 plek vrij van de 2" in (card.text or "")


async def test_my_overview_lists_my_rides(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    anna = await neighbour(bot, group, street, "Anna")
    await publish(bot, joost)
    await tap(bot, anna, group.find("Boodschappenrit naar"), "🙋 Ik rij mee")
    await say(bot, anna, "📋 Mijn overzicht")
    assert "• Ik rijd mee: di 1 dec 10:00 · AH Amsterdamstraat, met Joost" in (
        anna.private.last.text or ""
    )
    await say(bot, joost, "📋 Mijn overzicht")
    assert "• Ik rijd: di 1 dec 10:00 · AH Amsterdamstraat" in (joost.private.last.text or "")


async def test_a_second_tap_on_post_publishes_nothing_twice(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    done = await publish(bot, joost)
    query = joost.press(done, data="r.p:ok")
    await bot.settle()
    assert "Deze knop werkt niet meer" in (bot.fake.toast(query) or {})["text"]
    cards = [m for m in group.bot_messages if "Boodschappenrit naar" in (m.text or "")]
    assert len(cards) == 1


async def test_an_english_speaking_neighbour_books_in_english(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    sam = await neighbour(bot, group, street, "Sam")
    await say(bot, sam, "/language")
    await tap(bot, sam, sam.private.last, "🇬🇧 English")
    await publish(bot, joost)
    card = group.find("Boodschappenrit naar")
    query = await tap(bot, sam, card, "🙋 Ik rij mee")
    assert (bot.fake.toast(query) or {})["text"].startswith("Done, you are coming along!")
    booked = sam.private.find("You are coming along.")
    assert "Tuesday 1 December at 10:00 (back around 11:30)" in (booked.text or "")
    await say(bot, sam, "🚗 Grocery rides")
    page = sam.private.last
    assert "Grocery rides in Oost" in (page.text or "")
    assert any("Tue 1 Dec 10:00" in b for b in page.buttons)


async def test_a_ride_posted_in_two_street_groups_stays_in_step(bot: Harness) -> None:
    zon, _, zonnebloem = await street_group(bot)
    tulp, _, tulpstraat = await street_group(bot, name="Tulpstraat", admin_name="Els")
    joost = await neighbour(bot, zon, zonnebloem, "Joost")
    fatma = await neighbour(bot, tulp, tulpstraat, "Fatma")
    chat = joost.private
    page = await open_rides(bot, joost)
    await tap(bot, joost, page, "🚙 Ik rijd")
    await tap(bot, joost, chat.last, "Morgen")
    await tap(bot, joost, chat.last, "10:00")
    await say(bot, joost, "Markt Oost")
    await tap(bot, joost, chat.last, "3")
    await tap(bot, joost, chat.last, "🏠 Bij de mensen thuis")
    await tap(bot, joost, chat.last, "Weet ik nog niet")
    await tap(bot, joost, chat.last, "1️⃣ Alleen deze keer")
    assert chat.last.buttons[:2] == ["▫️ Tulpstraat", "✅ Zonnebloemstraat"]
    await tap(bot, joost, chat.last, "▫️ Tulpstraat")
    await tap(bot, joost, chat.last, "✅ Zonnebloemstraat")
    assert chat.last.buttons[:2] == ["✅ Tulpstraat", "▫️ Zonnebloemstraat"]
    await tap(bot, joost, chat.last, "▫️ Zonnebloemstraat")
    await tap(bot, joost, chat.last, "➡️ Verder")
    assert "In de groep van: Tulpstraat, Zonnebloemstraat" in (chat.last.text or "")
    await tap(bot, joost, chat.last, "✅ Rit plaatsen")

    cards = [
        zon.find("Boodschappenrit naar Markt Oost"),
        tulp.find("Boodschappenrit naar Markt Oost"),
    ]
    await tap(bot, fatma, cards[1], "🙋 Ik rij mee")
    assert all("Nog 2 plekken vrij van de 3" in (c.text or "") for c in cards)
