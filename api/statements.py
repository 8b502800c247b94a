"""SQL the ORM compiled once, run again on a plain cursor.

Building a queryset and compiling it costs about a millisecond each time, for SQL text that is
the same on every request of the same shape (same filters, same ordering, same reader). A
`Statement` keeps what the ORM produced: the SQL, its parameters and the converters the ORM
applies to the rows (SQLite returns dates as text, PostgreSQL needs none), so running it again
gives the rows the queryset would have given, without the queryset.

On PostgreSQL the rows come through psycopg's own (C) loader for `timestamptz` instead of
Django's, which is written in Python (~5 µs a value). Both give the same instant; with
USE_TZ only (without it Django reads timestamps as naive local times, so it keeps its own).
"""

import json
import threading

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Lookup


class Statement:
    """One SELECT as the ORM compiled it. `rows()` runs it (as the same query, so it is
    counted and logged like any other), optionally with some parameters replaced and a
    suffix appended (LIMIT/OFFSET)."""

    __slots__ = ("alias", "converters", "params", "sql", "timestamps_as_text")

    def __init__(self, alias, sql, params, converters=None, *, timestamps_as_text=False):
        self.alias = alias
        self.sql = sql
        self.params = tuple(params)
        self.converters = converters or {}
        # For rows whose timestamps are only written out again: PostgreSQL's own UTC text
        # for them (`2026-11-21 10:00:00.5+00`), not datetimes (`readers.datetime_texts()`).
        self.timestamps_as_text = timestamps_as_text

    @classmethod
    def of(cls, queryset, *, timestamps_as_text=False):
        """The statement `queryset` (a values_list() one) would run; None when it would run
        none because it cannot match anything (e.g. `pk__in=[]`)."""
        compiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        columns = [select[0] for select in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(columns)
        return cls(queryset.db, sql, params, converters, timestamps_as_text=timestamps_as_text)

    def rows(self, params=None, suffix=""):
        connection = connections[self.alias]
        sql = f"{self.sql} {suffix}" if suffix else self.sql
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and settings.USE_TZ:
                # (Django runs PostgreSQL's sessions in UTC unless told otherwise.)
                if self.timestamps_as_text and connection.timezone_name == "UTC":
                    load_timestamps_as_text(cursor)
                else:
                    load_timestamps_in_c(cursor)
            cursor.execute(sql, self.params if params is None else params)
            rows = cursor.fetchall()
        if self.converters:
            rows = convert(rows, self.converters, connection)
        return rows

    def value(self):
        """The single value of a one-row, one-column statement (a count)."""
        return self.rows()[0][0]


def load_timestamps_in_c(cursor):
    """psycopg's `timestamptz` loader for this cursor only (the connection keeps Django's)."""
    from psycopg.types.datetime import TimestamptzLoader

    # Registering psycopg's own class picks its C implementation when there is one.
    cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)


def load_timestamps_as_text(cursor):
    """`timestamptz` values as the text PostgreSQL sends, for this cursor only."""
    from psycopg.types.string import TextLoader

    cursor.cursor.adapters.register_loader("timestamptz", TextLoader)


def convert(rows, converters, connection):
    """What `SQLCompiler.apply_converters()` does to values_list() rows."""
    converted = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in converters.items():
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted


def count_statement(queryset):
    """A statement counting the rows of `queryset`, compiled, not run: its ids (each row has
    one) counted. PostgreSQL and SQLite flatten the sub-select, so it costs what `count()`
    costs. None when `queryset` cannot match (its count is 0 without a query)."""
    ids = Statement.of(queryset.order_by().values_list("pk"))
    if ids is None:
        return None
    return Statement(ids.alias, f"SELECT COUNT(*) FROM ({ids.sql}) subquery", ids.params)


def when_any(conditions, then, otherwise):
    """One statement: `then`'s value if any of `conditions` (statements) has a row, else
    `otherwise`'s. The database runs only the one it needs (both PostgreSQL and SQLite)."""
    tests = " OR ".join(f"EXISTS ({condition.sql})" for condition in conditions)
    sql = f"SELECT CASE WHEN {tests} THEN ({then.sql}) ELSE ({otherwise.sql}) END"
    params = [param for part in (*conditions, then, otherwise) for param in part.params]
    return Statement(then.alias, sql, params)


class AmongIds(Lookup):
    """`field IN ids`, with the ids as one parameter: an array literal on PostgreSQL (text
    cast to bigint[]: psycopg dumps a list of ints element by element in Python, ~0.7 ms for
    100), JSON text on SQLite. The SQL is then the same whatever the number of ids, so it is
    compiled once (`WithIds`), and psycopg, which re-parses every statement of more than 50
    parameters, parses it once too.
    Used as an expression: `filter(AmongIds(F("support_id"), ids))`."""

    lookup_name = "among_ids"
    prepare_rhs = False

    @staticmethod
    def param(vendor, ids):
        """The one parameter standing for `ids` in this database's SQL."""
        if vendor == "postgresql":
            return "{" + ",".join(str(int(pk)) for pk in ids) + "}"
        return json.dumps(list(ids))

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"{lhs} = ANY(%s::bigint[])"
        return sql, (*lhs_params, self.param(connection.vendor, self.rhs))

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"{lhs} IN (SELECT value FROM json_each(%s))"
        return sql, (*lhs_params, self.param(connection.vendor, self.rhs))

    def as_sql(self, compiler, connection):  # other databases: one parameter per id
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if not ids:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)


class WithIds:
    """A statement compiled once, run for any list of ids: `build(ids)` is the queryset,
    filtered with `AmongIds(..., ids)`. Compiled with an id no record has, whose parameter
    is then swapped for the real ones'."""

    STAND_INS = (-1,)

    def __init__(self, alias, build):
        self.build = build
        self.vendor = connections[alias].vendor
        self.statement = Statement.of(build(self.STAND_INS))
        params = self.statement.params if self.statement else ()
        stand_in = AmongIds.param(self.vendor, self.STAND_INS)
        self.slot = params.index(stand_in) if params.count(stand_in) == 1 else None

    def rows(self, ids):
        if self.slot is None:  # a database whose SQL takes one parameter per id
            statement = Statement.of(self.build(ids))
            return statement.rows() if statement else []
        params = list(self.statement.params)
        params[self.slot] = AmongIds.param(self.vendor, ids)
        return self.statement.rows(params)


class Shapes:
    """A bounded map from a request's shape to what was compiled for it. Reads take no lock;
    a new entry evicts the oldest once `size` are kept."""

    def __init__(self, size):
        self.size = size
        self.entries = {}
        self.lock = threading.Lock()

    def get(self, key):
        return self.entries.get(key)

    def add(self, key, value):
        with self.lock:
            while len(self.entries) >= self.size:
                del self.entries[next(iter(self.entries))]
            self.entries[key] = value
        return value

    def clear(self):
        with self.lock:
            self.entries.clear()
