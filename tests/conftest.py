"""Shared fixtures: the real data directory, fresh stores, and a store snapshot for
"the store is unchanged" assertions."""

from __future__ import annotations

from pathlib import Path

import pytest

from econsec.settings import Config
from econsec.store import DATA_TABLES, Store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real datasets (ECONSEC_DATA_DIR, default ../shared/data). Tests read them in place."""
    d = Config.resolve().data_dir
    if not d.is_dir():
        pytest.fail(f"data directory {d} not found: set ECONSEC_DATA_DIR")
    return d


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "econsec.duckdb")
    yield s
    s.close()


def ingest_real(store: Store, data_dir: Path, *names: str,
                wiod_years: tuple[int, ...] | None = None) -> None:
    """Ingest the named sources from the real data directory in one call; WIOD limited to the
    tables of ``wiod_years`` (its label files always)."""
    from econsec.sources.registry import get
    from econsec.store import ingest

    jobs = []
    for name in names:
        src = get(name)
        files = src.discover(data_dir)
        if name == "wiod2013" and wiod_years:
            files = [f for f in files if not f.name.startswith("wiot_")
                     or any(f.name == f"wiot_{y}.parquet" for y in wiod_years)]
        jobs.append((src, files))
    ingest(store, jobs)


def snapshot(store: Store) -> dict[str, tuple[int, int]]:
    """(row count, order-independent content hash) of every table in the store."""
    tables = [r[0] for r in store.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
    out = {}
    for t in sorted(tables):
        n, h = store.con.execute(
            f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{t}" AS t').fetchone()
        out[t] = (int(n), int(h))
    return out


__all__ = ["DATA_TABLES", "FIXTURES", "ingest_real", "snapshot"]
