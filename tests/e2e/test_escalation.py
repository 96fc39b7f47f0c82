"""End to end: route 1, the moderators chat, a case's life, reminders, permissions, privacy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.sandbox.harness import Harness
from models.clock import FakeClock
from models.core import ChannelUser
from tests.e2e.escalation_helpers import (
    PRO,
    bot_with_operator,
    code_in,
    group_leaks,
    open_case,
    operator_chat,
    say,
    tap,
    team,
)
from tests.e2e.helpers import resident, street_group

SECRET = "De deurwaarder komt morgen om negen uur"


@pytest.fixture
async def ebot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The bot with an operator chat."""
    async with bot_with_operator(tmp_path, clock) as harness:
        yield harness


async def _audit(bot: Harness, case_id: int) -> list[str]:
    async with bot.services.db.read() as tx:
        return [e.action for e in await tx.audit.for_subject("case", str(case_id))]


async def test_operator_code_links_the_team_group_once(ebot: Harness, clock: FakeClock) -> None:
    operator = operator_chat(ebot)
    olga = next(u for u in ebot.fake.users.values() if u.first_name == "Olga")
    await say(ebot, olga, "/koppelcode Oost | Vlietstad", chat=operator)
    code = code_in(operator.find("Koppelcode voor wijk Oost").text or "")
    samira = ebot.fake.add_user("Samira")
    group = ebot.fake.add_group("Wijkteam Oost", admins=[samira])
    ebot.fake.add_bot_to_group(group, by=samira)
    await say(ebot, samira, f"/koppel {code.lower()}", chat=group)
    assert "groep van het wijkteam van Oost" in (group.last.text or "")
    # The group no longer waits for a /setup: no farewell after the grace period.
    clock.advance(timedelta(minutes=30))
    await ebot.tick()
    assert group.bot_member
    other = ebot.fake.add_group("Nog een groep", admins=[samira])
    ebot.fake.add_bot_to_group(other, by=samira)
    await say(ebot, samira, f"/koppel {code}", chat=other)
    assert "werkt niet (meer)" in (other.last.text or "")
    # A team group can never become a street group.
    await say(ebot, samira, "/setup Dorpsstraat | Oost | Vlietstad", chat=group)
    assert "kan geen straatgroep worden" in (group.last.text or "")


