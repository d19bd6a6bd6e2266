"""``SparkLake``: a Parquet lake of ``trade_flows`` rows, partitioned by source and year.

Layout::

    <lake>/manifest.json                                  the commit point (see .manifest)
    <lake>/trade_flows/source=baci/snapshot=<id>/year=2020/part-*.parquet
    <lake>/trade_flows/source=baci/.staging-<id>/         a write in progress (invisible)

A Parquet file holds every column of the store's ``trade_flows`` except the partition keys
``source`` and ``year``, with the same types and meaning (``value_usd`` in USD, ``value`` in
the source's unit, ``reporter``/``month``/``duty_usd`` NULL and ``mirror`` FALSE for BACI).

Writes are atomic: Spark writes into a staging directory, which is renamed to its snapshot name
and then made current by replacing the manifest; only then is the previous snapshot deleted. A
failure at any point before the manifest is replaced leaves the lake as it was (a killed run
leaves a hidden staging directory, swept by the next write).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.dataset as ds

from econsec.lake.manifest import LakeError, Manifest, SourceEntry, read_manifest, write_manifest

if TYPE_CHECKING:
    from econsec.lake.results import LakeOutcome
    from econsec.store import IngestOutcome, Store

#: ``trade_flows`` columns stored in the Parquet files (``source`` and ``year`` are partition keys).
COLUMNS: tuple[str, ...] = (
    "exporter", "importer", "reporter", "flow", "month", "classification", "product",
    "value_usd", "value", "currency", "quantity", "unit", "duty_usd", "basis", "mirror",
)
#: Arrow types of the store's ``trade_flows`` columns (VARCHAR, INTEGER, DOUBLE, BOOLEAN).
SCHEMA = pa.schema([
    ("exporter", pa.string()), ("importer", pa.string()), ("reporter", pa.string()),
    ("flow", pa.string()), ("year", pa.int32()), ("month", pa.int32()),
    ("classification", pa.string()), ("product", pa.string()), ("value_usd", pa.float64()),
    ("value", pa.float64()), ("currency", pa.string()), ("quantity", pa.float64()),
    ("unit", pa.string()), ("duty_usd", pa.float64()), ("basis", pa.string()),
    ("mirror", pa.bool_()),
])

Stage = Callable[[str], None]


def new_snapshot_id() -> str:
    """A sortable, unique snapshot id: UTC time and a random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


class SparkLake:
    """A Parquet lake at ``path`` (created on first write).

    Examples
    --------
    >>> lake = SparkLake("~/econsec-lake")                       # doctest: +SKIP
    >>> lake.ingest_baci(files, spark)                          # doctest: +SKIP
    >>> with Store(db) as store: lake.register(store)           # doctest: +SKIP
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser().absolute()
        self.manifest_path = self.path / "manifest.json"

    def __repr__(self) -> str:
        return f"SparkLake({str(self.path)!r})"

    # -- reading -----------------------------------------------------------------------------
    def manifest(self) -> Manifest:
        return read_manifest(self.manifest_path)

    def entry(self, source: str) -> SourceEntry | None:
        """The current snapshot of ``source``, or None when the lake does not hold it."""
        return self.manifest().sources.get(source)

    def require(self, source: str) -> SourceEntry:
        e = self.entry(source)
        if e is None:
            held = sorted(self.manifest().sources)
            raise LakeError(f"lake {self.path} holds no source {source!r} (holds {held}): "
                            f"run `econsec ingest {source} PATH --engine spark --lake {self.path}`")
        return e

    def source_dir(self, source: str) -> Path:
        return self.path / "trade_flows" / f"source={source}"

    def snapshot_dir(self, entry: SourceEntry) -> Path:
        return self.source_dir(entry.source) / f"snapshot={entry.snapshot}"

    def dataset(self, source: str) -> ds.Dataset:
        """The current snapshot of ``source`` as a pyarrow dataset (``year`` from the path)."""
        entry = self.require(source)
        snap = self.snapshot_dir(entry)
        if not snap.is_dir():
            raise LakeError(f"lake {self.path}: snapshot {entry.snapshot} of {source!r} named in "
                            f"{self.manifest_path.name} is missing ({snap})")
        part = ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive")
        return ds.dataset(str(snap), format="parquet", partitioning=part)

    def reader(self, source: str, *, batch_size: int = 1 << 17) -> pa.RecordBatchReader:
        """The rows of ``source`` as a stream of ``trade_flows`` batches (no ``source`` column)."""
        cols = [f.name for f in SCHEMA]
        scan = self.dataset(source).scanner(columns=cols, batch_size=batch_size)
        return pa.RecordBatchReader.from_batches(
            SCHEMA, (b.cast(SCHEMA) for b in scan.to_batches() if b.num_rows))

    # -- writing -----------------------------------------------------------------------------
    def staging_dir(self, source: str) -> Path:
        """A fresh hidden directory for one write (Spark creates it; it must not exist)."""
        self.sweep(source)
        d = self.source_dir(source) / f".staging-{new_snapshot_id()}"
        d.parent.mkdir(parents=True, exist_ok=True)
        return d

    def sweep(self, source: str) -> None:
        """Delete what failed or superseded writes left behind: staging directories and
        snapshots the manifest does not name."""
        d = self.source_dir(source)
        if not d.is_dir():
            return
        e = self.entry(source)
        keep = f"snapshot={e.snapshot}" if e else None
        for p in d.iterdir():
            if p.is_dir() and p.name != keep and (p.name.startswith(".staging-")
                                                   or p.name.startswith("snapshot=")):
                shutil.rmtree(p, ignore_errors=True)

    def commit(self, staged: Path, entry: SourceEntry) -> None:
        """Make ``staged`` the current snapshot of ``entry.source``: rename, replace the
        manifest (the atomic step), then delete the old snapshot."""
        old = self.entry(entry.source)
        target = self.snapshot_dir(entry)
        staged.rename(target)
        try:
            m = self.manifest()
            write_manifest(self.manifest_path, Manifest({**m.sources, entry.source: entry}))
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        if old is not None and old.snapshot != entry.snapshot:
            shutil.rmtree(self.snapshot_dir(old), ignore_errors=True)

    # -- engines -----------------------------------------------------------------------------
    def ingest_baci(self, files: Sequence[str | Path], spark: Any, *, force: bool = False,
                    progress: Stage | None = None) -> LakeOutcome:
        """Parse BACI year files with Spark into this lake; see :func:`econsec.lake.spark.ingest_baci`.

        ``spark`` is a ``SparkSession`` or a zero-argument callable returning one (called only
        when the files changed, so an unchanged re-run never starts Spark).
        """
        try:
            from econsec.lake.spark import ingest_baci
        except ImportError as e:
            raise LakeError("the Spark engine needs PySpark: pip install 'econsec[spark]' "
                            f"(and Java 17+); import failed: {e}") from e
        return ingest_baci(self, files, spark, force=force, progress=progress)

    def register(self, store: Store, source: str = "baci", *, force: bool = False,
                 progress: Callable[[str, str], None] | None = None) -> IngestOutcome:
        """Load the lake's current snapshot of ``source`` into ``store`` through the store's
        atomic, logged ingest; see :mod:`econsec.lake.register`."""
        from econsec.lake.register import register

        return register(self, store, source, force=force, progress=progress)
