"""End to end: every refusal of the exchange gets a kind answer and changes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from bot.sandbox.harness import Harness
from bot.storage.tables import exchange as x
from models.escalation.model import SourceKind
from models.sensitivity import Theme
from tests.e2e.exchange_helpers import (
    add_entry,
    neighbours,
    post_request,
    quick_entry,
    quick_request,
    quick_resident,
    say,
    tap,
    xbot,
)

__all__ = ["xbot"]


async def _count(bot: Harness, table: sa.Table) -> int:
    async with bot.services.db.read() as tx:
        return int(
            (await tx.conn.execute(sa.select(sa.func.count()).select_from(table))).scalar_one()
        )


async def test_empty_and_too_long_descriptions_are_refused_kindly(xbot: Harness) -> None:
    bot = xbot
    _, _, (anna,) = await neighbours(bot, "Anna")
    await tap(bot, anna, "🙋 Ik zoek hulp")
    await say(bot, anna, "x" * 501)
    assert "Dat is te lang: 501 tekens" in anna.private.last.text
    await say(bot, anna, " \u200b ")
    assert "Ik kreeg geen tekst" in anna.private.last.text
    await say(bot, anna, "Wie kan mijn heg snoeien?")
    assert "Gaat het over" in anna.private.last.text
    assert await _count(bot, x.exchange_requests) == 0


async def test_unknown_category_and_forged_buttons_change_nothing(xbot: Harness) -> None:
    bot = xbot
    _, _, (anna,) = await neighbours(bot, "Anna")
    await tap(bot, anna, "🙋 Ik zoek hulp")
    message = anna.private.with_button("✖️ Stoppen")
    query = anna.press(message, data="xa:cat:spaceships")
    await bot.settle()
    assert "Dat onderwerp ken ik niet" in bot.fake.toast(query)["text"]
    query = anna.press(message, data="xa:post")
    await bot.settle()
    assert "werkt niet meer" in bot.fake.toast(query)["text"]
    query = anna.press(message, data="xh:999")
    await bot.settle()
    assert "kan ik niet (meer) vinden" in bot.fake.toast(query)["text"]
    assert await _count(bot, x.exchange_requests) == 0


async def test_help_refusals_in_the_group(xbot: Harness) -> None:
    bot = xbot
    group, _, (anna, bram, cees) = await neighbours(bot, "Anna", "Bram", "Cees")
    outsider = bot.fake.add_user("Olga")
    bot.fake.add_member(group, outsider)
    await post_request(bot, anna, "Wie kan mijn heg snoeien?")
    card = group.find("Hulpvraag")

    own = anna.press(card, "🤝 Ik help")
    await bot.settle()
    assert "je eigen vraag" in bot.fake.toast(own)["text"]

    stranger = outsider.press(card, "🤝 Ik help")
    await bot.settle()
    assert "Je doet nog niet mee" in bot.fake.toast(stranger)["text"]
    assert card.buttons == ["🤝 Ik help", "🚩 Melden"]

    first = bram.press(card, "🤝 Ik help")
    second = cees.press(card, data=card.button_data("🤝 Ik help") or "")
    await bot.settle()
    assert "privébericht" in bot.fake.toast(first)["text"]
    assert "Er helpt al een buur" in bot.fake.toast(second)["text"]
    assert await _count(bot, x.exchange_conversations) == 1
    assert card.buttons == ["🚩 Melden"]


async def test_blocked_helper_and_cancelled_request(xbot: Harness) -> None:
    bot = xbot
    group, street, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    await post_request(bot, anna, "Wie kan mijn heg snoeien?")
    card = group.find("Hulpvraag")
    data = card.button_data("🤝 Ik help") or ""
    async with bot.services.db.write() as tx:
        resident = await tx.residents.by_external("telegram", str(bram.id))
        assert resident is not None
        membership = await tx.memberships.get(resident.id, street.id)
        assert membership is not None
        await tx.memberships.set_blocked(membership.id, bot.clock.now())
    blocked = bram.press(card, "🤝 Ik help")
    await bot.settle()
    assert "niet meedoen" in bot.fake.toast(blocked)["text"]

    await tap(bot, anna, "📋 Mijn overzicht")
    await tap(bot, anna, "📌 Wie kan mijn heg snoeien?")
    await tap(bot, anna, "✖️ Niet meer nodig")
    assert "niet meer nodig" in card.text
    assert card.buttons == ["🚩 Melden"]
    async with bot.services.db.write() as tx:
        await tx.memberships.set_blocked(membership.id, None)
    late = bram.press(card, data=data)
    await bot.settle()
    assert "al afgerond of niet meer nodig" in bot.fake.toast(late)["text"]
    assert await _count(bot, x.exchange_conversations) == 0


async def test_at_most_five_requests_a_day(xbot: Harness) -> None:
    bot = xbot
    group, _, (anna,) = await neighbours(bot, "Anna")
    for number in range(4):
        await quick_request(bot, anna, f"iemand voor de tuin {number}", "garden")
    await say(bot, anna, "/vragen iemand voor de tuin")
    await tap(bot, anna, "Ja")
    await tap(bot, anna, "Maakt niet uit")
    await tap(bot, anna, "Toon mijn voornaam (Anna)")
    await tap(bot, anna, "📣 Plaats mijn vraag")
    assert len([t for t in group.texts() if "Hulpvraag" in t]) == 5
    await say(bot, anna, "/vragen")
    assert "al 5 vragen geplaatst" in anna.private.last.text
    await tap(bot, anna, "🙋 Ik zoek hulp")
    assert "al 5 vragen geplaatst" in anna.private.last.text
    assert await _count(bot, x.exchange_requests) == 5


async def test_non_member_cannot_use_the_exchange(xbot: Harness) -> None:
    bot = xbot
    await neighbours(bot)
    olga = bot.fake.add_user("Olga")
    for command in ("/vragen heg snoeien", "/aanbieden ladder", "/wiekanwat ladder"):
        await say(bot, olga, command)
        assert "Je doet nog niet mee" in olga.private.last.text
    assert await _count(bot, x.exchange_entries) == 0


async def test_commands_in_the_group_point_to_the_private_chat(xbot: Harness) -> None:
    bot = xbot
    group, _, (anna,) = await neighbours(bot, "Anna")
    anna.send("/vragen", chat=group)
    await bot.settle()
    reply = group.find("privé")
    assert reply.button_url("💬 Open de chat met mij") == (
        "https://t.me/patchwork_test_bot?start=x_ask"
    )
    await say(bot, anna, "/start x_ask")
    assert "Waar zoek je hulp bij?" in anna.private.last.text


async def test_sensitive_request_stays_private_and_offers_a_professional(xbot: Harness) -> None:
    bot = xbot
    group, _, (anna,) = await neighbours(bot, "Anna")
    before = len(group.bot_messages)
    await tap(bot, anna, "🙋 Ik zoek hulp")
    await say(bot, anna, "De deurwaarder komt morgen voor mijn schulden")
    reply = anna.private.last
    assert "Je vraag is niet in de groep gezet" in (reply.text or "")
    assert "112" not in (reply.text or "")
    assert len(group.bot_messages) == before
    async with bot.services.db.read() as tx:
        offer = await tx.cases.offer(1)
    assert offer is not None
    assert offer.source.kind is SourceKind.REQUEST
    assert offer.source.prefilled_theme is Theme.MONEY
    assert offer.source.prefilled_text == "De deurwaarder komt morgen voor mijn schulden"
    # Without a wijkteam yet, yes still gets a kind answer (the operator hears of it).
    await tap(bot, anna, "✅ Ja, graag")
    assert "nog niet aangesloten" in anna.private.last.text
    assert not any("deurwaarder" in t for t in group.texts())


async def test_crisis_shows_the_numbers_at_once(xbot: Harness) -> None:
    bot = xbot
    group, _, (anna,) = await neighbours(bot, "Anna")
    await say(bot, anna, "/vragen ik wil niet meer leven")
    reply = anna.private.last.text or ""
    assert reply.startswith("🆘 Is er direct gevaar? Bel 112.")
    assert "0800-0113" in reply
    assert "0800-2000" in reply
    assert not any("leven" in t for t in group.texts())


async def test_matching_register_entries_are_told_privately_at_most_five(xbot: Harness) -> None:
    bot = xbot
    group, street, (anna,) = await neighbours(bot, "Anna")
    names = ["Bram", "Cees", "Dirk", "Eva", "Fleur", "Gijs", "Hans"]
    others = [await quick_resident(bot, group, street, name) for name in names]
    users = [anna, *others]
    for user in others[1:6]:
        await quick_entry(bot, user, "heg snoeien", "garden")
    await say(bot, others[0], "/menu")
    await add_entry(bot, others[0], "heg snoeien", "🌱 Tuin")
    await quick_entry(bot, others[6], "koffie drinken", "company")
    # Anna's own entry and a paused one are never told; a sixth match is not needed.
    await quick_entry(bot, anna, "snoeien in de tuin", "garden")
    await tap(bot, others[0], "📋 Mijn overzicht")
    await tap(bot, others[0], "✏️ heg snoeien")
    await tap(bot, others[0], "⏸ Even op pauze")
    await post_request(bot, anna, "Wie kan mijn heg snoeien?")
    told = [u.first_name for u in users if any("Kun jij helpen?" in t for t in u.private.texts())]
    assert told == ["Cees", "Dirk", "Eva", "Fleur", "Gijs"]
    assert "Ik heb ook 5 buren gevraagd" in anna.private.find("Je vraag staat in de groep").text
    private_card = users[2].private.find("Kun jij helpen?")
    users[2].press(private_card, "🤝 Ik help")
    await bot.settle()
    assert private_card.buttons == []
    assert group.find("Hulpvraag").buttons == ["🚩 Melden"]


async def test_removed_request_disappears_and_its_old_button_answers_politely(
    xbot: Harness,
) -> None:
    bot = xbot
    group, _, (anna, bram) = await neighbours(bot, "Anna", "Bram")
    request = await quick_request(bot, anna, "Wie kan mijn heg snoeien?", "garden")
    card = group.find("Hulpvraag")
    data = card.button_data("🤝 Ik help") or ""
    assert await bot.services.exchange.requests.remove(request.id)
    bot.services.wake_outbox()
    await bot.settle()
    assert card.deleted
    late = bram.press(card, data=data)
    await bot.settle()
    assert "al afgerond of niet meer nodig" in bot.fake.toast(late)["text"]
    assert not await bot.services.exchange.requests.remove(request.id)
