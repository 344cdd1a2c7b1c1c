"""Read-only SQL over the store through DuckDB.

DuckDB never owns data: each table is a view over its Parquet parts. The sandbox accepts one
query statement, lets DuckDB read files only inside the store, and locks the configuration, so
``read_csv('/etc/passwd')``, ``COPY``, ``ATTACH``, ``INSTALL``/``LOAD`` and ``SET`` are refused.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from lamdata.errors import InputError, QueryRefused, StoreError
from lamdata.store.store import Store

_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}

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


def connect(store: Store) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table, sandboxed to the store."""
    con = duckdb.connect(":memory:")
    for table in store.tables():
        parts = store.parts(table)
        for path in parts:
            store.check_part(table, path)
        if parts:
            files = ", ".join(_quote(str(p)) for p in parts)
            con.execute(
                f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{files}], union_by_name=true)"
            )
        else:
            empty = store.schema(table).empty_table() if table in store.known() else None
            if empty is not None:
                con.register(f"_empty_{table}", empty)
                con.execute(f"CREATE VIEW {table} AS SELECT * FROM _empty_{table}")
    con.execute(STEPS_VIEW)
    root = str(store.path.resolve()) + "/"
    con.execute(f"SET allowed_directories=[{_quote(root)}]")
    con.execute("SET enable_external_access=false")
    con.execute("SET lock_configuration=true")
    return con


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


def query(store: Store, sql: str) -> pa.Table:
    """Run one read-only statement and return its result as Arrow."""
    con = connect(store)
    try:
        check_statement(con, sql)
        relation = con.sql(sql)
        return relation.to_arrow_table() if relation is not None else pa.table({})
    except duckdb.PermissionException as exc:
        raise QueryRefused(
            f"refused: {_first_line(exc)}", hint="queries may read only the store's views"
        ) from exc
    except duckdb.InvalidInputException as exc:
        if "locked" in str(exc):
            raise QueryRefused(f"refused: {_first_line(exc)}") from exc
        raise InputError(f"query failed: {_first_line(exc)}", hint="fix the SQL") from exc
    except duckdb.CatalogException as exc:
        raise InputError(
            f"query failed: {_first_line(exc)}",
            hint=f"tables are: {', '.join([*store.tables(), 'steps'])}",
        ) from exc
    except duckdb.IOException as exc:
        raise StoreError(f"cannot read the store: {_first_line(exc)}") from exc
    except duckdb.Error as exc:
        raise InputError(f"query failed: {_first_line(exc)}", hint="fix the SQL") from exc
    finally:
        con.close()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
