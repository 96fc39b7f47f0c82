"""A coordinator registers a neighbour without Telegram and books a seat for her."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.conftest import AMSTERDAM
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import make_coordinator, neighbour, open_rides, publish, say, tap


async def test_coordinator_books_for_a_neighbour_without_telegram(
    bot: Harness, clock: FakeClock
) -> None:
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    gijs = await neighbour(bot, group, street, "Gijs")
    anna = await neighbour(bot, group, street, "Anna")
    await publish(bot, joost, seats="1")

    # Not a coordinator yet: no coordinator button, and the button itself refuses.
    page = await open_rides(bot, gijs)
    assert "🧭 Coördinator" not in page.buttons
    query = gijs.press(page, data="r.c")
    await bot.settle()
    assert "Alleen een coördinator" in (bot.fake.toast(query) or {}).get("text", "")

    await make_coordinator(bot, street, gijs)
    assert "Je bent nu coördinator" in (gijs.private.last.text or "")
    await tap(bot, gijs, gijs.private.last, "🧭 Coördinator")
    new_proxy = next(b for b in gijs.private.last.buttons if "Buur zonder Telegram" in b)
    await tap(bot, gijs, gijs.private.last, new_proxy)
    await say(bot, gijs, "Truus")
    await tap(bot, gijs, gijs.private.last, "Zonnebloemstraat")
    await say(bot, gijs, "7")
    await say(bot, gijs, "12345")
    assert "Dat lijkt geen telefoonnummer" in (gijs.private.last.text or "")
    await say(bot, gijs, "06-12345678")
    confirm = gijs.private.last
    assert "Truus, Zonnebloemstraat 7" in (confirm.text or "")
    assert "06 12345678" in (confirm.text or "")
    await tap(bot, gijs, confirm, "✅ Aanmelden")
    assert "Truus staat erin" in (gijs.private.last.text or "")

    # Gijs opens the ride and books Truus on the last seat.
    page = await open_rides(bot, gijs)
    await tap(bot, gijs, page, next(b for b in page.buttons if "AH Amsterdamstraat" in b))
    await tap(bot, gijs, gijs.private.last, "👤 Boek voor een buur zonder Telegram")
    await tap(bot, gijs, gijs.private.last, "Truus (Zonnebloemstraat)")
    booked = gijs.private.last.text or ""
    assert "Truus rijdt mee" in booked
    assert "1. Truus — thuis, Zonnebloemstraat 7 (zonder Telegram, bel: 06 12345678)" in booked
    card = group.find("Boodschappenrit naar")
    assert (card.text or "").endswith("🪑 Vol.")

    # Anna waits; the evening before the reminders go to the driver and, for Truus, to Gijs.
    await tap(bot, anna, card, "📝 Zet me op de wachtlijst")
    clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    driver = joost.private.find("Morgen rijd je")
    assert "Truus — thuis, Zonnebloemstraat 7 (zonder Telegram, bel: 06 12345678)" in (
        driver.text or ""
    )
    assert "1. Anna" in (driver.text or "")  # on the waiting list
    reminder = gijs.private.find("Herinnering voor Truus")
    assert "Bel Truus even: 06 12345678" in (reminder.text or "")

    # Truus cannot come: Gijs cancels for her, Anna gets the seat.
    ride = gijs.private.with_button("✖️ Truus afmelden")
    await tap(bot, gijs, ride, "✖️ Truus afmelden")
    assert "Truus is afgemeld" in (ride.text or "")
    assert "Er is een plek vrijgekomen!" in (anna.private.last.text or "")
    # The driver hears of the cancellation and the move-up in one message, soon after.
    clock.advance(timedelta(minutes=2))
    await bot.tick()
    late = joost.private.find("rijdt nu ook mee")
    assert "Anna" in (late.text or "")

    # Privacy: no phone number and no house number ever reached the group.
    for message in group.bot_messages:
        assert "12345678" not in (message.text or "")
        assert "Zonnebloemstraat 7" not in (message.text or "")
        assert "Truus" not in (message.text or "")
