"""exchange: the two feedback questions after a grocery ride (exchange_ride_feedback)

Revision ID: 0110
Revises: 0100
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0110"
down_revision: str | Sequence[str] | None = "0100"
branch_labels: str | Sequence[str] | None = None
# The table points at rides.id: the rides branch must be there first.
depends_on: str | Sequence[str] | None = "0200"


def upgrade() -> None:
    """Apply."""
    op.create_table(
        "exchange_ride_feedback",
        sa.Column("ride_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("helped", sa.String(length=8), nullable=True),
        sa.Column("knew_before", sa.Boolean(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_exchange_ride_feedback_resident_id_residents"),
        ),
        sa.ForeignKeyConstraint(
            ["ride_id"], ["rides.id"], name=op.f("fk_exchange_ride_feedback_ride_id_rides")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_exchange_ride_feedback_street_id_streets"),
        ),
        sa.PrimaryKeyConstraint("ride_id", "resident_id", name=op.f("pk_exchange_ride_feedback")),
    )
    with op.batch_alter_table("exchange_ride_feedback", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exchange_ride_feedback_street", ["street_id", "asked_at"], unique=False
        )


def downgrade() -> None:
    """Revert."""
    with op.batch_alter_table("exchange_ride_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_ride_feedback_street")
    op.drop_table("exchange_ride_feedback")
