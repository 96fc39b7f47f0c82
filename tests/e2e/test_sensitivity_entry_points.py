"""End to end: every text that can reach a group or a neighbour is screened (issue 12).

Entry points: requests and one-off offers, /aanbieden, register entries and edits,
thank-yous, the relay, Bloemetje reasons, a ride's destination.

For each entry point a crisis, a professional, a doubtful and an everyday text: the group
(and the neighbour) never receive anything heavy, a crisis text gets the crisis numbers
first in the answer to that very update, a doubtful one is held while the resident is
asked privately, and an everyday one goes through as before.
"""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from bot.storage.tables import exchange as x
from models.core import Street
from tests.e2e.exchange_helpers import (
    channel_user,
    neighbours,
    post_request,
    quick_entry,
    quick_request,
    say,
    tap,
    xbot,
)
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import neighbour, open_rides, publish
from tests.e2e.rides_steps import tap as tap_in

__all__ = ["xbot"]

NUMBERS = ("112", "0800-0113", "0800-2000")
CRISIS = "ik spaar al weken mijn slaappillen op"
CRISIS_EN = "I keep thinking about jumping off the balcony"
VIOLENCE = "hij heeft me gisteren weer geschopt"
PRO = "mijn huisbaas zet ons volgende maand op straat"
DOUBT = "het is deze maand wat krap, wie heeft een winterjas voor mijn zoon"
EVERYDAY = "wie kan mijn heg snoeien"
NEIGHBOURS = "👋 Voor de buren"
PROFESSIONAL = "🧑‍⚕️ Liever een professional"
HEAVY_WORDS = ("slaappillen", "balcony", "geschopt", "op straat", "krap")


def _mark(user: FakeUser) -> int:
    return len(user.private.bot_messages)


def _since(user: FakeUser, mark: int) -> list[str]:
    """What the bot sent this person since the mark (the answer to one update)."""
    return [m.text or m.caption or "" for m in user.private.bot_messages[mark:]]


def _numbers_first(texts: list[str]) -> bool:
    return bool(texts) and all(number in texts[0] for number in NUMBERS)


def _reached(bot: Harness, chat_id: int, *needles: str) -> list[str]:
    """Needles found in any call the bot made to a chat (texts, captions, buttons)."""
    blobs = [
        json.dumps(call.params, ensure_ascii=False).lower()
        for call in bot.fake.calls
        if str(call.params.get("chat_id")) == str(chat_id)
    ]
    return [n for n in needles for b in blobs if n.lower() in b]


def _group_clean(bot: Harness, group: FakeChat) -> bool:
    return not _reached(bot, group.id, *HEAVY_WORDS)


async def _count(bot: Harness, table: sa.Table) -> int:
    async with bot.services.db.read() as tx:
        query = sa.select(sa.func.count()).select_from(table)
        return int((await tx.conn.execute(query)).scalar_one())


# Requests and one-off offers --------------------------------------------------------------


async def test_a_crisis_request_shows_the_numbers_first_and_is_never_posted(
    xbot: Harness,
) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    for text in (CRISIS, VIOLENCE):
        mark = _mark(anna)
        await say(xbot, anna, f"/vragen {text}")
        answer = _since(anna, mark)
        assert _numbers_first(answer), answer
        assert "Je vraag is niet in de groep gezet" in answer[0]
        assert anna.private.last.buttons == ["✅ Ja, graag", "Nee, dank je"]
    assert _group_clean(xbot, group)
    assert not [t for t in group.texts() if "Hulpvraag" in t]


async def test_a_crisis_request_in_english_gets_the_numbers_in_english(xbot: Harness) -> None:
    group, street, _ = await neighbours(xbot)
    john = xbot.fake.add_user("John")
    john.started = True
    xbot.fake.add_member(group, john)
    await xbot.services.residents.join(channel_user(john), street.join_code, "John", "en")
    mark = _mark(john)
    await say(xbot, john, f"/vragen {CRISIS_EN}")
    answer = _since(john, mark)
    assert _numbers_first(answer)
    assert "In immediate danger? Call 112." in answer[0]
    assert _group_clean(xbot, group)


async def test_a_professional_request_is_held_and_offered_without_numbers(xbot: Harness) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    mark = _mark(anna)
    await tap(xbot, anna, "🙋 Ik zoek hulp")
    await say(xbot, anna, PRO)
    answer = _since(anna, mark)
    assert not any("112" in text for text in answer)
    assert "Je vraag is niet in de groep gezet" in anna.private.last.text
    assert _group_clean(xbot, group)


async def test_a_doubtful_request_is_asked_about_and_posted_for_the_neighbours(
    xbot: Harness,
) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await tap(xbot, anna, "🙋 Ik zoek hulp")
    await say(xbot, anna, DOUBT)
    question = anna.private.last
    assert "is dit iets voor de buren" in question.text
    assert question.buttons == [NEIGHBOURS, PROFESSIONAL]
    assert _group_clean(xbot, group)
    await tap(xbot, anna, NEIGHBOURS)
    # The flow goes on where it was: category, moment, name, post.
    await tap(xbot, anna, anna.private.last.buttons[0])
    await tap(xbot, anna, "Deze week")
    await tap(xbot, anna, "Plaats als ‘een buur’")
    await tap(xbot, anna, "📣 Plaats mijn vraag")
    assert DOUBT in group.find("Hulpvraag").text


