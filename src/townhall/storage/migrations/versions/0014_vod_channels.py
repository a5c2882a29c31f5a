"""VOD channels, their videos, registrations and watch times

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vod_channels",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("account_id", sa.String(22), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("hub_id", sa.String(22), sa.ForeignKey("hubs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("host_user_id", sa.String(22), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("questions", sa.JSON()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_vod_channels_hub_created", "vod_channels", ["hub_id", "created_at", "id"])
    op.create_table(
        "vod_channel_videos",
        sa.Column("channel_id", sa.String(22), sa.ForeignKey("vod_channels.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("file_id", sa.String(22), sa.ForeignKey("files.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("added_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "vod_registrations",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("channel_id", sa.String(22), sa.ForeignKey("vod_channels.id", ondelete="CASCADE"), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("email_normalized", sa.String(254), nullable=False),
        sa.Column("first_name", sa.String(64), nullable=False),
        sa.Column("last_name", sa.String(64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("custom_answers", sa.JSON(), nullable=False),
        sa.Column("join_token", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("channel_id", "email_normalized"),
    )
    op.create_index("ix_vod_registrations_channel_created", "vod_registrations", ["channel_id", "created_at", "id"])
    op.create_table(
        "vod_watches",
        sa.Column("registration_id", sa.String(22), sa.ForeignKey("vod_registrations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("file_id", sa.String(22), sa.ForeignKey("files.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("vod_watches")
    op.drop_table("vod_registrations")
    op.drop_table("vod_channel_videos")
    op.drop_table("vod_channels")
