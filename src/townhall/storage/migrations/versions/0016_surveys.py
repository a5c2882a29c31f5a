"""attendees' survey responses

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("event_id", sa.String(22), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("registrant_id", sa.String(22), sa.ForeignKey("registrants.id", ondelete="CASCADE"), nullable=False, unique=True),
        sa.Column("email", sa.String(254)),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_survey_responses_event_created", "survey_responses", ["event_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_table("survey_responses")
