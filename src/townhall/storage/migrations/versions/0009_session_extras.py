"""sessions: polls, interpreters and the incoming livestream

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("polls", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("interpreters", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("livestream", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_sessions", schema=None) as batch_op:
        batch_op.drop_column("livestream")
        batch_op.drop_column("interpreters")
        batch_op.drop_column("polls")
