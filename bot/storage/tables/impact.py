"""Tables of the impact report: which monthly reports went out (counts are computed)."""

from __future__ import annotations

import sqlalchemy as sa

from bot.storage.schema import UTCDateTime, metadata

impact_monthly = sa.Table(
    "impact_monthly",
    metadata,
    sa.Column(
        "neighbourhood_id", sa.Integer, sa.ForeignKey("neighbourhoods.id"), primary_key=True
    ),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("claimed_at", UTCDateTime, nullable=False),
)
