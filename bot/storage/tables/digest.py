"""Tables of the digest capability: schedules, runs, private copies, the Bloemetje."""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.schema import UTCDateTime, metadata

digest_settings = sa.Table(
    "digest_settings",
    metadata,
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), primary_key=True),
    sa.Column("weekday", sa.Integer, nullable=False),
    sa.Column("minute_of_day", sa.Integer, nullable=False),
    sa.Column("bloemetje", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("next_due_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
sa.Index("ix_digest_settings_next_due", digest_settings.c.next_due_at)

digest_runs = sa.Table(
    "digest_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), nullable=False),
    sa.Column("iso_week", sa.String(8), nullable=False),
    sa.Column("due_at", UTCDateTime, nullable=False),
    sa.Column("claimed_at", UTCDateTime, nullable=False),
    sa.Column("outcome", sa.String(12), nullable=False),
    sa.Column("recipients", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("street_id", "iso_week"),
)

digest_readers = sa.Table(
    "digest_readers",
    metadata,
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), primary_key=True),
    sa.Column("since", UTCDateTime, nullable=False),
)

bloemetje_rounds = sa.Table(
    "bloemetje_rounds",
    metadata,
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("asked_at", UTCDateTime, nullable=False),
    sa.Column("announced_at", UTCDateTime),
    sa.Column("closed_at", UTCDateTime),
)

bloemetje_nominations = sa.Table(
    "bloemetje_nominations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), nullable=False),
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("nominator_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("nominee_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("reason", sa.String(200)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("street_id", "month", "nominator_id"),
)
sa.Index(
    "ix_bloemetje_nominations_nominee",
    bloemetje_nominations.c.street_id,
    bloemetje_nominations.c.month,
    bloemetje_nominations.c.nominee_id,
)

bloemetje_consents = sa.Table(
    "bloemetje_consents",
    metadata,
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("nominee_id", sa.Integer, sa.ForeignKey("residents.id"), primary_key=True),
    sa.Column("answer", sa.String(8), nullable=False, server_default="pending"),
    sa.Column("asked_at", UTCDateTime, nullable=False),
    sa.Column("answered_at", UTCDateTime),
)
