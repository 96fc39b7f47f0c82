"""End to end: a worker's action pressed in the moderators chat says where it went on (15.7).

Samira pressed "Bekijken" in the team's group and the case went to her private chat with
only a pop-up; her first try failed with "Tik op mijn naam, dan op Start". Now the group
gets a short pointer with a button that opens the private chat, never anything of the
case, and a worker's first /start shows the worker's home, not the resident's.
"""

from __future__ import annotations

from bot.sandbox.harness import Harness
from tests.e2e.escalation_helpers import open_case, say, tap, team
from tests.e2e.helpers import resident, street_group

SECRET = "Ik heb een schuld van 4000 euro bij de woningcorporatie."


async def test_bekijken_points_to_the_private_chat_with_a_button(bot: Harness) -> None:
    _, _, street = await street_group(bot)
    mods, samira = await team(bot)
    anna = await resident(bot, street, "Anna")
    await open_case(bot, anna, text=SECRET)
    await tap(bot, samira, mods, "👁 Bekijken")
    assert SECRET in samira.private.find("Wat de bewoner schreef").text
    pointer = mods.find("ik heb je een privébericht gestuurd over zaak 1")
    assert pointer.text.startswith("📬 Samira")
    link = pointer.button_url("💬 Open mijn privéchat")
    assert link is not None
    assert link.endswith("?start=w")
    assert not any(SECRET in text for text in mods.texts())


async def test_a_worker_who_never_started_the_bot_gets_the_button_not_a_riddle(
    bot: Harness,
) -> None:
    _, _, street = await street_group(bot)
    mods, _ = await team(bot)
    anna = await resident(bot, street, "Anna")
    await open_case(bot, anna, text=SECRET)
    nina = bot.fake.add_user("Nina")
    bot.fake.add_member(mods, nina)
    bot.fake.make_admin(mods, nina)
    await tap(bot, nina, mods, "👁 Bekijken")
    pointer = mods.find("ik kan je nog geen privébericht sturen")
    assert "Nina" in pointer.text
    assert pointer.button_url("💬 Open mijn privéchat") is not None
    # The button opens the chat on her home: the case is there, one tap away.
    nina.start_bot("w")
    await bot.settle()
    home = nina.private.last
    assert "community worker" in home.text
    assert "Wijk Oost" in home.text
    label = next(b for b in home.buttons if b.startswith("📂 Zaak 1"))
    assert label.endswith("nog niet opgepakt")
    nina.press(home, label)
    await bot.settle()
    assert SECRET in nina.private.find("Wat de bewoner schreef").text


async def test_a_workers_plain_start_shows_the_workers_home(bot: Harness) -> None:
    _, _, street = await street_group(bot)
    mods, samira = await team(bot)
    anna = await resident(bot, street, "Anna")
    await open_case(bot, anna)
    await tap(bot, samira, mods, "🙋 Oppakken")
    await say(bot, samira, "/start")
    home = samira.private.last
    assert "Hallo Samira" in home.text
    assert any(b.startswith("📂 Zaak 1") and b.endswith("van jou") for b in home.buttons)
    assert "Je doet nog niet mee" not in home.text
