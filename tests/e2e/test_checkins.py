"""Check-ins end to end: opting in, answered and silent days, the chain, all-clear, restarts."""

from __future__ import annotations

from pathlib import Path

from bot.sandbox.harness import Harness
from models.core import ChannelUser
from tests.e2e.checkin_helpers import (
    CANNOT,
    GOING,
    GOOD,
    NOT_GOOD,
    accept,
    ams,
    anna_and_joost,
    at,
    cbot,
    tap,
    volunteer,
)
from tests.e2e.escalation_helpers import team
from tests.e2e.helpers import resident, street_group
from tests.e2e.rides_steps import make_coordinator, open_rides

__all__ = ["cbot"]


async def test_opt_in_with_a_buddy_who_accepts(cbot: Harness) -> None:
    group, _, anna, joost = await anna_and_joost(cbot)
    started = anna.private.find("Joost is je buddy!")
    assert "dinsdag 1 december om 09:00" in (started.text or "")
    joost.private.find("Dank je wel! Ik laat Anna weten dat je ja zegt.")
    # Nothing about it reaches the street group.
    assert not [t for t in group.texts() if "buddy" in t or "Alles goed" in t]


async def test_choosing_yourself_is_refused_and_a_link_invites_a_neighbour(
    cbot: Harness,
) -> None:
    _, _, street = await street_group(cbot)
    anna = await resident(cbot, street, "Anna")
    kees = await resident(cbot, street, "Kees")
    await volunteer(cbot, anna)
    anna.send("/menu")
    await cbot.settle()
    await tap(cbot, anna, "📋 Mijn overzicht")
    await tap(cbot, anna, "💬 Even contact instellen")
    await tap(cbot, anna, "Elke dag")
    await tap(cbot, anna, "09:00")
    await tap(cbot, anna, "1 uur")
    await tap(cbot, anna, "Nee, alleen mijn buddy")
    question = anna.private.with_button("📨 Een buur uitnodigen met een link")
    assert "Anna" not in question.buttons  # never yourself in the list
    await tap(cbot, anna, "📨 Een buur uitnodigen met een link")
    link = anna.private.with_button("Buddy worden").button_url("Buddy worden")
    assert link is not None
    code = link.split("start=")[1]
    anna.start_bot(code)  # her own link
    await cbot.settle()
    anna.private.find("Je kunt niet je eigen buddy zijn")
    kees.start_bot(code)
    await cbot.settle()
    await accept(cbot, kees)
    anna.private.find("Kees is je buddy!")


