"""Tables of check-ins: schedules, buddies, volunteers, daily rounds and who was alerted."""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.schema import UTCDateTime, metadata

checkins = sa.Table(
    "checkins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False, unique=True
    ),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), nullable=False),
    sa.Column("frequency", sa.String(8), nullable=False),
    sa.Column("days", sa.String(16), nullable=False, server_default=""),
    sa.Column("minute_of_day", sa.Integer, nullable=False),
    sa.Column("window_hours", sa.Integer, nullable=False),
    sa.Column("workers", sa.Boolean, nullable=False, server_default=sa.false()),
    # For a neighbour without a phone of their own: the coordinator who calls them.
    sa.Column("caller_id", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("paused_until", sa.Date),
    sa.Column("next_due_at", UTCDateTime),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
sa.Index("ix_checkins_next_due_at", checkins.c.next_due_at)
sa.Index("ix_checkins_caller_id", checkins.c.caller_id)

checkin_buddies = sa.Table(
    "checkin_buddies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("checkin_id", sa.Integer, sa.ForeignKey("checkins.id"), nullable=False),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("code", sa.String(16), unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("answered_at", UTCDateTime),
)
sa.Index("ix_checkin_buddies_checkin_id", checkin_buddies.c.checkin_id)
sa.Index("ix_checkin_buddies_resident_id", checkin_buddies.c.resident_id)

checkin_volunteers = sa.Table(
    "checkin_volunteers",
    metadata,
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), primary_key=True),
    sa.Column("since", UTCDateTime, nullable=False),
)

checkin_rounds = sa.Table(
    "checkin_rounds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("checkin_id", sa.Integer, sa.ForeignKey("checkins.id"), nullable=False),
    sa.Column("local_date", sa.String(10), nullable=False),
    sa.Column("due_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("window_ends_at", UTCDateTime),
    sa.Column("reminder_at", UTCDateTime),
    sa.Column("reminded_at", UTCDateTime),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("answer", sa.String(10)),
    sa.Column("answered_at", UTCDateTime),
    sa.Column("alarm_step", sa.Integer, nullable=False, server_default="0"),
    sa.Column("alarm_target_id", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("alarm_deadline", UTCDateTime),
    sa.Column("taken_by", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("outcome", sa.String(12)),
    sa.Column("closed_at", UTCDateTime),
    sa.UniqueConstraint("checkin_id", "local_date"),
)
sa.Index("ix_checkin_rounds_status", checkin_rounds.c.status)

checkin_alerts = sa.Table(
    "checkin_alerts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("checkin_rounds.id"), nullable=False),
    sa.Column("step", sa.Integer, nullable=False),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id")),
    sa.Column("answer", sa.String(8)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("round_id", "step"),
)
