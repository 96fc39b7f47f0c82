"""Data rights in the grocery rides: a passenger, driver and coordinator is forgotten;
the waiting list moves up, the people on her ride are told kindly, nothing of hers stays,
and the rides and seats that were used keep counting."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.rides.model import PickupKind, PickupMode, RideDraft, RideStatus
from tests.conftest import AMSTERDAM
from tests.e2e.exchange_helpers import xbot
from tests.e2e.helpers import street_group
from tests.e2e.privacy_helpers import ISO_TIME, count, forget, leftovers, my_data
from tests.e2e.rides_steps import make_coordinator, neighbour, open_rides, publish, tap, user_of

__all__ = ["xbot"]

USED = (
    "SELECT count(*) FROM ride_bookings b JOIN rides r ON r.id = b.ride_id "
    "WHERE r.status = 'done' AND b.status = 'booked'"
)


async def test_rides_data_exported_then_forgotten(xbot: Harness, clock: FakeClock) -> None:
    bot = xbot
    group, _, street = await street_group(bot)
    wil = await neighbour(bot, group, street, "Wilhelmina")
    joost = await neighbour(bot, group, street, "Joost")
    kees = await neighbour(bot, group, street, "Kees")
    bram = await neighbour(bot, group, street, "Bram")
    gijs = await neighbour(bot, group, street, "Gijs")
    await make_coordinator(bot, street, wil)
    await make_coordinator(bot, street, gijs)
    rides = bot.services.rides

    # A ride she went along on, on Tuesday; it is over by the afternoon.
    await publish(bot, joost)
    await tap(bot, wil, group.find("Boodschappenrit naar AH"), "🙋 Ik rij mee")
    clock.set(datetime(2026, 12, 1, 15, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    assert await count(bot, "SELECT count(*) FROM rides WHERE status = 'done'") == 1

    # Wednesday: a seat for her (picked up at the bakery), one for Truus whom she
    # registered as a coordinator; the ride is full and Kees waits.
    await publish(bot, joost, destination="Lidl Oost")
    card = group.find("Boodschappenrit naar Lidl Oost")
    await tap(bot, wil, card, "🙋 Ik rij mee")
    mine = await rides.mine(await _id(bot, wil))
    lidl_id = mine.riding[0][0].ride.id
    await rides.set_pickup(user_of(wil), lidl_id, PickupKind.OTHER, "bij de bakker-R7")
    truus = await bot.services.coordinators.register_proxy(
        user_of(wil), street.id, "Truus", "7", "06 12345678"
    )
    await bot.services.coordinators.book_for(user_of(wil), lidl_id, truus.resident_id)
    await bot.settle()
    await tap(bot, kees, card, "📝 Zet me op de wachtlijst")

    # Her own weekly ride from Wednesday, from a meeting point; Bram books it.
    published = await rides.publish(
        user_of(wil),
        RideDraft(
            day=date(2026, 12, 2),
            departs=time(14, 0),
            destination="Markt Oost-D4",
            seats=3,
            pickup_mode=PickupMode.MEETING,
            meeting_point="bij mijn voordeur-M5",
            weekly=True,
        ),
    )
    bot.services.wake_outbox()
    await bot.settle()
    her_ride = published.rides[0]
    await tap(bot, bram, group.find("Markt Oost-D4"), "🙋 Ik rij mee")

    # /mijngegevens: driving, riding, what she did as coordinator; not Truus's phone.
    text, data = await my_data(bot, wil)
    assert "Boodschappenritten" in text
    assert "Meerijden op dinsdag" not in text  # dates read like "1 december 2026 om 10:00"
    assert "Meerijden op 1 december 2026 om 10:00 naar AH Amsterdamstraat: plek geboekt." in text
    assert "bij de bakker-R7" in text
    assert "Elke week op woensdag om 14:00 naar Markt Oost-D4. Loopt nog: ja." in text
    assert (
        "Chauffeur van de rit op 2 december 2026 om 14:00 naar Markt Oost-D4: gaat nog. "
        "0 van de 3 plekken bezet. Vaste plek: bij mijn voordeur-M5." in text
    )
    assert "Je meldde Truus aan (Zonnebloemstraat)" in text
    assert "Je boekte voor Truus" in text
    assert "12345678" not in text
    assert "12345678" not in str(data)
    assert not ISO_TIME.search(text)
    whats = {r["what"] for r in data["sections"]["rides"]}
    assert whats == {"ride_driven", "series", "booking", "proxy_registered", "booked_for"}

    used_before = await count(bot, USED)
    assert used_before == 1
    rides_before = await count(bot, "SELECT count(*) FROM rides")
    found = await leftovers(bot, ["bakker-R7", "Markt Oost-D4", "voordeur-M5"])
    assert len(found) >= 3

    await forget(bot, wil)

    # Kees moves up; Joost hears it kindly, without her name.
    assert "Er is een plek vrijgekomen!" in kees.private.find("plek vrijgekomen").text
    told = joost.private.find("Er rijdt iemand niet meer mee")
    assert "Iemand van de wachtlijst krijgt de plek" in told.text
    assert "Kees" in told.text
    assert "Wilhelmina" not in told.text
    # Her ride does not go: Bram and the other coordinator are told; the card is gone.
    cancelled = bram.private.find("gaat niet door")
    assert "De chauffeur kan niet meer rijden" in cancelled.text
    assert "Wilhelmina" not in cancelled.text
    coordinator = gijs.private.find("De chauffeur doet niet meer mee")
    assert "Bram" in coordinator.text
    assert not any("Markt Oost-D4" in t for t in group.texts())
    assert not any("Wilhelmina" in t for t in group.texts() if "Boodschappenrit" in t)
    her_card = await rides.card(her_ride.id)
    assert her_card is not None
    assert her_card.ride.status == RideStatus.CANCELLED

    assert await count(bot, USED) == used_before

    # The weekly ride stopped: a week later no new date appears.
    clock.set(datetime(2026, 12, 9, 9, 0, tzinfo=AMSTERDAM))
    await bot.tick()
    assert await count(bot, "SELECT count(*) FROM rides") == rides_before
    assert await count(bot, "SELECT count(*) FROM ride_series WHERE active") == 0

    # Nothing of hers is left; Truus (not hers) is; the seats used still count.
    traces = ["Wilhelmina", "bakker-R7", "Markt Oost-D4", "voordeur-M5"]
    assert await leftovers(bot, traces, exact=[str(wil.id)]) == []
    assert await count(bot, "SELECT count(*) FROM residents WHERE phone = '06 12345678'") == 1


async def _id(bot: Harness, user: object) -> int:
    resident = await bot.services.residents.find(user_of(user))  # type: ignore[arg-type]
    assert resident is not None
    return resident.id


async def test_coordinator_erases_a_neighbour_without_telegram(
    xbot: Harness, clock: FakeClock
) -> None:
    """Truus cannot send /vergeetmij herself: her coordinator erases her, and only hers."""
    bot = xbot
    group, _, street = await street_group(bot)
    joost = await neighbour(bot, group, street, "Joost")
    gijs = await neighbour(bot, group, street, "Gijs")
    anna = await neighbour(bot, group, street, "Anna")
    kees = await neighbour(bot, group, street, "Kees")
    await make_coordinator(bot, street, gijs)
    await publish(bot, joost, seats="1")
    card = group.find("Boodschappenrit naar AH")
    ride_id = (await bot.services.rides.mine(await _id(bot, joost))).driving[0].ride.id
    truus = await bot.services.coordinators.register_proxy(
        user_of(gijs), street.id, "Truus", "7", "06 12345678"
    )
    await bot.services.coordinators.book_for(user_of(gijs), ride_id, truus.resident_id)
    await bot.settle()
    await tap(bot, anna, card, "📝 Zet me op de wachtlijst")

    # Kees is no coordinator: a forged press of the erase button is refused, nothing changes.
    query = kees.press(kees.private.last, data=f"r.cfy:{truus.resident_id}")
    await bot.settle()
    assert "Alleen een coördinator" in (bot.fake.toast(query) or {}).get("text", "")
    assert await count(bot, "SELECT count(*) FROM residents WHERE phone = '06 12345678'") == 1

    # Gijs: Coördinator → Buren zonder Telegram → wissen → ja.
    page = await open_rides(bot, gijs)
    await tap(bot, gijs, page, "🧭 Coördinator")
    await tap(bot, gijs, gijs.private.last, "👥 Buren zonder Telegram (1)")
    listing = gijs.private.last
    assert "Truus, Zonnebloemstraat 7, tel. 06 12345678" in (listing.text or "")
    await tap(bot, gijs, listing, "🗑 Gegevens van Truus wissen")
    confirm = gijs.private.last
    assert "Gegevens van Truus wissen?" in (confirm.text or "")
    assert "Truus wordt afgemeld voor alle ritten" in (confirm.text or "")
    await tap(bot, gijs, confirm, "🗑 Ja, wissen")
    assert "De gegevens van Truus zijn gewist." in (confirm.text or "")

    # Her seat goes to Anna, Joost's list no longer holds her; nothing of her is left.
    assert "Er is een plek vrijgekomen!" in (anna.private.find("plek vrijgekomen").text or "")
    view = await bot.services.rides.view(user_of(joost), ride_id)
    assert [p.name for p in view.passengers] == ["Anna"]
    assert await leftovers(bot, ["Truus", "12345678"]) == []
    audit = "SELECT count(*) FROM audit_log WHERE action = 'proxy.erased' AND actor_resident_id = "
    assert await count(bot, audit + str(await _id(bot, gijs))) == 1
    panel = await bot.services.coordinators.panel(user_of(gijs))
    assert panel.proxies == ()

    # The same confirmation pressed again is stale, and says so politely.
    again = gijs.press(confirm, data=f"r.cfy:{truus.resident_id}")
    await bot.settle()
    assert "kan ik niet (meer) vinden" in (bot.fake.toast(again) or {}).get("text", "")
