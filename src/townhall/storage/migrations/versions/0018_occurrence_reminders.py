"""reminders before each occurrence of a RECURRING event

Revision ID: 0018
Revises: 0017
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "occurrence_reminder_runs",
        sa.Column("session_id", sa.String(22), sa.ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("minutes_before", sa.Integer(), primary_key=True),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("ran_at", UTCDateTime(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("occurrence_reminder_runs")
