"""Import vulnerability on an MRIO's goods sectors (WIOD 2013): io_panel + the IV kernel, checked
against the formula evaluated directly on io_flows with pandas (an independent hand computation
of methods.md §2 on the same input)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.analytics.indicators.data import IO_GOODS, io_panel, load_panel, source_years
from econsec.errors import NotFoundError
from econsec.services import indicators as ind
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("iopanel") / "s.duckdb"
    with Store(path) as s:
        ingest_real(s, data_dir, "wiod2013")          # all 17 tables, 1995–2011
    return path


def iv_by_hand(flows: pd.DataFrame, importer: str) -> float:
    """IV_c = Σ_{s,p} m_csp (x_sp / X_wp) / M_c with x_sp = s's sales of p to all other economies."""
    f = flows[(flows["row_country"] != flows["col_country"]) & flows["row_sector"].isin(IO_GOODS)]
    x = f.groupby(["row_country", "row_sector"])["value"].sum()
    share = x / x.groupby(level="row_sector").transform("sum")
    m = f[f["col_country"] == importer].groupby(["row_country", "row_sector"])["value"].sum()
    return float((m * share.reindex(m.index)).sum() / m.sum())


def test_iv_on_wiod_goods_sectors_equals_the_formula(db: Path) -> None:
    with Store(db, read_only=True) as s:
        assert source_years(s, "wiod2013") == list(range(1995, 2012))
        flows = s.df("SELECT row_country, row_sector, col_country, value FROM io_flows "
                     "WHERE io_table = 'WIOD2013' AND year = 2011")
        r = ind.vulnerability(s, year=2011, source="wiod2013").frame.set_index("country")
        panel = load_panel(s, "wiod2013", 2011)
        assert panel.n_products == 16 and "ROW" in set(panel.countries)
        assert io_panel(s, "wiod2013", 2011).value.sum() == panel.value.sum()
    for c in ("KOR", "JPN", "CHN", "USA"):
        assert r.loc[c, "iv"] == pytest.approx(iv_by_hand(flows, c), rel=1e-12)
    assert "ROW" not in r.index and len(r) == 40           # ROW supplies but is not ranked
    # imports in USD: the table is in million USD
    m = flows[(flows["col_country"] == "KOR") & (flows["row_country"] != "KOR")
              & flows["row_sector"].isin(IO_GOODS)]["value"].sum()
    assert r.loc["KOR", "imports_usd"] == pytest.approx(m * 1e6, rel=1e-12)
    # the paper's Figure 1 puts Korea and Japan at the top; on WIOD 2011 they rank 1st and 2nd
    assert (r.loc["JPN", "rank"], r.loc["KOR", "rank"]) == (1, 2)


def test_series_rank_ranges_quoted_in_the_docs(db: Path) -> None:
    """docs/indicators.md: ranks among 40 economies over 1995–2011."""
    with Store(db, read_only=True) as s:
        series = ind.vulnerability_series(s, countries=("KOR", "JPN", "IND", "CHN", "USA", "DEU"),
                                          source="wiod2013")
        with pytest.raises(NotFoundError, match=r"WIOD2013 2012: expected flows in million USD, found no rows"):
            load_panel(s, "wiod2013", 2012)
    assert series.years == tuple(range(1995, 2012))
    r = series.frame.pivot(index="year", columns="country", values="rank")
    ranges = {c: (int(r[c].min()), int(r[c].max())) for c in r.columns}
    assert ranges == {"KOR": (1, 3), "JPN": (1, 4), "IND": (1, 3), "CHN": (9, 19), "USA": (6, 15),
                      "DEU": (31, 38)}
