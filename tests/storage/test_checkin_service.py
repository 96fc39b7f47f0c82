"""CheckInService on a real SQLite file: opting in, the sweep, silence, the chain, pauses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.storage import schema as s
from bot.storage.db import SqlDatabase
from models.checkins.model import (
    Answer,
    BuddyStatus,
    NotYourAlarm,
    OldCheckIn,
    Outcome,
    OwnBuddy,
    RoundStatus,
    Schedule,
    State,
)
from models.checkins.service import CheckInService
from models.clock import FakeClock
from models.core import ChannelUser, ChatRef, MembershipRole, NeighbourhoodRole
from models.escalation.workers import WorkerCheck
from models.ports import ChatStanding
from models.rides.model import NotACoordinator

AMS = ZoneInfo("Europe/Amsterdam")
MODS = ChatRef(chat_id="-900")
ANNA = ChannelUser(external_id="1", first_name="Anna")
JOOST = ChannelUser(external_id="2", first_name="Joost")
KEES = ChannelUser(external_id="3", first_name="Kees")
SAMIRA = ChannelUser(external_id="9", first_name="Samira")


class FakeChats:
    """Samira administers the moderators chat."""

    async def is_administrator(self, chat: ChatRef, external_id: str) -> bool:
        return await self.standing(chat, external_id) == "administrator"

    async def standing(self, chat: ChatRef, external_id: str) -> ChatStanding:
        return "administrator" if chat == MODS and external_id == "9" else "absent"


@dataclass
class World:
    db: SqlDatabase
    clock: FakeClock
    service: CheckInService
    ids: dict[str, int]

    def restart(self) -> CheckInService:
        """A new service over the same database, as after a restart of the bot."""
        workers = WorkerCheck(self.db, self.clock, FakeChats())
        self.service = CheckInService(self.db, self.clock, workers, AMS)
        return self.service

    async def outbox(self) -> list[dict[str, Any]]:
        async with self.db.read() as tx:
            conn = tx.conn  # type: ignore[attr-defined]
            rows = (await conn.execute(sa.select(s.outbox).order_by(s.outbox.c.id))).mappings()
            return [
                {
                    "key": r["idempotency_key"],
                    "kind": r["kind"],
                    "to": json.loads(r["recipient"]),
                    "payload": json.loads(r["payload"]),
                }
                for r in rows
            ]

    async def kinds(self) -> list[tuple[str, str | None]]:
        """(kind, recipient) of everything in the outbox, in order."""
        names = {v: k for k, v in self.ids.items()}
        result = []
        for row in await self.outbox():
            to = row["to"]
            who = names.get(to["id"]) if to["kind"] == "resident" else to["kind"]
            result.append((row["kind"], who))
        return result

    async def rounds(self) -> list[Any]:
        async with self.db.read() as tx:
            checkin = await tx.checkins.of_resident(self.ids["anna"])
            assert checkin is not None
            return list(await tx.checkins.rounds(checkin.id))

    async def at(self, moment: datetime) -> int:
        self.clock.set(moment)
        return await self.service.sweep()


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)  # type: ignore[misc]


async def make_world(db: SqlDatabase, clock: FakeClock, *, moderators: bool = True) -> World:
    now = clock.now()
    ids: dict[str, int] = {}
    async with db.write() as tx:
        hood = await tx.neighbourhoods.add("Oost", "Vlietstad", now)
        if moderators:
            await tx.neighbourhoods.set_moderators_chat(hood.id, MODS)
        street = await tx.streets.add(
            hood.id, "Dorpsstraat", ChatRef(chat_id="-100"), None, "nl", "abcdefghjk", now
        )
        ids["street"] = street.id
        for name, user in (("anna", ANNA), ("joost", JOOST), ("kees", KEES)):
            person = await tx.residents.add("telegram", user.external_id, name.title(), "nl", now)
            await tx.memberships.add(person.id, street.id, MembershipRole.MEMBER, now)
            ids[name] = person.id
        samira = await tx.residents.add("telegram", "9", "Samira", "nl", now)
        ids["samira"] = samira.id
    return World(
        db, clock, CheckInService(db, clock, WorkerCheck(db, clock, FakeChats()), AMS), ids
    )


async def opted_in(world: World, *, workers: bool = True, second: bool = False) -> None:
    """Anna: daily at 9:00, two hours; Joost (and Kees) as buddies who accepted."""
    service = world.service
    await service.set_volunteer(JOOST, True)
    await service.set_volunteer(KEES, True)
    await service.begin(ANNA)
    await service.set_time(ANNA, 9 * 60)
    await service.set_window(ANNA, 2)
    await service.set_workers(ANNA, workers)
    overview = await service.ask_buddy(ANNA, world.ids["joost"])
    (buddy, _), *_ = overview.buddies
    await service.answer_invite(JOOST, buddy.id, yes=True)
    if second:
        overview = await service.ask_buddy(ANNA, world.ids["kees"])
        await service.answer_invite(KEES, overview.buddies[-1][0].id, yes=True)


@pytest.fixture
async def world(db: SqlDatabase, clock: FakeClock) -> World:
    return await make_world(db, clock)


async def test_opt_in_waits_for_the_buddy_then_starts(world: World) -> None:
    service = world.service
    await service.set_volunteer(JOOST, True)
    await service.begin(ANNA)
    assert [c.name for c in await service.candidates(ANNA)] == ["Joost"]
    overview = await service.ask_buddy(ANNA, world.ids["joost"])
    assert overview.checkin.state is State.WAITING
    assert overview.checkin.next_due_at is None
    buddy = overview.buddies[0][0]
    assert await service.answer_invite(JOOST, buddy.id, yes=True) == "Anna"
    started = await service.overview(ANNA)
    assert started is not None
    assert started.checkin.state is State.ACTIVE
    # Monday 30 November, 10:00: the first check-in is tomorrow at 9:00.
    assert started.checkin.next_due_at == ams(2026, 12, 1, 9, 0)
    assert await world.kinds() == [
        ("checkin.buddy_request", "joost"),
        ("checkin.buddy_answered", "anna"),
    ]


async def test_choosing_yourself_is_refused(world: World) -> None:
    await world.service.set_volunteer(ANNA, True)
    await world.service.begin(ANNA)
    with pytest.raises(OwnBuddy):
        await world.service.ask_buddy(ANNA, world.ids["anna"])
    code = await world.service.invite_code(ANNA)
    with pytest.raises(OwnBuddy):
        await world.service.open_invite(ANNA, code)


async def test_an_invite_link_binds_the_neighbour_who_opens_it(world: World) -> None:
    await world.service.begin(ANNA)
    code = await world.service.invite_code(ANNA)
    assert await world.service.invite_code(ANNA) == code  # one open link at a time
    buddy, name = await world.service.open_invite(KEES, code)
    assert name == "Anna"
    assert buddy.resident_id == world.ids["kees"]
    with pytest.raises(OldCheckIn):
        await world.service.open_invite(JOOST, code)  # someone else's now
    await world.service.answer_invite(KEES, buddy.id, yes=True)
    overview = await world.service.overview(ANNA)
    assert overview is not None
    assert overview.checkin.state is State.ACTIVE


async def test_an_answered_day_sends_once_and_alarms_nobody(world: World) -> None:
    await opted_in(world)
    assert await world.at(ams(2026, 12, 1, 9, 0)) == 1
    assert await world.service.sweep() == 0  # a second sweep claims nothing
    (rnd,) = await world.rounds()
    keys = [r["key"] for r in await world.outbox()]
    checkin_id = rnd.checkin_id
    assert f"checkin:{checkin_id}:2026-12-01" in keys
    result = await world.service.answer(ANNA, rnd.id, Answer.GOOD.value)
    assert not result.late
    assert result.buddy_name == "Joost"
    await world.at(ams(2026, 12, 1, 12, 0))
    (rnd,) = await world.rounds()
    assert rnd.status is RoundStatus.ANSWERED
    kinds = await world.kinds()
    assert ("checkin.reminder", "anna") not in kinds
    assert ("checkin.alarm", "joost") not in kinds


async def test_silence_reminds_halfway_then_asks_the_buddy(world: World) -> None:
    await opted_in(world)
    await world.at(ams(2026, 12, 1, 9, 0))
    await world.at(ams(2026, 12, 1, 9, 59))
    assert ("checkin.reminder", "anna") not in await world.kinds()
    await world.at(ams(2026, 12, 1, 10, 0))
    assert (await world.kinds())[-1] == ("checkin.reminder", "anna")
    await world.at(ams(2026, 12, 1, 10, 59))
    assert ("checkin.alarm", "joost") not in await world.kinds()
    await world.at(ams(2026, 12, 1, 11, 0))
    assert (await world.kinds())[-1] == ("checkin.alarm", "joost")
    (rnd,) = await world.rounds()
    assert rnd.status is RoundStatus.ALARM
    view = await world.service.going(JOOST, rnd.id, 1)
    assert view.resident_name == "Anna"
    assert await world.service.close(JOOST, rnd.id, Outcome.ALL_GOOD.value) is Outcome.ALL_GOOD
    (rnd,) = await world.rounds()
    assert rnd.status is RoundStatus.CLOSED
    assert rnd.outcome is Outcome.ALL_GOOD


async def test_a_buddy_who_cannot_passes_it_to_the_workers_card(world: World) -> None:
    await opted_in(world)
    await world.at(ams(2026, 12, 1, 9, 0))
    await world.at(ams(2026, 12, 1, 11, 0))
    (rnd,) = await world.rounds()
    with pytest.raises(OldCheckIn):
        await world.service.cannot(JOOST, rnd.id, 2)  # a step that is not now
    await world.service.cannot(JOOST, rnd.id, 1)
    assert (await world.kinds())[-1] == ("post.place", "moderators")
    with pytest.raises(OldCheckIn):
        await world.service.going(JOOST, rnd.id, 1)  # his button is old now
    view = await world.service.worker_take(SAMIRA, rnd.id)
    assert view.resident_name == "Anna"
    card = await world.service.card(rnd.id)
    assert card is not None
    assert card.taker_name == "Samira"
    await world.service.worker_close(SAMIRA, rnd.id, Outcome.HELP_NEEDED.value)
    (rnd,) = await world.rounds()
    assert rnd.outcome is Outcome.HELP_NEEDED


async def test_a_buddy_who_does_not_answer_in_time_passes_it_on(world: World) -> None:
    await opted_in(world, second=True)
    await world.at(ams(2026, 12, 1, 9, 0))
    await world.at(ams(2026, 12, 1, 11, 0))
    await world.at(ams(2026, 12, 1, 12, 59))
    assert ("checkin.alarm", "kees") not in await world.kinds()
    await world.at(ams(2026, 12, 1, 13, 0))
    assert (await world.kinds())[-1] == ("checkin.alarm", "kees")
    await world.at(ams(2026, 12, 1, 15, 0))
    assert (await world.kinds())[-1] == ("post.place", "moderators")


async def test_without_workers_the_chain_ends_and_the_buddy_hears_so(world: World) -> None:
    await opted_in(world, workers=False)
    await world.at(ams(2026, 12, 1, 9, 0))
    await world.at(ams(2026, 12, 1, 11, 0))
    (rnd,) = await world.rounds()
    await world.service.cannot(JOOST, rnd.id, 1)
    (rnd,) = await world.rounds()
    assert rnd.outcome is Outcome.NOBODY
    assert (await world.kinds())[-1] == ("checkin.nobody", "joost")


async def test_a_late_answer_tells_everyone_alerted(world: World) -> None:
    await opted_in(world)
    await world.at(ams(2026, 12, 1, 9, 0))
    await world.at(ams(2026, 12, 1, 11, 0))
    (rnd,) = await world.rounds()
    await world.service.cannot(JOOST, rnd.id, 1)
    result = await world.service.answer(ANNA, rnd.id, Answer.GOOD.value)
    assert result.late
    kinds = await world.kinds()
    assert ("checkin.all_clear", "joost") in kinds
    assert ("checkin.all_clear", "moderators") in kinds
    (rnd,) = await world.rounds()
    assert rnd.status is RoundStatus.ALL_CLEAR
    again = await world.service.answer(ANNA, rnd.id, Answer.GOOD.value)
    assert again.already


async def test_any_message_in_the_window_is_a_sign_of_life(world: World) -> None:
    await opted_in(world)
    assert await world.service.sign_of_life(ANNA) == "none"  # nothing open: nothing to do
    await world.at(ams(2026, 12, 1, 9, 0))
    assert await world.service.sign_of_life(ANNA) == "on_time"
    (rnd,) = await world.rounds()
    assert rnd.answer is Answer.SIGN
    # A button pressed after the message still says how she is (and is not "already").
    result = await world.service.answer(ANNA, rnd.id, Answer.NOT_GOOD.value)
    assert not result.already
    assert result.round.answer is Answer.NOT_GOOD
    await world.at(ams(2026, 12, 1, 12, 0))
    assert ("checkin.alarm", "joost") not in await world.kinds()


async def test_a_restart_during_the_window_keeps_the_alarm_on_time(world: World) -> None:
    await opted_in(world)
    await world.at(ams(2026, 12, 1, 9, 0))
    world.restart()
    await world.at(ams(2026, 12, 1, 10, 30))  # down over the halfway point: reminded late
    assert (await world.kinds())[-1] == ("checkin.reminder", "anna")
    world.restart()
    await world.at(ams(2026, 12, 1, 11, 0))
    assert (await world.kinds())[-1] == ("checkin.alarm", "joost")
    assert [k for k, _ in await world.kinds()].count("checkin.prompt") == 1


async def test_a_check_in_due_while_down_is_sent_after_start_with_a_fresh_window(
    world: World,
) -> None:
    await opted_in(world)
    await world.at(ams(2026, 12, 1, 12, 0))  # three hours late
    (rnd,) = await world.rounds()
    assert rnd.status is RoundStatus.OPEN
    assert rnd.window_ends_at == ams(2026, 12, 1, 14, 0)
    await world.at(ams(2026, 12, 1, 13, 59))
    assert ("checkin.alarm", "joost") not in await world.kinds()


async def test_a_window_the_bot_missed_sending_raises_no_alarm(world: World) -> None:
    await opted_in(world)
    # Down from Monday until Tuesday 16:00: 9:00 was seven hours ago.
    await world.at(ams(2026, 12, 1, 16, 0))
    (rnd,) = await world.rounds()
    assert rnd.status is RoundStatus.MISSED
    await world.at(ams(2026, 12, 1, 23, 0))
    kinds = [k for k, _ in await world.kinds()]
    assert "checkin.prompt" not in kinds
    assert "checkin.alarm" not in kinds
    # The next day goes as always.
    await world.at(ams(2026, 12, 2, 9, 0))
    assert (await world.kinds())[-1] == ("checkin.prompt", "anna")


async def test_at_most_one_open_alarm(world: World) -> None:
    await opted_in(world)
    await world.at(ams(2026, 12, 1, 9, 0))
    await world.at(ams(2026, 12, 1, 11, 0))
    (first,) = await world.rounds()
    await world.service.going(JOOST, first.id, 1)  # Joost goes, but does not close it
    await world.at(ams(2026, 12, 2, 9, 0))
    await world.at(ams(2026, 12, 2, 11, 0))
    alarms = [k for k, _ in await world.kinds()].count("checkin.alarm")
    assert alarms == 1
    second = (await world.rounds())[-1]
    assert second.status is RoundStatus.SKIPPED


async def test_a_pause_over_the_dst_change_resumes_at_nine_local(
    db: SqlDatabase,
) -> None:
    clock = FakeClock(ams(2026, 10, 20, 10, 0))
    world = await make_world(db, clock)
    await opted_in(world)
    overview = await world.service.pause(ANNA, 7)
    assert overview.checkin.state is State.PAUSED
    assert overview.checkin.next_due_at == datetime(2026, 10, 27, 8, 0, tzinfo=UTC)
    await world.at(ams(2026, 10, 26, 9, 0))
    assert "checkin.prompt" not in [k for k, _ in await world.kinds()]
    await world.at(datetime(2026, 10, 27, 7, 59, tzinfo=UTC))
    assert "checkin.resumed" not in [k for k, _ in await world.kinds()]
    await world.at(datetime(2026, 10, 27, 8, 0, tzinfo=UTC))  # 9:00 winter time
    assert (await world.kinds())[-2:] == [
        ("checkin.resumed", "anna"),
        ("checkin.prompt", "anna"),
    ]
    resumed = await world.service.overview(ANNA)
    assert resumed is not None
    assert resumed.checkin.state is State.ACTIVE
    assert resumed.checkin.next_due_at == datetime(2026, 10, 28, 8, 0, tzinfo=UTC)


async def test_stop_releases_the_buddies_and_old_buttons_are_refused(world: World) -> None:
    await opted_in(world)
    await world.at(ams(2026, 12, 1, 9, 0))
    (rnd,) = await world.rounds()
    await world.service.stop(ANNA)
    assert (await world.kinds())[-1] == ("checkin.resident_stopped", "joost")
    with pytest.raises(OldCheckIn):
        await world.service.answer(ANNA, rnd.id, Answer.TALK.value)  # answered by the stop
    await world.at(ams(2026, 12, 2, 12, 0))
    assert [k for k, _ in await world.kinds()].count("checkin.prompt") == 1


async def test_a_buddy_who_left_the_street_is_skipped_and_anna_is_told(world: World) -> None:
    await opted_in(world, second=True)
    async with world.db.write() as tx:
        membership = await tx.memberships.get(world.ids["joost"], world.ids["street"])
        assert membership is not None
        await tx.memberships.end(membership.id, world.clock.now())
    await world.at(ams(2026, 12, 1, 9, 0))
    await world.at(ams(2026, 12, 1, 11, 0))
    kinds = await world.kinds()
    assert ("checkin.buddy_left", "anna") in kinds
    assert kinds[-1] == ("checkin.alarm", "kees")
    assert ("checkin.alarm", "joost") not in kinds


async def test_a_buddy_who_stops_tells_the_resident_kindly(world: World) -> None:
    await opted_in(world)
    ((buddy, _),) = await world.service.buddying(JOOST)
    assert await world.service.stop_buddy(JOOST, buddy.id) == "Anna"
    assert (await world.kinds())[-1] == ("checkin.buddy_left", "anna")
    overview = await world.service.overview(ANNA)
    assert overview is not None
    # Workers are still in the chain, so the check-in goes on.
    assert overview.checkin.state is State.ACTIVE


async def test_erasure_stops_the_check_in_and_leaves_every_chain(world: World) -> None:
    await opted_in(world)
    async with world.db.write() as tx:
        joost = await tx.residents.get(world.ids["joost"])
        assert joost is not None
        await world.service.erase(tx, joost, world.clock.now())
    overview = await world.service.overview(ANNA)
    assert overview is not None
    assert [b.status for b, _ in overview.buddies] == [BuddyStatus.STOPPED]
    assert [n for _, n in overview.buddies] == [None]
    assert not await world.service.volunteer(JOOST)
    await world.service.set_time(ANNA, 7 * 60)
    async with world.db.write() as tx:
        anna = await tx.residents.get(world.ids["anna"])
        assert anna is not None
        await world.service.erase(tx, anna, world.clock.now())
    async with world.db.read() as tx:
        erased = await tx.checkins.of_resident(world.ids["anna"])
    assert erased is not None
    assert erased.state is State.STOPPED
    assert erased.schedule == Schedule()  # her chosen time and window are gone
    assert not erased.workers


async def test_impact_counts_numbers_only(world: World) -> None:
    await opted_in(world)
    await world.at(ams(2026, 12, 1, 9, 0))
    (rnd,) = await world.rounds()
    await world.service.answer(ANNA, rnd.id, "good")
    await world.at(ams(2026, 12, 2, 9, 0))
    await world.at(ams(2026, 12, 2, 11, 0))
    second = (await world.rounds())[-1]
    await world.service.going(JOOST, second.id, 1)
    await world.service.close(JOOST, second.id, "all_good")
    async with world.db.read() as tx:
        counts = await tx.checkins.counts(
            1, datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
        )
    assert counts.residents == 1
    assert counts.rounds == 2
    assert counts.on_time == 1
    assert counts.alarms == 1
    assert counts.outcomes == {"all_good": 1}


async def circle(world: World, *, moderators: bool = True) -> int:
    """Joost coordinates the neighbourhood; Mien has no phone of her own but a landline."""
    now = world.clock.now()
    async with world.db.write() as tx:
        mien = await tx.residents.add(
            None, None, "Mien", "nl", now, is_proxy=True, phone="020 123 4567"
        )
        await tx.memberships.add(mien.id, world.ids["street"], MembershipRole.MEMBER, now)
        await tx.memberships.grant(world.ids["joost"], 1, NeighbourhoodRole.COORDINATOR, None, now)
        world.ids["mien"] = mien.id
    return mien.id


async def test_the_telephone_circle_lists_whom_to_call(world: World) -> None:
    mien = await circle(world)
    with pytest.raises(NotACoordinator):
        await world.service.proxies(KEES)
    (line,) = await world.service.proxies(JOOST)
    assert line.minute_of_day is None
    await world.service.start_calls(JOOST, mien, 9 * 60)
    (line,) = await world.service.proxies(JOOST)
    assert line.minute_of_day == 9 * 60
    await world.at(ams(2026, 12, 1, 9, 0))
    assert (await world.kinds())[-1] == ("checkin.calls", "joost")
    (call,) = await world.service.call_list(JOOST)
    assert (call.name, call.phone) == ("Mien", "020 123 4567")
    with pytest.raises(NotYourAlarm):
        await world.service.call_result(KEES, call.round_id, reached=True)
    assert await world.service.call_result(JOOST, call.round_id, reached=True) == []
    await world.at(ams(2026, 12, 1, 12, 0))
    assert "post.place" not in [k for k, _ in await world.kinds()]


async def test_not_reached_starts_the_same_chain(world: World) -> None:
    mien = await circle(world)
    await world.service.start_calls(JOOST, mien, 9 * 60)
    await world.at(ams(2026, 12, 1, 9, 0))
    (call,) = await world.service.call_list(JOOST)
    await world.service.call_result(JOOST, call.round_id, reached=False)
    assert (await world.kinds())[-1] == ("post.place", "moderators")
    with pytest.raises(OldCheckIn):
        await world.service.call_result(JOOST, call.round_id, reached=True)


async def test_an_unreported_call_reminds_then_alarms(world: World) -> None:
    mien = await circle(world)
    await world.service.start_calls(JOOST, mien, 9 * 60)
    await world.at(ams(2026, 12, 1, 9, 0))
    await world.at(ams(2026, 12, 1, 10, 0))
    assert [r["key"] for r in await world.outbox()][-1].endswith(":reminder")
    await world.at(ams(2026, 12, 1, 11, 0))
    assert (await world.kinds())[-1] == ("post.place", "moderators")


async def test_no_alarm_for_someone_who_blocked_the_bot(world: World) -> None:
    await opted_in(world)
    await world.at(ams(2026, 12, 1, 9, 0))
    async with world.db.write() as tx:
        await tx.residents.set_active(world.ids["anna"], False)  # the send came back 403
    await world.at(ams(2026, 12, 1, 11, 0))
    assert "checkin.alarm" not in [k for k, _ in await world.kinds()]
    (rnd,) = await world.rounds()
    assert rnd.status is RoundStatus.SKIPPED
