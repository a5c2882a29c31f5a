"""session attendance

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session_attendance",
        sa.Column("session_id", sa.String(22), sa.ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("registrant_id", sa.String(22), sa.ForeignKey("registrants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("first_join_at", UTCDateTime()),
        sa.Column("last_seen_at", UTCDateTime()),
        sa.Column("join_count", sa.Integer(), nullable=False),
        sa.Column("checked_in_at", UTCDateTime()),
        sa.Column("check_in_source", sa.String(100)),
    )


def downgrade() -> None:
    op.drop_table("session_attendance")
