"""The demo neighbourhood: staged through the bot as people would, on any date, and twice."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.sandbox import demo
from bot.sandbox.server import Sandbox, SandboxOptions, running_sandbox
from models.core import ChannelUser, ChatRef
from tests.conftest import AMSTERDAM, PINNED

log = logging.getLogger(__name__)

# Dates on which something else happens in the groups or the clock jumps: the Bloemetje round
# posts its own links on days 1-5, DST starts and ends, the year and a leap day turn over.
AWKWARD_MOMENTS = {
    "the 1st": datetime(2027, 1, 1, 9, 0, tzinfo=AMSTERDAM),
    "the 3rd": datetime(2027, 2, 3, 14, 0, tzinfo=AMSTERDAM),
    "the 5th": datetime(2027, 3, 5, 20, 0, tzinfo=AMSTERDAM),
    "spring forward 02:30": datetime(2027, 3, 28, 2, 30, tzinfo=AMSTERDAM),
    "spring forward, just before": datetime(2027, 3, 28, 0, 59, tzinfo=UTC),
    "fall back, first 02:30": datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM),
    "fall back, second 02:30": datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=AMSTERDAM),
    "new year's eve 23:30": datetime(2026, 12, 31, 23, 30, tzinfo=AMSTERDAM),
    "leap day": datetime(2028, 2, 29, 8, 0, tzinfo=AMSTERDAM),
}


async def test_the_demo_stages_oost_with_two_streets_and_their_residents(tmp_path: Path) -> None:
    options = SandboxOptions(port=0, db=tmp_path / "demo.sqlite3", demo=True, start=PINNED)
    async with running_sandbox(options) as sandbox:
        await _assert_the_whole_demo(sandbox)


@pytest.mark.parametrize("moment", AWKWARD_MOMENTS.values(), ids=AWKWARD_MOMENTS.keys())
async def test_the_demo_stages_whole_on_awkward_dates(tmp_path: Path, moment: datetime) -> None:
    options = SandboxOptions(port=0, db=tmp_path / "demo.sqlite3", demo=True, start=moment)
    async with running_sandbox(options) as sandbox:
        assert abs((sandbox.clock.now() - moment).total_seconds()) < 600
        await _assert_the_whole_demo(sandbox)


async def _assert_the_whole_demo(sandbox: Sandbox) -> None:
    """Every step of the story happened, and the page opens on Anna with no failure notice."""
    assert sandbox.demo is not None
    assert sandbox.harness is not None
    assert sandbox.web is not None
    services = sandbox.harness.services
    staged = sandbox.demo
    for plan in demo.STREETS:
        group = staged.groups[plan.name]
        street = await services.streets.by_chat(ChatRef(chat_id=str(group.id)))
        assert street is not None
        assert street.name == plan.name
        hood = await services.streets.neighbourhood(street.neighbourhood_id)
        assert (hood.name, hood.municipality) == ("Oost", "Vlietstad")
        assert any("Welkom bij Patchwork" in t for t in group.texts())
        for name in (plan.contact, *(r[0] for r in plan.residents)):
            user = staged.people[name]
            assert user.id in group.members
            profile = await services.residents.profile(
                ChannelUser(external_id=str(user.id), first_name=name)
            )
            assert profile is not None, name
            assert profile.home_street is not None
            assert profile.home_street.name == plan.name
            assert profile.resident.display_name == name
    tomasz = await services.residents.find(
        ChannelUser(external_id=str(staged.people["Tomasz"].id), first_name="Tomasz")
    )
    assert tomasz is not None
    assert tomasz.language == "en"
    team = staged.groups[demo.TEAM_CHAT]
    hood = await services.moderators.for_chat(ChatRef(chat_id=str(team.id)))
    assert hood is not None
    assert hood.name == "Oost"
    assert team.bot_member
    assert any("Buurtwerk Vlietstad" in t for t in team.texts())
    lindelaan = staged.groups["Lindelaan"]
    assert any("station" in t for t in lindelaan.texts())
    zonnebloem = staged.groups["Zonnebloemstraat"]
    assert any("AH Amsterdamstraat" in t for t in zonnebloem.texts())
    anna = staged.people["Anna"]
    # Anna has a seat on the first Tuesday: that ride's card counts one seat less.
    assert any("Nog 2 plekken vrij van de 3" in t for t in zonnebloem.texts())
    hits = await services.exchange.register.search(
        ChannelUser(external_id=str(anna.id), first_name="Anna"), query="ladder"
    )
    assert any("Ladder" in h.entry.text for h in hits)
    view = sandbox.web.view(None, None)
    assert view["person"]["name"] == demo.FIRST_PERSON
    assert view["status"] == {"ready": True, "text": ""}
    notes = {p["name"]: p["note"] for p in view["people"]}
    assert notes["Anna"].startswith("78")
    # Anna's check-in, with Joost as her buddy.
    joost = staged.people["Joost"]
    assert any("Joost is je buddy" in t for t in anna.private.texts())
    buddying = await services.checkins.buddying(ChannelUser(external_id=str(joost.id)))
    assert [name for _, name in buddying] == ["Anna"]


async def test_the_clock_shows_annas_check_in_and_the_alarm(tmp_path: Path) -> None:
    options = SandboxOptions(port=0, db=tmp_path / "clock.sqlite3", demo=True, start=PINNED)
    async with running_sandbox(options) as sandbox:
        assert sandbox.demo is not None
        assert sandbox.web is not None
        anna, joost = sandbox.demo.people["Anna"], sandbox.demo.people["Joost"]
        await sandbox.web._advance_clock({"minutes": 1440})
        assert any("Goedemorgen Anna, alles goed?" in t for t in anna.private.texts())
        await sandbox.web._advance_clock({"minutes": 360})
        assert any("Anna heeft niet gereageerd" in t for t in joost.private.texts())


async def test_a_kept_database_can_be_staged_again(tmp_path: Path) -> None:
    options = SandboxOptions(port=0, db=tmp_path / "kept.sqlite3", demo=True, start=PINNED)
    async with running_sandbox(options):
        pass
    async with running_sandbox(replace(options, start=PINNED + timedelta(days=1))) as sandbox:
        assert sandbox.demo is not None
        assert sandbox.harness is not None
        anna = sandbox.demo.people["Anna"]
        # Update ids went on after the first run's, so the bot still hears everyone.
        anna.send("/start")
        await sandbox.harness.settle()
        assert "Fijn dat je er weer bent" in anna.private.texts()[-1]


async def test_klok_vooruit_sends_the_digests_that_fell_due_on_the_way(tmp_path: Path) -> None:
    """Issue 15.14: moving the clock is time passing, not downtime; nothing is skipped."""
    options = SandboxOptions(port=0, db=tmp_path / "week.sqlite3", demo=True, start=PINNED)
    async with running_sandbox(options) as sandbox:
        assert sandbox.demo is not None
        assert sandbox.web is not None
        lindelaan = sandbox.demo.groups["Lindelaan"]
        before = len(lindelaan.texts())
        started = time.monotonic()
        # Monday 10:00 to Wednesday of the next week: Sunday 17:00 is well behind.
        await sandbox.web._advance_clock({"minutes": 9 * 24 * 60})
        log.info("nine days of Klok vooruit took %.1f s", time.monotonic() - started)
        new = lindelaan.texts()[before:]
        assert any("Weekoverzicht" in t or "weekoverzicht" in t for t in new), new
