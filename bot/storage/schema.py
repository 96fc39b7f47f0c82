"""The database schema as SQLAlchemy Core tables (migrations must match it; a test checks)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        """Refuse naive times; store UTC (naive on SQLite, which has no zone type)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime reached storage")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Give back aware UTC datetimes."""
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _created() -> sa.Column[datetime]:
    return sa.Column("created_at", UTCDateTime, nullable=False)


neighbourhoods = sa.Table(
    "neighbourhoods",
    metadata,
    _id(),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("municipality", sa.String(60), nullable=False),
    sa.Column("name_key", sa.String(130), nullable=False, unique=True),
    sa.Column("moderators_channel", sa.String(16)),
    sa.Column("moderators_chat_id", sa.String(64)),
    _created(),
    sa.UniqueConstraint("moderators_channel", "moderators_chat_id"),
)

streets = sa.Table(
    "streets",
    metadata,
    _id(),
    sa.Column("neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id"), nullable=False),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("name_key", sa.String(60), nullable=False),
    sa.Column("channel", sa.String(16)),
    sa.Column("chat_id", sa.String(64)),
    sa.Column("chat_title", sa.String(255)),
    sa.Column("language", sa.String(2), nullable=False, server_default="nl"),
    sa.Column("join_code", sa.String(16), nullable=False, unique=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    _created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("neighbourhood_id", "name_key"),
    sa.UniqueConstraint("channel", "chat_id"),
)

residents = sa.Table(
    "residents",
    metadata,
    _id(),
    sa.Column("channel", sa.String(16)),
    sa.Column("external_id", sa.String(64)),
    sa.Column("display_name", sa.String(64), nullable=False),
    sa.Column("language", sa.String(2), nullable=False, server_default="nl"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("is_proxy", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("house_number", sa.String(16)),
    sa.Column("phone", sa.String(32)),
    _created(),
    sa.Column("erased_at", UTCDateTime),
    sa.UniqueConstraint("channel", "external_id"),
)

memberships = sa.Table(
    "memberships",
    metadata,
    _id(),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), nullable=False),
    sa.Column("role", sa.String(20), nullable=False, server_default="member"),
    sa.Column("joined_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime),
    sa.Column("blocked_at", UTCDateTime),
    sa.UniqueConstraint("resident_id", "street_id"),
)
sa.Index("ix_memberships_street", memberships.c.street_id)

neighbourhood_roles = sa.Table(
    "neighbourhood_roles",
    metadata,
    _id(),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id"), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("granted_by", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("granted_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("resident_id", "neighbourhood_id", "role"),
)

pending_groups = sa.Table(
    "pending_groups",
    metadata,
    sa.Column("channel", sa.String(16), primary_key=True),
    sa.Column("chat_id", sa.String(64), primary_key=True),
    sa.Column("title", sa.String(255)),
    sa.Column("added_by_external_id", sa.String(64)),
    sa.Column("added_at", UTCDateTime, nullable=False),
    sa.Column("resolved_at", UTCDateTime),
    sa.Column("farewell_at", UTCDateTime),
)

processed_updates = sa.Table(
    "processed_updates",
    metadata,
    sa.Column("channel", sa.String(16), primary_key=True),
    sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("received_at", UTCDateTime, nullable=False),
)
sa.Index("ix_processed_updates_received", processed_updates.c.received_at)

outbox = sa.Table(
    "outbox",
    metadata,
    _id(),
    sa.Column("idempotency_key", sa.String(200), unique=True),
    sa.Column("kind", sa.String(60), nullable=False),
    sa.Column("recipient", sa.Text, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("status", sa.String(12), nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("not_before", UTCDateTime, nullable=False),
    _created(),
    sa.Column("claimed_at", UTCDateTime),
    sa.Column("finished_at", UTCDateTime),
    sa.Column("last_error", sa.String(200)),
)
sa.Index("ix_outbox_status_due", outbox.c.status, outbox.c.not_before)

posts = sa.Table(
    "posts",
    metadata,
    _id(),
    sa.Column("ref_kind", sa.String(30), nullable=False),
    sa.Column("ref_id", sa.Integer, nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("chat_id", sa.String(64), nullable=False),
    sa.Column("message_id", sa.BigInteger, nullable=False),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id")),
    sa.Column("posted_at", UTCDateTime, nullable=False),
    sa.Column("removed_at", UTCDateTime),
)
sa.Index("ix_posts_ref", posts.c.ref_kind, posts.c.ref_id)
sa.Index("ix_posts_chat_message", posts.c.channel, posts.c.chat_id, posts.c.message_id)

audit_log = sa.Table(
    "audit_log",
    metadata,
    _id(),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor_resident_id", sa.Integer),
    sa.Column("actor_external_id", sa.String(64)),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("subject_kind", sa.String(30), nullable=False),
    sa.Column("subject_id", sa.String(64), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
)
sa.Index("ix_audit_subject", audit_log.c.subject_kind, audit_log.c.subject_id)

dialogs = sa.Table(
    "dialogs",
    metadata,
    sa.Column("channel", sa.String(16), primary_key=True),
    sa.Column("chat_id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("flow", sa.String(40), nullable=False),
    sa.Column("data", sa.Text, nullable=False, server_default="{}"),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