async def test_an_answered_day(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    await at(cbot, ams(2026, 12, 1, 9, 0))
    prompt = anna.private.find("Goedemorgen Anna, alles goed?")
    assert GOOD in prompt.buttons
    assert NOT_GOOD in prompt.buttons
    assert "☕ Ik wil graag even praten" in prompt.buttons
    assert "⏹ Stoppen met check-in" in prompt.buttons
    data = prompt.button_data(GOOD)
    await tap(cbot, anna, GOOD)
    anna.private.find("Fijn om te horen!")
    await at(cbot, ams(2026, 12, 1, 12, 0))
    assert not [t for t in anna.private.texts() if "nog niets van je gehoord" in t]
    assert not [t for t in joost.private.texts() if "niet gereageerd" in t]
    # Once answered, the old buttons say so politely.
    query = anna.press(prompt, data=data)
    await cbot.settle()
    assert "al gereageerd" in (cbot.fake.toast(query) or {}).get("text", "")
    # Forged or broken presses are answered politely, nothing happens.
    for forged in ("cia", "cia:999999:good", "cia:1:maybe", "cig:1:1"):
        query = anna.press(prompt, data=forged)
        await cbot.settle()
        assert (cbot.fake.toast(query) or {}).get("text"), forged


async def test_not_so_good_offers_a_call_from_the_buddy(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    await at(cbot, ams(2026, 12, 1, 9, 0))
    await tap(cbot, anna, NOT_GOOD)
    offer = anna.private.find("Wil je dat iemand je belt")
    assert "🧑‍⚕️ Hulp van een professional" in offer.buttons
    await tap(cbot, anna, "📞 Ja, vraag Joost")
    anna.private.find("Ik heb het aan Joost gevraagd.")
    joost.private.find("Anna voelt zich vandaag niet zo goed")


async def test_a_silent_day_reaches_the_buddy_who_goes_to_look(cbot: Harness) -> None:
    group, _, anna, joost = await anna_and_joost(cbot)
    await at(cbot, ams(2026, 12, 1, 9, 0))
    await at(cbot, ams(2026, 12, 1, 10, 0))
    anna.private.find("Anna, ik heb nog niets van je gehoord. Gaat het goed? Tik vóór 11:00")
    await at(cbot, ams(2026, 12, 1, 11, 0))
    alarm = joost.private.find("Anna heeft niet gereageerd op het berichtje van 09:00")
    assert alarm.buttons == [GOING, CANNOT]
    await tap(cbot, joost, GOING)
    where = joost.private.find("Laat je weten hoe het was?")
    assert "Anna" in (where.text or "")
    await tap(cbot, joost, "✅ Alles goed")
    joost.private.find("Fijn dat alles goed is")
    assert not [t for t in group.texts() if "Anna" in t and "gereageerd" in t]


async def test_a_silent_day_where_the_buddy_cannot_reaches_the_moderators_chat(
    cbot: Harness,
) -> None:
    moderators, samira = await team(cbot)
    group, _, _anna, joost = await anna_and_joost(cbot)
    await at(cbot, ams(2026, 12, 1, 9, 0))
    await at(cbot, ams(2026, 12, 1, 11, 0))
    await tap(cbot, joost, CANNOT)
    joost.private.find("Ik vraag het aan de volgende")
    card = moderators.find("Check-in zonder antwoord")
    assert "Zonnebloemstraat" in (card.text or "")
    assert "Anna" not in (card.text or "")  # no name in the group of workers
    await tap(cbot, samira, "🙋 Ik pak het op", moderators)
    private = samira.private.find("Check-in zonder antwoord. Wil je kijken of bellen?")
    assert "Anna" in (private.text or "")
    moderators.find("Opgepakt door Samira")
    await tap(cbot, samira, "✅ Alles goed")
    moderators.find("Afgesloten door Samira: ✅ Alles goed")
    assert not [t for t in group.texts() if "Check-in" in t]
    # The impact report counts it, in numbers only.
    samira.send("/impact", chat=moderators)
    await cbot.settle()
    report = moderators.find("Even contact")
    assert "1 bewoners met een check-in, 1 berichtjes, 0 op tijd beantwoord, 1 keer alarm" in (
        report.text or ""
    )
    assert "Anna" not in (report.text or "")


async def test_a_late_answer_sends_the_all_clear(cbot: Harness) -> None:
    moderators, _ = await team(cbot)
    _, _, anna, joost = await anna_and_joost(cbot)
    await at(cbot, ams(2026, 12, 1, 9, 0))
    await at(cbot, ams(2026, 12, 1, 11, 0))
    await tap(cbot, joost, CANNOT)
    moderators.find("Check-in zonder antwoord")
    await tap(cbot, anna, GOOD)
    anna.private.find("Dank je! Ik laat Joost weten dat alles goed is.")
    joost.private.find("Anna heeft toch gereageerd: alles goed.")
    moderators.find("de bewoner heeft toch gereageerd")
    moderators.find("✅ De bewoner heeft toch gereageerd. Alles goed.")  # the card, redrawn


async def test_a_message_in_the_window_is_a_sign_of_life(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    await at(cbot, ams(2026, 12, 1, 9, 0))
    anna.send("ik ben er hoor")
    await cbot.settle()
    await at(cbot, ams(2026, 12, 1, 12, 0))
    assert not [t for t in joost.private.texts() if "niet gereageerd" in t]


async def test_a_restart_during_an_open_window(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    await at(cbot, ams(2026, 12, 1, 9, 0))
    anna.private.find("Goedemorgen Anna")
    await cbot.restart()
    await cbot.tick()
    prompts = [t for t in anna.private.texts() if "Goedemorgen Anna" in t]
    assert len(prompts) == 1  # not sent again after the restart
    await at(cbot, ams(2026, 12, 1, 11, 0))
    joost.private.find("Anna heeft niet gereageerd")


async def test_stop_from_the_check_in_message(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    await at(cbot, ams(2026, 12, 1, 9, 0))
    await tap(cbot, anna, "⏹ Stoppen met check-in")
    await tap(cbot, anna, "Ja, stoppen")
    anna.private.find("Je check-in is gestopt")
    joost.private.find("Anna is gestopt met de check-in. Dank je wel dat je buddy was!")
    await at(cbot, ams(2026, 12, 2, 12, 0))
    assert len([t for t in anna.private.texts() if "alles goed?" in t]) == 1


async def test_the_buddy_stops_and_the_resident_is_told_kindly(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot, workers=False)
    joost.send("/menu")
    await cbot.settle()
    await tap(cbot, joost, "📋 Mijn overzicht")
    await tap(cbot, joost, "Stoppen als buddy van Anna")
    await tap(cbot, joost, "Ja, ik stop als buddy")
    joost.private.find("Je bent gestopt als buddy van Anna")
    told = anna.private.find("Joost is gestopt als buddy")
    assert "Kies een nieuwe buddy" in (told.text or "")


async def test_erasure_removes_the_check_in_and_the_buddy_link(
    cbot: Harness, tmp_path: Path
) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    joost.send("/mijngegevens")
    await cbot.settle()
    joost.private.find("Jij bent buddy van Anna.")
    anna.send("/mijngegevens")
    await cbot.settle()
    mine = anna.private.find("Check-in: aan, elke dag om 09:00, 2 uur om te reageren.")
    assert "Buddy: Joost (ja)." in (mine.text or "")
    anna.send("/vergeetmij")
    await cbot.settle()
    await tap(cbot, anna, "🗑 Ja, wis mijn gegevens")
    joost.private.find("De check-in waarvoor jij buddy was, is gestopt.")
    await at(cbot, ams(2026, 12, 1, 12, 0))
    assert not [t for t in anna.private.texts() if "alles goed?" in t]
    joost.send("/mijngegevens")
    await cbot.settle()
    assert "buddy van" not in (joost.private.last.text or "")


async def test_the_overview_shows_the_check_in_and_the_buddy(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    anna.send("/menu")
    await cbot.settle()
    await tap(cbot, anna, "📋 Mijn overzicht")
    overview = anna.private.find("Even contact")
    assert "elke dag om 09:00" in (overview.text or "")
    assert "Buddy: Joost" in (overview.text or "")
    joost.send("/menu")
    await cbot.settle()
    await tap(cbot, joost, "📋 Mijn overzicht")
    joost.private.find("Je bent buddy van Anna.")


async def test_a_proxy_residents_call_list(cbot: Harness) -> None:
    moderators, _ = await team(cbot)
    _, _, street = await street_group(cbot)
    gijs = await resident(cbot, street, "Gijs")
    await make_coordinator(cbot, street, gijs)
    await cbot.services.coordinators.register_proxy(
        ChannelUser(external_id=str(gijs.id)), street.id, "Truus", "7", "06-12345678"
    )
    page = await open_rides(cbot, gijs)
    await tap(cbot, gijs, "🧭 Coördinator")
    await tap(cbot, gijs, "📞 Telefooncirkel (belronde)")
    assert page is not None
    gijs.private.find("Truus (Zonnebloemstraat): niet in de belronde")
    await tap(cbot, gijs, "📞 Truus elke dag bellen")
    await tap(cbot, gijs, "09:00")
    gijs.private.find("Truus (Zonnebloemstraat): elke dag om 09:00")
    await at(cbot, ams(2026, 12, 1, 9, 0))
    calls = gijs.private.find("Belronde van vandaag")
    assert "Truus" in (calls.text or "")
    assert "Zonnebloemstraat 7: 06 12345678" in (calls.text or "")
    await tap(cbot, gijs, "❌ niet bereikt")
    gijs.private.find("Iedereen is gebeld")
    gijs.send("/belronde")  # the command says the same
    await cbot.settle()
    gijs.private.find("Truus (Zonnebloemstraat): elke dag om 09:00")
    card = moderators.find("Telefooncirkel: niet bereikt")
    assert "Truus" not in (card.text or "")
    # The next day Truus is reached.
    await at(cbot, ams(2026, 12, 2, 9, 0))
    await tap(cbot, gijs, "✅ Truus bereikt")
    gijs.private.find("Iedereen is gebeld")


async def test_down_over_the_whole_morning_no_message_and_no_alarm(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    await cbot.stop()
    cbot.clock.set(ams(2026, 12, 1, 16, 0))  # type: ignore[attr-defined]
    await cbot.start()
    await cbot.tick()
    await at(cbot, ams(2026, 12, 1, 23, 0))
    assert not [t for t in anna.private.texts() if "alles goed?" in t]
    assert not [t for t in joost.private.texts() if "niet gereageerd" in t]
    await at(cbot, ams(2026, 12, 2, 9, 0))  # the next morning as always
    anna.private.find("Goedemorgen Anna, alles goed?")


async def test_down_at_nine_sent_after_start_with_its_own_window(cbot: Harness) -> None:
    _, _, anna, joost = await anna_and_joost(cbot)
    await cbot.stop()
    cbot.clock.set(ams(2026, 12, 1, 10, 30))  # type: ignore[attr-defined]
    await cbot.start()
    await cbot.tick()
    assert len([t for t in anna.private.texts() if "alles goed?" in t]) == 1
    await at(cbot, ams(2026, 12, 1, 12, 29))  # 11:00 passed, but her two hours began at 10:30
    assert not [t for t in joost.private.texts() if "niet gereageerd" in t]
    await at(cbot, ams(2026, 12, 1, 12, 30))
    joost.private.find("Anna heeft niet gereageerd")
