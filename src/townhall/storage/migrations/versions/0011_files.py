"""uploaded files and multipart uploads

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

from townhall.storage.types import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("id", sa.String(22), primary_key=True),
        sa.Column("account_id", sa.String(22), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("hub_id", sa.String(22), sa.ForeignKey("hubs.id", ondelete="SET NULL")),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("duration_seconds", sa.Integer()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_files_account_id", "files", ["account_id"])
    op.create_index("ix_files_hub_created", "files", ["hub_id", "created_at"])
    op.create_table(
        "multipart_uploads",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("account_id", sa.String(22), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("hub_id", sa.String(22), sa.ForeignKey("hubs.id", ondelete="SET NULL")),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_length", sa.BigInteger()),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("multipart_uploads")
    op.drop_table("files")
