"""impact report: the monthly reports that went out

Revision ID: 0500
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0500"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("impact",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply."""
    op.create_table(
        "impact_monthly",
        sa.Column("neighbourhood_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_impact_monthly_neighbourhood_id_neighbourhoods"),
        ),
        sa.PrimaryKeyConstraint("neighbourhood_id", "month", name=op.f("pk_impact_monthly")),
    )


def downgrade() -> None:
    """Undo."""
    op.drop_table("impact_monthly")
