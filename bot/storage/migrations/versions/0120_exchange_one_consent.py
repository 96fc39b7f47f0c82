"""exchange: drop escalation_suggestions (consent now goes through escalation's offers)

Routes 2-4 of issue 6 (a sensitive request, "te zwaar voor buren", no helper after three
days) record an offer in escalation's `case_offers`; the exchange no longer asks consent
itself, so its suggestions table has no reader or writer left.

Revision ID: 0120
Revises: 0110
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0120"
down_revision: str | Sequence[str] | None = "0110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply."""
    with op.batch_alter_table("escalation_suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_escalation_suggestions_request")
        batch_op.drop_index("ix_escalation_suggestions_open")
    op.drop_table("escalation_suggestions")


def downgrade() -> None:
    """Revert (an empty table: the rows are not kept)."""
    op.create_table(
        "escalation_suggestions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("theme", sa.String(length=16), nullable=True),
        sa.Column("suggested_by", sa.Integer(), nullable=True),
        sa.Column("consent", sa.String(length=10), server_default="pending", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["exchange_requests.id"],
            name=op.f("fk_escalation_suggestions_request_id_exchange_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_escalation_suggestions_resident_id_residents"),
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_escalation_suggestions_street_id_streets")
        ),
        sa.ForeignKeyConstraint(
            ["suggested_by"],
            ["residents.id"],
            name=op.f("fk_escalation_suggestions_suggested_by_residents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_suggestions")),
    )
    with op.batch_alter_table("escalation_suggestions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_escalation_suggestions_open", ["handled_at", "consent"], unique=False
        )
        batch_op.create_index("ix_escalation_suggestions_request", ["request_id"], unique=False)
