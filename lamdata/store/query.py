"""Read-only SQL over the store through DuckDB.

DuckDB never owns data: each table is a view over its Parquet parts. The sandbox accepts one
query statement, lets DuckDB read files only inside the store, and locks the configuration, so
``read_csv('/etc/passwd')``, ``COPY``, ``ATTACH``, ``INSTALL``/``LOAD`` and ``SET`` are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import duckdb
import pyarrow as pa

from lamdata.errors import InputError, QueryRefused, StoreError
from lamdata.store.store import Store

#: Errors in the SQL itself; any other failure may come from a damaged part.
_SQL_MISTAKES = (
    duckdb.ParserException,
    duckdb.BinderException,
    duckdb.ConversionException,
    duckdb.OutOfRangeException,
    duckdb.NotImplementedException,
    duckdb.TypeMismatchException,
)
_TABLE_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
_SQL_SCALARS: list[tuple[Callable[[pa.DataType], bool], str]] = [
    (pa.types.is_string, "VARCHAR"),
    (pa.types.is_large_string, "VARCHAR"),
    (pa.types.is_int64, "BIGINT"),
    (pa.types.is_int32, "INTEGER"),
    (pa.types.is_float64, "DOUBLE"),
    (pa.types.is_float32, "FLOAT"),
    (pa.types.is_boolean, "BOOLEAN"),
    (pa.types.is_binary, "BLOB"),
]

#: One row per trajectory step, with the step's action fields flattened.
STEPS_VIEW = """
CREATE VIEW steps AS
SELECT t.id AS trajectory_id, t.instance_id, t.app, s.idx, s.status, s.error,
       s.action.function AS function, s.action.control_id AS control_id,
       s.action.control_text AS control_text, s.action.control_type AS control_type,
       s.action.args_json AS args_json, s.action.subtask AS subtask,
       s.matched_control, s.match_score, s.state_hash, s.latency_ms
FROM trajectories t, UNNEST(t.steps) AS u(s)
"""


def _quote(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def connect(store: Store, tables: Iterable[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table, sandboxed to the store.

    ``tables`` limits the views to those tables (None: every table), so that a query pays for
    checking the parts of the tables it reads only.
    """
    con = duckdb.connect(":memory:")
    _add_views(con, store, tables)
    return con


def _add_views(con: duckdb.DuckDBPyConnection, store: Store, tables: Iterable[str] | None) -> None:
    """Create the views (in one round trip), then lock the connection to the store."""
    if tables is None:
        wanted = store.tables()
    else:  # without listing every table's folder
        wanted = sorted(t for t in set(tables) if t in store.known() or _is_table(store, t))
    views = [v for v in (_view(con, store, table) for table in wanted) if v]
    if "trajectories" in wanted and (tables is None or "steps" in tables):
        views.append(STEPS_VIEW)
    if views:
        con.execute(";\n".join(views))
    root = str(store.path.resolve()) + "/"
    con.execute(
        f"SET allowed_directories=[{_quote(root)}]; SET enable_external_access=false; "
        "SET lock_configuration=true"
    )


def _is_table(store: Store, name: str) -> bool:
    return bool(_TABLE_NAME.fullmatch(name)) and bool(store.parts(name))


def _view(con: duckdb.DuckDBPyConnection, store: Store, table: str) -> str:
    """The ``CREATE VIEW`` of one table: its parts, or an empty relation with its columns."""
    parts = store.parts(table)
    uniform = store.check_parts(table, parts)
    name = _ident(table)
    if parts:
        files = ", ".join(_quote(str(p)) for p in parts)
        unify = "" if uniform else ", union_by_name=true"  # costly: only when schemas differ
        return f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{files}]{unify})"
    if table not in store.known():
        return ""
    schema = store.schema(table)
    try:
        columns = ", ".join(f"NULL::{_sql_type(f.type)} AS {_ident(f.name)}" for f in schema)
    except TypeError:  # a type without a SQL spelling here: let DuckDB read the Arrow schema
        con.register(f"_empty_{table}", schema.empty_table())
        return f"CREATE VIEW {name} AS SELECT * FROM _empty_{table}"
    return f"CREATE VIEW {name} AS SELECT {columns} WHERE false"