async def test_a_case_from_start_to_close(ebot: Harness) -> None:
    street_chat, _, street = await street_group(ebot)
    mods, samira = await team(ebot)
    await say(ebot, samira, "/organisatie Welzijn Oost", chat=mods)
    anna = await resident(ebot, street, "Anna")

    await say(ebot, anna, PRO)
    intro = anna.private.last
    assert "Waar gaat het over?" in (intro.text or "")
    assert "🛡 Veiligheid thuis" in intro.buttons
    await tap(ebot, anna, anna.private, "💶 Geld en schulden")
    await say(ebot, anna, SECRET)
    await tap(ebot, anna, anna.private, "📞 Bel mij")
    await say(ebot, anna, "0612345678")
    await tap(ebot, anna, anna.private, "\u2019s Avonds")
    consent = anna.private.last
    assert "Mag het wijkteam van Oost contact met je opnemen?" in (consent.text or "")
    assert "06 12345678" in (consent.text or "")
    await tap(ebot, anna, anna.private, "✅ Ja, dat mag")
    assert "doorgegeven aan het wijkteam van Oost (nummer 1)" in (anna.private.last.text or "")

    card = mods.find("Casus 1")
    assert "Geld en schulden" in (card.text or "")
    assert "Zonnebloemstraat" in (card.text or "")
    assert "nog niet opgepakt" in (card.text or "")
    for private in ("Anna", "deurwaarder", "12345678"):
        assert private not in (card.text or "")

    await tap(ebot, samira, mods, "🙋 Oppakken")
    assert "opgepakt door Samira" in (card.text or "")
    assert "Samira van het wijkteam heeft je vraag opgepakt" in (anna.private.last.text or "")

    await tap(ebot, samira, mods, "👁 Bekijken")
    details = samira.private.find("Wat de bewoner schreef")
    assert SECRET in (details.text or "")
    assert "06 12345678" in (details.text or "")
    assert "\u2019s Avonds" in (details.text or "")
    assert "Anna, Zonnebloemstraat" in (details.text or "")

    await tap(ebot, samira, mods, "✉️ Bericht aan bewoner")
    await say(ebot, samira, "Ik bel je morgenavond om zeven uur.")
    assert "Verstuurd aan de bewoner van casus 1" in (samira.private.last.text or "")
    relayed = anna.private.find("Ik bel je morgenavond")
    assert "Bericht van Samira</b>" not in (relayed.text or "")
    assert "Bericht van Samira (Welzijn Oost)" in (relayed.text or "")

    await tap(ebot, anna, anna.private, "✍️ Antwoorden")
    await say(ebot, anna, "Dank je, dat is goed.")
    assert "doorgestuurd" in (anna.private.last.text or "")
    reply = samira.private.find("Bericht van de bewoner")
    assert "Dank je, dat is goed." in (reply.text or "")

    await tap(ebot, samira, mods, "📝 Notitie")
    await say(ebot, samira, "Doorverwijzen naar schuldhulp na het gesprek.")
    assert "Notitie opgeslagen" in (samira.private.last.text or "")

    await tap(ebot, samira, mods, "✅ Afsluiten")
    await tap(ebot, samira, samira.private, "opgelost")
    assert "afgesloten: opgelost" in (card.text or "")
    assert "is afgesloten" in (anna.private.last.text or "")

    await say(ebot, samira, "/auditlog 1", chat=mods)
    log = samira.private.find("Logboek van casus 1")
    for action in (
        "geopend met toestemming",
        "opgepakt",
        "bekeken",
        "bericht aan bewoner",
        "bericht van bewoner",
        "notitie",
        "afgesloten (solved)",
    ):
        assert action in (log.text or ""), action
    assert "bewoner" in (log.text or "")
    assert "Anna" not in (log.text or "")

    assert (
        group_leaks(ebot, SECRET, "12345678", "Ik bel je", "Dank je, dat is goed", "schuldhulp")
        == []
    )
    assert street_chat.texts()  # the street group got its own messages, none about the case
    actions = await _audit(ebot, 1)
    assert actions.count("case.viewed") == 1
    assert "case.audit_viewed" in actions


async def test_consent_refused_shares_nothing(ebot: Harness) -> None:
    _, _, street = await street_group(ebot)
    mods, _ = await team(ebot)
    anna = await resident(ebot, street, "Anna")
    await say(ebot, anna, PRO)
    await tap(ebot, anna, anna.private, "🏠 Wonen")
    await say(ebot, anna, "De huisbaas wil een ontruiming")
    await tap(ebot, anna, anna.private, "💬 Via deze chat")
    await tap(ebot, anna, anna.private, "❌ Nee, liever niet")
    assert "Er is niets doorgegeven" in (anna.private.last.text or "")
    assert not any("Casus" in text for text in mods.texts())
    async with ebot.services.db.read() as tx:
        assert await tx.cases.get(1) is None
    assert group_leaks(ebot, "huisbaas") == []


async def test_crisis_numbers_come_first_and_regardless(ebot: Harness) -> None:
    _, _, street = await street_group(ebot)
    mods, _ = await team(ebot)
    anna = await resident(ebot, street, "Anna")
    await say(ebot, anna, PRO)
    await tap(ebot, anna, anna.private, "🛡 Veiligheid thuis")
    crisis = anna.private.find("Bel 112")
    assert "0800-0113" in (crisis.text or "")
    assert "0800-2000" in (crisis.text or "")
    # Shown before any case exists, and whatever the resident does next.
    assert not any("Casus" in text for text in mods.texts())
    await tap(ebot, anna, anna.private, "⏭ Overslaan")
    await tap(ebot, anna, anna.private, "💬 Via deze chat")
    await tap(ebot, anna, anna.private, "✅ Ja, dat mag")
    assert "🔴 crisis" in (mods.find("Casus 1").text or "")

    # A crisis text typed in the flow shows the numbers at once too.
    bert = await resident(ebot, (await ebot.services.streets.get(1)), "Bert")
    await say(ebot, bert, PRO)
    await tap(ebot, bert, bert.private, "🩺 Gezondheid en zorg")
    before = len(bert.private.texts())
    await say(ebot, bert, "ik wil er niet meer zijn")
    assert any("Bel 112" in text for text in bert.private.texts()[before:])


