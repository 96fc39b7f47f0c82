"""Repositories for neighbourhoods, streets, residents, memberships, groups and audit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.storage import dialects
from bot.storage import schema as s
from bot.storage.repos.base import SqlRepository
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
from models.text import fold


def _chat(channel: str | None, chat_id: str | None) -> ChatRef | None:
    if channel is None or chat_id is None:
        return None
    return ChatRef(channel=channel, chat_id=chat_id)


def _neighbourhood(row: sa.RowMapping) -> Neighbourhood:
    return Neighbourhood(
        id=row["id"],
        name=row["name"],
        municipality=row["municipality"],
        moderators_chat=_chat(row["moderators_channel"], row["moderators_chat_id"]),
    )


def _street(row: sa.RowMapping) -> Street:
    return Street(
        id=row["id"],
        neighbourhood_id=row["neighbourhood_id"],
        name=row["name"],
        chat=_chat(row["channel"], row["chat_id"]),
        chat_title=row["chat_title"],
        language=row["language"],
        join_code=row["join_code"],
        active=row["active"],
        created_at=row["created_at"],
    )


def resident_from_row(row: sa.RowMapping) -> Resident:
    """A Resident from a residents row (also used by feature repositories in joins)."""
    return Resident(
        id=row["id"],
        channel=row["channel"],
        external_id=row["external_id"],
        display_name=row["display_name"],
        language=row["language"],
        active=row["active"],
        is_proxy=row["is_proxy"],
        house_number=row["house_number"],
        phone=row["phone"],
        created_at=row["created_at"],
    )


def _membership(row: sa.RowMapping) -> Membership:
    return Membership(
        id=row["id"],
        resident_id=row["resident_id"],
        street_id=row["street_id"],
        role=MembershipRole(row["role"]),
        joined_at=row["joined_at"],
        blocked_at=row["blocked_at"],
    )


def _hood_key(name: str, municipality: str) -> str:
    return f"{fold(municipality)}/{fold(name)}"


class SqlNeighbourhoods(SqlRepository):
    """Neighbourhoods in SQL."""

    async def get(self, neighbourhood_id: int) -> Neighbourhood | None:
        """By id."""
        row = await self._one(
            sa.select(s.neighbourhoods).where(s.neighbourhoods.c.id == neighbourhood_id)
        )
        return _neighbourhood(row) if row else None

    async def find(self, name: str, municipality: str) -> Neighbourhood | None:
        """By name and municipality, ignoring case and accents."""
        key = _hood_key(name, municipality)
        row = await self._one(
            sa.select(s.neighbourhoods).where(s.neighbourhoods.c.name_key == key)
        )
        return _neighbourhood(row) if row else None

    async def add(self, name: str, municipality: str, now: datetime) -> Neighbourhood:
        """Create one."""
        new_id = await self._insert_id(
            s.neighbourhoods,
            name=name,
            municipality=municipality,
            name_key=_hood_key(name, municipality),
            created_at=now,
        )
        return Neighbourhood(id=new_id, name=name, municipality=municipality)

    async def by_moderators_chat(self, chat: ChatRef) -> Neighbourhood | None:
        """The neighbourhood whose moderators chat this is."""
        t = s.neighbourhoods
        row = await self._one(
            sa.select(t).where(
                t.c.moderators_channel == chat.channel, t.c.moderators_chat_id == chat.chat_id
            )
        )
        return _neighbourhood(row) if row else None

    async def set_moderators_chat(self, neighbourhood_id: int, chat: ChatRef | None) -> None:
        """Link (or unlink) the moderators chat."""
        await self.conn.execute(
            sa.update(s.neighbourhoods)
            .where(s.neighbourhoods.c.id == neighbourhood_id)
            .values(
                moderators_channel=chat.channel if chat else None,
                moderators_chat_id=chat.chat_id if chat else None,
            )
        )

    async def list_all(self) -> Sequence[Neighbourhood]:
        """Every neighbourhood."""
        rows = await self._all(sa.select(s.neighbourhoods).order_by(s.neighbourhoods.c.id))
        return [_neighbourhood(r) for r in rows]


class SqlStreets(SqlRepository):
    """Streets in SQL."""

    async def get(self, street_id: int) -> Street | None:
        """By id."""
        row = await self._one(sa.select(s.streets).where(s.streets.c.id == street_id))
        return _street(row) if row else None

    async def by_chat(self, chat: ChatRef) -> Street | None:
        """By linked group chat."""
        t = s.streets
        row = await self._one(
            sa.select(t).where(t.c.channel == chat.channel, t.c.chat_id == chat.chat_id)
        )
        return _street(row) if row else None

    async def by_join_code(self, code: str) -> Street | None:
        """By join code."""
        row = await self._one(sa.select(s.streets).where(s.streets.c.join_code == code))
        return _street(row) if row else None

    async def find(self, neighbourhood_id: int, name: str) -> Street | None:
        """By name within a neighbourhood."""
        t = s.streets
        row = await self._one(
            sa.select(t).where(
                t.c.neighbourhood_id == neighbourhood_id, t.c.name_key == fold(name)
            )
        )
        return _street(row) if row else None

    async def add(
        self,
        neighbourhood_id: int,
        name: str,
        chat: ChatRef | None,
        chat_title: str | None,
        language: Language,
        join_code: str,
        now: datetime,
    ) -> Street:
        """Create one."""
        new_id = await self._insert_id(
            s.streets,
            neighbourhood_id=neighbourhood_id,
            name=name,
            name_key=fold(name),
            channel=chat.channel if chat else None,
            chat_id=chat.chat_id if chat else None,
            chat_title=chat_title,
            language=language,
            join_code=join_code,
            active=True,
            created_at=now,
            updated_at=now,
        )
        street = await self.get(new_id)
        assert street is not None
        return street

    async def update_link(
        self, street_id: int, chat: ChatRef | None, chat_title: str | None, now: datetime
    ) -> None:
        """Point the street at a chat (or at none)."""
        await self.conn.execute(
            sa.update(s.streets)
            .where(s.streets.c.id == street_id)
            .values(
                channel=chat.channel if chat else None,
                chat_id=chat.chat_id if chat else None,
                chat_title=chat_title,
                updated_at=now,
            )
        )

    async def rename(self, street_id: int, name: str, neighbourhood_id: int) -> None:
        """Change the name or neighbourhood."""
        await self.conn.execute(
            sa.update(s.streets)
            .where(s.streets.c.id == street_id)
            .values(name=name, name_key=fold(name), neighbourhood_id=neighbourhood_id)
        )

    async def set_active(self, street_id: int, active: bool) -> None:
        """Mark the street's chat usable or not."""
        await self.conn.execute(
            sa.update(s.streets).where(s.streets.c.id == street_id).values(active=active)
        )

    async def set_language(self, street_id: int, language: Language) -> None:
        """The language the group is addressed in."""
        await self.conn.execute(
            sa.update(s.streets).where(s.streets.c.id == street_id).values(language=language)
        )

    async def move_chat(self, old: ChatRef, new: ChatRef) -> int:
        """Move streets from one chat id to another; returns how many moved."""
        t = s.streets
        result = await self.conn.execute(
            sa.update(t)
            .where(t.c.channel == old.channel, t.c.chat_id == old.chat_id)
            .values(channel=new.channel, chat_id=new.chat_id)
        )
        return int(result.rowcount)

    async def in_neighbourhood(self, neighbourhood_id: int) -> Sequence[Street]:
        """Every street of a neighbourhood."""
        t = s.streets
        rows = await self._all(
            sa.select(t)
            .where(t.c.neighbourhood_id == neighbourhood_id)
            .order_by(dialects.by_text(self.conn, t.c.name))
        )
        return [_street(r) for r in rows]

    async def list_active(self) -> Sequence[Street]:
        """Every street whose chat is usable."""
        t = s.streets
        rows = await self._all(sa.select(t).where(t.c.active.is_(True)).order_by(t.c.id))
        return [_street(r) for r in rows]


