"""Alembic migrations create, downgrade and re-create the schema on SQLite and PostgreSQL."""

from sqlalchemy import inspect

from townhall.storage.db import make_engine
from townhall.storage.migrate import downgrade, upgrade
from townhall.storage.models import Base


def test_upgrade_creates_every_table_and_downgrade_removes_them(fresh_database_url):
    engine = make_engine(fresh_database_url)
    try:
        upgrade(engine)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        downgrade(engine, "base")
        assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
        upgrade(engine)
        upgrade(engine)  # idempotent
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_models_and_migrations_agree(fresh_database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(fresh_database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()
