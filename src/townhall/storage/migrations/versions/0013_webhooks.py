"""webhook subscriptions; sessions remember their session_ended webhook; rate-limit counters

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("account_id", sa.String(22), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("validated_at", UTCDateTime()),
        sa.Column("validation_failures", sa.Integer(), nullable=False),
        sa.Column("disabled_at", UTCDateTime()),
    )
    op.create_index("ix_webhook_subscriptions_account_id", "webhook_subscriptions", ["account_id"])
    with op.batch_alter_table("event_sessions") as batch_op:
        batch_op.add_column(sa.Column("ended_notified_at", UTCDateTime()))
    op.create_table(
        "rate_counters",
        sa.Column("account_id", sa.String(22), primary_key=True),
        sa.Column("category", sa.String(20), primary_key=True),
        sa.Column("period", sa.String(24), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_rate_counters_expires_at", "rate_counters", ["expires_at"])


def downgrade() -> None:
    op.drop_table("rate_counters")
    with op.batch_alter_table("event_sessions") as batch_op:
        batch_op.drop_column("ended_notified_at")
    op.drop_table("webhook_subscriptions")
