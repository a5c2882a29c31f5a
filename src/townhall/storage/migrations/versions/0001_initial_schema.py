"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 18:39:27.778401
"""
from alembic import op
import sqlalchemy as sa
import townhall.storage.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('accounts',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('server_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('hubs',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('account_id', sa.String(length=22), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('access_level', sa.String(length=16), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('auto_list_events', sa.Boolean(), nullable=False),
    sa.Column('landing', sa.Boolean(), nullable=False),
    sa.Column('created_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('hubs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hubs_account_id'), ['account_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('account_id', sa.String(length=22), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('created_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'email')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_account_id'), ['account_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.String(length=22), nullable=False),
    sa.Column('account_id', sa.String(length=22), nullable=False),
    sa.Column('hub_id', sa.String(length=22), nullable=False),
    sa.Column('host_user_id', sa.String(length=22), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=16), nullable=False),
    sa.Column('meeting_type', sa.String(length=16), nullable=True),
    sa.Column('access_level', sa.String(length=32), nullable=False),
    sa.Column('attendance_type', sa.String(length=16), nullable=False),
    sa.Column('calendar', sa.JSON(), nullable=False),
    sa.Column('start_time', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.Column('end_time', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.Column('lobby_start_time', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.Column('lobby_end_time', townhall.storage.types.UTCDateTime(), nullable=True),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('blocked_countries', sa.JSON(), nullable=False),
    sa.Column('recurrence', sa.JSON(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('tagline', sa.String(length=500), nullable=True),
    sa.Column('physical_location', sa.String(length=500), nullable=True),
    sa.Column('cancel_message', sa.Text(), nullable=True),
    sa.Column('registrants_count', sa.Integer(), nullable=False),
    sa.Column('created_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['host_user_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_account_status_start', ['account_id', 'status', 'start_time'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_hub_id'), ['hub_id'], unique=False)

    op.create_table('hub_hosts',
    sa.Column('hub_id', sa.String(length=22), nullable=False),
    sa.Column('user_id', sa.String(length=22), nullable=False),
    sa.Column('created_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('hub_id', 'user_id')
    )
    op.create_table('oauth_apps',
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=22), nullable=False),
    sa.Column('user_id', sa.String(length=22), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('secret_hash', sa.String(length=200), nullable=False),
    sa.Column('scopes', sa.Text(), nullable=False),
    sa.Column('created_at', townhall.storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id')
    )
    with op.batch_alter_table('oauth_apps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oauth_apps_account_id'), ['account_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('oauth_apps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_oauth_apps_account_id'))

    op.drop_table('oauth_apps')
    op.drop_table('hub_hosts')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_hub_id'))
        batch_op.drop_index('ix_events_account_status_start')

    op.drop_table('events')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_account_id'))

    op.drop_table('users')
    with op.batch_alter_table('hubs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hubs_account_id'))

    op.drop_table('hubs')
    op.drop_table('server_settings')
    op.drop_table('accounts')
