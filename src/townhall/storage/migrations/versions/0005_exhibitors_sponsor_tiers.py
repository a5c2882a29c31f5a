"""exhibitors and sponsor tiers

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

URL = sa.String(500)


def upgrade() -> None:
    op.create_table(
        "sponsor_tiers",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("event_id", sa.String(22), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.String(500)),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_index("ix_sponsor_tiers_event_id", "sponsor_tiers", ["event_id"])
    op.create_table(
        "exhibitors",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("event_id", sa.String(22), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("is_sponsor", sa.Boolean(), nullable=False),
        sa.Column("tier_id", sa.String(22), sa.ForeignKey("sponsor_tiers.id", ondelete="SET NULL")),
        sa.Column("description", sa.Text()),
        sa.Column("associated_sessions", sa.JSON(), nullable=False),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("contact_email", sa.String(128), nullable=False),
        *(sa.Column(name, URL) for name in ("website", "privacy_policy", "linkedin_url", "twitter_url", "youtube_url",
                                           "instagram_url", "facebook_url")),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_exhibitors_event_id", "exhibitors", ["event_id"])


def downgrade() -> None:
    op.drop_table("exhibitors")
    op.drop_table("sponsor_tiers")