async def test_a_doubtful_request_can_go_to_a_professional_instead(xbot: Harness) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await say(xbot, anna, f"/vragen {DOUBT}")
    await tap(xbot, anna, PROFESSIONAL)
    assert "Ik heb niets aan de buren doorgegeven" in "\n".join(anna.private.texts()[-2:])
    assert anna.private.last.buttons == ["✅ Ja, graag", "Nee, dank je"]
    assert _group_clean(xbot, group)
    assert await _count(xbot, x.exchange_requests) == 0


async def test_everyday_requests_and_offers_are_posted(xbot: Harness) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await post_request(xbot, anna, EVERYDAY)
    await post_request(xbot, anna, "Ik ben bang voor spinnen en mijn man is er niet, wie helpt")
    await post_request(xbot, anna, "ik geef mijn oude naaimachine weg", offer=True)
    posted = "\n".join(group.texts())
    assert EVERYDAY in posted
    assert "bang voor spinnen" in posted
    assert "naaimachine" in posted


async def test_a_one_off_offer_with_a_crisis_text_is_never_posted(xbot: Harness) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await tap(xbot, anna, "🤝 Ik kan helpen")
    await tap(xbot, anna, "🎁 Eenmalig iets aanbieden")
    mark = _mark(anna)
    await say(xbot, anna, "ik kan boodschappen doen maar eigenlijk wil ik er een eind aan maken")
    assert _numbers_first(_since(anna, mark))
    assert not _reached(xbot, group.id, "boodschappen doen maar")


async def test_aanbieden_with_a_text_asks_register_or_one_off(xbot: Harness) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await say(xbot, anna, "/aanbieden oude boeken gratis op te halen")
    assert "🎁 Eenmalig iets aanbieden" in anna.private.last.buttons
    await tap(xbot, anna, "🎁 Eenmalig iets aanbieden")
    await tap(xbot, anna, anna.private.last.buttons[0])
    await tap(xbot, anna, "Deze week")
    await tap(xbot, anna, "Plaats als ‘een buur’")
    await tap(xbot, anna, "📣 Plaats mijn aanbod")
    assert "oude boeken gratis" in "\n".join(group.texts())


# Register entries and the owner's edits -------------------------------------------------------


async def test_register_entries_are_screened(xbot: Harness) -> None:
    _, _, (anna,) = await neighbours(xbot, "Anna")
    mark = _mark(anna)
    await say(xbot, anna, f"/aanbieden {CRISIS}")
    await tap(xbot, anna, "📋 Zet me in ‘wie kan wat’")
    assert _numbers_first(_since(anna, mark + 1))
    await say(xbot, anna, f"/aanbieden {PRO}")
    await tap(xbot, anna, "📋 Zet me in ‘wie kan wat’")
    assert anna.private.last.buttons == ["✅ Ja, graag", "Nee, dank je"]
    assert not any("112" in text for text in anna.private.texts()[-1:])
    assert await _count(xbot, x.exchange_entries) == 0
    # A doubtful one is asked about; for the neighbours it goes on to the category.
    await say(xbot, anna, f"/aanbieden {DOUBT}")
    await tap(xbot, anna, "📋 Zet me in ‘wie kan wat’")
    assert anna.private.last.buttons == [NEIGHBOURS, PROFESSIONAL]
    assert await _count(xbot, x.exchange_entries) == 0
    await tap(xbot, anna, NEIGHBOURS)
    await tap(xbot, anna, anna.private.last.buttons[0])
    await tap(xbot, anna, anna.private.last.buttons[0])
    await tap(xbot, anna, "Nee, liever niet")
    assert await _count(xbot, x.exchange_entries) == 1


async def test_an_edit_of_an_entry_is_screened(xbot: Harness) -> None:
    _, _, (anna, bram) = await neighbours(xbot, "Anna", "Bram")
    entry = await quick_entry(xbot, anna, "ladder lenen", "tools")
    await tap(xbot, anna, "📋 Mijn overzicht")
    anna.press(anna.private.last, data=f"xm:text:{entry.id}")
    await xbot.settle()
    mark = _mark(anna)
    await say(xbot, anna, VIOLENCE)
    assert _numbers_first(_since(anna, mark))
    (kept,) = await xbot.services.exchange.register.mine(channel_user(anna))
    assert kept.text == "ladder lenen"
    await say(xbot, bram, "/wiekanwat ladder")
    assert not _reached(xbot, bram.id, "geschopt")


# Thank-yous --------------------------------------------------------------------------------


async def _helped(bot: Harness, group: FakeChat, anna: FakeUser, bram: FakeUser) -> None:
    await quick_request(bot, anna, EVERYDAY, "garden")
    bram.press(group.find("Hulpvraag"), "🤝 Ik help")
    await bot.settle()
    await tap(bot, anna, "✅ Gelukt, afronden")
    await tap(bot, anna, "💐 Schrijf een bedankje")