def _sql_type(tp: pa.DataType) -> str:
    """The DuckDB spelling of an Arrow type (the ones records use)."""
    if pa.types.is_list(tp) or pa.types.is_large_list(tp):
        return f"{_sql_type(tp.value_type)}[]"
    if pa.types.is_struct(tp):
        return "STRUCT(" + ", ".join(f"{_ident(f.name)} {_sql_type(f.type)}" for f in tp) + ")"
    for test, name in _SQL_SCALARS:
        if test(tp):
            return name
    raise TypeError(f"no SQL type for {tp}")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse anything but exactly one query statement."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise InputError(f"SQL does not parse: {_first_line(exc)}", hint="fix the SQL") from exc
    if len(statements) != 1:
        raise QueryRefused(f"expected exactly one SQL statement, got {len(statements)}")
    kind = statements[0].type
    if kind not in _ALLOWED:
        raise QueryRefused(f"{kind.name} statements are not allowed: the store is read-only")


class _UnknownTable(InputError):
    """A catalog error: with only some views created, the query may need the others."""


def query(store: Store, sql: str) -> pa.Table:
    """Run one read-only statement and return its result as Arrow."""
    con = duckdb.connect(":memory:")
    try:
        check_statement(con, sql)
        names = _tables_named(sql)
        _add_views(con, store, names)
        try:
            return _run(con, store, sql)
        except _UnknownTable:
            if names is None:
                raise
        # a table the parser did not see (``query_table('x')``): retry with every view
        con.close()
        con = connect(store)
        return _run(con, store, sql)
    finally:
        con.close()


def _tables_named(sql: str) -> set[str] | None:
    """The store tables ``sql`` reads (None when it names none: SHOW TABLES and the like)."""
    try:
        names = {n.lower() for n in duckdb.get_table_names(sql)}
    except duckdb.Error:
        return None
    if "steps" in names:
        names.add("trajectories")
    return names or None


def _run(con: duckdb.DuckDBPyConnection, store: Store, sql: str) -> pa.Table:
    try:
        relation = con.sql(sql)
        return relation.to_arrow_table() if relation is not None else pa.table({})
    except duckdb.PermissionException as exc:
        raise QueryRefused(
            f"refused: {_first_line(exc)}", hint="queries may read only the store's views"
        ) from exc
    except duckdb.InvalidInputException as exc:
        if "locked" in str(exc):
            raise QueryRefused(f"refused: {_first_line(exc)}") from exc
        _raise_bad_part(store, exc)
        raise InputError(f"query failed: {_first_line(exc)}", hint="fix the SQL") from exc
    except duckdb.CatalogException as exc:
        raise _UnknownTable(
            f"query failed: {_first_line(exc)}",
            hint=f"tables are: {', '.join([*store.tables(), 'steps'])}",
        ) from exc
    except (duckdb.IOException, duckdb.InternalException) as exc:
        _raise_bad_part(store, exc)
        raise StoreError(f"cannot read the store: {_first_line(exc)}") from exc
    except duckdb.Error as exc:
        if not isinstance(exc, _SQL_MISTAKES):
            _raise_bad_part(store, exc)
        raise InputError(f"query failed: {_first_line(exc)}", hint="fix the SQL") from exc


def _raise_bad_part(store: Store, exc: duckdb.Error) -> None:
    """When DuckDB fails reading, find the part to blame: check every part in full (the views
    checked one part per schema only), so the error names the file."""
    for table in store.tables():
        for path in store.parts(table):
            try:
                store.check_part(table, path)
            except StoreError as bad:
                raise bad from exc


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
