"""registrants: on-site check-in

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registrants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_in_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("check_in_source", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registrants", schema=None) as batch_op:
        batch_op.drop_column("check_in_source")
        batch_op.drop_column("checked_in_at")
