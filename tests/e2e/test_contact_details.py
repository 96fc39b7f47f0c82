"""End to end: contact details typed by residents reach a street group only by choice (18.4).

A request, a register entry, a public thank-you, a Bloemetje reason and a ride's words are
read by the whole street. When one holds a phone number, an e-mail address or an
@username, the resident is asked privately first; "Haal mijn nummer eruit" is the first
choice, and the neighbours then reach them through the bot. Only "Laat het staan" lets the
detail through. A text for one neighbour (the relay, a private thank-you) is not asked about.
"""
# ruff: noqa: RUF001 - the Dutch texts use typographic quotes

from __future__ import annotations

import json

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from tests.e2e.exchange_helpers import (
    channel_user,
    neighbours,
    quick_request,
    say,
    tap,
    xbot,
)
from tests.e2e.helpers import street_group
from tests.e2e.rides_steps import neighbour, open_rides
from tests.e2e.rides_steps import tap as tap_in

__all__ = ["xbot"]

TEXT = "Lamp ophangen? Bel me op 06-12345678 of +31 6 1234 5678, mail henk@example.nl, of @henk_h"
DETAILS = ("12345678", "1234 5678", "henk@example.nl", "@henk_h")
REMOVE = "✂️ Haal mijn nummer eruit (buren bereiken je via de bot)"
KEEP = "Laat het staan"


def _reached(bot: Harness, chat: FakeChat, *needles: str) -> list[str]:
    """Needles found in any call the bot made to a chat (texts, captions, buttons)."""
    blobs = [
        json.dumps(call.params, ensure_ascii=False)
        for call in bot.fake.calls
        if str(call.params.get("chat_id")) == str(chat.id)
    ]
    return [n for n in needles for b in blobs if n in b]


async def _ask_for_help(bot: Harness, anna: FakeUser, text: str) -> None:
    await tap(bot, anna, "🙋 Ik zoek hulp")
    await say(bot, anna, text)


async def _post_rest(bot: Harness, anna: FakeUser) -> None:
    """The request flow after its text: category, moment, name, post."""
    buttons = anna.private.last.buttons
    await tap(bot, anna, "Ja" if buttons and buttons[0] == "Ja" else "✨ Iets anders")
    await tap(bot, anna, "Deze week")
    await tap(bot, anna, "Plaats als ‘een buur’")
    await tap(bot, anna, "📣 Plaats mijn vraag")


async def test_a_request_with_contact_details_is_asked_about_and_posted_without(
    xbot: Harness,
) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await _ask_for_help(xbot, anna, TEXT)
    question = anna.private.last
    assert "telefoonnummer, e-mailadres of @naam" in question.text
    # The preview shows what the street would read.
    assert "(via de bot)" in question.text
    assert not [d for d in DETAILS if d in question.text.split("Dan wordt het:")[1]]
    assert question.buttons == [REMOVE, KEEP]
    assert not [t for t in group.texts() if "Hulpvraag" in t]  # nothing posted while asked
    await tap(xbot, anna, REMOVE)
    await _post_rest(xbot, anna)
    card = group.find("Hulpvraag").text
    assert "Lamp ophangen?" in card
    assert "(via de bot)" in card
    assert not _reached(xbot, group, *DETAILS)


async def test_a_resident_may_leave_their_number_in_by_choice(xbot: Harness) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await _ask_for_help(xbot, anna, "Wie helpt met mijn fiets? Bel 06-12345678")
    await tap(xbot, anna, KEEP)
    await _post_rest(xbot, anna)
    assert "06-12345678" in group.find("Hulpvraag").text


async def test_a_request_without_contact_details_is_not_asked_about(xbot: Harness) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await _ask_for_help(xbot, anna, "Wie kan op 12 december mijn kat 3 dagen voeren?")
    assert REMOVE not in anna.private.last.buttons
    await _post_rest(xbot, anna)
    assert "mijn kat 3 dagen voeren" in group.find("Hulpvraag").text


