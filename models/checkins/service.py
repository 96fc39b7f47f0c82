"""Check-ins: opting in, buddies, answers, pauses, and the sweep that notices silence.

The sweep runs every minute (and at start), like the digest's. It claims each due
check-in by moving its next moment on with a conditional update, writes the day's round
(unique per check-in and local date) and puts the message in the outbox under
`checkin:{id}:{local date}`, so a restart neither loses nor doubles it. The window starts
when the message is enqueued: a check-in that fell due while the bot was down is sent
once after start and its window starts then; one more than `LATE_LIMIT` late is recorded
as missed, without a message and without an alarm.

Silence, in order: a reminder halfway through the window; at its end the first buddy in
the chain is asked to look ("Ik ga kijken" / "Ik kan nu niet"); "can't", or no answer
within the window, moves the alarm on to the next buddy, then to the community workers
as a card in the moderators chat (no name on it). A late answer tells everyone alerted.
Never the street group.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from models.audit import audit
from models.checkins.model import (
    CHECKIN_REF,
    CLOSING_OUTCOMES,
    MAX_BUDDIES,
    PAUSE_DAYS,
    TIMES,
    WINDOW_HOURS,
    AlarmView,
    AllClear,
    Answer,
    AnswerResult,
    BadChoice,
    Buddy,
    BuddyAlarm,
    BuddyAnswered,
    BuddyLeft,
    BuddyRequest,
    BuddyStatus,
    CallLine,
    CallList,
    Candidate,
    ChainFull,
    CheckIn,
    CheckInCard,
    CheckInPrompt,
    CheckInReminder,
    CheckInResumed,
    Frequency,
    NobodyCould,
    NoCheckIn,
    NotYourAlarm,
    OldCheckIn,
    Outcome,
    Overview,
    OwnBuddy,
    PleaseCall,
    ProxyCall,
    ResidentStopped,
    Round,
    RoundInfo,
    RoundStatus,
    Schedule,
    State,
)
from models.checkins.rules import (
    halfway,
    local_date,
    next_due,
    normalise_days,
    pause_end,
    resume_moment,
    too_late,
)
from models.clock import Clock
from models.core import ChannelUser, Neighbourhood, NeighbourhoodRole, Resident, Street
from models.errors import NotAStreetMember
from models.escalation.workers import WorkerCheck
from models.notifications import PlacePost, PostRef, Recipient, RefreshPosts
from models.ports import Database, Transaction
from models.rides.coordination import coordinated_proxy
from models.rides.model import NotACoordinator
from models.sweeps import sweep_due

log = logging.getLogger(__name__)

BATCH = 200
CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
CODE_LENGTH = 10
LIVE = (State.ACTIVE, State.PAUSED, State.WAITING)


def new_code() -> str:
    """A personal invite code for a deep link (letters and digits, no look-alikes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def card_ref(round_id: int) -> PostRef:
    """The moderators chat card of a round's alarm."""
    return PostRef(ref_kind=CHECKIN_REF, ref_id=round_id)


class Link:
    """One link of the chain: a buddy, or the community workers of the neighbourhood."""

    def __init__(self, buddy: Buddy | None = None, hood: Neighbourhood | None = None) -> None:
        self.buddy = buddy
        self.hood = hood


async def _member(tx: Transaction, resident_id: int, street_id: int) -> bool:
    membership = await tx.memberships.get(resident_id, street_id)
    return membership is not None and not membership.blocked


class CheckInService:
    """Everything a resident, a buddy and a community worker do with check-ins."""

    def __init__(self, db: Database, clock: Clock, workers: WorkerCheck, tz: ZoneInfo) -> None:
        self._db = db
        self._clock = clock
        self._workers = workers
        self.tz = tz

    # Who -------------------------------------------------------------------------

    async def _me(self, tx: Transaction, user: ChannelUser) -> Resident:
        resident = await tx.residents.by_external(user.channel, user.external_id)
        if resident is None:
            raise NotAStreetMember()
        return resident

    async def _home(self, tx: Transaction, resident: Resident) -> Street:
        """The street the resident joined last (as the menu's profile does)."""
        streets: list[Street] = []
        for membership in await tx.memberships.of_resident(resident.id):
            if membership.blocked:
                continue
            street = await tx.streets.get(membership.street_id)
            if street is not None and street.active:
                streets.append(street)
        if not streets:
            raise NotAStreetMember()
        return streets[-1]

    async def _mine(self, tx: Transaction, user: ChannelUser) -> tuple[Resident, CheckIn]:
        resident = await self._me(tx, user)
        checkin = await tx.checkins.of_resident(resident.id)
        if checkin is None:
            raise NoCheckIn()
        return resident, checkin

    async def _overview(self, tx: Transaction, checkin_id: int) -> Overview:
        checkin = await tx.checkins.get(checkin_id)
        assert checkin is not None
        buddies: list[tuple[Buddy, str | None]] = []
        for buddy in await tx.checkins.buddies(checkin_id):
            person = await tx.residents.get(buddy.resident_id) if buddy.resident_id else None
            buddies.append((buddy, person.display_name if person else None))
        return Overview(checkin=checkin, buddies=tuple(buddies))

    async def overview(self, user: ChannelUser) -> Overview | None:
        """The resident's check-in (None when they never opted in)."""
        async with self._db.read() as tx:
            resident = await self._me(tx, user)
            checkin = await tx.checkins.of_resident(resident.id)
            return await self._overview(tx, checkin.id) if checkin else None

    # Opting in ---------------------------------------------------------------------

    async def begin(self, user: ChannelUser) -> Overview:
        """Start choosing (a fresh draft), or the check-in the resident has already."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident = await self._me(tx, user)
            street = await self._home(tx, resident)
            existing = await tx.checkins.of_resident(resident.id)
            if existing is not None and existing.state in LIVE:
                return await self._overview(tx, existing.id)
            checkin = await tx.checkins.put_draft(resident.id, street.id, now)
            return await self._overview(tx, checkin.id)

    async def _change(self, user: ChannelUser, **fields: object) -> Overview:
        now = self._clock.now()
        async with self._db.write() as tx:
            _, checkin = await self._mine(tx, user)
            if checkin.state is State.STOPPED:
                raise OldCheckIn()
            schedule = Schedule.model_validate({**checkin.schedule.model_dump(), **fields})
            schedule = schedule.model_copy(
                update={"days": normalise_days(schedule.frequency, schedule.days)}
            )
            values: dict[str, object] = {
                "frequency": schedule.frequency.value,
                "days": schedule.days,
                "minute_of_day": schedule.minute_of_day,
                "window_hours": schedule.window_hours,
            }
            if checkin.state is State.ACTIVE and schedule.complete:
                values["next_due_at"] = next_due(schedule, now, self.tz)
            await tx.checkins.update(checkin.id, now, **values)
            return await self._overview(tx, checkin.id)

    async def set_frequency(self, user: ChannelUser, frequency: str) -> Overview:
        """Daily, on chosen days, or weekly."""
        try:
            value = Frequency(frequency)
        except ValueError:
            raise BadChoice() from None
        return await self._change(user, frequency=value, days=())

    async def toggle_day(self, user: ChannelUser, weekday: int) -> Overview:
        """Add or remove a day (a weekly check-in has exactly one)."""
        if not 0 <= weekday <= 6:
            raise BadChoice()
        async with self._db.read() as tx:
            _, checkin = await self._mine(tx, user)
        days = set(checkin.schedule.days)
        if checkin.schedule.frequency is Frequency.WEEKLY:
            days = {weekday}
        else:
            days ^= {weekday}
        return await self._change(user, days=tuple(days))

    async def set_time(self, user: ChannelUser, minute_of_day: int) -> Overview:
        """A time from the buttons."""
        if minute_of_day not in TIMES:
            raise BadChoice()
        return await self._change(user, minute_of_day=minute_of_day)

    async def set_window(self, user: ChannelUser, hours: int) -> Overview:
        """One, two or four hours to answer."""
        if hours not in WINDOW_HOURS:
            raise BadChoice()
        return await self._change(user, window_hours=hours)

    async def set_workers(self, user: ChannelUser, on: bool) -> Overview:
        """Whether the community workers come after the buddies."""
        now = self._clock.now()
        async with self._db.write() as tx:
            _, checkin = await self._mine(tx, user)
            if checkin.state is State.STOPPED:
                raise OldCheckIn()
            await tx.checkins.update(checkin.id, now, workers=on)
            return await self._overview(tx, checkin.id)

    # Buddies -----------------------------------------------------------------------

    async def candidates(self, user: ChannelUser) -> list[Candidate]:
        """Neighbours of the street who agreed to be asked (not me, not asked already)."""
        async with self._db.read() as tx:
            resident, checkin = await self._mine(tx, user)
            taken = {
                b.resident_id
                for b in await tx.checkins.buddies(checkin.id)
                if b.status in (BuddyStatus.INVITED, BuddyStatus.ACCEPTED)
            }
            return [
                c
                for c in await tx.checkins.volunteers(checkin.street_id)
                if c.resident_id != resident.id and c.resident_id not in taken
            ]

    async def _next_position(self, tx: Transaction, checkin: CheckIn) -> int:
        current = [
            b
            for b in await tx.checkins.buddies(checkin.id)
            if b.status in (BuddyStatus.INVITED, BuddyStatus.ACCEPTED)
        ]
        if len(current) >= MAX_BUDDIES:
            raise ChainFull()
        return max((b.position for b in current), default=0) + 1

    async def _waiting(self, tx: Transaction, checkin: CheckIn, now: datetime) -> None:
        if checkin.state is State.DRAFT and checkin.schedule.complete:
            await tx.checkins.update(checkin.id, now, state=State.WAITING.value)

    async def ask_buddy(self, user: ChannelUser, buddy_resident_id: int) -> Overview:
        """Ask a neighbour who agreed to be asked; they get a private question."""
        now = self._clock.now()
        async with self._db.write() as tx:
            resident, checkin = await self._mine(tx, user)
            if checkin.state is State.STOPPED or not checkin.schedule.complete:
                raise OldCheckIn()
            if buddy_resident_id == resident.id:
                raise OwnBuddy()
            volunteers = {c.resident_id for c in await tx.checkins.volunteers(checkin.street_id)}
            if buddy_resident_id not in volunteers:
                raise OldCheckIn()
            for existing in await tx.checkins.buddies(checkin.id):
                if existing.resident_id == buddy_resident_id and existing.status in (
                    BuddyStatus.INVITED,
                    BuddyStatus.ACCEPTED,
                ):
                    return await self._overview(tx, checkin.id)
            position = await self._next_position(tx, checkin)
            buddy = await tx.checkins.add_buddy(checkin.id, buddy_resident_id, position, None, now)
            await tx.outbox.enqueue(
                Recipient.resident(buddy_resident_id),
                BuddyRequest(buddy_id=buddy.id),
                key=f"checkin:buddy:{buddy.id}:asked",
                now=now,
            )
            await self._waiting(tx, checkin, now)
            await audit(tx, now, "checkin.buddy_asked", "checkin", checkin.id, actor=user)
            return await self._overview(tx, checkin.id)

    async def invite_code(self, user: ChannelUser) -> str:
        """A personal invite code for a deep link (one open invite at a time is reused)."""
        now = self._clock.now()
        async with self._db.write() as tx:
            _, checkin = await self._mine(tx, user)
            if checkin.state is State.STOPPED or not checkin.schedule.complete:
                raise OldCheckIn()
            for existing in await tx.checkins.buddies(checkin.id):
                if (
                    existing.code
                    and existing.resident_id is None
                    and existing.status is BuddyStatus.INVITED
                ):
                    return existing.code
            position = await self._next_position(tx, checkin)
            buddy = await tx.checkins.add_buddy(checkin.id, None, position, new_code(), now)
            await self._waiting(tx, checkin, now)
            await audit(tx, now, "checkin.invite_link", "checkin", checkin.id, actor=user)
            assert buddy.code is not None
            return buddy.code

    async def open_invite(self, user: ChannelUser, code: str) -> tuple[Buddy, str]:
        """Someone opened an invite link: they must live in the street, and not be the asker."""
        now = self._clock.now()
        async with self._db.write() as tx:
            me = await self._me(tx, user)
            buddy = await tx.checkins.buddy_by_code(code)
            if buddy is None or buddy.status is not BuddyStatus.INVITED:
                raise OldCheckIn()
            checkin = await tx.checkins.get(buddy.checkin_id)
            assert checkin is not None
            if checkin.resident_id == me.id:
                raise OwnBuddy()
            if not await _member(tx, me.id, checkin.street_id):
                raise NotAStreetMember()
            if buddy.resident_id is None:
                if not await tx.checkins.answer_buddy(
                    buddy.id, (BuddyStatus.INVITED,), BuddyStatus.INVITED, now, resident_id=me.id
                ):
                    raise OldCheckIn()
            elif buddy.resident_id != me.id:
                raise OldCheckIn()
            owner = await tx.residents.get(checkin.resident_id)
            fresh = await tx.checkins.buddy(buddy.id)
            assert fresh is not None
            assert owner is not None
            return fresh, owner.display_name

    async def buddy_request(self, buddy_id: int) -> tuple[Buddy, str | None] | None:
        """A buddy link and its resident's name, for the messages about it (None: gone; no
        name when the resident was erased or cannot be reached)."""
        async with self._db.read() as tx:
            buddy = await tx.checkins.buddy(buddy_id)
            if buddy is None:
                return None
            checkin = await tx.checkins.get(buddy.checkin_id)
            owner = await tx.residents.get(checkin.resident_id) if checkin else None
        if owner is None:
            return None
        return buddy, owner.display_name if owner.active else None

    async def _own_buddy(self, tx: Transaction, user: ChannelUser, buddy_id: int) -> Buddy:
        me = await self._me(tx, user)
        buddy = await tx.checkins.buddy(buddy_id)
        if buddy is None or buddy.resident_id != me.id:
            raise OldCheckIn()
        return buddy

    async def answer_invite(self, user: ChannelUser, buddy_id: int, yes: bool) -> str:
        """The buddy says yes (the check-in starts when it waited) or no; the asker's name."""
        now = self._clock.now()
        async with self._db.write() as tx:
            buddy = await self._own_buddy(tx, user, buddy_id)
            checkin = await tx.checkins.get(buddy.checkin_id)
            assert checkin is not None
            owner = await tx.residents.get(checkin.resident_id)
            assert owner is not None
            if checkin.state is State.STOPPED:
                raise OldCheckIn()
            status = BuddyStatus.ACCEPTED if yes else BuddyStatus.DECLINED
            if not await tx.checkins.answer_buddy(buddy.id, (BuddyStatus.INVITED,), status, now):
                if buddy.status is status:
                    return owner.display_name
                raise OldCheckIn()
            if yes and checkin.state in (State.WAITING, State.DRAFT) and checkin.schedule.complete:
                await tx.checkins.update(
                    checkin.id,
                    now,
                    state=State.ACTIVE.value,
                    next_due_at=next_due(checkin.schedule, now, self.tz),
                )
            await tx.outbox.enqueue(
                Recipient.resident(checkin.resident_id),
                BuddyAnswered(buddy_id=buddy.id, accepted=yes),
                key=f"checkin:buddy:{buddy.id}:{status.value}",
                now=now,
            )
            await audit(
                tx, now, f"checkin.buddy_{status.value}", "checkin", checkin.id, actor=user
            )
            return owner.display_name

    async def buddy_answered(self, buddy_id: int) -> tuple[str, CheckIn] | None:
        """The buddy's name and the check-in, for the message to the resident."""
        async with self._db.read() as tx:
            buddy = await tx.checkins.buddy(buddy_id)
            if buddy is None or buddy.resident_id is None:
                return None
            person = await tx.residents.get(buddy.resident_id)
            checkin = await tx.checkins.get(buddy.checkin_id)
        if person is None or checkin is None:
            return None
        return person.display_name, checkin

    async def buddying(self, user: ChannelUser) -> list[tuple[Buddy, str]]:
        """For whom this person is a buddy now (with the resident's name)."""
        async with self._db.read() as tx:
            me = await tx.residents.by_external(user.channel, user.external_id)
            if me is None:
                return []
            result: list[tuple[Buddy, str]] = []
            for buddy in await tx.checkins.buddy_of(me.id):
                if buddy.status is not BuddyStatus.ACCEPTED:
                    continue
                checkin = await tx.checkins.get(buddy.checkin_id)
                owner = await tx.residents.get(checkin.resident_id) if checkin else None
                if checkin is not None and owner is not None and checkin.state in LIVE:
                    result.append((buddy, owner.display_name))
            return result

    async def stop_buddy(self, user: ChannelUser, buddy_id: int) -> str:
        """The buddy stops; the resident is told kindly. Returns the resident's name."""
        now = self._clock.now()
        async with self._db.write() as tx:
            buddy = await self._own_buddy(tx, user, buddy_id)
            if not await tx.checkins.answer_buddy(
                buddy.id, (BuddyStatus.ACCEPTED, BuddyStatus.INVITED), BuddyStatus.STOPPED, now
            ):
                raise OldCheckIn()
            checkin = await tx.checkins.get(buddy.checkin_id)
            assert checkin is not None
            owner = await tx.residents.get(checkin.resident_id)
            assert owner is not None
            await self._buddy_gone(tx, checkin, buddy, "stopped", now)
            await audit(tx, now, "checkin.buddy_stopped", "checkin", checkin.id, actor=user)
            return owner.display_name

    async def _buddy_gone(
        self, tx: Transaction, checkin: CheckIn, buddy: Buddy, reason: str, now: datetime
    ) -> None:
        """Tell the resident; without anyone left in the chain the check-in waits."""
        left = [
            b
            for b in await tx.checkins.buddies(checkin.id)
            if b.status is BuddyStatus.ACCEPTED and b.id != buddy.id
        ]
        others = bool(left) or checkin.workers
        if not others and checkin.state is State.ACTIVE:
            await tx.checkins.update(checkin.id, now, state=State.WAITING.value, next_due_at=None)
        if checkin.state in LIVE:
            await tx.outbox.enqueue(
                Recipient.resident(checkin.resident_id),
                BuddyLeft(buddy_id=buddy.id, reason=reason, others=others),
                key=f"checkin:buddy:{buddy.id}:gone",
                now=now,
            )

    async def volunteer(self, user: ChannelUser) -> bool:
        """Whether this person agreed to be asked as a buddy."""
        async with self._db.read() as tx:
            me = await tx.residents.by_external(user.channel, user.external_id)
            return me is not None and await tx.checkins.is_volunteer(me.id)

    async def set_volunteer(self, user: ChannelUser, on: bool) -> bool:
        """Agree (or no longer agree) to be asked as a buddy by neighbours."""
        now = self._clock.now()
        async with self._db.write() as tx:
            me = await self._me(tx, user)
            await self._home(tx, me)
            await tx.checkins.set_volunteer(me.id, on, now)
            await audit(tx, now, "checkin.volunteer", "resident", me.id, on=on)
            return on

    # Pause, resume, stop -----------------------------------------------------------

    async def pause(self, user: ChannelUser, days: int) -> Overview:
        """Pause until a day (holiday, hospital), at most sixty days."""
        if days not in PAUSE_DAYS:
            raise BadChoice()
        now = self._clock.now()
        async with self._db.write() as tx:
            _, checkin = await self._mine(tx, user)
            if checkin.state not in (State.ACTIVE, State.PAUSED):
                raise OldCheckIn()
            until = pause_end(now.astimezone(self.tz).date(), days)
            await tx.checkins.update(
                checkin.id,
                now,
                state=State.PAUSED.value,
                paused_until=until,
                next_due_at=resume_moment(checkin.schedule, until, self.tz),
            )
            await self._answer_open(tx, checkin, Answer.SIGN, now)
            await audit(tx, now, "checkin.paused", "checkin", checkin.id, days=days)
            return await self._overview(tx, checkin.id)

    async def resume(self, user: ChannelUser) -> Overview:
        """End a pause now."""
        now = self._clock.now()
        async with self._db.write() as tx:
            _, checkin = await self._mine(tx, user)
            if checkin.state is not State.PAUSED:
                raise OldCheckIn()
            await tx.checkins.update(
                checkin.id,
                now,
                state=State.ACTIVE.value,
                paused_until=None,
                next_due_at=next_due(checkin.schedule, now, self.tz),
            )
            await audit(tx, now, "checkin.resumed", "checkin", checkin.id)
            return await self._overview(tx, checkin.id)

    async def stop(self, user: ChannelUser) -> None:
        """Stop at any time: the buddies are thanked and released."""
        now = self._clock.now()
        async with self._db.write() as tx:
            _, checkin = await self._mine(tx, user)
            if checkin.state is State.STOPPED:
                return
            await self._end(tx, checkin, now, tell_buddies=True)
            await audit(tx, now, "checkin.stopped", "checkin", checkin.id)

    async def _end(
        self, tx: Transaction, checkin: CheckIn, now: datetime, *, tell_buddies: bool
    ) -> None:
        await self._answer_open(tx, checkin, Answer.SIGN, now)
        await tx.checkins.update(
            checkin.id, now, state=State.STOPPED.value, next_due_at=None, paused_until=None
        )
        for buddy in await tx.checkins.buddies(checkin.id):
            if buddy.status not in (BuddyStatus.ACCEPTED, BuddyStatus.INVITED):
                continue
            await tx.checkins.answer_buddy(buddy.id, (buddy.status,), BuddyStatus.STOPPED, now)
            if tell_buddies and buddy.status is BuddyStatus.ACCEPTED and buddy.resident_id:
                await tx.outbox.enqueue(
                    Recipient.resident(buddy.resident_id),
                    ResidentStopped(buddy_id=buddy.id),
                    key=f"checkin:buddy:{buddy.id}:released",
                    now=now,
                )

    # Answers -----------------------------------------------------------------------

    async def answer(self, user: ChannelUser, round_id: int, answer: str) -> AnswerResult:
        """One of the three buttons (an old round's buttons say so politely)."""
        try:
            value = Answer(answer)
        except ValueError:
            raise BadChoice() from None
        now = self._clock.now()
        async with self._db.write() as tx:
            _resident, checkin = await self._mine(tx, user)
            rnd = await tx.checkins.round(round_id)
            if rnd is None or rnd.checkin_id != checkin.id or checkin.state is State.STOPPED:
                raise OldCheckIn()
            buddy = await self._first_buddy_name(tx, checkin)
            if rnd.status in (RoundStatus.ANSWERED, RoundStatus.ALL_CLEAR):
                if rnd.answer is Answer.SIGN and value is not Answer.SIGN:
                    # A message came first; the button still says how the resident is.
                    await tx.checkins.transition(
                        rnd.id, {"answer": Answer.SIGN.value}, {"answer": value.value}
                    )
                    fresh = await tx.checkins.round(round_id)
                    assert fresh is not None
                    return AnswerResult(round=fresh, buddy_name=buddy)
                return AnswerResult(round=rnd, already=True, buddy_name=buddy)
            if not rnd.open:
                raise OldCheckIn()
            late = await self._answer_open(tx, checkin, value, now)
            fresh = await tx.checkins.round(round_id)
            assert fresh is not None
            return AnswerResult(round=fresh, late=late, buddy_name=buddy)

    async def sign_of_life(self, user: ChannelUser) -> Literal["none", "on_time", "late"]:
        """Any message from the resident in the window counts as an answer ("late": after
        the alarm went out, so everyone alerted hears all is well)."""
        async with self._db.read() as tx:
            me = await tx.residents.by_external(user.channel, user.external_id)
            if me is None:
                return "none"
            checkin = await tx.checkins.of_resident(me.id)
            if checkin is None or not await tx.checkins.open_rounds(checkin.id):
                return "none"
        now = self._clock.now()
        async with self._db.write() as tx:
            late = await self._answer_open(tx, checkin, Answer.SIGN, now)
        return "late" if late else "on_time"

    async def _answer_open(
        self, tx: Transaction, checkin: CheckIn, answer: Answer, now: datetime
    ) -> bool:
        """Every open round of the check-in is answered; True when an all-clear went out."""
        late = False
        for rnd in await tx.checkins.open_rounds(checkin.id):
            if rnd.status is RoundStatus.OPEN:
                await tx.checkins.transition(
                    rnd.id,
                    {"status": RoundStatus.OPEN.value},
                    {
                        "status": RoundStatus.ANSWERED.value,
                        "answer": answer.value,
                        "answered_at": now,
                    },
                )
                continue
            if await tx.checkins.transition(
                rnd.id,
                {"status": RoundStatus.ALARM.value},
                {
                    "status": RoundStatus.ALL_CLEAR.value,
                    "answer": answer.value,
                    "answered_at": now,
                    "alarm_deadline": None,
                },
            ):
                late = True
                await self._all_clear(tx, rnd, now)
        return late

    async def _all_clear(self, tx: Transaction, rnd: Round, now: datetime) -> None:
        for alert in await tx.checkins.alerts(rnd.id):
            if alert.resident_id is not None:
                await _tell(tx, alert.resident_id, AllClear(round_id=rnd.id), "clear", now)
            elif alert.neighbourhood_id is not None:
                await tx.outbox.enqueue(
                    Recipient.moderators(alert.neighbourhood_id),
                    AllClear(round_id=rnd.id),
                    key=f"checkin:{rnd.id}:clear:w",
                    now=now,
                )
                await tx.outbox.enqueue(
                    Recipient.moderators(alert.neighbourhood_id),
                    RefreshPosts(ref=card_ref(rnd.id)),
                    now=now,
                )
        await audit(tx, now, "checkin.all_clear", "checkin_round", rnd.id)

    async def _first_buddy_name(self, tx: Transaction, checkin: CheckIn) -> str | None:
        for buddy in await tx.checkins.buddies(checkin.id):
            if buddy.status is BuddyStatus.ACCEPTED and buddy.resident_id:
                person = await tx.residents.get(buddy.resident_id)
                if person is not None and person.active:
                    return person.display_name
        return None

    async def please_call(self, user: ChannelUser, round_id: int, reason: str) -> str | None:
        """With the resident's yes: the first buddy is asked to call or come by."""
        if reason not in ("not_good", "talk"):
            raise BadChoice()
        now = self._clock.now()
        async with self._db.write() as tx:
            _, checkin = await self._mine(tx, user)
            rnd = await tx.checkins.round(round_id)
            if rnd is None or rnd.checkin_id != checkin.id:
                raise OldCheckIn()
            for buddy in await tx.checkins.buddies(checkin.id):
                if buddy.status is BuddyStatus.ACCEPTED and buddy.resident_id:
                    person = await tx.residents.get(buddy.resident_id)
                    if person is None or not person.active:
                        continue
                    await tx.outbox.enqueue(
                        Recipient.resident(buddy.resident_id),
                        PleaseCall(round_id=rnd.id, reason=reason),
                        key=f"checkin:{rnd.id}:call",
                        now=now,
                    )
                    await audit(tx, now, "checkin.please_call", "checkin_round", rnd.id)
                    return person.display_name
        return None

    # Reading for messages ------------------------------------------------------------

    async def round_info(self, round_id: int) -> RoundInfo | None:
        """A round with its names (None when the check-in is gone)."""
        async with self._db.read() as tx:
            rnd = await tx.checkins.round(round_id)
            checkin = await tx.checkins.get(rnd.checkin_id) if rnd else None
            if rnd is None or checkin is None:
                return None
            resident = await tx.residents.get(checkin.resident_id)
            street = await tx.streets.get(checkin.street_id)
            if resident is None or street is None:
                return None
            return RoundInfo(
                round=rnd,
                checkin=checkin,
                resident_name=resident.display_name,
                street_name=street.name,
                buddy_name=await self._first_buddy_name(tx, checkin),
            )

    async def card(self, round_id: int) -> CheckInCard | None:
        """What the moderators chat card shows: the street and the time, no name."""
        async with self._db.read() as tx:
            rnd = await tx.checkins.round(round_id)
            checkin = await tx.checkins.get(rnd.checkin_id) if rnd else None
            street = await tx.streets.get(checkin.street_id) if checkin else None
            if rnd is None or street is None:
                return None
            taker = await tx.residents.get(rnd.taken_by) if rnd.taken_by else None
        return CheckInCard(
            round=rnd,
            street_name=street.name,
            taker_name=taker.display_name if taker else None,
            called=checkin is not None and checkin.caller_id is not None,
        )

    # The chain -----------------------------------------------------------------------

    async def _chain(self, tx: Transaction, checkin: CheckIn, now: datetime) -> list[Link]:
        """Buddies who said yes and can still be reached, in order; then the workers."""
        links: list[Link] = []
        buddies = sorted(await tx.checkins.buddies(checkin.id), key=lambda b: b.position)
        for buddy in buddies:
            if buddy.status is not BuddyStatus.ACCEPTED or buddy.resident_id is None:
                continue
            person = await tx.residents.get(buddy.resident_id)
            if (
                person is None
                or not person.active
                or not await _member(tx, person.id, checkin.street_id)
            ):
                # Blocked the bot or left the street: skipped, and the resident asked to
                # choose another.
                await tx.checkins.answer_buddy(
                    buddy.id, (BuddyStatus.ACCEPTED,), BuddyStatus.STOPPED, now
                )
                await self._buddy_gone(tx, checkin, buddy, "unreachable", now)
                continue
            links.append(Link(buddy=buddy))
        if checkin.workers:
            street = await tx.streets.get(checkin.street_id)
            hood = await tx.neighbourhoods.get(street.neighbourhood_id) if street else None
            if hood is not None and hood.moderators_chat is not None:
                links.append(Link(hood=hood))
        return links

    async def _pass_on(
        self, tx: Transaction, checkin: CheckIn, rnd: Round, from_step: int, now: datetime
    ) -> None:
        """Ask the next in the chain after `from_step`; when nobody is left, say so."""
        chain = await self._chain(tx, checkin, now)
        where = {"status": RoundStatus.ALARM.value, "alarm_step": from_step}
        if from_step >= len(chain):
            if await tx.checkins.transition(
                rnd.id,
                where,
                {
                    "status": RoundStatus.CLOSED.value,
                    "outcome": Outcome.NOBODY.value,
                    "closed_at": now,
                    "alarm_deadline": None,
                    "alarm_target_id": None,
                },
            ):
                for alert in await tx.checkins.alerts(rnd.id):
                    if alert.resident_id is not None:
                        note = NobodyCould(round_id=rnd.id)
                        await _tell(tx, alert.resident_id, note, "nobody", now)
                if checkin.caller_id is not None:
                    await tx.outbox.enqueue(
                        Recipient.resident(checkin.caller_id),
                        NobodyCould(round_id=rnd.id),
                        key=f"checkin:{rnd.id}:nobody:c{checkin.caller_id}",
                        now=now,
                    )
                log.warning("check-in round %d: nobody in the chain could look", rnd.id)
                await audit(tx, now, "checkin.nobody", "checkin_round", rnd.id)
            return
        step = from_step + 1
        link = chain[step - 1]
        if link.buddy is not None:
            assert link.buddy.resident_id is not None
            if not await tx.checkins.transition(
                rnd.id,
                where,
                {
                    "alarm_step": step,
                    "alarm_target_id": link.buddy.resident_id,
                    "alarm_deadline": now + checkin.schedule.window,
                    "taken_by": None,
                },
            ):
                return
            await tx.checkins.add_alert(rnd.id, step, link.buddy.resident_id, None, now)
            await tx.outbox.enqueue(
                Recipient.resident(link.buddy.resident_id),
                BuddyAlarm(round_id=rnd.id, step=step),
                key=f"checkin:{rnd.id}:alarm:{step}",
                now=now,
            )
        else:
            assert link.hood is not None
            if not await tx.checkins.transition(
                rnd.id,
                where,
                {
                    "alarm_step": step,
                    "alarm_target_id": None,
                    "alarm_deadline": None,
                    "taken_by": None,
                },
            ):
                return
            await tx.checkins.add_alert(rnd.id, step, None, link.hood.id, now)
            await tx.outbox.enqueue(
                Recipient.moderators(link.hood.id),
                PlacePost(ref=card_ref(rnd.id)),
                key=f"checkin:{rnd.id}:card",
                now=now,
            )
        await audit(tx, now, "checkin.alarm", "checkin_round", rnd.id, step=step)

    async def _alarm_round(
        self, tx: Transaction, user: ChannelUser, round_id: int, step: int
    ) -> tuple[Resident, Round, CheckIn]:
        """A round whose alarm this person is being asked about at this step, now."""
        me = await self._me(tx, user)
        rnd = await tx.checkins.round(round_id)
        if rnd is None:
            raise OldCheckIn()
        checkin = await tx.checkins.get(rnd.checkin_id)
        assert checkin is not None
        if rnd.status is not RoundStatus.ALARM or rnd.alarm_step != step:
            raise OldCheckIn()
        if rnd.alarm_target_id != me.id:
            raise NotYourAlarm()
        return me, rnd, checkin

    async def _view(self, tx: Transaction, rnd: Round, checkin: CheckIn) -> AlarmView:
        resident = await tx.residents.get(checkin.resident_id)
        street = await tx.streets.get(checkin.street_id)
        assert resident is not None
        assert street is not None
        names: list[str] = []
        for buddy in await tx.checkins.buddies(checkin.id):
            if buddy.status is BuddyStatus.ACCEPTED and buddy.resident_id:
                person = await tx.residents.get(buddy.resident_id)
                if person is not None:
                    names.append(person.display_name)
        return AlarmView(
            round=rnd,
            resident_name=resident.display_name,
            street_name=street.name,
            house_number=resident.house_number,
            phone=resident.phone,
            buddy_names=tuple(names),
        )

    async def going(self, user: ChannelUser, round_id: int, step: int) -> AlarmView:
        """ "Ik ga kijken": the buddy takes the alarm and will close it with an outcome."""
        now = self._clock.now()
        async with self._db.write() as tx:
            me, rnd, checkin = await self._alarm_round(tx, user, round_id, step)
            if rnd.taken_by != me.id and not await tx.checkins.transition(
                rnd.id,
                {"status": RoundStatus.ALARM.value, "alarm_step": step, "taken_by": None},
                {"taken_by": me.id, "alarm_deadline": None},
            ):
                raise OldCheckIn()
            await tx.checkins.answer_alert(rnd.id, step, "going")
            await audit(tx, now, "checkin.going", "checkin_round", rnd.id, actor_resident_id=me.id)
            fresh = await tx.checkins.round(rnd.id)
            assert fresh is not None
            return await self._view(tx, fresh, checkin)

    async def cannot(self, user: ChannelUser, round_id: int, step: int) -> None:
        """ "Ik kan nu niet": the alarm moves to the next in the chain."""
        now = self._clock.now()
        async with self._db.write() as tx:
            me, rnd, checkin = await self._alarm_round(tx, user, round_id, step)
            if rnd.taken_by is not None:
                await tx.checkins.transition(
                    rnd.id, {"status": RoundStatus.ALARM.value}, {"taken_by": None}
                )
            await tx.checkins.answer_alert(rnd.id, step, "cannot")
            await audit(
                tx, now, "checkin.cannot", "checkin_round", rnd.id, actor_resident_id=me.id
            )
            await self._pass_on(tx, checkin, rnd, step, now)

    async def close(self, user: ChannelUser, round_id: int, outcome: str) -> Outcome:
        """The buddy who went to look says how it was; "niet bereikt" passes it on."""
        value = _outcome(outcome)
        now = self._clock.now()
        async with self._db.write() as tx:
            me = await self._me(tx, user)
            rnd = await tx.checkins.round(round_id)
            if rnd is None or rnd.status is not RoundStatus.ALARM or rnd.taken_by != me.id:
                raise OldCheckIn()
            checkin = await tx.checkins.get(rnd.checkin_id)
            assert checkin is not None
            if value is Outcome.NOT_REACHED and rnd.alarm_target_id == me.id:
                await tx.checkins.transition(
                    rnd.id, {"status": RoundStatus.ALARM.value}, {"taken_by": None}
                )
                await audit(tx, now, "checkin.not_reached", "checkin_round", rnd.id)
                chain = await self._chain(tx, checkin, now)
                if rnd.alarm_step < len(chain):
                    await self._pass_on(tx, checkin, rnd, rnd.alarm_step, now)
                    return value
            await self._closed(tx, rnd, value, me, now)
            return value

    async def _closed(
        self, tx: Transaction, rnd: Round, outcome: Outcome, by: Resident, now: datetime
    ) -> None:
        await tx.checkins.transition(
            rnd.id,
            {"status": RoundStatus.ALARM.value},
            {
                "status": RoundStatus.CLOSED.value,
                "outcome": outcome.value,
                "closed_at": now,
                "taken_by": by.id,
                "alarm_deadline": None,
            },
        )
        for alert in await tx.checkins.alerts(rnd.id):
            if alert.neighbourhood_id is not None:
                await tx.outbox.enqueue(
                    Recipient.moderators(alert.neighbourhood_id),
                    RefreshPosts(ref=card_ref(rnd.id)),
                    now=now,
                )
        await audit(
            tx,
            now,
            "checkin.closed",
            "checkin_round",
            rnd.id,
            actor_resident_id=by.id,
            outcome=outcome.value,
        )

    # Community workers ---------------------------------------------------------------

    async def _worker_round(
        self, user: ChannelUser, round_id: int, action: str
    ) -> tuple[Resident, Round]:
        async with self._db.read() as tx:
            rnd = await tx.checkins.round(round_id)
            checkin = await tx.checkins.get(rnd.checkin_id) if rnd else None
            street = await tx.streets.get(checkin.street_id) if checkin else None
            hood = await tx.neighbourhoods.get(street.neighbourhood_id) if street else None
        if rnd is None or hood is None:
            raise OldCheckIn()
        worker = await self._workers.require(
            hood, user, subject=("checkin_round", rnd.id), action=action
        )
        return worker, rnd

    async def worker_take(self, user: ChannelUser, round_id: int) -> AlarmView:
        """A worker picks the alarm up; who and where come to them privately."""
        worker, _ = await self._worker_round(user, round_id, "checkin.take")
        now = self._clock.now()
        async with self._db.write() as tx:
            rnd = await tx.checkins.round(round_id)
            assert rnd is not None
            if rnd.status is not RoundStatus.ALARM or rnd.alarm_target_id is not None:
                raise OldCheckIn()
            if rnd.taken_by != worker.id:
                await tx.checkins.transition(
                    rnd.id, {"status": RoundStatus.ALARM.value}, {"taken_by": worker.id}
                )
                await tx.outbox.enqueue(
                    Recipient.moderators(
                        (await self._hood_of(tx, rnd)).id,
                    ),
                    RefreshPosts(ref=card_ref(rnd.id)),
                    now=now,
                )
            await audit(
                tx, now, "checkin.taken", "checkin_round", rnd.id, actor_resident_id=worker.id
            )
            fresh = await tx.checkins.round(rnd.id)
            checkin = await tx.checkins.get(rnd.checkin_id)
            assert fresh is not None
            assert checkin is not None
            return await self._view(tx, fresh, checkin)

    async def worker_close(self, user: ChannelUser, round_id: int, outcome: str) -> Outcome:
        """A worker of the neighbourhood closes the alarm with its outcome."""
        value = _outcome(outcome)
        worker, _ = await self._worker_round(user, round_id, "checkin.close")
        now = self._clock.now()
        async with self._db.write() as tx:
            rnd = await tx.checkins.round(round_id)
            assert rnd is not None
            if rnd.status is not RoundStatus.ALARM or rnd.alarm_target_id is not None:
                raise OldCheckIn()
            await self._closed(tx, rnd, value, worker, now)
            return value

    async def _hood_of(self, tx: Transaction, rnd: Round) -> Neighbourhood:
        checkin = await tx.checkins.get(rnd.checkin_id)
        street = await tx.streets.get(checkin.street_id) if checkin else None
        hood = await tx.neighbourhoods.get(street.neighbourhood_id) if street else None
        assert hood is not None
        return hood

    # The telephone circle (neighbours without a phone of their own) ---------------------

    async def proxies(self, user: ChannelUser) -> list[ProxyCall]:
        """The neighbours without Telegram a coordinator may call, and who is called now."""
        async with self._db.read() as tx:
            me = await self._me(tx, user)
            hoods = [
                hood
                for hood, role in await tx.memberships.roles(me.id)
                if role == NeighbourhoodRole.COORDINATOR
            ]
            if not hoods:
                raise NotACoordinator()
            lines: list[ProxyCall] = []
            for hood in hoods:
                for proxy, street_id in await tx.rides.proxies_in(hood):
                    street = await tx.streets.get(street_id)
                    checkin = await tx.checkins.of_resident(proxy.id)
                    called = (
                        checkin is not None
                        and checkin.caller_id is not None
                        and checkin.state in (State.ACTIVE, State.PAUSED)
                    )
                    lines.append(
                        ProxyCall(
                            proxy_id=proxy.id,
                            name=proxy.display_name,
                            phone=proxy.phone,
                            street=street.name if street else "",
                            minute_of_day=(
                                checkin.schedule.minute_of_day if called and checkin else None
                            ),
                        )
                    )
            return lines

    async def start_calls(self, user: ChannelUser, proxy_id: int, minute_of_day: int) -> None:
        """A coordinator calls a neighbour without a phone of their own every day."""
        if minute_of_day not in TIMES:
            raise BadChoice()
        now = self._clock.now()
        async with self._db.write() as tx:
            coordinator, proxy = await coordinated_proxy(tx, user, proxy_id)
            street = await self._home(tx, proxy)
            checkin = await tx.checkins.put_draft(proxy.id, street.id, now)
            schedule = Schedule(minute_of_day=minute_of_day, window_hours=2)
            await tx.checkins.update(
                checkin.id,
                now,
                frequency=Frequency.DAILY.value,
                days=(),
                minute_of_day=minute_of_day,
                window_hours=schedule.window_hours,
                workers=True,
                caller_id=coordinator.id,
                state=State.ACTIVE.value,
                next_due_at=next_due(schedule, now, self.tz),
            )
            await audit(
                tx,
                now,
                "checkin.calls_started",
                "checkin",
                checkin.id,
                actor_resident_id=coordinator.id,
            )

    async def stop_calls(self, user: ChannelUser, proxy_id: int) -> None:
        """The neighbour is no longer called every day."""
        now = self._clock.now()
        async with self._db.write() as tx:
            coordinator, proxy = await coordinated_proxy(tx, user, proxy_id)
            checkin = await tx.checkins.of_resident(proxy.id)
            if checkin is None or checkin.state is State.STOPPED:
                raise OldCheckIn()
            await self._end(tx, checkin, now, tell_buddies=False)
            await audit(
                tx,
                now,
                "checkin.calls_stopped",
                "checkin",
                checkin.id,
                actor_resident_id=coordinator.id,
            )

    async def calls_for(self, caller_id: int) -> list[CallLine]:
        """Whom this coordinator still has to call (rounds sent and not reported)."""
        async with self._db.read() as tx:
            lines: list[CallLine] = []
            for checkin in await tx.checkins.called_by(caller_id):
                for rnd in await tx.checkins.open_rounds(checkin.id):
                    if rnd.status is not RoundStatus.OPEN:
                        continue
                    proxy = await tx.residents.get(checkin.resident_id)
                    street = await tx.streets.get(checkin.street_id)
                    if proxy is None or street is None:
                        continue
                    lines.append(
                        CallLine(
                            round_id=rnd.id,
                            name=proxy.display_name,
                            phone=proxy.phone,
                            street=street.name,
                            house_number=proxy.house_number,
                        )
                    )
            return lines

    async def call_list(self, user: ChannelUser) -> list[CallLine]:
        """Today's list for the coordinator who asks."""
        async with self._db.read() as tx:
            me = await self._me(tx, user)
        return await self.calls_for(me.id)

    async def call_result(self, user: ChannelUser, round_id: int, reached: bool) -> list[CallLine]:
        """ "Bereikt" closes the day; "niet bereikt" starts the same chain as silence."""
        now = self._clock.now()
        async with self._db.write() as tx:
            me = await self._me(tx, user)
            rnd = await tx.checkins.round(round_id)
            checkin = await tx.checkins.get(rnd.checkin_id) if rnd else None
            if rnd is None or checkin is None or checkin.caller_id is None:
                raise OldCheckIn()
            if checkin.caller_id != me.id:
                raise NotYourAlarm()
            await coordinated_proxy(tx, user, checkin.resident_id)  # still their coordinator
            if rnd.status is not RoundStatus.OPEN:
                raise OldCheckIn()
            if reached:
                await tx.checkins.transition(
                    rnd.id,
                    {"status": RoundStatus.OPEN.value},
                    {
                        "status": RoundStatus.ANSWERED.value,
                        "answer": Answer.GOOD.value,
                        "answered_at": now,
                    },
                )
            elif await tx.checkins.transition(
                rnd.id,
                {"status": RoundStatus.OPEN.value},
                {"status": RoundStatus.ALARM.value, "alarm_step": 0},
            ):
                await self._pass_on(tx, checkin, rnd, 0, now)
            await audit(
                tx,
                now,
                "checkin.called",
                "checkin_round",
                rnd.id,
                actor_resident_id=me.id,
                reached=reached,
            )
        return await self.calls_for(me.id)

    # The sweep -----------------------------------------------------------------------

    async def sweep(self) -> int:
        """Due check-ins, ended windows, buddies who did not answer, reminders."""
        now = self._clock.now()
        done = await sweep_due(
            self._db,
            lambda tx: tx.checkins.due(now, BATCH),
            lambda tx, c: self._due(tx, c, now),
        )
        done += await sweep_due(
            self._db,
            lambda tx: tx.checkins.windows_ended(now, BATCH),
            lambda tx, r: self._window_ended(tx, r, now),
        )
        done += await sweep_due(
            self._db,
            lambda tx: tx.checkins.alarms_due(now, BATCH),
            lambda tx, r: self._alarm_timed_out(tx, r, now),
        )
        done += await sweep_due(
            self._db,
            lambda tx: tx.checkins.reminders_due(now, BATCH),
            lambda tx, r: self._remind(tx, r, now),
        )
        return done

    async def _due(self, tx: Transaction, checkin: CheckIn, now: datetime) -> bool:
        due = checkin.next_due_at
        assert due is not None
        following = next_due(checkin.schedule, max(now, due), self.tz)
        day = due.astimezone(self.tz).date()
        if checkin.state is State.PAUSED:
            until = checkin.paused_until
            if until is not None and until > day:
                # Not the day yet (a schedule changed mid-pause): wait for it.
                return await tx.checkins.advance(
                    checkin.id, due, resume_moment(checkin.schedule, until, self.tz)
                )
            if not await tx.checkins.advance(
                checkin.id, due, following, state=State.ACTIVE.value, paused_until=None
            ):
                return False
            await tx.outbox.enqueue(
                Recipient.resident(checkin.resident_id),
                CheckInResumed(checkin_id=checkin.id),
                key=f"checkin:{checkin.id}:resumed:{day.isoformat()}",
                now=now,
            )
            if checkin.schedule.runs_on(day):
                await self._open_round(tx, checkin, due, now)
            return True
        if not await tx.checkins.advance(checkin.id, due, following):
            return False
        await self._open_round(tx, checkin, due, now)
        return True

    async def _open_round(
        self, tx: Transaction, checkin: CheckIn, due: datetime, now: datetime
    ) -> None:
        day = local_date(due, self.tz)
        resident = await tx.residents.get(checkin.resident_id)
        if too_late(due, now):
            await tx.checkins.add_round(checkin.id, day, due, RoundStatus.MISSED, now)
            log.warning("check-in %d of %s skipped: the bot was down", checkin.id, day)
            return
        called = checkin.caller_id is not None
        if resident is None or (not called and (not resident.active or resident.chat is None)):
            await tx.checkins.add_round(checkin.id, day, due, RoundStatus.SKIPPED, now)
            return
        rnd = await tx.checkins.add_round(
            checkin.id,
            day,
            due,
            RoundStatus.OPEN,
            now,
            window_ends_at=now + checkin.schedule.window,
            reminder_at=halfway(now, checkin.schedule),
        )
        if rnd is None:
            return  # this day had its round already
        if checkin.caller_id is not None:
            # The telephone circle: the coordinator gets the list of whom to call.
            minute = checkin.schedule.minute_of_day
            await tx.outbox.enqueue(
                Recipient.resident(checkin.caller_id),
                CallList(local_date=day),
                key=f"checkin:calls:{checkin.caller_id}:{day}:{minute}",
                now=now,
            )
            return
        await tx.outbox.enqueue(
            Recipient.resident(checkin.resident_id),
            CheckInPrompt(round_id=rnd.id),
            key=f"checkin:{checkin.id}:{day}",
            now=now,
        )

    async def _remind(self, tx: Transaction, rnd: Round, now: datetime) -> bool:
        if not await tx.checkins.transition(
            rnd.id,
            {"status": RoundStatus.OPEN.value, "reminded_at": None},
            {"reminded_at": now},
        ):
            return False
        checkin = await tx.checkins.get(rnd.checkin_id)
        assert checkin is not None
        if checkin.caller_id is not None:
            minute = checkin.schedule.minute_of_day
            await tx.outbox.enqueue(
                Recipient.resident(checkin.caller_id),
                CallList(local_date=rnd.local_date, reminder=True),
                key=f"checkin:calls:{checkin.caller_id}:{rnd.local_date}:{minute}:reminder",
                now=now,
            )
            return True
        await tx.outbox.enqueue(
            Recipient.resident(checkin.resident_id),
            CheckInReminder(round_id=rnd.id),
            key=f"checkin:{checkin.id}:{rnd.local_date}:reminder",
            now=now,
        )
        return True

    async def _window_ended(self, tx: Transaction, rnd: Round, now: datetime) -> bool:
        if not await tx.checkins.transition(
            rnd.id,
            {"status": RoundStatus.OPEN.value},
            {"status": RoundStatus.ALARM.value, "alarm_step": 0},
        ):
            return False
        checkin = await tx.checkins.get(rnd.checkin_id)
        assert checkin is not None
        others = [
            r
            for r in await tx.checkins.open_rounds(checkin.id)
            if r.id != rnd.id and r.status is RoundStatus.ALARM
        ]
        resident = await tx.residents.get(checkin.resident_id)
        gone = checkin.caller_id is None and (resident is None or not resident.active)
        if others or gone or checkin.state is not State.ACTIVE:
            # At most one open alarm per resident; none for a paused or stopped check-in,
            # nor for someone who blocked the bot (the message never reached them).
            await tx.checkins.transition(
                rnd.id, {"status": RoundStatus.ALARM.value}, {"status": RoundStatus.SKIPPED.value}
            )
            return True
        await self._pass_on(tx, checkin, rnd, 0, now)
        return True

    async def _alarm_timed_out(self, tx: Transaction, rnd: Round, now: datetime) -> bool:
        checkin = await tx.checkins.get(rnd.checkin_id)
        assert checkin is not None
        await tx.checkins.answer_alert(rnd.id, rnd.alarm_step, "timeout")
        await self._pass_on(tx, checkin, rnd, rnd.alarm_step, now)
        return True

    # Data rights ---------------------------------------------------------------------

    async def erase(self, tx: Transaction, resident: Resident, now: datetime) -> None:
        """/vergeetmij: the check-in stops, buddy links go (both ways); counts stay."""
        checkin = await tx.checkins.of_resident(resident.id)
        if checkin is not None:
            if checkin.state is not State.STOPPED:
                await self._end(tx, checkin, now, tell_buddies=True)
            # When they were asked says when they are home: the schedule goes too; the
            # rounds stay (dates and outcomes of an anonymous person) for the counts.
            blank = Schedule()
            await tx.checkins.update(
                checkin.id,
                now,
                frequency=blank.frequency.value,
                days=(),
                minute_of_day=blank.minute_of_day,
                window_hours=blank.window_hours,
                workers=False,
            )
        for buddy in await tx.checkins.buddy_of(resident.id):
            if buddy.status is not BuddyStatus.ACCEPTED:
                continue
            owner = await tx.checkins.get(buddy.checkin_id)
            if owner is not None:
                await tx.checkins.answer_buddy(
                    buddy.id, (BuddyStatus.ACCEPTED,), BuddyStatus.STOPPED, now
                )
                await self._buddy_gone(tx, owner, buddy, "stopped", now)
        for called in await tx.checkins.called_by(resident.id):
            if called.state is not State.STOPPED:
                # Nobody calls these neighbours now: a coordinator starts again for them.
                await self._end(tx, called, now, tell_buddies=True)
                await audit(tx, now, "checkin.caller_gone", "checkin", called.id)
            await tx.checkins.update(called.id, now, caller_id=None)
        await tx.checkins.set_volunteer(resident.id, False, now)
        await tx.checkins.forget_buddies(resident.id)


def _outcome(value: str) -> Outcome:
    try:
        outcome = Outcome(value)
    except ValueError:
        raise BadChoice() from None
    if outcome not in CLOSING_OUTCOMES:
        raise BadChoice()
    return outcome


def accepted(buddies: Sequence[Buddy]) -> list[Buddy]:
    """Buddies who said yes and still are, in chain order."""
    return sorted(
        (b for b in buddies if b.status is BuddyStatus.ACCEPTED), key=lambda b: b.position
    )


async def _tell(
    tx: Transaction, resident_id: int, note: AllClear | NobodyCould, what: str, now: datetime
) -> None:
    """One alerted neighbour hears how a round ended (once: keyed per round and person)."""
    await tx.outbox.enqueue(
        Recipient.resident(resident_id),
        note,
        key=f"checkin:{note.round_id}:{what}:r{resident_id}",
        now=now,
    )
