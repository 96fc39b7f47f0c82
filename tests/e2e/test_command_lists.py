"""Telegram's command menus list what people can type, in Dutch and in English."""

from __future__ import annotations

from bot.sandbox.harness import Harness


def _commands(bot: Harness, scope: str, language: str) -> dict[str, str]:
    key = f'{{"type": "{scope}"}}:{language}'
    return {c["command"]: c["description"] for c in bot.fake.commands[key]}


async def test_group_and_private_command_lists_in_both_languages(bot: Harness) -> None:
    group_nl = _commands(bot, "all_group_chats", "")
    private_nl = _commands(bot, "all_private_chats", "")
    group_en = _commands(bot, "all_group_chats", "en")
    private_en = _commands(bot, "all_private_chats", "en")
    for listed in (group_nl, group_en):
        assert {"setup", "melden", "instellingen", "digest", "kaart"} <= set(listed)
    for listed in (private_nl, private_en):
        assert {"vragen", "aanbieden", "wiekanwat", "start", "menu"} <= set(listed)
    assert group_nl["kaart"] == "Straatkaartje om te printen (beheerders)"
    assert group_en["kaart"] == "Street card to print (administrators)"
    assert private_nl["vragen"] == "Vraag je buren om hulp"
    assert private_en["wiekanwat"] == "Find who can do what nearby"
