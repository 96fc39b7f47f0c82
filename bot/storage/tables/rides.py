"""Tables of the rides capability: rides, their streets, bookings, weekly series, feedback."""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.schema import UTCDateTime, metadata

ride_series = sa.Table(
    "ride_series",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id"), nullable=False),
    sa.Column("driver_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("weekday", sa.Integer, nullable=False),
    sa.Column("local_time", sa.String(5), nullable=False),
    sa.Column("return_time", sa.String(5)),
    sa.Column("destination", sa.String(80), nullable=False),
    sa.Column("seats", sa.Integer, nullable=False),
    sa.Column("pickup_mode", sa.String(10), nullable=False),
    sa.Column("meeting_point", sa.String(80)),
    sa.Column("first_date", sa.Date, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("stopped_at", UTCDateTime),
    sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
    sa.CheckConstraint("seats BETWEEN 1 AND 8", name="seats"),
)

ride_series_streets = sa.Table(
    "ride_series_streets",
    metadata,
    sa.Column("series_id", sa.Integer, sa.ForeignKey("ride_series.id"), primary_key=True),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
)

rides = sa.Table(
    "rides",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id"), nullable=False),
    sa.Column("driver_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("series_id", sa.Integer, sa.ForeignKey("ride_series.id")),
    sa.Column("departs_at", UTCDateTime, nullable=False),
    sa.Column("local_date", sa.Date, nullable=False),
    sa.Column("return_at", UTCDateTime),
    sa.Column("ends_at", UTCDateTime, nullable=False),
    sa.Column("destination", sa.String(80), nullable=False),
    sa.Column("seats", sa.Integer, nullable=False),
    sa.Column("booked", sa.Integer, nullable=False, server_default="0"),
    sa.Column("pickup_mode", sa.String(10), nullable=False),
    sa.Column("meeting_point", sa.String(80)),
    sa.Column("status", sa.String(12), nullable=False, server_default="scheduled"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("cancelled_at", UTCDateTime),
    sa.Column("departed_at", UTCDateTime),
    sa.Column("done_at", UTCDateTime),
    sa.Column("evening_reminded_at", UTCDateTime),
    sa.Column("hour_reminded_at", UTCDateTime),
    # The seat counter can never leave 0..seats, whatever happens above it.
    sa.CheckConstraint("seats BETWEEN 1 AND 8", name="seats"),
    sa.CheckConstraint("booked >= 0 AND booked <= seats", name="booked"),
    sa.UniqueConstraint("series_id", "local_date"),
)
sa.Index("ix_rides_status_departs", rides.c.status, rides.c.departs_at)
sa.Index("ix_rides_driver", rides.c.driver_id)

ride_streets = sa.Table(
    "ride_streets",
    metadata,
    sa.Column("ride_id", sa.Integer, sa.ForeignKey("rides.id"), primary_key=True),
    sa.Column("street_id", sa.Integer, sa.ForeignKey("streets.id"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
)

ride_bookings = sa.Table(
    "ride_bookings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ride_id", sa.Integer, sa.ForeignKey("rides.id"), nullable=False),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("pickup_kind", sa.String(10), nullable=False, server_default="home"),
    sa.Column("pickup_text", sa.String(80)),
    sa.Column("booked_by", sa.Integer, sa.ForeignKey("residents.id")),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("booked_at", UTCDateTime),
    sa.Column("queued_at", UTCDateTime),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("ride_id", "resident_id"),
)
sa.Index("ix_ride_bookings_resident", ride_bookings.c.resident_id)

ride_feedback = sa.Table(
    "ride_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ride_id", sa.Integer, sa.ForeignKey("rides.id"), nullable=False),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
    # pending → handed (to the feedback hook) | skipped (no-show)
    sa.Column("status", sa.String(10), nullable=False, server_default="pending"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("handled_at", UTCDateTime),
    sa.UniqueConstraint("ride_id", "resident_id"),
)
sa.Index("ix_ride_feedback_status", ride_feedback.c.status)

# A coordinator who chose to put a phone number on the printed street cards of their
# neighbourhood ("bel voor een rit"); removing the row takes it off the next card.
ride_card_contacts = sa.Table(
    "ride_card_contacts",
    metadata,
    sa.Column(
        "neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id"), primary_key=True
    ),
    sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), primary_key=True),
    sa.Column("phone", sa.String(32), nullable=False),
    sa.Column("agreed_at", UTCDateTime, nullable=False),
)
