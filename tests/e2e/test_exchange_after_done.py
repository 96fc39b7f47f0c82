"""End to end: after "Gelukt", typed text no longer goes to the neighbour (issue 15.1).

Anna's request was done; twelve hours later she typed "Nog een vraag", meant for the
wijkteam, and it went straight to Joost. Now the conversation closes when the help is
done, either side can open it again with "💬 Nog iets zeggen", and typed text follows a
conversation only while it is clearly current: after a quiet spell the resident is asked
with buttons who it is for, and nothing is forwarded on a guess.
"""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.e2e.escalation_helpers import open_case, team
from tests.e2e.exchange_helpers import neighbours, quick_entry, quick_request, say, tap, xbot

__all__ = ["xbot"]


async def _helped(bot: Harness, group: FakeChat, anna: FakeUser, joost: FakeUser) -> None:
    """Joost helps with Anna's request; they talk; Anna says it worked."""
    await quick_request(bot, anna, "Wie kan mijn lamp ophangen?", "household")
    joost.press(group.find("Hulpvraag"), "🤝 Ik help")
    await bot.settle()
    await say(bot, anna, "Fijn! Kom je morgen om tien uur?")
    assert any("om tien uur" in t for t in joost.private.texts())
    await tap(bot, anna, "✅ Gelukt, afronden")


def _got(user: FakeUser, words: str) -> bool:
    return any(words in t for t in user.private.texts())


async def test_after_gelukt_typed_text_does_not_go_to_the_helper(
    xbot: Harness, clock: FakeClock
) -> None:
    group, _, (anna, joost) = await neighbours(xbot, "Anna", "Joost")
    await _helped(xbot, group, anna, joost)
    clock.advance(timedelta(hours=12))
    await say(xbot, anna, "Nog een vraag over mijn huur")
    assert not _got(joost, "Nog een vraag")
    assert "Doorgestuurd" not in anna.private.last.text


async def test_with_a_case_open_the_text_is_offered_to_the_team_not_the_neighbour(
    xbot: Harness, clock: FakeClock
) -> None:
    group, _, (anna, joost) = await neighbours(xbot, "Anna", "Joost")
    await team(xbot)
    await open_case(xbot, anna)
    await _helped(xbot, group, anna, joost)
    clock.advance(timedelta(hours=12))
    await say(xbot, anna, "Nog een vraag")
    assert not _got(joost, "Nog een vraag")
    last = anna.private.last
    assert "Ik heb het aan niemand doorgegeven" in last.text
    assert last.buttons == ["✉️ Bericht aan het wijkteam"]
    await tap(xbot, anna, "✉️ Bericht aan het wijkteam")
    await say(xbot, anna, "Kunt u mij bellen over de brief?")
    assert not _got(joost, "over de brief")


async def test_nog_iets_zeggen_opens_the_conversation_again(xbot: Harness) -> None:
    group, _, (anna, joost) = await neighbours(xbot, "Anna", "Joost")
    await _helped(xbot, group, anna, joost)
    # Both sides are offered it with the "done" message.
    assert joost.private.with_button("💬 Nog iets zeggen tegen Anna")
    await tap(xbot, anna, "💬 Nog iets zeggen tegen Joost")
    assert "Je schrijft nu aan" in anna.private.last.text
    await say(xbot, anna, "Ik vergat je te bedanken voor de koffie!")
    assert _got(joost, "bedanken voor de koffie")


async def test_a_quiet_conversation_asks_who_the_text_is_for(
    xbot: Harness, clock: FakeClock
) -> None:
    _, _, (anna, bram) = await neighbours(xbot, "Anna", "Bram")
    await quick_entry(xbot, bram, "ladder lenen", "tools")
    await say(xbot, anna, "/wiekanwat ladder")
    await tap(xbot, anna, "💬 1. Vraag Bram")
    await say(xbot, anna, "Mag ik je ladder lenen?")
    assert _got(bram, "ladder lenen?")
    clock.advance(timedelta(hours=13))
    await say(xbot, anna, "Hoe laat is het spreekuur?")
    assert not _got(bram, "spreekuur")
    question = anna.private.last
    assert "Is dit bericht voor Bram?" in question.text
    assert question.buttons == ["Bram: ladder lenen"]
    # Her choice sends it, and the conversation is current again.
    await tap(xbot, anna, "Bram: ladder lenen")
    assert _got(bram, "spreekuur")
    await say(xbot, anna, "Dank je!")
    assert _got(bram, "Dank je!")


async def test_a_conversation_in_use_stays_current(xbot: Harness, clock: FakeClock) -> None:
    _, _, (anna, bram) = await neighbours(xbot, "Anna", "Bram")
    await quick_entry(xbot, bram, "ladder lenen", "tools")
    await say(xbot, anna, "/wiekanwat ladder")
    await tap(xbot, anna, "💬 1. Vraag Bram")
    for hour in range(3):
        clock.advance(timedelta(hours=8))
        await say(xbot, anna, f"Bericht {hour}")
        assert _got(bram, f"Bericht {hour}")
        clock.advance(timedelta(hours=8))
        await say(xbot, bram, f"Antwoord {hour}")
        assert _got(anna, f"Antwoord {hour}")


async def test_the_feedback_questions_come_as_new_messages_and_fit_each_side(
    xbot: Harness,
) -> None:
    """Issue 15.8: the second question is not edited into an old message, where it is
    missed; and the helper is asked whether it went well, not whether it helped."""
    group, _, (anna, joost) = await neighbours(xbot, "Anna", "Joost")
    await _helped(xbot, group, anna, joost)
    asked = anna.private.with_button("Een beetje")
    assert "Heeft dit geholpen?" in asked.text
    helper = joost.private.with_button("Een beetje")
    assert "Ging het goed?" in helper.text
    assert "geholpen" not in helper.text
    await tap(xbot, anna, "Ja")
    # The answer stays under the question, without buttons; the next question is new.
    assert asked.buttons == []
    assert asked.text.endswith("➡️ Ja")
    second = anna.private.last
    assert second is not asked
    assert "Kende je Joost al?" in second.text
    await tap(xbot, anna, "Nee")
    assert "Dank je wel!" in anna.private.last.text
    assert second.text.endswith("➡️ Nee")


async def test_a_thank_you_without_typing(xbot: Harness) -> None:
    """Issue 15.9: three ready-made sentences, or one's own words."""
    group, _, (anna, joost) = await neighbours(xbot, "Anna", "Joost")
    await _helped(xbot, group, anna, joost)
    await tap(xbot, anna, "💐 Schrijf een bedankje")
    choose = anna.private.with_button("✏️ Zelf iets typen")
    assert "Kies een zin, of typ zelf iets" in choose.text
    assert choose.buttons[-1] == "✏️ Zelf iets typen"
    await tap(xbot, anna, "Wat fijn dat je hielp, Joost. Dank je!")
    await tap(xbot, anna, "📣 Ja, ook in de groep")
    assert "Wat fijn dat je hielp, Joost. Dank je!" in group.find("Bedankt!").text
    assert _got(joost, "Wat fijn dat je hielp")