async def test_reminders_after_24_and_72_hours(ebot: Harness, clock: FakeClock) -> None:
    _, _, street = await street_group(ebot)
    mods, _ = await team(ebot)
    anna = await resident(ebot, street, "Anna")
    await open_case(ebot, anna)
    operator = operator_chat(ebot)
    clock.advance(timedelta(hours=23))
    await ebot.tick()
    assert not any("wacht al" in text for text in mods.texts())
    clock.advance(timedelta(hours=2))
    await ebot.tick()
    assert "Casus 1 wacht al 24 uur" in (mods.last.text or "")
    assert "Wacht op iemand" in (mods.find("📁").text or "")
    assert not any("Casus 1 in wijk" in text for text in operator.texts())
    clock.advance(timedelta(hours=48))
    await ebot.tick()
    await ebot.tick()
    alerts = [text for text in operator.texts() if "Casus 1 in wijk Oost" in text]
    assert alerts == ["⏰ Casus 1 in wijk Oost is na 72 uur nog niet opgepakt."]
    assert sum("wacht al 24 uur" in text for text in mods.texts()) == 1
    # After a restart nothing is sent twice.
    await ebot.restart()
    await ebot.tick()
    assert sum("Casus 1 in wijk" in text for text in operator.texts()) == 1


async def test_claimed_case_gets_no_reminder(ebot: Harness, clock: FakeClock) -> None:
    _, _, street = await street_group(ebot)
    mods, samira = await team(ebot)
    anna = await resident(ebot, street, "Anna")
    await open_case(ebot, anna)
    await tap(ebot, samira, mods, "🙋 Oppakken")
    clock.advance(timedelta(hours=80))
    await ebot.tick()
    assert not any("wacht al" in text for text in mods.texts())
    assert not any("Casus 1" in text for text in operator_chat(ebot).texts())


async def test_non_worker_is_refused_and_audited(ebot: Harness) -> None:
    _, _, street = await street_group(ebot)
    mods, _ = await team(ebot)
    anna = await resident(ebot, street, "Anna")
    await open_case(ebot, anna, text=SECRET)
    intern = ebot.fake.add_user("Ivo")
    ebot.fake.add_member(mods, intern)
    intern.start_bot()
    await ebot.settle()
    query = await tap(ebot, intern, mods, "👁 Bekijken")
    toast = ebot.fake.toast(query)
    assert toast is not None
    assert toast["show_alert"]
    assert "alleen voor werkers" in toast["text"]
    assert not any(SECRET in text for text in intern.private.texts())
    assert "worker.refused" in await _audit(ebot, 1)
    await tap(ebot, intern, mods, "🙋 Oppakken")
    assert "nog niet opgepakt" in (mods.find("Casus 1").text or "")


async def test_listed_worker_may_and_other_neighbourhood_may_not(ebot: Harness) -> None:
    _, _, street = await street_group(ebot)
    mods, _ = await team(ebot)
    west, karim = await team(ebot, "West", worker="Karim")
    anna = await resident(ebot, street, "Anna")
    await open_case(ebot, anna, text=SECRET)

    # Karim works in West; being a plain member of Oost's group gives him nothing there.
    ebot.fake.add_member(mods, karim)
    query = await tap(ebot, karim, mods, "👁 Bekijken")
    assert "alleen voor werkers" in (ebot.fake.toast(query) or {})["text"]
    await say(ebot, karim, "/auditlog 1")
    assert "alleen voor werkers" in (karim.private.last.text or "")
    assert not any(SECRET in text for text in karim.private.texts())

    # Listed by the operator for Oost, the same membership is enough.
    await ebot.services.moderators.add_worker(
        "Oost", "Vlietstad", str(karim.id), "Karim", "GGD Vlietstad"
    )
    await tap(ebot, karim, mods, "👁 Bekijken")
    assert SECRET in (karim.private.find("Wat de bewoner schreef").text or "")
    assert west.texts()


