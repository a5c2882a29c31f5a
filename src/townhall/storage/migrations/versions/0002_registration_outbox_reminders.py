"""registration, outbox, reminders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 18:52:54.217106
"""
from alembic import op
import sqlalchemy as sa
import townhall.storage.types
from townhall.domain.ids import new_id


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('event_id', sa.String(length=22), nullable=False),
    sa.Column('registrant_id', sa.String(length=22), nullable=True),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_until', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.Column('sent_at', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_registrant_id'), ['registrant_id'], unique=False)

    op.create_table('reminder_runs',
    sa.Column('event_id', sa.String(length=22), nullable=False),
    sa.Column('minutes_before', sa.Integer(), nullable=False),
    sa.Column('due_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.Column('ran_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'minutes_before')
    )
    op.create_table('ticket_types',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('event_id', sa.String(length=22), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('free', sa.Boolean(), nullable=False),
    sa.Column('price', sa.String(length=32), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('sold_quantity', sa.Integer(), nullable=False),
    sa.Column('sale_start', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.Column('sale_end', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.Column('sessions', sa.JSON(), nullable=False),
    sa.Column('bookmarked_sessions', sa.JSON(), nullable=False),
    sa.Column('visibility', sa.JSON(), nullable=False),
    sa.Column('attendance_type', sa.String(length=16), nullable=True),
    sa.Column('questions', sa.JSON(), nullable=True),
    sa.Column('created_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ticket_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_types_event_id'), ['event_id'], unique=False)

    op.create_table('registrants',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('event_id', sa.String(length=22), nullable=False),
    sa.Column('ticket_type_id', sa.String(length=22), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_normalized', sa.String(length=254), nullable=False),
    sa.Column('first_name', sa.String(length=64), nullable=False),
    sa.Column('last_name', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('custom_answers', sa.JSON(), nullable=False),
    sa.Column('external_ticket_id', sa.String(length=128), nullable=True),
    sa.Column('registration_source', sa.String(length=16), nullable=True),
    sa.Column('method', sa.String(length=32), nullable=False),
    sa.Column('send_notification', sa.Boolean(), nullable=False),
    sa.Column('join_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.Column('cancelled_at', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.Column('first_join_at', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.Column('last_seen_at', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.Column('join_count', sa.Integer(), nullable=False),
    sa.Column('last_resent_at', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_type_id'], ['ticket_types.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('join_token')
    )
    with op.batch_alter_table('registrants', schema=None) as batch_op:
        batch_op.create_index('ix_registrants_event_created', ['event_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('uq_registrants_event_email', ['event_id', 'email_normalized'], unique=True, sqlite_where=sa.text('cancelled_at IS NULL'), postgresql_where=sa.text('cancelled_at IS NULL'))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('questions', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('reminder_minutes', sa.JSON(), nullable=False, server_default='[1440, 60]'))

    # Every event registers through a ticket type: give existing events their default one.
    connection = op.get_bind()
    events = connection.execute(sa.text("SELECT id, created_at FROM events")).all()
    for event_id, created_at in events:
        connection.execute(
            sa.text(
                "INSERT INTO ticket_types (id, event_id, is_default, name, description, currency, free, price,"
                " sold_quantity, sessions, bookmarked_sessions, visibility, created_at)"
                " VALUES (:id, :event_id, :yes, 'General Admission', '', 'USD', :yes, '0', 0, '[]', '[]', '{}', :created_at)"
            ),
            {"id": new_id(), "event_id": event_id, "yes": True, "created_at": created_at},
        )


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('reminder_minutes')
        batch_op.drop_column('questions')

    with op.batch_alter_table('registrants', schema=None) as batch_op:
        batch_op.drop_index('uq_registrants_event_email', sqlite_where=sa.text('cancelled_at IS NULL'), postgresql_where=sa.text('cancelled_at IS NULL'))
        batch_op.drop_index('ix_registrants_event_created')

    op.drop_table('registrants')
    with op.batch_alter_table('ticket_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_types_event_id'))

    op.drop_table('ticket_types')
    op.drop_table('reminder_runs')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_registrant_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_event_id'))
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outbox')
