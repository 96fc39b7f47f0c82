"""The weekly digest and the street card with real data from the exchange and the rides.

No fake sources: residents tap their entries into "wie kan wat" (some agree to the
paper card), ask for help, help, finish with a public thank-you, and a driver publishes
a ride with free seats. The digest shows every section in order, the preview says the
same, the buttons under the digest work (and answer politely once they are stale), and
the street card lists exactly the entries whose owners said yes, with the coordinator's
number because he chose to put it there.
"""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes

from __future__ import annotations

from datetime import datetime

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.core import ChannelUser, Street
from tests.conftest import AMSTERDAM
from tests.e2e.digest_helpers import HEADER, digests
from tests.e2e.exchange_helpers import add_entry, post_request, say, tap, xbot
from tests.e2e.helpers import resident, street_group
from tests.e2e.rides_steps import make_coordinator, publish
from tests.e2e.test_street_card import _documents, _pdf, _qr, _text

__all__ = ["xbot"]


def _at(clock: FakeClock, *args: int) -> None:
    clock.set(datetime(*args, tzinfo=AMSTERDAM))  # type: ignore[misc]


async def _neighbour(bot: Harness, group: FakeChat, street: Street, name: str) -> FakeUser:
    user = await resident(bot, street, name)
    bot.fake.add_member(group, user)
    return user


def _user(user: FakeUser) -> ChannelUser:
    return ChannelUser(external_id=str(user.id), first_name=user.first_name)