async def test_worker_check_is_asked_again_after_five_minutes(
    ebot: Harness, clock: FakeClock
) -> None:
    _, _, street = await street_group(ebot)
    mods, samira = await team(ebot)
    anna = await resident(ebot, street, "Anna")
    await open_case(ebot, anna, text=SECRET)
    await tap(ebot, samira, mods, "👁 Bekijken")
    ebot.fake.remove_admin(mods, samira)
    mods.creator = None
    # Within five minutes the cached answer stands; after that Telegram is asked again.
    clock.advance(timedelta(minutes=6))
    query = await tap(ebot, samira, mods, "👁 Bekijken")
    assert "alleen voor werkers" in (ebot.fake.toast(query) or {})["text"]


async def test_unclaimed_reply_shows_new_message_on_the_card(ebot: Harness) -> None:
    _, _, street = await street_group(ebot)
    mods, samira = await team(ebot)
    anna = await resident(ebot, street, "Anna")
    await open_case(ebot, anna)
    await tap(ebot, anna, anna.private, "✍️ Bericht sturen")
    await say(ebot, anna, "Ik ben alleen thuis na drie uur.")
    card = mods.find("Casus 1")
    assert "Nieuw bericht van de bewoner" in (card.text or "")
    assert "drie uur" not in (card.text or "")
    await tap(ebot, samira, mods, "👁 Bekijken")
    assert "Ik ben alleen thuis na drie uur." in (samira.private.find("Berichten").text or "")
    assert "Nieuw bericht" not in (card.text or "")
    assert group_leaks(ebot, "alleen thuis") == []


async def test_withdrawing_consent_closes_and_erases(ebot: Harness) -> None:
    _, _, street = await street_group(ebot)
    mods, samira = await team(ebot)
    anna = await resident(ebot, street, "Anna")
    await open_case(ebot, anna, text=SECRET)
    await tap(ebot, samira, mods, "🙋 Oppakken")
    await say(ebot, anna, "📋 Mijn overzicht")
    assert "Status: opgepakt door Samira" in (anna.private.last.text or "")
    await tap(ebot, anna, anna.private, "↩️ Toestemming intrekken")
    await tap(ebot, anna, anna.private, "Ja, intrekken")
    assert "je tekst is gewist" in (anna.private.last.text or "")
    assert "ingetrokken door de bewoner" in (mods.find("Casus 1").text or "")
    assert "toestemming ingetrokken" in (samira.private.last.text or "")
    async with ebot.services.db.read() as tx:
        case = await tx.cases.get(1)
    assert case is not None
    assert case.text is None
    assert case.closed
    samira_user = ChannelUser(external_id=str(samira.id), first_name="Samira")
    details = await ebot.services.escalation.view(samira_user, 1)
    assert details.case.text is None


async def test_no_team_yet_tells_the_resident_and_the_operator(ebot: Harness) -> None:
    _, _, street = await street_group(ebot)
    anna = await resident(ebot, street, "Anna")
    await say(ebot, anna, PRO)
    assert "nog niet aangesloten" in (anna.private.last.text or "")
    assert any("Bel 112" in text for text in anna.private.texts())
    assert any("wijk Oost vroeg om een professional" in t for t in operator_chat(ebot).texts())


async def test_moderators_chat_follows_a_supergroup_upgrade(ebot: Harness) -> None:
    _, _, street = await street_group(ebot)
    mods, samira = await team(ebot)
    new = ebot.fake.migrate_to_supergroup(mods, samira)
    await ebot.settle()
    anna = await resident(ebot, street, "Anna")
    await open_case(ebot, anna)
    assert "Casus 1" in (new.find("Casus 1").text or "")
    await tap(ebot, samira, new, "🙋 Oppakken")
    assert "opgepakt door Samira" in (new.find("Casus 1").text or "")
