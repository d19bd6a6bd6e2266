"""Atomic, idempotent ingest of source adapters into the store.

Semantics
---------
* **Atomic**: one call is one transaction. Every source in the call is parsed and written inside
  it; any failure (bad input, a killed process, a full disk) rolls everything back, so the store
  keeps exactly the tables and rows it had.
* **Idempotent**: a source whose files have the same SHA-256 as its current ingest is skipped.
* **Replacement**: a changed source (new vintage, other files) replaces that source's rows in
  every data table, and nothing else. Its previous log rows are marked superseded, not deleted.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa

from econsec import __version__
from econsec.errors import SourceNotFoundError, StoreError
from econsec.sources.base import CodeMapping, Frame, Source
from econsec.store.store import DATA_TABLES, Store

Status = Literal["loaded", "replaced", "unchanged"]
Progress = Callable[[str, str], None]  # (source name, stage) -> None


@dataclass(frozen=True)
class IngestOutcome:
    """What one source's ingest did."""

    source: str
    status: Status
    vintage: str
    files: tuple[str, ...]
    rows_read: int
    rows_written: dict[str, int]
    mappings: tuple[CodeMapping, ...]
    seconds: float


def sha256(path: Path, chunk: int = 1 << 22) -> str:
    """SHA-256 of a file, read in 4 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def _current(store: Store, source: str) -> tuple[set[str], str | None]:
    rows = store.con.execute(
        "SELECT sha256, vintage FROM ingest_log WHERE source = ? AND superseded_by IS NULL",
        [source]).fetchall()
    return {r[0] for r in rows}, (rows[0][1] if rows else None)


def _guarded(reader: pa.RecordBatchReader, errors: list[BaseException]) -> pa.RecordBatchReader:
    """Wrap a stream so that an error raised while DuckDB reads it keeps its own type."""

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from reader
        except BaseException as e:
            errors.append(e)
            raise

    return pa.RecordBatchReader.from_batches(reader.schema, batches())


def _insert(store: Store, table: str, frame: Frame, source: str) -> int:
    if table not in DATA_TABLES:
        raise StoreError(f"adapter {source!r} produced unknown table {table!r}")
    cols = store.columns(table)
    if isinstance(frame, pa.RecordBatchReader):
        names = list(frame.schema.names)
    elif isinstance(frame, pa.Table):
        names = list(frame.column_names)
    else:
        names = [str(c) for c in frame.columns]
    extra = [c for c in names if c not in cols]
    if extra:
        raise StoreError(f"adapter {source!r}: table {table!r} has no columns {extra}")
    absent = [c for c, (_, nullable) in cols.items()
              if not nullable and c not in names and c not in ("source", "mirror")]
    if absent:
        raise StoreError(f"adapter {source!r}: table {table!r} needs columns {absent}")
    errors: list[BaseException] = []
    if isinstance(frame, pa.RecordBatchReader):
        frame = _guarded(frame, errors)
    store.con.register("_ingest_frame", frame)
    col_sql = ", ".join(f'"{c}"' for c in names)
    try:
        rows = store.con.execute(
            f'INSERT INTO "{table}" ({col_sql}, source) SELECT {col_sql}, ? FROM _ingest_frame',
            [source]).fetchall()
    except duckdb.Error:
        if errors:  # the adapter's own error (bad input found while streaming)
            raise errors[0] from None
        raise
    # (On error the transaction is aborted and the registration is replaced by the next one.)
    store.con.unregister("_ingest_frame")
    return int(rows[0][0]) if rows else 0


def ingest(store: Store, jobs: Sequence[tuple[Source, Sequence[Path]]], *,
           force: bool = False, progress: Progress | None = None) -> list[IngestOutcome]:
    """Ingest each (adapter, files) pair in one transaction; see the module docstring.

    Parameters
    ----------
    store : an open, writable store.
    jobs : adapters with the files to read (from :meth:`Source.discover` or given by the user).
    force : re-parse and replace even when the files are unchanged.
    progress : called with (source, stage) as work proceeds; stages are
        ``hashing``, ``parsing``, ``writing``, ``done`` and ``unchanged``.
    """
    say = progress or (lambda _s, _t: None)
    outcomes: list[IngestOutcome] = []
    with store.transaction() as con:
        ingest_id = con.execute("SELECT nextval('ingest_id_seq')").fetchall()[0][0]
        now = datetime.now()
        for src, paths in jobs:
            t0 = time.perf_counter()
            paths = [Path(p) for p in paths]
            if not paths:
                raise SourceNotFoundError(f"source {src.name!r}: no files to ingest")
            for p in paths:
                if not p.is_file():
                    raise SourceNotFoundError(f"source {src.name!r}: {p} is not a file")
            say(src.name, "hashing")
            digests = {str(p): sha256(p) for p in paths}
            current, old_vintage = _current(store, src.name)
            if not force and current and current == set(digests.values()):
                say(src.name, "unchanged")
                outcomes.append(IngestOutcome(src.name, "unchanged", old_vintage or "",
                                              tuple(digests), 0, {}, (), time.perf_counter() - t0))
                continue
            say(src.name, "parsing")
            parsed = src.parse(paths)
            say(src.name, "writing")
            for table in DATA_TABLES:
                con.execute(f'DELETE FROM "{table}" WHERE source = ?', [src.name])
            written = {t: _insert(store, t, f, src.name) for t, f in parsed.tables.items()}
            con.execute("UPDATE ingest_log SET superseded_by = ? WHERE source = ? AND superseded_by IS NULL",
                        [ingest_id, src.name])
            for p in paths:
                con.execute("INSERT INTO ingest_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                            [ingest_id, src.name, src.title, str(p), digests[str(p)], p.stat().st_size,
                             int(parsed.rows_read.get(str(p), 0)), parsed.vintage, now, __version__])
            for t, n in written.items():
                con.execute("INSERT INTO ingest_tables VALUES (?, ?, ?, ?)", [ingest_id, src.name, t, n])
            for m in parsed.mappings:
                con.execute("INSERT INTO code_mappings VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [ingest_id, src.name, m.field, m.code, m.mapped_to, m.rows, m.note])
            say(src.name, "done")
            outcomes.append(IngestOutcome(
                src.name, "replaced" if current else "loaded", parsed.vintage, tuple(digests),
                int(sum(parsed.rows_read.values())), written, tuple(parsed.mappings),
                time.perf_counter() - t0))
    return outcomes