async def test_a_week_of_real_neighbours_in_the_digest_and_on_the_card(
    xbot: Harness, clock: FakeClock
) -> None:
    bot = xbot
    group, piet, street = await street_group(bot)
    anna = await _neighbour(bot, group, street, "Anna")
    bram = await _neighbour(bot, group, street, "Bram")
    karel = await _neighbour(bot, group, street, "Karel")
    mo = await _neighbour(bot, group, street, "Mo")
    cor = await _neighbour(bot, group, street, "Cor")
    joost = await _neighbour(bot, group, street, "Joost")
    await bot.tick()

    # December's Bloemetje: Anna names Joost, Joost agrees; announced on the 8th.
    _at(clock, 2026, 12, 1, 10, 0)
    await bot.tick()
    bloemetje = bot.services.bloemetje
    ballot = await bloemetje.ballot(_user(anna), street.id)
    (choice,) = [c for c in ballot.candidates if c.name == "Joost"]
    await bloemetje.nominate(_user(anna), street.id, "2026-12", choice.resident_id)
    await bloemetje.answer(_user(joost), street.id, "2026-12", True)
    _at(clock, 2026, 12, 6, 17, 0)
    await bot.tick()
    assert digests(group) == []  # nothing to tell that week
    _at(clock, 2026, 12, 8, 10, 0)
    await bot.tick()

    # Friday: entries in "wie kan wat"; Anna and Karel agree to the card, Bram does not.
    _at(clock, 2026, 12, 11, 10, 0)
    await add_entry(bot, anna, "Koffie en een praatje", "☕ Gezelschap", "Wanneer het uitkomt")
    await add_entry(bot, karel, "Ladder lenen", "🔧 Gereedschap lenen")
    await add_entry(bot, bram, "Hulp met de computer", "💻 Computer en telefoon", on_card=False)

    # Anna asks for help with her hedge; Bram helps; done, with a public thank-you.
    await post_request(bot, anna, "Wie kan mijn heg snoeien?")
    card = group.find("Wie kan mijn heg snoeien?")
    bram.press(card, "🤝 Ik help")
    await bot.settle()
    await tap(bot, anna, "✅ Gelukt, afronden")
    await tap(bot, anna, "💐 Schrijf een bedankje")
    await say(bot, anna, "Dank je Bram, de heg is prachtig!")
    await tap(bot, anna, "📣 Ja, ook in de groep")
    # Two requests stay open (Karel's as "een buur"); Cor's is about debts: held, private.
    await post_request(bot, mo, "Wie helpt met de lamp ophangen?")
    await post_request(bot, karel, "Planten water geven", show_name=False)
    await tap(bot, cor, "🙋 Ik zoek hulp")
    await say(bot, cor, "De deurwaarder komt morgen voor mijn schulden")
    assert not any("deurwaarder" in text for text in group.texts())

    # Joost becomes coordinator and says yes to his number on the card.
    await make_coordinator(bot, street, joost)
    granted = joost.private.find("Je bent nu coördinator")
    assert "Mag je telefoonnummer op het papieren straatkaartje?" in (granted.text or "")
    await tap(bot, joost, "📞 Ja, zet mijn nummer erop")
    await say(bot, joost, "12")
    assert "Dat lijkt geen telefoonnummer" in (joost.private.last.text or "")
    await say(bot, joost, "0612345678")
    assert "Bel Joost: 06 12345678" in (joost.private.last.text or "")

    # Sunday morning: Joost offers a ride tomorrow; Anna takes one of the two seats.
    _at(clock, 2026, 12, 13, 10, 0)
    await publish(bot, joost, day="Morgen", seats="2")
    ride_card = group.find("Boodschappenrit naar")
    anna.press(ride_card, "🙋 Ik rij mee")
    await bot.settle()

    # Mo looks at the preview in private.
    mo.send("/digest")
    await bot.settle()
    preview = mo.private.find(HEADER)
    assert "Voorbeeld" in (preview.text or "")

    _at(clock, 2026, 12, 13, 17, 0)
    await bot.tick()
    (digest,) = digests(group)
    text = digest.text or ""
    order = [
        "🌻 Weekoverzicht van de Zonnebloemstraat",
        "💐 Bedankt!",
        "• Anna bedankt Bram: “Dank je Bram, de heg is prachtig!”",
        "🙋 Wie zoekt hulp?",
        "• Mo: Wie helpt met de lamp ophangen?",
        "• Een buur: Planten water geven",
        "🆕 Nieuw in Wie kan wat",
        "• Bram: Hulp met de computer",
        "• Karel: Ladder lenen",
        "• Anna: Koffie en een praatje",
        "🚗 Ritten met plek, komende week",
        "• maandag 14 december 10:00 naar AH Amsterdamstraat: nog 1 plek vrij",
        "🌼 Bloemetje van de maand",
        "• Joost",
        "➕ Wat kun jij voor je buren doen?",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    for private in ("deurwaarder", "schulden", "heg snoeien?", "06 12345678", "Cor"):
        assert private not in text
    assert digest.buttons == [
        "🤝 Ik help Mo: Wie helpt met de lamp ophan…",
        "🤝 Ik help: Planten water geven",
        "🚗 Ik rij mee: ma 14 dec 10:00, AH Amsterdamstraat",
        "🤝 Ik kan helpen",
    ]
    invite = digest.button_url("🤝 Ik kan helpen")
    assert invite == f"https://t.me/patchwork_test_bot?start=xk{street.join_code}"
    # The preview of this morning said the same (the intro line aside), with the same buttons.
    intro, _, previewed = (preview.text or "").partition("\n\n")
    assert "Het gaat op zondag 13 december 17:00 naar de groep" in intro
    assert previewed == text
    assert preview.buttons == digest.buttons

    # The buttons work from the digest, and re-check what changed since.
    query = bram.press(digest, "🤝 Ik help Mo: Wie helpt met de lamp ophan…")
    await bot.settle()
    assert "Ik stuur je een privébericht" in (bot.fake.toast(query) or {})["text"]
    bram.private.find("Dank je wel dat je Mo wilt helpen met “Wie helpt met de lamp ophangen?”")
    query = karel.press(digest, "🤝 Ik help Mo: Wie helpt met de lamp ophan…")
    await bot.settle()
    assert "Er helpt al een buur" in (bot.fake.toast(query) or {})["text"]
    query = mo.press(digest, "🚗 Ik rij mee: ma 14 dec 10:00, AH Amsterdamstraat")
    await bot.settle()
    assert "Gelukt, je rijdt mee!" in (bot.fake.toast(query) or {})["text"]
    assert "Vol" in (ride_card.text or "")
    query = karel.press(digest, "🚗 Ik rij mee: ma 14 dec 10:00, AH Amsterdamstraat")
    await bot.settle()
    assert "De rit is net vol" in (bot.fake.toast(query) or {})["text"]
    # "Ik kan helpen" opens the offering steps for a member; a newcomer joins first.
    mo.start_bot(f"xk{street.join_code}")
    await bot.settle()
    assert "Fijn dat je wilt helpen!" in (mo.private.last.text or "")
    newcomer = bot.fake.add_user("Els")
    newcomer.start_bot(f"xk{street.join_code}")
    await bot.settle()
    assert "Je gaat meedoen met de Zonnebloemstraat" in (newcomer.private.last.text or "")

    # The street card: the entries whose owners said yes, and Joost's number.
    join_link = f"https://t.me/patchwork_test_bot?start=j{street.join_code}"
    piet.send("/kaart", chat=group)
    await bot.settle()
    a4, a6 = _documents(group)
    for message in (a4, a6):
        pdf = _pdf(bot, message)
        card_text = _text(pdf)
        assert "Wie kan wat in de Zonnebloemstraat" in card_text
        assert "Gezelschap" in card_text
        assert "Anna: Koffie en een praatje" in card_text
        assert "Gereedschap lenen" in card_text
        assert "Karel: Ladder lenen" in card_text
        assert "Bram" not in card_text
        assert "computer" not in card_text.lower()
        assert "Bel Joost: 06 12345678" in card_text
        assert _qr(pdf) == [join_link]

    # Joost takes his number off: the next card has no phone number.
    await tap(bot, joost, "🧭 Coördinator")
    await tap(bot, joost, "📞 Mijn nummer op het straatkaartje")
    assert "06 12345678" in (joost.private.find("Nu staat jouw nummer erop").text or "")
    await tap(bot, joost, "🚫 Haal mijn nummer eraf")
    joost.private.find("Je nummer staat niet meer op nieuwe straatkaartjes")
    piet.send("/kaart", chat=group)
    await bot.settle()
    newest = _documents(group)[-1]
    assert "Bel Joost" not in _text(_pdf(bot, newest))
