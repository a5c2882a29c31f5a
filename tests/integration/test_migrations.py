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


def test_head_is_alembics_newest_revision(fresh_database_url):
    from alembic.script import ScriptDirectory

    from townhall.storage.migrate import HEAD, alembic_config

    engine = make_engine(fresh_database_url)
    try:
        assert ScriptDirectory.from_config(alembic_config(engine)).get_heads() == [HEAD]
    finally:
        engine.dispose()


def test_check_schema_says_what_to_run(fresh_database_url):
    import pytest

    from townhall.storage.migrate import HEAD, SchemaNotReady, check_schema

    engine = make_engine(fresh_database_url)
    try:
        with pytest.raises(SchemaNotReady, match=r"not initialized: run `townhall init` first"):
            check_schema(engine)
        upgrade(engine, "0017")
        with pytest.raises(SchemaNotReady, match=rf"at revision 0017 and this townhall needs {HEAD}: run `townhall migrate`"):
            check_schema(engine)
        upgrade(engine)
        check_schema(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        with pytest.raises(SchemaNotReady, match="9999, which this townhall does not know .* migrated by a newer townhall"):
            check_schema(engine)
    finally:
        engine.dispose()
