"""rides: coordinators who chose to put a phone number on the street card

Revision ID: 0210
Revises: 0200
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0210"
down_revision: str | Sequence[str] | None = "0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply."""
    op.create_table(
        "ride_card_contacts",
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_ride_card_contacts_neighbourhood_id_neighbourhoods"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_ride_card_contacts_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint(
            "neighbourhood_id", "resident_id", name=op.f("pk_ride_card_contacts")
        ),
    )


def downgrade() -> None:
    """Revert."""
    op.drop_table("ride_card_contacts")
