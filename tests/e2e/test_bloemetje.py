"""Bloemetje in de Buurt, the whole month through the fake Bot API, with a decline."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.sandbox.fake_telegram import FakeUser
from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.core import Street
from tests.e2e.digest_helpers import HEADER, digests
from tests.e2e.helpers import resident, street_group

TZ = ZoneInfo("Europe/Amsterdam")
ASK = "Wie verdient deze maand een bloemetje?"


def _at(clock: FakeClock, *args: int) -> None:
    clock.set(datetime(*args, tzinfo=TZ))  # type: ignore[misc]


async def _nominate(bot: Harness, who: FakeUser, street: Street, name: str) -> None:
    who.start_bot(f"bl{street.id}")
    await bot.settle()
    ballot = who.private.with_button(name)
    who.press(ballot, name)
    await bot.settle()


async def _answer(bot: Harness, nominee: FakeUser, button: str) -> None:
    ask = nominee.private.find("Goed nieuws!")
    nominee.press(ask, button)
    await bot.settle()


async def test_a_month_of_bloemetje_with_a_decline(bot: Harness, clock: FakeClock) -> None:
    group, _, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    joost = await resident(bot, street, "Joost")
    els = await resident(bot, street, "Els")

    # Before the 1st nobody can nominate.
    anna.start_bot(f"bl{street.id}")
    await bot.settle()
    anna.private.find("Je kunt nu niemand noemen")

    _at(clock, 2026, 12, 1, 10, 0)
    await bot.tick()
    question = group.find(ASK)
    assert "dinsdag 8 december" in (question.text or "")
    url = question.button_url("🌼 Noem een buur")
    assert url == f"https://t.me/patchwork_test_bot?start=bl{street.id}"
    await bot.tick()
    assert len([m for m in group.bot_messages if ASK in (m.text or "")]) == 1

    # Anna names Joost, privately, and says why.
    await _nominate(bot, anna, street, "Joost")
    # The ballot became a thank-you: no name buttons are left to press twice.
    assert all("Joost" not in m.buttons for m in anna.private.bot_messages)
    thanks = anna.private.find("Dank je! Je noemt Joost.")
    anna.press(thanks, "✏️ Zeg waarom")
    await bot.settle()
    anna.private.find("Typ één korte zin")
    anna.send("Hij bracht soep toen ik ziek was. " * 5)  # too long for one line
    await bot.settle()
    anna.private.find("Dat is te lang")
    anna.send("Hij bracht soep toen ik ziek was")
    await bot.settle()
    anna.private.find("Mooi gezegd. Joost leest het op dinsdag 8 december.")

    # Joost is asked privately and agrees.
    await _answer(bot, joost, "✅ Ja, dat is goed")
    joost.private.find("Fijn! Op dinsdag 8 december zetten we je naam in de groep.")

    # Els names Anna; Anna declines.
    await _nominate(bot, els, street, "Anna")
    await _answer(bot, anna, "🙈 Liever niet")
    anna.private.find("We zetten je naam niet in de groep")

    # Joost names Els, Els agrees, then Joost changes his mind to Anna.
    await _nominate(bot, joost, street, "Els")
    await _answer(bot, els, "✅ Ja, dat is goed")
    joost.start_bot(f"bl{street.id}")
    await bot.settle()
    again = joost.private.find("Je noemde deze maand al Els")
    assert again.buttons[:2] == ["Anna", "✅ Els"]
    joost.press(again, "Anna")
    await bot.settle()
    joost.private.find("Je noemde eerst Els. Dat is nu veranderd.")
    asked_anna = [
        c
        for c in bot.fake.calls_to("sendMessage")
        if c.params.get("chat_id") == str(anna.id) and "Goed nieuws!" in str(c.params["text"])
    ]
    assert len(asked_anna) == 1  # asked once, however many neighbours name her

    _at(clock, 2026, 12, 8, 9, 59)
    await bot.tick()
    assert [m for m in group.bot_messages if "verdienen een bloemetje" in (m.text or "")] == []
    _at(clock, 2026, 12, 8, 10, 0)
    await bot.tick()
    (announcement,) = [
        m for m in group.bot_messages if "verdienen een bloemetje" in (m.text or "")
    ]
    text = announcement.text or ""
    assert "Deze maand verdienen een bloemetje: Joost." in text
    assert "Anna" not in text  # she declined
    assert "Els" not in text  # agreed, but nobody names her any more
    assert not re.search(r"\d", text)  # no counts, no ranking
    words = joost.private.find("schreven over jou")
    assert "“Hij bracht soep toen ik ziek was”" in (words.text or "")
    # Nothing of this month's nominations reached the group but the name of Joost.
    for message in group.bot_messages:
        assert "soep" not in (message.text or "")

    # Anna's old button to change her answer is stale now, and says so kindly.
    query = anna.press(anna.private.with_button("Toch wel goed"), "Toch wel goed")
    await bot.settle()
    toast = bot.fake.toast(query)
    assert toast is not None
    assert "Je kunt nu niemand noemen" in str(toast["text"])

    await bot.tick()
    assert len([m for m in group.bot_messages if "verdienen een bloemetje" in (m.text or "")]) == 1

    # The Sunday digest after the 8th carries the Bloemetje (and is not empty for it).
    _at(clock, 2026, 12, 13, 17, 0)
    await bot.tick()
    (digest,) = digests(group)
    body = digest.text or ""
    assert "🌼 Bloemetje van de maand\n• Joost" in body
    assert "Anna" not in body
    assert HEADER in body


async def test_the_street_contact_can_switch_the_bloemetje_off(
    bot: Harness, clock: FakeClock
) -> None:
    group, piet, street = await street_group(bot)
    anna = await resident(bot, street, "Anna")
    await resident(bot, street, "Joost")
    piet.send("/instellingen", chat=group)
    await bot.settle()
    panel = group.find("Instellingen van de Zonnebloemstraat")
    piet.press(panel, "🌼 Bloemetje uitzetten")
    await bot.settle()
    _at(clock, 2026, 12, 1, 10, 0)
    await bot.tick()
    assert [m for m in group.bot_messages if ASK in (m.text or "")] == []
    anna.start_bot(f"bl{street.id}")
    await bot.settle()
    anna.private.find("staat uit in deze straat")
