"""chat messages of live events' rooms and sessions

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_messages",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("event_id", sa.String(22), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("session_id", sa.String(22)),
        sa.Column("registrant_id", sa.String(22)),
        sa.Column("sender_name", sa.String(200), nullable=False),
        sa.Column("sender_email", sa.String(254), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_chat_messages_event_created", "chat_messages", ["event_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_table("chat_messages")