class SqlResidents(SqlRepository):
    """Residents in SQL."""

    async def get(self, resident_id: int) -> Resident | None:
        """By id."""
        row = await self._one(sa.select(s.residents).where(s.residents.c.id == resident_id))
        return resident_from_row(row) if row else None

    async def by_external(self, channel: str, external_id: str) -> Resident | None:
        """By channel identity."""
        t = s.residents
        row = await self._one(
            sa.select(t).where(t.c.channel == channel, t.c.external_id == external_id)
        )
        return resident_from_row(row) if row else None

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
    ) -> Resident:
        """Create one."""
        new_id = await self._insert_id(
            s.residents,
            channel=channel,
            external_id=external_id,
            display_name=display_name,
            language=language,
            active=True,
            is_proxy=is_proxy,
            house_number=house_number,
            phone=phone,
            created_at=now,
        )
        resident = await self.get(new_id)
        assert resident is not None
        return resident

    async def update(self, resident_id: int, **fields: Any) -> None:
        """Change columns of a resident."""
        await self.conn.execute(
            sa.update(s.residents).where(s.residents.c.id == resident_id).values(**fields)
        )

    async def set_active(self, resident_id: int, active: bool) -> None:
        """Mark reachable or not."""
        await self.update(resident_id, active=active)


class SqlMemberships(SqlRepository):
    """Memberships and neighbourhood roles in SQL."""

    async def get(self, resident_id: int, street_id: int) -> Membership | None:
        """One resident's membership of one street (ended ones excluded)."""
        t = s.memberships
        row = await self._one(
            sa.select(t).where(
                t.c.resident_id == resident_id, t.c.street_id == street_id, t.c.ended_at.is_(None)
            )
        )
        return _membership(row) if row else None

    async def of_resident(self, resident_id: int) -> Sequence[Membership]:
        """A resident's current memberships, oldest first."""
        t = s.memberships
        rows = await self._all(
            sa.select(t)
            .where(t.c.resident_id == resident_id, t.c.ended_at.is_(None))
            .order_by(t.c.joined_at, t.c.id)
        )
        return [_membership(r) for r in rows]

    async def of_street(self, street_id: int) -> Sequence[Membership]:
        """A street's current memberships."""
        t = s.memberships
        rows = await self._all(
            sa.select(t).where(t.c.street_id == street_id, t.c.ended_at.is_(None)).order_by(t.c.id)
        )
        return [_membership(r) for r in rows]

    async def add(
        self, resident_id: int, street_id: int, role: MembershipRole, now: datetime
    ) -> Membership:
        """Join, or rejoin after having left."""
        t = s.memberships
        old = await self._one(
            sa.select(t).where(t.c.resident_id == resident_id, t.c.street_id == street_id)
        )
        if old is not None:
            await self.conn.execute(
                sa.update(t)
                .where(t.c.id == old["id"])
                .values(ended_at=None, joined_at=now, role=role)
            )
            new_id = int(old["id"])
        else:
            new_id = await self._insert_id(
                t, resident_id=resident_id, street_id=street_id, role=role.value, joined_at=now
            )
        row = await self._one(sa.select(t).where(t.c.id == new_id))
        assert row is not None
        return _membership(row)

    async def set_role(self, membership_id: int, role: MembershipRole) -> None:
        """Change the role in the street."""
        t = s.memberships
        await self.conn.execute(
            sa.update(t).where(t.c.id == membership_id).values(role=role.value)
        )

    async def end(self, membership_id: int, now: datetime) -> None:
        """Leave the street."""
        t = s.memberships
        await self.conn.execute(sa.update(t).where(t.c.id == membership_id).values(ended_at=now))

    async def set_blocked(self, membership_id: int, blocked_at: datetime | None) -> None:
        """Block (a time) or unblock (None)."""
        t = s.memberships
        await self.conn.execute(
            sa.update(t).where(t.c.id == membership_id).values(blocked_at=blocked_at)
        )

    async def roles(self, resident_id: int) -> Sequence[tuple[int, NeighbourhoodRole]]:
        """(neighbourhood id, role) pairs a resident holds."""
        t = s.neighbourhood_roles
        rows = await self._all(sa.select(t).where(t.c.resident_id == resident_id).order_by(t.c.id))
        return [(int(r["neighbourhood_id"]), NeighbourhoodRole(r["role"])) for r in rows]

    async def grant(
        self,
        resident_id: int,
        neighbourhood_id: int,
        role: NeighbourhoodRole,
        granted_by: int | None,
        now: datetime,
    ) -> bool:
        """Give a role; False when it was held already."""
        return await self._insert_ignore(
            s.neighbourhood_roles,
            resident_id=resident_id,
            neighbourhood_id=neighbourhood_id,
            role=role.value,
            granted_by=granted_by,
            granted_at=now,
        )

    async def revoke(
        self, resident_id: int, neighbourhood_id: int, role: NeighbourhoodRole
    ) -> bool:
        """Take a role away; False when it was not held."""
        t = s.neighbourhood_roles
        result = await self.conn.execute(
            sa.delete(t).where(
                t.c.resident_id == resident_id,
                t.c.neighbourhood_id == neighbourhood_id,
                t.c.role == role.value,
            )
        )
        return bool(result.rowcount)

    async def holders(self, neighbourhood_id: int, role: NeighbourhoodRole) -> Sequence[Resident]:
        """Residents who hold a role in a neighbourhood."""
        r, t = s.residents, s.neighbourhood_roles
        rows = await self._all(
            sa.select(r)
            .join(t, t.c.resident_id == r.c.id)
            .where(t.c.neighbourhood_id == neighbourhood_id, t.c.role == role.value)
            .order_by(r.c.id)
        )
        return [resident_from_row(row) for row in rows]


