"""speakers

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "speakers",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("event_id", sa.String(22), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(128)),
        sa.Column("email_normalized", sa.String(128)),
        sa.Column("job_title", sa.String(200)),
        sa.Column("biography", sa.Text()),
        sa.Column("company_name", sa.String(200)),
        sa.Column("company_website", sa.String(500)),
        sa.Column("linkedin_url", sa.String(500)),
        sa.Column("twitter_url", sa.String(500)),
        sa.Column("youtube_url", sa.String(500)),
        sa.Column("featured_in_event_detail_page", sa.Boolean(), nullable=False),
        sa.Column("visible_in_event_detail_page", sa.Boolean(), nullable=False),
        sa.Column("featured_in_lobby", sa.Boolean(), nullable=False),
        sa.Column("visible_in_lobby", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_speakers_event_id", "speakers", ["event_id"])
    op.create_index("uq_speakers_event_email", "speakers", ["event_id", "email_normalized"], unique=True,
                    sqlite_where=sa.text("email_normalized IS NOT NULL"), postgresql_where=sa.text("email_normalized IS NOT NULL"))


def downgrade() -> None:
    op.drop_table("speakers")
