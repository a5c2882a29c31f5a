"""access links

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_links",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("event_id", sa.String(22), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("authentication_method", sa.String(32), nullable=False),
        sa.Column("idp_name", sa.String(100)),
        sa.Column("allow_domain_list", sa.JSON(), nullable=False),
        sa.Column("email_restrict_list", sa.JSON(), nullable=False),
        sa.Column("security_at_join", sa.JSON(), nullable=False),
        sa.Column("ticket_type_id", sa.String(22), sa.ForeignKey("ticket_types.id", ondelete="SET NULL")),
        sa.Column("recurring_registration_option", sa.String(32)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("event_id", "name"),
    )
    op.create_index("ix_access_links_event_id", "access_links", ["event_id"])


def downgrade() -> None:
    op.drop_table("access_links")