class SqlPendingGroups(SqlRepository):
    """Groups waiting for a setup, in SQL."""

    async def add(self, group: PendingGroup) -> None:
        """Remember (again) that the bot joined this group."""
        t = s.pending_groups
        key = (t.c.channel == group.chat.channel) & (t.c.chat_id == group.chat.chat_id)
        await self.conn.execute(sa.delete(t).where(key))
        await self.conn.execute(
            sa.insert(t).values(
                channel=group.chat.channel,
                chat_id=group.chat.chat_id,
                title=group.title,
                added_by_external_id=group.added_by_external_id,
                added_at=group.added_at,
            )
        )

    async def resolve(self, chat: ChatRef, now: datetime) -> None:
        """The group was set up (or is gone): no farewell needed."""
        t = s.pending_groups
        await self.conn.execute(
            sa.update(t)
            .where(
                t.c.channel == chat.channel, t.c.chat_id == chat.chat_id, t.c.resolved_at.is_(None)
            )
            .values(resolved_at=now)
        )

    async def due(self, added_before: datetime) -> Sequence[PendingGroup]:
        """Unresolved groups added before a moment and not yet said goodbye to."""
        t = s.pending_groups
        rows = await self._all(
            sa.select(t).where(
                t.c.resolved_at.is_(None), t.c.farewell_at.is_(None), t.c.added_at <= added_before
            )
        )
        return [
            PendingGroup(
                chat=ChatRef(channel=r["channel"], chat_id=r["chat_id"]),
                title=r["title"],
                added_by_external_id=r["added_by_external_id"],
                added_at=r["added_at"],
            )
            for r in rows
        ]

    async def claim_farewell(self, chat: ChatRef, now: datetime) -> bool:
        """Conditionally mark the farewell as ours to send; False if someone else did."""
        t = s.pending_groups
        result = await self.conn.execute(
            sa.update(t)
            .where(
                t.c.channel == chat.channel,
                t.c.chat_id == chat.chat_id,
                t.c.farewell_at.is_(None),
                t.c.resolved_at.is_(None),
            )
            .values(farewell_at=now)
        )
        return bool(result.rowcount)


class SqlAudit(SqlRepository):
    """The append-only audit log in SQL."""

    async def append(self, entry: AuditEntry) -> None:
        """Add one line."""
        await self.conn.execute(
            sa.insert(s.audit_log).values(
                at=entry.at,
                actor_resident_id=entry.actor_resident_id,
                actor_external_id=entry.actor_external_id,
                action=entry.action,
                subject_kind=entry.subject_kind,
                subject_id=entry.subject_id,
                detail=json.dumps(entry.detail, sort_keys=True, default=str),
            )
        )

    async def for_subject(self, subject_kind: str, subject_id: str) -> Sequence[AuditEntry]:
        """Every line about one object, oldest first."""
        t = s.audit_log
        rows = await self._all(
            sa.select(t)
            .where(t.c.subject_kind == subject_kind, t.c.subject_id == subject_id)
            .order_by(t.c.id)
        )
        return [
            AuditEntry(
                id=r["id"],
                at=r["at"],
                actor_resident_id=r["actor_resident_id"],
                actor_external_id=r["actor_external_id"],
                action=r["action"],
                subject_kind=r["subject_kind"],
                subject_id=r["subject_id"],
                detail=json.loads(r["detail"]),
            )
            for r in rows
        ]
