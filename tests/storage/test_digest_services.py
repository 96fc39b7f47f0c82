"""The digest, Bloemetje and card services over a real SQLite file, with a fake clock."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.storage import schema
from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import ChannelUser, ChatRef, Language, NeighbourhoodRole, Street
from models.digest.bloemetje import (
    BloemetjeAnnouncement,
    BloemetjeClosed,
    BloemetjeService,
    NotACandidate,
)
from models.digest.card import CardEntry, CardService, CardSources, RideContact
from models.digest.model import NotStreetContact, SectionKind, WeeklyDigest
from models.digest.service import DigestService
from models.digest.sources import ThanksNote, thanks_section
from models.errors import NotAdministrator
from models.ports import Transaction
from models.residents import ResidentService
from models.streets import StreetService
from tests.storage.test_core_services import Admins

TZ = ZoneInfo("Europe/Amsterdam")
GROUP = ChatRef(chat_id="-400001")
PIET = ChannelUser(external_id="11", first_name="Piet")
ANNA = ChannelUser(external_id="12", first_name="Anna")
JOOST = ChannelUser(external_id="13", first_name="Joost")
ELS = ChannelUser(external_id="14", first_name="Els")


class Thanks:
    """A thank-you source with one public thank-you per street, every week."""

    def __init__(self) -> None:
        self.calls = 0

    async def thanks(
        self, tx: Transaction, street_id: int, start: datetime, end: datetime
    ) -> Sequence[ThanksNote]:
        self.calls += 1
        return [ThanksNote(from_name="Anna", to_name="Joost", text="Dank voor de ladder")]


class World:
    """A street with a group, its administrator Piet and residents Anna, Joost and Els."""

    def __init__(self, db: SqlDatabase, clock: FakeClock) -> None:
        self.db, self.clock = db, clock
        self.admins = Admins()
        self.admins.admins.add((GROUP.chat_id, PIET.external_id))
        self.streets = StreetService(db, clock, self.admins)
        self.residents = ResidentService(db, clock)
        self.digest = DigestService(db, clock, self.streets, TZ)
        self.bloemetje = BloemetjeService(db, clock, TZ)
        self.digest.sections.register(SectionKind.BLOEMETJE, self.bloemetje.section)
        self.street: Street

    async def setup(self) -> None:
        result = await self.streets.setup(
            PIET, GROUP, "Buren", "Zonnebloemstraat", "Oost", "Vlietstad", "nl"
        )
        self.street = result.street
        for user in (ANNA, JOOST, ELS):
            await self.residents.join(user, self.street.join_code, user.first_name or "", "nl")

    async def outbox(self, kind: str) -> list[tuple[str | None, dict[str, object]]]:
        async with self.db.read() as tx:
            o = schema.outbox
            rows = await tx.conn.execute(
                sa.select(o.c.idempotency_key, o.c.payload)
                .where(o.c.kind == kind)
                .order_by(o.c.id)
            )
            return [(key, json.loads(payload)) for key, payload in rows.all()]


@pytest.fixture
async def world(db: SqlDatabase, clock: FakeClock) -> World:
    w = World(db, clock)
    await w.setup()
    return w


def _at(clock: FakeClock, *args: int) -> None:
    clock.set(datetime(*args, tzinfo=TZ))  # type: ignore[misc]


async def test_digest_is_claimed_once_per_street_and_week(world: World, clock: FakeClock) -> None:
    world.digest.sections.register(SectionKind.THANKS, thanks_section(Thanks()))
    assert await world.digest.sweep() == 0  # Monday: creates the schedule, nothing due
    _at(clock, 2026, 12, 6, 16, 59)
    assert await world.digest.sweep() == 0
    _at(clock, 2026, 12, 6, 17, 0)
    assert await world.digest.sweep() == 1
    assert await world.digest.sweep() == 0
    sent = await world.outbox(WeeklyDigest.kind)
    assert [key for key, _ in sent] == [f"digest:{world.street.id}:2026-W49"]
    # The contact moves the digest to Sunday evening after it was sent: no second one.
    await world.digest.update_settings(GROUP, PIET, minute_of_day=20 * 60)
    _at(clock, 2026, 12, 6, 20, 0)
    assert await world.digest.sweep() == 0
    _at(clock, 2026, 12, 13, 20, 0)
    assert await world.digest.sweep() == 1
    assert len(await world.outbox(WeeklyDigest.kind)) == 2


async def test_private_copies_go_to_opted_in_residents(world: World, clock: FakeClock) -> None:
    world.digest.sections.register(SectionKind.THANKS, thanks_section(Thanks()))
    await world.digest.set_private_copy(ANNA, True)
    await world.digest.set_private_copy(JOOST, True)
    await world.digest.set_private_copy(JOOST, False)
    _at(clock, 2026, 12, 6, 17, 5)
    assert await world.digest.sweep() == 1
    keys = [key for key, _ in await world.outbox(WeeklyDigest.kind)]
    anna = await world.residents.find(ANNA)
    assert anna is not None
    assert keys == [
        f"digest:{world.street.id}:2026-W49",
        f"digest:{world.street.id}:2026-W49:r{anna.id}",
    ]


async def test_an_empty_week_sends_nothing(
    world: World, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    _at(clock, 2026, 12, 6, 17, 0)
    with caplog.at_level(logging.INFO, logger="models.digest.service"):
        assert await world.digest.sweep() == 0
    assert await world.outbox(WeeklyDigest.kind) == []
    async with world.db.read() as tx:
        assert await tx.digest.run_outcome(world.street.id, "2026-W49") == "empty"
    assert "nothing to tell" in caplog.text


async def test_a_digest_more_than_a_day_late_is_skipped_and_logged(
    world: World, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    world.digest.sections.register(SectionKind.THANKS, thanks_section(Thanks()))
    await world.digest.sweep()
    _at(clock, 2026, 12, 7, 17, 0)  # exactly a day after Sunday 17:00
    with caplog.at_level(logging.WARNING, logger="models.digest.service"):
        assert await world.digest.sweep() == 0
    assert "skipped" in caplog.text
    assert await world.outbox(WeeklyDigest.kind) == []
    _at(clock, 2026, 12, 13, 17, 1)
    assert await world.digest.sweep() == 1


async def test_settings_need_an_administrator_and_move_the_next_moment(
    world: World, clock: FakeClock
) -> None:
    with pytest.raises(NotAdministrator):
        await world.digest.update_settings(GROUP, ANNA, weekday=0)
    view = await world.digest.update_settings(
        GROUP, PIET, weekday=0, minute_of_day=9 * 60 + 30, language="en", bloemetje=False
    )
    assert view.language == "en"
    assert view.settings.bloemetje is False
    assert view.settings.next_due_at == datetime(2026, 12, 7, 9, 30, tzinfo=TZ)
    preview = await world.digest.preview_in_group(GROUP, PIET)
    assert preview.due_at == datetime(2026, 12, 7, 9, 30, tzinfo=TZ)
    assert preview.digest is None


async def test_bloemetje_round(world: World, clock: FakeClock) -> None:
    _at(clock, 2026, 12, 1, 9, 59)
    assert await world.bloemetje.sweep() == 0
    with pytest.raises(BloemetjeClosed):
        await world.bloemetje.ballot(ANNA, world.street.id)
    _at(clock, 2026, 12, 1, 10, 0)
    assert await world.bloemetje.sweep() == 1
    assert await world.bloemetje.sweep() == 0
    ballot = await world.bloemetje.ballot(ANNA, world.street.id)
    names = [c.name for c in ballot.candidates]
    assert names == ["Els", "Joost"]  # not Anna herself; Piet never joined
    joost = next(c for c in ballot.candidates if c.name == "Joost")
    els = next(c for c in ballot.candidates if c.name == "Els")
    first = await world.bloemetje.nominate(ANNA, world.street.id, "2026-12", els.resident_id)
    assert first.replaced is None
    changed = await world.bloemetje.nominate(ANNA, world.street.id, "2026-12", joost.resident_id)
    assert changed.replaced is not None
    assert changed.replaced.name == "Els"
    await world.bloemetje.set_reason(ANNA, world.street.id, "2026-12", "Altijd  behulpzaam")
    anna = await world.residents.find(ANNA)
    assert anna is not None
    with pytest.raises(NotACandidate):
        await world.bloemetje.nominate(JOOST, world.street.id, "2026-12", 999)
    await world.bloemetje.nominate(JOOST, world.street.id, "2026-12", anna.id)
    await world.bloemetje.answer(JOOST, world.street.id, "2026-12", agree=True)
    await world.bloemetje.answer(ANNA, world.street.id, "2026-12", agree=False)
    await world.bloemetje.answer(ELS, world.street.id, "2026-12", agree=True)
    consent_keys = [key for key, _ in await world.outbox("bloemetje.consent")]
    assert len(consent_keys) == 3  # Els, Joost, Anna: each asked once
    _at(clock, 2026, 12, 8, 10, 0)
    assert await world.bloemetje.sweep() == 1
    announced = await world.outbox(BloemetjeAnnouncement.kind)
    # Els agreed but nobody nominates her any more; Anna declined.
    assert [payload["names"] for _, payload in announced] == [["Joost"]]
    words = await world.outbox("bloemetje.words")
    assert [payload["reasons"] for _, payload in words] == [["Altijd behulpzaam"]]
    with pytest.raises(BloemetjeClosed):
        await world.bloemetje.answer(JOOST, world.street.id, "2026-12", agree=False)
    assert await world.bloemetje.sweep() == 0


async def test_bloemetje_switched_off_is_not_asked(world: World, clock: FakeClock) -> None:
    await world.digest.update_settings(GROUP, PIET, bloemetje=False)
    _at(clock, 2026, 12, 1, 10, 0)
    assert await world.bloemetje.sweep() == 0
    assert await world.outbox("bloemetje.ask") == []


async def test_bloemetje_after_a_long_outage(world: World, clock: FakeClock) -> None:
    _at(clock, 2026, 12, 6, 0, 0)  # down from the 1st until after the 5th: no round
    assert await world.bloemetje.sweep() == 0
    _at(clock, 2027, 1, 2, 12, 0)
    assert await world.bloemetje.sweep() == 1
    _at(clock, 2027, 2, 10, 12, 0)  # the January round was never announced: closed quietly
    assert await world.bloemetje.sweep() == 0
    assert await world.outbox(BloemetjeAnnouncement.kind) == []


class Entries:
    async def card_entries(
        self, tx: Transaction, street: Street, language: Language
    ) -> Sequence[CardEntry]:
        return [CardEntry(first_name="Anna", category="Gezelschap", offer="Koffie")]


class Contact:
    async def ride_contact(self, tx: Transaction, street: Street) -> RideContact | None:
        return RideContact(name="Joost", phone="06 12345678")


async def test_card_needs_a_street_contact_or_community_worker(
    world: World, db: SqlDatabase, clock: FakeClock
) -> None:
    cards = CardService(db, world.admins, CardSources(entries=Entries(), ride_contact=Contact()))
    card = await cards.card_in_group(GROUP, PIET)
    assert card.street_name == "Zonnebloemstraat"
    assert card.groups[0].entries[0].first_name == "Anna"
    assert card.ride_contact is not None
    assert card.join_payload == f"j{world.street.join_code}"
    with pytest.raises(NotStreetContact):
        await cards.card_in_group(GROUP, ANNA)
    with pytest.raises(NotStreetContact):
        await cards.streets_for(ANNA)
    els = await world.residents.find(ELS)
    assert els is not None
    async with db.write() as tx:
        await tx.memberships.grant(
            els.id,
            world.street.neighbourhood_id,
            NeighbourhoodRole.COMMUNITY_WORKER,
            None,
            clock.now(),
        )
    assert [c.name for c in await cards.streets_for(ELS)] == ["Zonnebloemstraat"]
    assert (await cards.card_for_street(ELS, world.street.id)).street_id == world.street.id
    assert (await cards.card_in_group(GROUP, ELS)).street_id == world.street.id
    empty = await CardService(db, world.admins).card_in_group(GROUP, PIET)
    assert empty.groups == ()
    assert empty.ride_contact is None


async def test_schedule_survives_clock_change_weeks(world: World, clock: FakeClock) -> None:
    """Across weeks the moment stays 17:00 local (here: winter time, UTC+1)."""
    world.digest.sections.register(SectionKind.THANKS, thanks_section(Thanks()))
    await world.digest.sweep()
    for week in range(3):
        _at(clock, 2026, 12, 6 + 7 * week, 17, 0)
        assert await world.digest.sweep() == 1
        async with world.db.read() as tx:
            settings = await tx.digest.settings(world.street.id)
        assert settings is not None
        assert settings.next_due_at is not None
        assert settings.next_due_at.astimezone(TZ).hour == 17
        assert settings.next_due_at - clock.now() == timedelta(days=7)
