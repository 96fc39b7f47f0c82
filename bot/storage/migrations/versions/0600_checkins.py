"""check-ins: schedules, buddies, volunteers, daily rounds and who was alerted

Revision ID: 0600
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0600"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = ("checkins",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply."""
    op.create_table(
        "checkin_volunteers",
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_checkin_volunteers_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_checkin_volunteers")),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("days", sa.String(length=16), server_default="", nullable=False),
        sa.Column("minute_of_day", sa.Integer(), nullable=False),
        sa.Column("window_hours", sa.Integer(), nullable=False),
        sa.Column("workers", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("caller_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["caller_id"], ["residents.id"], name=op.f("fk_checkins_caller_id_residents")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_checkins_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_checkins_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("resident_id", name=op.f("uq_checkins_resident_id")),
    )
    op.create_index("ix_checkins_next_due_at", "checkins", ["next_due_at"], unique=False)
    op.create_index("ix_checkins_caller_id", "checkins", ["caller_id"], unique=False)
    op.create_table(
        "checkin_buddies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["checkin_id"], ["checkins.id"], name=op.f("fk_checkin_buddies_checkin_id_checkins")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_checkin_buddies_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_buddies")),
        sa.UniqueConstraint("code", name=op.f("uq_checkin_buddies_code")),
    )
    op.create_index(
        "ix_checkin_buddies_checkin_id", "checkin_buddies", ["checkin_id"], unique=False
    )
    op.create_index(
        "ix_checkin_buddies_resident_id", "checkin_buddies", ["resident_id"], unique=False
    )
    op.create_table(
        "checkin_rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.String(length=10), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("answer", sa.String(length=10), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("alarm_step", sa.Integer(), server_default="0", nullable=False),
        sa.Column("alarm_target_id", sa.Integer(), nullable=True),
        sa.Column("alarm_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("taken_by", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alarm_target_id"],
            ["residents.id"],
            name=op.f("fk_checkin_rounds_alarm_target_id_residents"),
        ),
        sa.ForeignKeyConstraint(
            ["checkin_id"], ["checkins.id"], name=op.f("fk_checkin_rounds_checkin_id_checkins")
        ),
        sa.ForeignKeyConstraint(
            ["taken_by"], ["residents.id"], name=op.f("fk_checkin_rounds_taken_by_residents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_rounds")),
        sa.UniqueConstraint(
            "checkin_id", "local_date", name=op.f("uq_checkin_rounds_checkin_id_local_date")
        ),
    )
    op.create_index("ix_checkin_rounds_status", "checkin_rounds", ["status"], unique=False)
    op.create_table(
        "checkin_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(length=8), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_checkin_alerts_neighbourhood_id_neighbourhoods"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_checkin_alerts_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["checkin_rounds.id"],
            name=op.f("fk_checkin_alerts_round_id_checkin_rounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_alerts")),
        sa.UniqueConstraint("round_id", "step", name=op.f("uq_checkin_alerts_round_id_step")),
    )


def downgrade() -> None:
    """Undo."""
    op.drop_table("checkin_alerts")
    op.drop_index("ix_checkin_rounds_status", table_name="checkin_rounds")
    op.drop_table("checkin_rounds")
    op.drop_index("ix_checkin_buddies_resident_id", table_name="checkin_buddies")
    op.drop_index("ix_checkin_buddies_checkin_id", table_name="checkin_buddies")
    op.drop_table("checkin_buddies")
    op.drop_index("ix_checkins_caller_id", table_name="checkins")
    op.drop_index("ix_checkins_next_due_at", table_name="checkins")
    op.drop_table("checkins")
    op.drop_table("checkin_volunteers")
