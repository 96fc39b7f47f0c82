"""EscalationService and ModeratorsService on a real SQLite file with a fake channel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.storage.db import SqlDatabase
from models.clock import FakeClock
from models.core import ChannelUser, ChatRef, MembershipRole
from models.errors import NotAllowed, StaleAction, TextTooLong
from models.escalation.cases import EscalationService, clean_phone
from models.escalation.model import (
    CaseClosed,
    CaseDraft,
    CaseSource,
    CaseStatus,
    ContactWay,
    InvalidLinkCode,
    InvalidPhone,
    NotACommunityWorker,
    Outcome,
    SourceKind,
    StreetChatCannotModerate,
)
from models.escalation.workers import ModeratorsService, WorkerCheck
from models.ports import ChatStanding
from models.residents import ResidentService
from models.sensitivity import Level, Theme

MODS = ChatRef(chat_id="-900")
WORKER = ChannelUser(external_id="1", first_name="Samira")
OUTSIDER = ChannelUser(external_id="2", first_name="Ivo")
ANNA = ChannelUser(external_id="3", first_name="Anna")


class FakeChats:
    """Samira administers the moderators chat; nobody else is in it."""

    def __init__(self) -> None:
        self.asked = 0

    async def is_administrator(self, chat: ChatRef, external_id: str) -> bool:
        return await self.standing(chat, external_id) == "administrator"

    async def standing(self, chat: ChatRef, external_id: str) -> ChatStanding:
        self.asked += 1
        return "administrator" if chat == MODS and external_id == "1" else "absent"


async def _world(db: SqlDatabase, clock: FakeClock) -> tuple[EscalationService, ModeratorsService]:
    chats = FakeChats()
    workers = WorkerCheck(db, clock, chats)
    moderators = ModeratorsService(db, clock, workers)
    residents = ResidentService(db, clock)
    escalation = EscalationService(db, clock, residents, workers)
    _, code = await moderators.issue_code("Oost", "Vlietstad")
    await moderators.link(WORKER, MODS, code.code)
    now = clock.now()
    async with db.write() as tx:
        street = await tx.streets.add(
            1, "Dorpsstraat", ChatRef(chat_id="-100"), None, "nl", "abcdefghjk", now
        )
        anna = await tx.residents.add("telegram", "3", "Anna", "nl", now)
        await tx.memberships.add(anna.id, street.id, MembershipRole.MEMBER, now)
    return escalation, moderators


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("0612345678", "06 12345678"),
        ("+31 6 1234 5678", "06 12345678"),
        ("020-1234567", "020 123 4567"),
        ("+32 470 12 34 56", "+32 470 12 34 56"),
    ],
)
def test_phone_numbers_are_checked_and_formatted(raw: str, shown: str) -> None:
    assert clean_phone(raw) == shown


@pytest.mark.parametrize("raw", ["12", "bel me maar", "06-123", "+31 6 1234"])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        clean_phone(raw)


async def test_link_codes_are_single_use_and_expire(db: SqlDatabase, clock: FakeClock) -> None:
    escalation, moderators = await _world(db, clock)
    _, code = await moderators.issue_code("West", "Vlietstad")
    with pytest.raises(StreetChatCannotModerate):
        await moderators.link(WORKER, ChatRef(chat_id="-100"), code.code)
    clock.advance(timedelta(days=8))
    with pytest.raises(InvalidLinkCode):
        await moderators.link(WORKER, ChatRef(chat_id="-901"), code.code)
    assert escalation.workers is not None


async def test_case_state_machine(db: SqlDatabase, clock: FakeClock) -> None:
    escalation, _ = await _world(db, clock)
    case = await escalation.open_case(ANNA, CaseDraft(theme=Theme.SAFETY))
    assert case.level is Level.CRISIS
    again = await escalation.open_case(ANNA, CaseDraft(theme=Theme.MONEY))
    assert again.id == case.id  # a double tap on "Ja" opens one case
    with pytest.raises(NotACommunityWorker):
        await escalation.claim(OUTSIDER, case.id)
    claimed = await escalation.claim(WORKER, case.id)
    assert claimed.status is CaseStatus.CLAIMED
    with pytest.raises(NotAllowed):
        await escalation.close(WORKER, case.id, Outcome.WITHDRAWN)
    closed = await escalation.close(WORKER, case.id, Outcome.REFERRED)
    assert closed.closed
    for action in (
        escalation.claim(WORKER, case.id),
        escalation.close(WORKER, case.id, Outcome.SOLVED),
        escalation.message_resident(WORKER, case.id, "hallo"),
        escalation.withdraw(ANNA, case.id),
    ):
        with pytest.raises(CaseClosed):
            await action


async def test_texts_have_limits(db: SqlDatabase, clock: FakeClock) -> None:
    escalation, _ = await _world(db, clock)
    with pytest.raises(TextTooLong):
        await escalation.open_case(ANNA, CaseDraft(theme=Theme.OTHER, text="x" * 501))
    with pytest.raises(InvalidPhone):
        await escalation.open_case(ANNA, CaseDraft(theme=Theme.OTHER, contact=ContactWay.PHONE))


async def test_offers_are_one_per_source_and_answered_once(
    db: SqlDatabase, clock: FakeClock
) -> None:
    escalation, _ = await _world(db, clock)
    source = CaseSource(kind=SourceKind.NO_HELPER, ref_id=3, prefilled_text="ik wil dood")
    first = await escalation.offer(1, source)
    second = await escalation.offer(1, source)
    assert first.id == second.id
    assert first.level is Level.CRISIS
    assert first.source.prefilled_theme is Theme.HEALTH
    await escalation.decline_offer(ANNA, first.id)
    with pytest.raises(StaleAction):
        await escalation.decline_offer(ANNA, first.id)


ACTIONS = st.lists(
    st.sampled_from(["claim", "message", "reply", "note", "close", "withdraw", "view"]),
    max_size=8,
)


_WORLDS: dict[int, EscalationService] = {}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS)
async def test_closed_is_final_and_withdrawal_erases(
    db: SqlDatabase, clock: FakeClock, actions: list[str]
) -> None:
    if id(db) not in _WORLDS:
        _WORLDS[id(db)] = (await _world(db, clock))[0]
    escalation = _WORLDS[id(db)]
    now = clock.now()
    async with db.write() as tx:
        person = await tx.residents.add("telegram", f"p{now.timestamp()}", "Bea", "nl", now)
        await tx.memberships.add(person.id, 1, MembershipRole.MEMBER, now)
    clock.advance(timedelta(seconds=1))
    bea = ChannelUser(external_id=person.external_id or "")
    case = await escalation.open_case(bea, CaseDraft(theme=Theme.MONEY, text="schulden"))
    calls = {
        "claim": lambda: escalation.claim(WORKER, case.id),
        "message": lambda: escalation.message_resident(WORKER, case.id, "bericht"),
        "reply": lambda: escalation.resident_message(bea, case.id, "antwoord"),
        "note": lambda: escalation.add_note(WORKER, case.id, "notitie"),
        "close": lambda: escalation.close(WORKER, case.id, Outcome.SOLVED),
        "withdraw": lambda: escalation.withdraw(bea, case.id),
        "view": lambda: escalation.view(WORKER, case.id),
    }
    closed_seen = False
    for action in actions:
        try:
            await calls[action]()
        except CaseClosed:
            assert closed_seen
        async with db.read() as tx:
            fresh = await tx.cases.get(case.id)
            messages = await tx.cases.messages(case.id)
        assert fresh is not None
        assert fresh.closed or not closed_seen
        closed_seen = fresh.closed
        if fresh.outcome is Outcome.WITHDRAWN:
            assert fresh.text is None
            assert all(m.text is None for m in messages)
