"""Tables of escalation and moderation: cases, their messages and notes, offers, reports,
link codes for moderators chats, and community workers' organisations."""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.schema import UTCDateTime, metadata

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id"), nullable=False),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id")),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("theme", sa.String(20), nullable=False),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("source_kind", sa.String(20), nullable=False),
    sa.Column("source_ref_id", sa.Integer),
    sa.Column("text", sa.Text),
    sa.Column("contact", sa.String(10), nullable=False, server_default="bot"),
    sa.Column("phone", sa.String(32)),
    sa.Column("safe_time", sa.String(64)),
    sa.Column("status", sa.String(12), nullable=False, server_default="open"),
    sa.Column("claimed_by", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("claimed_at", UTCDateTime),
    sa.Column("closed_by", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("closed_at", UTCDateTime),
    sa.Column("outcome", sa.String(20)),
    sa.Column("unread_since", UTCDateTime),
    sa.Column("reminded_at", UTCDateTime),
    sa.Column("escalated_at", UTCDateTime),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("erased_at", UTCDateTime),
)
sa.Index("ix_cases_status_created", cases.c.status, cases.c.created_at)
sa.Index("ix_cases_resident", cases.c.resident_id)

case_messages = sa.Table(
    "case_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("direction", sa.String(16), nullable=False),
    sa.Column("author_resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("text", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
sa.Index("ix_case_messages_case", case_messages.c.case_id)

case_notes = sa.Table(
    "case_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("author_resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("text", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
sa.Index("ix_case_notes_case", case_notes.c.case_id)

case_offers = sa.Table(
    "case_offers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("source_kind", sa.String(20), nullable=False),
    sa.Column("ref_id", sa.Integer),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id")),
    sa.Column("theme", sa.String(20)),
    sa.Column("text", sa.Text),
    sa.Column("helper_resident_id", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("status", sa.String(12), nullable=False, server_default="pending"),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id")),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("answered_at", UTCDateTime),
)
sa.Index("ix_case_offers_resident", case_offers.c.resident_id, case_offers.c.status)

reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id"), nullable=False),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id")),
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id"), nullable=False),
    sa.Column("ref_kind", sa.String(30), nullable=False),
    sa.Column("ref_id", sa.Integer, nullable=False),
    sa.Column("reporter_resident_id", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("reporter_external_id", sa.String(64), nullable=False),
    sa.Column("reason", sa.String(20), nullable=False),
    sa.Column("owner_resident_id", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("status", sa.String(12), nullable=False, server_default="open"),
    sa.Column("post_removed_at", UTCDateTime),
    sa.Column("owner_blocked_at", UTCDateTime),
    sa.Column("handled_by", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("post_id", "reporter_external_id"),
)

moderator_link_codes = sa.Table(
    "moderator_link_codes",
    metadata,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column("neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id"), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("used_at", UTCDateTime),
    sa.Column("used_chat_id", sa.String(64)),
)

worker_profiles = sa.Table(
    "worker_profiles",
    metadata,
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), primary_key=True),
    sa.Column("organisation", sa.String(64)),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
