"""Data rights around cases: a resident sees their cases and own texts (never the workers'
notes), a worker sees case numbers only; forgetting closes the case as withdrawn, removes
every text and keeps the case counted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox.fake_telegram import FakeChat, FakeUser
from bot.sandbox.harness import Harness
from models.clock import FakeClock
from tests.e2e.escalation_helpers import PRO, bot_with_operator, say, tap, team
from tests.e2e.helpers import resident, street_group
from tests.e2e.privacy_helpers import ISO_TIME, count, forget, leftovers, my_data

SECRET = "Mijn huisbaas dreigt-H6 met ontruiming"
WORKER_MESSAGE = "Ik bel je morgen, groet-S1"
REPLY = "Goed, tot morgen-W2"
NOTE = "Schuldhulp inschakelen-N3"


@pytest.fixture
async def ebot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    """The bot with an operator chat."""
    async with bot_with_operator(tmp_path, clock) as harness:
        yield harness


async def _case_with_everything(bot: Harness) -> tuple[FakeChat, FakeUser, FakeUser]:
    _, _, street = await street_group(bot)
    mods, samira = await team(bot)
    await say(bot, samira, "/organisatie Welzijn Oost", chat=mods)
    wil = await resident(bot, street, "Wilhelmina")
    await say(bot, wil, PRO)
    await tap(bot, wil, wil.private, "🏠 Wonen")
    await say(bot, wil, SECRET)
    await tap(bot, wil, wil.private, "📞 Bel mij")
    await say(bot, wil, "0687654321")
    await tap(bot, wil, wil.private, "\u2019s Avonds")
    await tap(bot, wil, wil.private, "✅ Ja, dat mag")
    await tap(bot, samira, mods, "🙋 Oppakken")
    await tap(bot, samira, mods, "✉️ Bericht aan bewoner")
    await say(bot, samira, WORKER_MESSAGE)
    await tap(bot, wil, wil.private, "✍️ Antwoorden")
    await say(bot, wil, REPLY)
    await tap(bot, samira, mods, "📝 Notitie")
    await say(bot, samira, NOTE)
    return mods, samira, wil


async def test_a_residents_case_exported_then_forgotten(ebot: Harness) -> None:
    bot = ebot
    mods, samira, wil = await _case_with_everything(bot)

    text, data = await my_data(bot, wil)
    assert "Hulp van een professional" in text
    assert "Vraag nummer 1 aan een hulpverlener (wonen)" in text
    assert "een hulpverlener helpt" in text
    assert "Telefoon: 06 87654321" in text
    assert SECRET in text
    assert REPLY in text
    assert NOTE not in text
    assert NOTE not in str(data)
    assert WORKER_MESSAGE not in text
    assert WORKER_MESSAGE not in str(data)
    assert not ISO_TIME.search(text)
    assert {r["what"] for r in data["sections"]["escalation"]} == {"case", "case_message"}

    # The worker's own export: the case by number, her organisation; nothing of the case.
    worker_text, worker_data = await my_data(bot, samira)
    assert "Vragen waar je als hulpverlener aan werkte: #1." in worker_text
    assert "Je organisatie: Welzijn Oost." in worker_text
    for secret in (SECRET, REPLY, NOTE, "Wilhelmina", "87654321"):
        assert secret not in worker_text
        assert secret not in str(worker_data)

    await forget(bot, wil)

    told = samira.private.find("heeft de toestemming ingetrokken")
    assert "casus 1" in told.text
    card = mods.find("Casus 1")
    assert "ingetrokken" in card.text
    traces = ["Wilhelmina", "dreigt-H6", "groet-S1", "morgen-W2", "inschakelen-N3", "87654321"]
    assert await leftovers(bot, traces, exact=[str(wil.id)]) == []
    assert (
        await count(
            bot,
            "SELECT count(*) FROM cases WHERE theme = 'housing' AND status = 'closed' "
            "AND outcome = 'withdrawn' AND erased_at IS NOT NULL",
        )
        == 1
    )
    assert await count(bot, "SELECT count(*) FROM case_messages") == 2


async def test_a_worker_forgotten_leaves_the_case_with_the_team(ebot: Harness) -> None:
    bot = ebot
    mods, samira, wil = await _case_with_everything(bot)
    # A community worker can be forgotten like anyone (she has no street here).
    await forget(bot, samira)

    card = mods.find("Casus 1")
    assert "nog niet opgepakt" in card.text
    assert "Samira" not in card.text
    assert await leftovers(bot, ["Samira", "Welzijn Oost"], exact=[str(samira.id)]) == []
    # Her note and message stay with the resident's case (the case history, not her data).
    assert await count(bot, "SELECT count(*) FROM case_notes WHERE text IS NOT NULL") == 1
    text, _ = await my_data(bot, wil)
    assert "wacht op een hulpverlener" in text
