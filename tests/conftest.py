"""Shared fixtures: the real data directory, fresh stores, and a store snapshot for
"the store is unchanged" assertions; and the rule that keeps the fast tier off the real data.

Test tiers: the fast tier (``-m "not slow and not reference"``) runs on the committed fixtures
alone (``tests/fixtures``, with a mock of the whole data directory in ``tests/fixtures/data``).
A test that reads the real data directory must be marked ``slow`` or ``reference``: an unmarked
test that asks for ``data_dir`` fails before its fixtures are set up, and an unmarked test sees
``ECONSEC_DATA_DIR`` pointing to a directory that does not exist, so that no code path can reach
the real data through the default configuration either.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from econsec.settings import Config
from econsec.store import DATA_TABLES, Store

pytest_plugins = ["pytester"]  # tests/test_tiers.py runs small test sessions of its own

FIXTURES = Path(__file__).parent / "fixtures"

#: A test that reads the real data directory carries one of these markers, so that the fast tier
#: (``-m "not slow and not reference"``) runs on the committed fixtures alone.
REAL_DATA_MARKERS = ("slow", "reference")
#: ECONSEC_DATA_DIR of every unmarked test: a directory that does not exist, named for the fix.
NO_DATA_DIR = Path(tempfile.gettempdir()) / "econsec-fast-tier-has-no-data-mark-the-test-slow"


def real_data_without_marker(item: pytest.Item) -> bool:
    """True when a test needs ``data_dir`` (directly or through other fixtures) but carries no
    marker of :data:`REAL_DATA_MARKERS`."""
    return ("data_dir" in getattr(item, "fixturenames", ())
            and not any(item.get_closest_marker(m) for m in REAL_DATA_MARKERS))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # before any fixture is set up, so the message is the same with or without the data
    if real_data_without_marker(item):
        pytest.fail(f"{item.nodeid} reads the real data directory (fixture data_dir) but is not "
                    "marked slow or reference: mark it @pytest.mark.slow, or use a committed "
                    "fixture under tests/fixtures/", pytrace=False)


@pytest.fixture(autouse=True)
def _fast_tier_has_no_data_dir(request: pytest.FixtureRequest,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    if not any(request.node.get_closest_marker(m) for m in REAL_DATA_MARKERS):
        monkeypatch.setenv("ECONSEC_DATA_DIR", str(NO_DATA_DIR))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real datasets (ECONSEC_DATA_DIR, default ../shared/data). Tests read them in place.
    Only tests marked slow or reference may use it (see :func:`pytest_runtest_setup`)."""
    d = Config.resolve().data_dir
    if not d.is_dir():
        pytest.fail(f"data directory {d} not found: set ECONSEC_DATA_DIR")
    return d


@pytest.fixture(scope="session")
def mock_data_dir() -> Path:
    """The mock data directory (``tests/fixtures/data``): the layout of the real one, a few rows
    per published file, in the file's own format. For the fast tier."""
    return FIXTURES / "data"


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
