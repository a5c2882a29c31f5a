"""the outbox loses its index on registrant_id

Nothing looks outbox rows up by registrant alone (the email deliveries report asks within an
event, which the event_id index answers), and every registration paid for one more index entry.

Revision ID: 0019
Revises: 0018
"""
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_outbox_registrant_id", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_registrant_id", "outbox", ["registrant_id"])
