"""custom report templates

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "custom_reports",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("event_id", sa.String(22), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_custom_reports_event_id", "custom_reports", ["event_id"])


def downgrade() -> None:
    op.drop_table("custom_reports")