async def test_a_thank_you_with_a_crisis_text_reaches_nobody(xbot: Harness) -> None:
    group, _, (anna, bram) = await neighbours(xbot, "Anna", "Bram")
    await _helped(xbot, group, anna, bram)
    mark = _mark(anna)
    await say(xbot, anna, "Dank je Bram. " + CRISIS)
    assert _numbers_first(_since(anna, mark))
    assert not _reached(xbot, bram.id, "slaappillen")
    assert _group_clean(xbot, group)


async def test_an_everyday_thank_you_is_shown_in_the_group(xbot: Harness) -> None:
    group, _, (anna, bram) = await neighbours(xbot, "Anna", "Bram")
    await _helped(xbot, group, anna, bram)
    await say(xbot, anna, "Dank je Bram, de heg is prachtig!")
    await tap(xbot, anna, "📣 Ja, ook in de groep")
    assert "de heg is prachtig" in group.find("Bedankt!").text


# The relay -----------------------------------------------------------------------------------


async def _talking(bot: Harness) -> tuple[FakeChat, FakeUser, FakeUser]:
    group, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    await quick_entry(bot, bram, "ladder lenen", "tools")
    await say(bot, anna, "/wiekanwat ladder")
    await tap(bot, anna, "💬 1. Vraag Bram")
    return group, anna, bram


async def test_relayed_crisis_message_is_held_with_the_numbers_at_once(xbot: Harness) -> None:
    group, anna, bram = await _talking(xbot)
    mark = _mark(anna)
    await say(xbot, anna, VIOLENCE)
    answer = _since(anna, mark)
    assert _numbers_first(answer)
    assert "Je bericht is niet doorgestuurd" in answer[0]
    assert not _reached(xbot, bram.id, "geschopt")
    await say(xbot, anna, PRO)
    assert not _reached(xbot, bram.id, "op straat")
    assert _group_clean(xbot, group)


async def test_a_doubtful_relayed_message_waits_for_the_residents_answer(xbot: Harness) -> None:
    _, anna, bram = await _talking(xbot)
    await say(xbot, anna, DOUBT)
    assert anna.private.last.buttons == [NEIGHBOURS, PROFESSIONAL]
    assert not _reached(xbot, bram.id, "krap")
    await tap(xbot, anna, NEIGHBOURS)
    assert bram.private.find("winterjas")
    # An everyday message goes straight through.
    await say(xbot, anna, "Mag ik je ladder zaterdag lenen?")
    assert bram.private.find("zaterdag lenen")


# Bloemetje ---------------------------------------------------------------------------------


async def test_a_bloemetje_reason_is_screened(xbot: Harness) -> None:
    _, street, (anna, _) = await neighbours(xbot, "Anna", "Joost")
    xbot.clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))  # type: ignore[attr-defined]
    await xbot.tick()
    await _nominate(xbot, anna, street, "Joost")
    anna.press(anna.private.find("Dank je! Je noemt Joost."), "✏️ Zeg waarom")
    await xbot.settle()
    mark = _mark(anna)
    await say(xbot, anna, "hij is lief maar ik wil er niet meer zijn")
    assert _numbers_first(_since(anna, mark))
    async with xbot.services.db.read() as tx:
        mine = await tx.digest.nomination_by(street.id, "2026-12", await _id(xbot, anna))
    assert mine is not None
    assert mine.reason is None
    # Nothing was kept; an everyday reason afterwards is saved as before.
    anna.press(anna.private.find("Dank je! Je noemt Joost."), "✏️ Zeg waarom")
    await xbot.settle()
    await say(xbot, anna, "Hij bracht soep toen ik ziek was")
    anna.private.find("Mooi gezegd.")


async def _id(bot: Harness, user: FakeUser) -> int:
    async with bot.services.db.read() as tx:
        resident = await tx.residents.by_external("telegram", str(user.id))
    assert resident is not None
    return resident.id


async def _nominate(bot: Harness, who: FakeUser, street: Street, name: str) -> None:
    who.start_bot(f"bl{street.id}")
    await bot.settle()
    who.press(who.private.with_button(name), name)
    await bot.settle()


# Rides -------------------------------------------------------------------------------------


async def test_a_rides_destination_is_screened(xbot: Harness) -> None:
    group, _, street = await street_group(xbot)
    joost = await neighbour(xbot, group, street, "Joost")
    page = await open_rides(xbot, joost)
    await tap_in(xbot, joost, page, "🚙 Ik rijd")
    await tap_in(xbot, joost, joost.private.last, "Morgen")
    await tap_in(xbot, joost, joost.private.last, "10:00")
    mark = _mark(joost)
    await say(xbot, joost, "naar de brug, ik wil springen")
    assert _numbers_first(_since(joost, mark))
    assert not _reached(xbot, group.id, "springen")
    # An everyday destination still makes a ride in the group.
    await publish(xbot, joost, destination="markt Oost")
    assert "markt Oost" in "\n".join(group.texts())
