"""A writer killed with SIGKILL in the middle of a part leaves a store that every engine reads,
with no partial part visible; its temporary file is ignored and then cleaned up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from lamdata.errors import SchemaError
from lamdata.store import Store, query

from .helpers import sample_rejection

ROOT = Path(__file__).resolve().parents[2]

#: Writes parts of 200k rejections (~10 MB each) forever, printing each committed part.
WRITER = """
import sys
import pyarrow as pa
from lamdata.store import Store
from lamdata.records import Rejection
store = Store(sys.argv[1])
schema = Rejection.arrow_schema()
n = 200_000
for k in range(1000):
    ids = pa.array([f"qr_{k:04d}_{i:08d}" for i in range(n)])
    text = pa.array([f"reason: row {i} of part {k} " + "x" * (i % 40) for i in range(n)])
    columns = {f.name: text for f in schema}
    columns["id"] = ids
    store.write("quarantine", pa.table(columns, schema=schema), part=f"part-{k:04d}")
    print(k, flush=True)
"""


def _temporaries(store_path: Path) -> list[Path]:
    return sorted(store_path.glob(".tmp/*"))


def _hidden_in_table(store_path: Path) -> list[Path]:
    return sorted(p for p in (store_path / "quarantine").iterdir() if p.name.startswith("."))


def _kill_mid_part(store_path: Path) -> subprocess.Popen[str]:
    """Start the writer, wait for one committed part and a growing temporary, kill -9."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store_path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "0"  # one part committed
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any(p.stat().st_size > 0 for p in _temporaries(store_path) if p.exists()):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    proc.wait(timeout=30)
    return proc


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for _attempt in range(5):
        path = tmp_path_factory.mktemp("crash") / "store"
        proc = _kill_mid_part(path)
        assert proc.returncode == -signal.SIGKILL
        if _temporaries(path):
            return path
    pytest.fail("the writer was never caught in the middle of a part")


def _committed_rows(store: Store) -> int:
    return sum(pq.read_metadata(p).num_rows for p in store.parts("quarantine"))


def test_a_partial_part_is_left_only_as_a_hidden_temporary(crashed: Path) -> None:
    store = Store(crashed)
    temporaries = _temporaries(crashed)
    assert len(temporaries) == 1
    assert _hidden_in_table(crashed) == []
    assert all(p.suffix == ".parquet" for p in (crashed / "quarantine").iterdir())
    with pytest.raises(Exception):  # noqa: B017 — it is really half a file
        pq.read_metadata(temporaries[0])
    assert temporaries[0] not in store.parts("quarantine")
    assert _committed_rows(store) % 200_000 == 0 and _committed_rows(store) > 0


def test_every_engine_reads_the_committed_parts(crashed: Path) -> None:
    store = Store(crashed)
    expected = _committed_rows(store)
    folder = crashed / "quarantine"
    assert pl.scan_parquet(folder / "*.parquet").select(pl.len()).collect().item() == expected
    assert pl.scan_parquet(folder).select(pl.len()).collect().item() == expected
    assert ds.dataset(folder, format="parquet").count_rows() == expected
    assert pq.read_table(folder, columns=["id"]).num_rows == expected
    sql = f"SELECT count(*) FROM read_parquet('{folder}/*.parquet')"
    assert duckdb.connect().execute(sql).fetchone() == (expected,)
    result = query(store, "SELECT count(*) AS n, count(DISTINCT id) AS d FROM quarantine")
    assert result.to_pylist() == [{"n": expected, "d": expected}]
    assert store.count("quarantine") == expected


def test_clean_temporaries_removes_what_the_dead_writer_left(crashed: Path) -> None:
    store = Store(crashed)
    before = store.parts("quarantine")
    assert store.clean_temporaries() == 1
    assert _temporaries(crashed) == []
    assert store.parts("quarantine") == before
    assert store.clean_temporaries() == 0


def test_clean_temporaries_spares_a_live_writer(store: Store) -> None:
    (store.path / ".tmp").mkdir()
    live = store.path / ".tmp" / f"runs.run-x.parquet.tmp-{os.getpid()}"
    live.write_bytes(b"PAR1 half")
    assert store.clean_temporaries() == 0
    assert live.exists()


def test_clean_temporaries_leaves_other_folders_alone(store: Store) -> None:
    """A killed export leaves a temporary *folder* beside its target; it is the exporter's
    to clean, and the store's sweep must neither touch it nor fail on it."""
    export_tmp = store.path / "exports" / ".hf.tmp-999999999"
    export_tmp.mkdir(parents=True)
    (store.path / ".tmp").mkdir()
    (store.path / ".tmp" / "dir.tmp-999999999").mkdir()
    assert store.clean_temporaries() == 0
    assert export_tmp.is_dir()


def test_a_failed_write_leaves_no_temporary(store: Store) -> None:
    bad = pa.table({"id": ["x"]})  # lacks the table's columns
    with pytest.raises(SchemaError, match=r"lack columns \['stage'"):
        store.write("quarantine", bad, part="p")
    wrong = store._to_arrow("quarantine", [sample_rejection()]).set_column(
        2, "reason", pa.array([[1]])
    )
    with pytest.raises(SchemaError, match="do not fit"):
        store.write("quarantine", wrong, part="p")
    assert _temporaries(store.path) == []
    assert store.parts("quarantine") == []