async def test_the_question_about_contact_details_answers_a_late_press_politely(
    xbot: Harness,
) -> None:
    group, _, (anna,) = await neighbours(xbot, "Anna")
    await _ask_for_help(xbot, anna, TEXT)
    question = anna.private.last
    await tap(xbot, anna, REMOVE)
    await _post_rest(xbot, anna)
    posted = len(group.texts())
    late = anna.press(question, data="sc:k")  # the old question's "Laat het staan", again
    await xbot.settle()
    assert "werkt niet meer" in (xbot.fake.toast(late) or {}).get("text", "")
    assert len(group.texts()) == posted
    assert not _reached(xbot, group, *DETAILS)


async def _helped(bot: Harness, group: FakeChat, anna: FakeUser, bram: FakeUser) -> None:
    await quick_request(bot, anna, "wie kan mijn heg snoeien", "garden")
    bram.press(group.find("Hulpvraag"), "🤝 Ik help")
    await bot.settle()
    await tap(bot, anna, "✅ Gelukt, afronden")
    await tap(bot, anna, "💐 Schrijf een bedankje")


async def test_a_public_thank_you_with_a_number_is_asked_about(xbot: Harness) -> None:
    group, _, (anna, bram) = await neighbours(xbot, "Anna", "Bram")
    await _helped(xbot, group, anna, bram)
    await say(xbot, anna, "Dank je Bram! Bel me gerust: anna.de.vries@example.nl")
    await tap(xbot, anna, "📣 Ja, ook in de groep")
    assert anna.private.last.buttons == [REMOVE, KEEP]
    assert not [t for t in group.texts() if "Bedankt!" in t]
    await tap(xbot, anna, REMOVE)
    thanks = group.find("Bedankt!").text
    assert "Dank je Bram!" in thanks
    assert "example.nl" not in thanks
    # Bram, who helped, got it too; a thank-you to him alone may hold the address.


async def test_a_private_thank_you_keeps_its_number_without_asking(xbot: Harness) -> None:
    group, _, (anna, bram) = await neighbours(xbot, "Anna", "Bram")
    await _helped(xbot, group, anna, bram)
    await say(xbot, anna, "Dank je Bram! Mijn nummer is 06-12345678")
    await tap(xbot, anna, anna.private.last.buttons[1])  # only to Bram
    assert REMOVE not in anna.private.last.buttons
    assert any("06-12345678" in t for t in bram.private.texts())
    assert not _reached(xbot, group, "12345678")


async def test_a_register_entry_with_an_email_address_is_asked_about(xbot: Harness) -> None:
    _, _, (anna,) = await neighbours(xbot, "Anna")
    await say(xbot, anna, "/aanbieden ik repareer fietsen, mail fiets@example.nl")
    await tap(xbot, anna, "📋 Zet me in ‘wie kan wat’")
    assert anna.private.last.buttons == [REMOVE, KEEP]
    await tap(xbot, anna, REMOVE)
    # The entry flow goes on: category, availability, the printed card.
    await tap(xbot, anna, anna.private.last.buttons[0])
    await tap(xbot, anna, anna.private.last.buttons[0])
    await tap(xbot, anna, "Nee, liever niet")
    (entry,) = await xbot.services.exchange.register.mine(channel_user(anna))
    assert "fiets@example.nl" not in entry.text
    assert "ik repareer fietsen" in entry.text


async def test_a_rides_meeting_point_with_a_number_is_asked_about(xbot: Harness) -> None:
    group, _, street = await street_group(xbot)
    joost = await neighbour(xbot, group, street, "Joost")
    page = await open_rides(xbot, joost)
    await tap_in(xbot, joost, page, "🚙 Ik rijd")
    await tap_in(xbot, joost, joost.private.last, "Morgen")
    await tap_in(xbot, joost, joost.private.last, "10:00")
    await say(xbot, joost, "markt Oost")
    await tap_in(xbot, joost, joost.private.last, "3")
    await tap_in(xbot, joost, joost.private.last, joost.private.last.buttons[1])  # meeting point
    await say(xbot, joost, "bij de kerk, of app 0612345678")
    assert joost.private.last.buttons == [REMOVE, KEEP]
    await tap_in(xbot, joost, joost.private.last, REMOVE)
    # The wizard goes on at the return time.
    assert "terug" in joost.private.last.text.lower()
