"""Partial years (a year to date): kept, recorded in partial_periods by the adapter, flagged by
consumers. Expected values come from the data README's description of the files (hand-read)."""

from __future__ import annotations

from pathlib import Path

import pytest

from econsec.services import indicators as ind
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow  # reads the real data directory


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("partial") / "s.duckdb"
    with Store(path) as s:
        ingest_real(s, data_dir, "japan_customs", "census_partner", "comtrade_hs2")
    return path


def test_adapters_record_the_partial_years(db: Path) -> None:
    with Store(db, read_only=True) as s:
        p = s.df("SELECT source, year, months_published FROM partial_periods ORDER BY ALL")
        # README: Japan's annual table runs to 2026, "2026 is partial (about Jan–Mar)", months
        # not stated in the file; Census: the workbook has 2023 January only, the monthly pages
        # run to 2026-04, and 2025 is complete from the monthly pages.
        assert p.to_dict("records") == [
            {"source": "census_partner", "year": 2023, "months_published": 1},
            {"source": "census_partner", "year": 2026, "months_published": 4},
            {"source": "japan_customs", "year": 2026, "months_published": None}]
        # the rows themselves are kept (nothing dropped silently)
        n = s.df("SELECT count(*) AS n FROM trade_flows WHERE source = 'japan_customs' AND year = 2026 "
                 "AND month IS NULL")["n"].iloc[0]
        assert n > 0


def test_exposure_flags_the_partial_year(db: Path) -> None:
    with Store(db, read_only=True) as s:
        r = ind.exposure(s, source="japan_customs")
    flagged = sorted(r.frame.loc[r.frame["partial_year"], "year"].unique())
    assert flagged == [2026]
    assert any(c.startswith("2026 is a partial year") for c in r.coverage)


def test_latest_year_default_skips_a_partial_year(db: Path, tmp_path: Path) -> None:
    with Store(db, read_only=True) as s:
        assert ind.year_or_latest(s, "comtrade_hs2", None) == 2020
    copy = tmp_path / "c.duckdb"
    copy.write_bytes(db.read_bytes())
    with Store(copy) as s:
        s.con.execute("INSERT INTO partial_periods VALUES (2020, NULL, 6, 'test: half a year', 'comtrade_hs2')")
        assert ind.year_or_latest(s, "comtrade_hs2", None) == 2019
        assert ind.year_or_latest(s, "comtrade_hs2", 2020) == 2020     # asked for: given
