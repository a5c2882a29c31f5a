"""conference sessions and their reservations

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_sessions",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("event_id", sa.String(22), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("start_time", UTCDateTime(), nullable=False),
        sa.Column("end_time", UTCDateTime(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("type", sa.Integer(), nullable=False),
        sa.Column("meeting_number", sa.BigInteger(), nullable=False),
        sa.Column("speakers", sa.JSON(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("record_file_id", sa.String(64)),
        sa.Column("attendance_type", sa.String(16)),
        sa.Column("physical_location", sa.String(500)),
        sa.Column("allow_reservations", sa.Boolean(), nullable=False),
        sa.Column("max_capacity", sa.Integer()),
        sa.Column("reservations_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_event_sessions_event_start", "event_sessions", ["event_id", "start_time"])
    op.create_table(
        "session_reservations",
        sa.Column("session_id", sa.String(22), sa.ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("registrant_id", sa.String(22), sa.ForeignKey("registrants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("session_reservations")
    op.drop_table("event_sessions")
