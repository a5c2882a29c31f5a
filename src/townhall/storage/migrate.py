"""Schema migrations with Alembic, run from code (no alembic.ini needed), and the check that a
database holds this townhall's schema before a command or server uses it."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

# The newest migration (storage/migrations/versions): what a database must be at for this townhall
# to use it. Kept here so that the check costs one query, not an import of Alembic's script
# machinery (a few hundred milliseconds on every command); tests/unit/test_schema_head.py checks
# it against Alembic's own answer.
HEAD = "0019"
VERSION_TABLE = "alembic_version"


class SchemaNotReady(Exception):
    """The database cannot be used as it is; the message says what to run."""


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "townhall.storage:migrations")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def current_revisions(engine: Engine) -> list[str]:
    """The revisions Alembic recorded in the database; none when it was never migrated."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return []
        return list(connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalars())


def check_schema(engine: Engine) -> None:
    """Raise SchemaNotReady unless the database is at HEAD, saying whether to run `townhall init`
    (never migrated), `townhall migrate` (an older schema) or a newer townhall (a schema this
    one does not know: it was migrated by a later release)."""
    current = current_revisions(engine)
    if current == [HEAD]:
        return
    if not current:
        raise SchemaNotReady("The database is not initialized: run `townhall init` first.")
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config(engine))
    try:
        for revision in current:
            script.get_revision(revision)
    except CommandError:
        raise SchemaNotReady(
            f"The database's schema is at revision {', '.join(current)}, which this townhall does not know (its newest is {HEAD}): "
            "it was migrated by a newer townhall; run that one.") from None
    raise SchemaNotReady(f"The database's schema is at revision {', '.join(current)} and this townhall needs {HEAD}: run `townhall migrate`.")
