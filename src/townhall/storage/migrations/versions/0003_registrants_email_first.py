"""registrants: the unique (email, event) index with the email first

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registrants", schema=None) as batch_op:
        batch_op.drop_index("uq_registrants_event_email")
        batch_op.create_index(
            "uq_registrants_email_event", ["email_normalized", "event_id"], unique=True,
            sqlite_where=sa.text("cancelled_at IS NULL"), postgresql_where=sa.text("cancelled_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("registrants", schema=None) as batch_op:
        batch_op.drop_index("uq_registrants_email_event")
        batch_op.create_index(
            "uq_registrants_event_email", ["event_id", "email_normalized"], unique=True,
            sqlite_where=sa.text("cancelled_at IS NULL"), postgresql_where=sa.text("cancelled_at IS NULL"),
        )
