"""Tables of the help exchange (migration branch "exchange", revisions 0100…)."""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.schema import UTCDateTime, metadata

exchange_entries = sa.Table(
    "exchange_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), nullable=False),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("category", sa.String(30), nullable=False),
    sa.Column("text", sa.String(200), nullable=False),
    sa.Column("availability", sa.String(12), nullable=False),
    sa.Column("on_card", sa.Boolean),
    sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("confirmed_at", UTCDateTime, nullable=False),
    sa.Column("check_sent_at", UTCDateTime),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("removed_at", UTCDateTime),
)
sa.Index("ix_exchange_entries_street", exchange_entries.c.street_id, exchange_entries.c.category)
sa.Index("ix_exchange_entries_resident", exchange_entries.c.resident_id)

exchange_requests = sa.Table(
    "exchange_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), nullable=False),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("category", sa.String(30), nullable=False),
    sa.Column("text", sa.String(600), nullable=False),
    sa.Column("when_kind", sa.String(10), nullable=False),
    sa.Column("when_date", sa.Date),
    sa.Column("show_name", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("language", sa.String(2), nullable=False, server_default="nl"),
    sa.Column("sensitivity", sa.String(16)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("matched_at", UTCDateTime),
    sa.Column("closed_at", UTCDateTime),
    sa.Column("active_since", UTCDateTime, nullable=False),
    sa.Column("stale_asked_at", UTCDateTime),
    sa.Column("no_helper_at", UTCDateTime),
)
sa.Index("ix_exchange_requests_status", exchange_requests.c.status, exchange_requests.c.street_id)
sa.Index(
    "ix_exchange_requests_resident",
    exchange_requests.c.resident_id,
    exchange_requests.c.created_at,
)

exchange_conversations = sa.Table(
    "exchange_conversations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("request_id", sa.Integer, sa.ForeignKey("exchange_requests.id")),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("exchange_entries.id")),
    sa.Column("giver_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("receiver_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("status", sa.String(8), nullable=False, server_default="active"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime),
    sa.Column("ended_by", sa.Integer),
    sa.Column("helped_at", UTCDateTime),
    sa.Column("done_proposed_at", UTCDateTime),
    sa.Column("giver_shares", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("receiver_shares", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("giver_contact", sa.String(64)),
    sa.Column("receiver_contact", sa.String(64)),
)
sa.Index("ix_exchange_conversations_request", exchange_conversations.c.request_id)
sa.Index("ix_exchange_conversations_giver", exchange_conversations.c.giver_id)
sa.Index("ix_exchange_conversations_receiver", exchange_conversations.c.receiver_id)

exchange_focus = sa.Table(
    "exchange_focus",
    metadata,
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), primary_key=True),
    sa.Column(
        "conversation_id",
        sa.Integer,
        sa.ForeignKey("exchange_conversations.id"),
        nullable=False,
    ),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

exchange_thanks = sa.Table(
    "exchange_thanks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "conversation_id",
        sa.Integer,
        sa.ForeignKey("exchange_conversations.id"),
        nullable=False,
        unique=True,
    ),
    sa.Column("request_id", sa.Integer, sa.ForeignKey("exchange_requests.id")),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), nullable=False),
    sa.Column("from_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("to_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("text", sa.String(400), nullable=False),
    sa.Column("public", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
sa.Index("ix_exchange_thanks_street", exchange_thanks.c.street_id, exchange_thanks.c.created_at)

exchange_feedback = sa.Table(
    "exchange_feedback",
    metadata,
    sa.Column(
        "conversation_id",
        sa.Integer,
        sa.ForeignKey("exchange_conversations.id"),
        primary_key=True,
    ),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), primary_key=True),
    sa.Column("role", sa.String(8), nullable=False),
    sa.Column("helped", sa.String(8)),
    sa.Column("knew_before", sa.Boolean),
    sa.Column("answered_at", UTCDateTime),
)

# Feedback after a grocery ride: the same two questions, asked of each passenger who went
# (the rides capability hands them over); kept next to exchange_feedback for the impact
# report. `street_id` is the passenger's street the ride served.
exchange_ride_feedback = sa.Table(
    "exchange_ride_feedback",
    metadata,
    sa.Column("ride_id", sa.Integer, sa.ForeignKey("rides.id"), primary_key=True),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), primary_key=True),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), nullable=False),
    sa.Column("helped", sa.String(8)),
    sa.Column("knew_before", sa.Boolean),
    sa.Column("asked_at", UTCDateTime, nullable=False),
    sa.Column("answered_at", UTCDateTime),
)
sa.Index(
    "ix_exchange_ride_feedback_street",
    exchange_ride_feedback.c.street_id,
    exchange_ride_feedback.c.asked_at,
)

exchange_invites = sa.Table(
    "exchange_invites",
    metadata,
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), primary_key=True),
    sa.Column("last_invited_at", UTCDateTime),
    sa.Column("invites", sa.Integer, nullable=False, server_default="0"),
    sa.Column("opted_out_at", UTCDateTime),
)
