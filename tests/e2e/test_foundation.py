"""End to end: street setup and joining, driven through the fake Bot API."""

from __future__ import annotations

from bot.sandbox.harness import Harness
from tests.e2e.helpers import join, street_group


async def test_admin_sets_up_street_and_welcome_has_join_link(bot: Harness) -> None:
    group, _, street = await street_group(bot)
    done = group.find("Klaar!")
    assert "Zonnebloemstraat" in (done.text or "")
    welcome = group.find("Welkom bij Patchwork")
    url = welcome.button_url("🙋 Doe mee")
    assert url == f"https://t.me/patchwork_test_bot?start=j{street.join_code}"


async def test_resident_joins_through_the_deep_link(bot: Harness) -> None:
    _, _, street = await street_group(bot)
    anna = bot.fake.add_user("Anna")
    await join(bot, anna, street)
    texts = anna.private.texts()
    assert any("Gelukt, Anna! Je doet nu mee met de Zonnebloemstraat." in t for t in texts)
    assert anna.private.last.buttons[:2] == ["🙋 Ik zoek hulp", "🤝 Ik kan helpen"]


async def test_a_menu_button_tells_a_non_member_why_nothing_happens(bot: Harness) -> None:
    bram = bot.fake.add_user("Bram")
    bram.send("/menu")
    await bot.settle()
    query = bram.press(bram.private.last, "🙋 Ik zoek hulp")
    await bot.settle()
    toast = bot.fake.toast(query)
    assert toast is not None
    assert toast["show_alert"] is True
    assert "Doe mee" in str(toast["text"])
