"""Ingest orchestration and the catalog of what the store holds."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from econsec.errors import EconsecError, NotFoundError, SourceNotFoundError
from econsec.lake import LakeOutcome, SparkLake
from econsec.settings import Config
from econsec.sources import registry
from econsec.sources.base import Source
from econsec.store import IngestOutcome, Store, ingest
from econsec.store.ingest import Progress
from econsec.store.queries import catalog as q
from econsec.store.queries import reference

__all__ = ["ENGINES", "catalog", "countries", "default_lake", "plan", "run_ingest", "run_spark_ingest", "run_sql"]

#: Ingest engines: embedded DuckDB (default) or Spark into a Parquet lake (BACI).
ENGINES = ("duckdb", "spark")


def plan(config: Config, source: str | None = None,
         path: str | Path | None = None) -> list[tuple[Source, list[Path]]]:
    """Which adapters read which files.

    No source: every registered adapter with files in the data directory. A source alone: its
    files in the data directory. A source and a path: that file, or every file the adapter
    recognises in that directory.
    """
    if source is None:
        if not config.data_dir.is_dir():
            raise SourceNotFoundError(f"data directory {config.data_dir} does not exist "
                                      "(set --data-dir or ECONSEC_DATA_DIR)")
        jobs = [(a, a.discover(config.data_dir)) for a in registry.available()]
        return [(a, files) for a, files in jobs if files]
    adapter = registry.get(source)
    if path is None:
        files = adapter.discover(config.data_dir)
        if not files:
            raise SourceNotFoundError(f"source {source!r}: no files matching {adapter.patterns} "
                                      f"in {config.data_dir}")
        return [(adapter, files)]
    p = Path(path).expanduser().resolve()
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
    elif p.is_file():
        files = [p]
    else:
        raise SourceNotFoundError(f"{p} does not exist")
    return [(adapter, files)]


def run_ingest(config: Config, source: str | None = None, path: str | Path | None = None, *,
               force: bool = False, progress: Progress | None = None,
               store: Store | None = None) -> list[IngestOutcome]:
    """Plan and run one atomic ingest into ``store`` (default: the store at ``config.db``,
    opened and closed here)."""
    jobs = plan(config, source, path)
    if store is not None:
        return ingest(store, jobs, force=force, progress=progress)
    with Store(config.db) as s:
        return ingest(s, jobs, force=force, progress=progress)


def default_lake(config: Config) -> Path:
    """The lake beside the store: ``<store directory>/lake``."""
    return Path(config.db).expanduser().absolute().parent / "lake"


def run_spark_ingest(config: Config, source: str, path: str | Path | None = None, *,
                     lake: str | Path | None = None, master: str = "local[2]",
                     force: bool = False, progress: Progress | None = None,
                     store: Store | None = None) -> tuple[LakeOutcome, IngestOutcome]:
    """Parse ``source`` with Spark into a Parquet lake, then register the lake in the store.

    Two atomic steps: the lake write (:meth:`SparkLake.ingest_baci`, Spark started only when the
    files changed, stopped at the end) and the store ingest of the lake's snapshot
    (:meth:`SparkLake.register`). Progress stages come as ("baci → lake", stage) and then the
    store's own ("baci", stage).
    """
    if source != "baci":
        raise EconsecError(f"--engine spark reads source 'baci' only, got {source!r}")
    ((_, files),) = plan(config, source, path)
    the_lake = SparkLake(lake if lake is not None else default_lake(config))
    say = progress or (lambda _s, _t: None)
    started = []

    def start() -> object:
        from econsec.lake import session

        s = session(master)
        started.append(s)
        return s

    try:
        lake_out = the_lake.ingest_baci(files, start, force=force,
                                        progress=lambda stage: say(f"{source} → lake", stage))
    finally:
        for s in started:
            s.stop()
    if store is not None:
        return lake_out, the_lake.register(store, source, force=force, progress=progress)
    with Store(config.db) as s:
        return lake_out, the_lake.register(s, source, force=force, progress=progress)


def catalog(store: Store) -> pd.DataFrame:
    """One row per ingested source: title, vintage, files, rows read and written, sha256, coverage.

    ``sha256`` is the SHA-256 of the sorted per-file digests (one fingerprint per source); the
    per-file digests are in ``ingest_log``.
    """
    log = q.current_files(store)
    if log.empty:
        return pd.DataFrame(columns=["source", "dataset", "vintage", "files", "rows_read", "rows",
                                     "sha256", "coverage", "tables", "ingested_at"])
    cov = q.coverage(store)
    cov = cov[cov["rows"] > 0]
    rows = []
    for src, g in log.groupby("source", sort=True):
        c = cov[cov["source"] == src]
        years = (f"{int(c['first_year'].min())}–{int(c['last_year'].max())}"
                 if c["first_year"].notna().any() else "")
        rows.append({
            "source": src,
            "dataset": g["dataset"].iloc[0],
            "vintage": g["vintage"].iloc[0],
            "files": len(g),
            "rows_read": int(g["rows_read"].sum()),
            "rows": int(c["rows"].sum()),
            "sha256": hashlib.sha256("".join(sorted(g["sha256"])).encode()).hexdigest(),
            "coverage": years,
            "tables": ", ".join(f"{t}={n:,}" for t, n in zip(c["tbl"], c["rows"], strict=True)),
            "ingested_at": str(g["ingested_at"].max()),
        })
    return pd.DataFrame(rows)


def countries(store: Store) -> pd.DataFrame:
    """Every country the store knows (view ``country_catalog``): ISO3, name, codes per scheme,
    group memberships, by ISO3."""
    return reference.country_catalog(store)


def groups(store: Store) -> pd.DataFrame:
    """Every country-group code with its number of members."""
    codes = reference.group_codes(store)
    members = reference.group_members(store, codes)
    return members.groupby("group_code", as_index=False).agg(members=("iso3", "count"))


def group_members(store: Store, group: str) -> list[str]:
    """ISO3 members of ``group`` (any case); NotFoundError naming the known groups."""
    code = group.strip().upper()
    m = reference.group_members(store, [code])
    if m.empty:
        raise NotFoundError(f"unknown group {group!r}: known groups are "
                            f"{', '.join(reference.group_codes(store))}")
    return list(m["iso3"])


def run_sql(config: Config, sql: str, params: Sequence[object] | None = None) -> pd.DataFrame:
    """Run a user's ``sql`` on a sandboxed read-only connection (``Store(..., sandbox=True)``).

    Only the store's tables and views can be read: writes, file and URL access (``read_csv``,
    ``COPY … TO``, ``ATTACH``), extensions and ``SET`` raise :class:`econsec.errors.ReadOnlyError`.
    """
    with Store(config.db, sandbox=True) as store:
        return store.df(sql, params)
