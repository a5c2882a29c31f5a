"""Many rows at once, without SQLAlchemy's per-row parameter work.

PostgreSQL: many rows in one statement, sent as one JSON document and taken apart server-side.

An executemany through psycopg sends one Bind/Execute per row, each parsed and planned by the
server (prepared statements are off, see storage/db.py), and building a multi-row VALUES list
costs SQLAlchemy more than it saves. `INSERT ... SELECT FROM json_to_recordset(...)` has one
fixed text whatever the number of rows, and the server plans it once; several such statements
chain into one round trip as data-modifying CTEs.

Reads on the hot path go around SQLAlchemy's execution too (`DriverSelect`): a Core select run
on the driver, its rows processed as SQLAlchemy would, and on PostgreSQL several of them in one
round trip."""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from operator import itemgetter
from typing import Any

from pydantic_core import to_json
from sqlalchemy import JSON, Connection, Select, Table
from sqlalchemy.dialects import postgresql, sqlite

from townhall.storage.types import UTCDateTime

_PG = postgresql.dialect()
_SQLITE = sqlite.dialect()


def naive_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(timezone.utc).replace(tzinfo=None)


class JsonInsert:
    """`INSERT INTO table (columns) SELECT columns FROM json_to_recordset(%(name)s::json) AS t(column
    type, ...)`: the rows go as one JSON document, encoded in one call by pydantic-core (Rust), and
    the server takes them apart. Sent as arrays, one per column, psycopg dumped every element in
    Python (as text it quoted each with regular expressions; in binary it packed each with struct):
    building and dumping a registration batch's parameters took 710-880 us of CPU a batch of 32,
    as JSON 150-158 us.

    `sql` is the statement (usable as a CTE); `params(rows)` turns row dicts into its one parameter,
    with times as the columns store them (naive UTC: the server would drop an offset, not apply it)."""

    def __init__(self, table: Table, columns: Sequence[str], name: str) -> None:
        self._name = name
        self._times = [c for c in columns if isinstance(table.c[c].type, UTCDateTime)]
        listed = ", ".join(columns)
        defined = ", ".join(f"{c} {table.c[c].type.compile(dialect=_PG)}" for c in columns)
        self.sql = f"INSERT INTO {table.name} ({listed}) SELECT {listed} FROM json_to_recordset(%({name})s::json) AS t({defined})"

    def params(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
        if self._times:
            seen: dict[datetime, datetime | None] = {}  # a batch's rows share their times

            def naive(value: datetime | None) -> datetime | None:
                if value is None:
                    return None
                found = seen.get(value)
                if found is None:
                    found = seen[value] = naive_utc(value)
                return found

            rows = [{**row, **{c: naive(row[c]) for c in self._times}} for row in rows]
        return {self._name: to_json(rows).decode()}


class DriverSelect:
    """A Core select run on the driver itself (psycopg or sqlite3), without SQLAlchemy's execution
    events and result set-up around each run (on SQLite they cost more than the query). On
    PostgreSQL several can share one round trip: `bind` each into its text with a psycopg
    `ClientCursor`, send the texts joined by semicolons, and read each one's `rows` in turn
    (`cursor.nextset()` between them); through SQLAlchemy each would wait for its result before
    the next is sent. Rows come as named tuples, each value processed as SQLAlchemy's own result
    would (times made UTC-aware, JSON decoded on SQLite)."""

    def __init__(self, statement: Select) -> None:
        self._statement = statement
        self._row = namedtuple("DriverRow", [column.key for column in statement.selected_columns])  # type: ignore[misc]
        self._compiled: dict[str, tuple[str, list[str] | None, list[tuple[int, Callable[[Any], Any]]]]] = {}
        self._expanding = {name for name, bind in statement.compile().binds.items() if bind.expanding}

    def send(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        """Run it. SQLite: a list for an expanding parameter (`bindparam(..., expanding=True)`, as
        `column.in_(...)` makes) becomes one placeholder per value."""
        sql, positional = self._compile(connection)
        driver = connection.connection.driver_connection
        if positional is not None:
            values: list[Any] = []
            for name in positional:
                if name in self._expanding:
                    sql = sql.replace(f"__[POSTCOMPILE_{name}]", ", ".join("?" * len(params[name])) or "NULL")
                    values.extend(params[name])
                else:
                    values.append(params[name])
            return driver.execute(sql, values)
        return driver.execute(sql, params)

    def bind(self, connection: Connection, cursor: Any, params: Mapping[str, Any]) -> str:
        """PostgreSQL: the statement with its parameters bound into its text by a psycopg
        `ClientCursor` (`cursor`), to be sent with others in one text."""
        return cursor.mogrify(self._compile(connection)[0], params)

    def _compile(self, connection: Connection) -> tuple[str, list[str] | None]:
        dialect = connection.dialect
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            statement = self._statement.compile(dialect=dialect)
            processors = [(i, process) for i, column in enumerate(self._statement.selected_columns)
                          if (process := column.type.dialect_impl(dialect).result_processor(dialect, None)) is not None]
            positional = list(statement.positiontup) if statement.positional and statement.positiontup else None
            compiled = self._compiled[dialect.name] = (str(statement), positional, processors)
        return compiled[0], compiled[1]

    def all(self, connection: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Run it and read its rows at once."""
        return self.rows(connection, self.send(connection, params))

    def rows(self, connection: Connection, cursor: Any) -> list[Any]:
        processors = self._compiled[connection.dialect.name][2]
        out = []
        for values in cursor.fetchall():
            if processors:
                values = list(values)
                for i, process in processors:
                    values[i] = process(values[i])
            out.append(self._row._make(values))
        return out


def chain(statements: Sequence[str]) -> str:
    """Data-modifying statements run as one: all but the last as CTEs. They see the same snapshot,
    so none may depend on another's changes."""
    *first, last = statements
    if not first:
        return last
    return "WITH " + ", ".join(f"s{i} AS ({sql})" for i, sql in enumerate(first)) + " " + last


class SqliteInsert:
    """`INSERT INTO table (columns) VALUES (?, ...)`, run as the driver's executemany on rows turned
    into tuples here, each value converted by its column's own bind processor (SQLAlchemy's,
    so stored exactly as the ORM stores it). SQLAlchemy's executemany processed, and checked, each
    row's dictionary value by value: that cost more than SQLite's inserts. Values that repeat
    within a call (a batch's timestamp) are converted once; empty JSON containers need no encoder."""

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        self._get = itemgetter(*columns)
        self._convert: list[tuple[int, Callable[[Any], Any], bool]] = []
        for i, name in enumerate(columns):
            column_type = table.c[name].type
            process = column_type.dialect_impl(_SQLITE).bind_processor(_SQLITE)
            if process is not None:
                self._convert.append((i, process, isinstance(column_type, JSON)))

    def params(self, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        if not self._convert:
            return [self._get(row) for row in rows]
        seen: dict[tuple[int, Any], Any] = {}
        out = []
        for row in rows:
            values = list(self._get(row))
            for i, process, is_json in self._convert:
                value = values[i]
                if is_json:
                    values[i] = _EMPTY_JSON[type(value)] if not value and type(value) in _EMPTY_JSON else process(value)
                    continue
                try:
                    key = (i, value)
                    converted = seen.get(key, seen)  # (seen itself: not converted yet)
                    if converted is seen:
                        converted = seen[key] = process(value)
                except TypeError:  # a value that cannot be a key: converted each time
                    converted = process(value)
                values[i] = converted
            out.append(tuple(values))
        return out

    def execute(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            sqlite_driver(connection).executemany(self.sql, self.params(rows))


def sqlite_driver(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a Core connection, in its transaction: for the statements a
    batch runs every time, which through exec_driver_sql paid for SQLAlchemy's events and result
    set-up (~0.4 ms a batch of 32, 7% of it). Errors come as sqlite3's, not wrapped."""
    return connection.connection.driver_connection  # type: ignore[return-value]


_EMPTY_JSON: dict[type, str] = {dict: "{}", list: "[]"}
