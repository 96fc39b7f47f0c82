"""Ports: what the domain needs from the outside world, as Protocols."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Literal, Protocol

from models.checkins.ports import CheckInRepository
from models.clock import Clock
from models.core import (
    AuditEntry,
    ChatRef,
    Language,
    Membership,
    MembershipRole,
    Neighbourhood,
    NeighbourhoodRole,
    PendingGroup,
    Resident,
    Street,
)
from models.digest.ports import DigestRepository
from models.escalation.ports import CaseRepository, ModeratorsRepository, ReportRepository
from models.exchange.ports import ExchangeRepository
from models.impact.ports import ImpactRepository
from models.notifications import Notification, PlacedPost, PostRef, Recipient
from models.personal_data.ports import PersonalDataRepository
from models.rides.ports import RideRepository

__all__ = ["Clock"]

ChatStanding = Literal["administrator", "member", "absent"]


class NeighbourhoodRepository(Protocol):
    """Neighbourhoods (wijken) and their moderators chats."""

    async def get(self, neighbourhood_id: int) -> Neighbourhood | None: ...

    async def find(self, name: str, municipality: str) -> Neighbourhood | None: ...

    async def add(self, name: str, municipality: str, now: datetime) -> Neighbourhood: ...

    async def by_moderators_chat(self, chat: ChatRef) -> Neighbourhood | None: ...

    async def set_moderators_chat(self, neighbourhood_id: int, chat: ChatRef | None) -> None: ...

    async def list_all(self) -> Sequence[Neighbourhood]: ...


class StreetRepository(Protocol):
    """Streets and the group chats they are linked to."""

    async def get(self, street_id: int) -> Street | None: ...

    async def by_chat(self, chat: ChatRef) -> Street | None: ...

    async def by_join_code(self, code: str) -> Street | None: ...

    async def find(self, neighbourhood_id: int, name: str) -> Street | None: ...

    async def add(
        self,
        neighbourhood_id: int,
        name: str,
        chat: ChatRef | None,
        chat_title: str | None,
        language: Language,
        join_code: str,
        now: datetime,
    ) -> Street: ...

    async def update_link(
        self, street_id: int, chat: ChatRef | None, chat_title: str | None, now: datetime
    ) -> None: ...

    async def rename(self, street_id: int, name: str, neighbourhood_id: int) -> None: ...

    async def set_active(self, street_id: int, active: bool) -> None: ...

    async def set_language(self, street_id: int, language: Language) -> None: ...

    async def move_chat(self, old: ChatRef, new: ChatRef) -> int: ...

    async def in_neighbourhood(self, neighbourhood_id: int) -> Sequence[Street]: ...

    async def list_active(self) -> Sequence[Street]: ...


class ResidentRepository(Protocol):
    """People known to Patchwork."""

    async def get(self, resident_id: int) -> Resident | None: ...

    async def by_external(self, channel: str, external_id: str) -> Resident | None: ...

    async def add(
        self,
        channel: str | None,
        external_id: str | None,
        display_name: str,
        language: Language,
        now: datetime,
        *,
        is_proxy: bool = False,
        house_number: str | None = None,
        phone: str | None = None,
    ) -> Resident: ...

    async def update(self, resident_id: int, **fields: Any) -> None: ...

    async def set_active(self, resident_id: int, active: bool) -> None: ...


class MembershipRepository(Protocol):
    """Residents in streets, and roles in neighbourhoods."""

    async def get(self, resident_id: int, street_id: int) -> Membership | None: ...

    async def of_resident(self, resident_id: int) -> Sequence[Membership]: ...

    async def of_street(self, street_id: int) -> Sequence[Membership]: ...

    async def add(
        self, resident_id: int, street_id: int, role: MembershipRole, now: datetime
    ) -> Membership: ...

    async def set_role(self, membership_id: int, role: MembershipRole) -> None: ...

    async def end(self, membership_id: int, now: datetime) -> None: ...

    async def set_blocked(self, membership_id: int, blocked_at: datetime | None) -> None: ...

    async def roles(self, resident_id: int) -> Sequence[tuple[int, NeighbourhoodRole]]: ...

    async def grant(
        self,
        resident_id: int,
        neighbourhood_id: int,
        role: NeighbourhoodRole,
        granted_by: int | None,
        now: datetime,
    ) -> bool: ...

    async def revoke(
        self, resident_id: int, neighbourhood_id: int, role: NeighbourhoodRole
    ) -> bool: ...

    async def holders(
        self, neighbourhood_id: int, role: NeighbourhoodRole
    ) -> Sequence[Resident]: ...


class PendingGroupRepository(Protocol):
    """Groups the bot was added to and that wait for a setup."""

    async def add(self, group: PendingGroup) -> None: ...

    async def resolve(self, chat: ChatRef, now: datetime) -> None: ...

    async def due(self, added_before: datetime) -> Sequence[PendingGroup]: ...

    async def claim_farewell(self, chat: ChatRef, now: datetime) -> bool: ...


class OutboxRepository(Protocol):
    """Messages the bot sends on its own initiative, written in the same transaction."""

    async def enqueue(
        self,
        recipient: Recipient,
        notification: Notification,
        *,
        key: str | None = None,
        not_before: datetime | None = None,
        now: datetime,
    ) -> bool: ...


class PostRepository(Protocol):
    """Messages the bot placed in chats for domain objects."""

    async def record(
        self, ref: PostRef, chat: ChatRef, message_id: int, street_id: int | None, now: datetime
    ) -> int: ...

    async def for_ref(self, ref: PostRef) -> Sequence[PlacedPost]: ...

    async def by_message(self, chat: ChatRef, message_id: int) -> PlacedPost | None: ...

    async def get(self, post_id: int) -> PlacedPost | None: ...

    async def mark_removed(self, post_id: int, now: datetime) -> None: ...

    async def move_chat(self, old: ChatRef, new: ChatRef) -> None: ...


class AuditRepository(Protocol):
    """The append-only audit log."""

    async def append(self, entry: AuditEntry) -> None: ...

    async def for_subject(self, subject_kind: str, subject_id: str) -> Sequence[AuditEntry]: ...


class Transaction(Protocol):
    """One unit of work: all repositories over one database transaction."""

    @property
    def neighbourhoods(self) -> NeighbourhoodRepository: ...

    @property
    def streets(self) -> StreetRepository: ...

    @property
    def residents(self) -> ResidentRepository: ...

    @property
    def memberships(self) -> MembershipRepository: ...

    @property
    def pending_groups(self) -> PendingGroupRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def posts(self) -> PostRepository: ...

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def reports(self) -> ReportRepository: ...

    @property
    def moderators(self) -> ModeratorsRepository: ...

    @property
    def exchange(self) -> ExchangeRepository: ...

    @property
    def rides(self) -> RideRepository: ...

    @property
    def digest(self) -> DigestRepository: ...

    @property
    def personal_data(self) -> PersonalDataRepository: ...

    @property
    def impact(self) -> ImpactRepository: ...

    @property
    def checkins(self) -> CheckInRepository: ...


class Database(Protocol):
    """Opens units of work; `write()` serialises writers, `read()` sees a snapshot."""

    def write(self) -> AbstractAsyncContextManager[Transaction]: ...

    def read(self) -> AbstractAsyncContextManager[Transaction]: ...


class ChatDirectory(Protocol):
    """Facts only the messaging channel knows, asked fresh when a permission depends on them."""

    async def is_administrator(self, chat: ChatRef, external_id: str) -> bool: ...

    async def standing(self, chat: ChatRef, external_id: str) -> ChatStanding: ...
