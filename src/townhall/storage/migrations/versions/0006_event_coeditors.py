"""event co-editors

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_coeditors",
        sa.Column("event_id", sa.String(22), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("email_normalized", sa.String(128), primary_key=True),
        sa.Column("email", sa.String(128), nullable=False),
        sa.Column("permission_groups", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("event_coeditors")
