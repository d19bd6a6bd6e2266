"""World markets vs World reports (econsec.analytics.indicators.equipment), and the service on
the real Comtrade semiconductor-equipment file.

Kernel values are hand computations on a tiny table; real-data values are recomputed from the
published CSV with pandas (reference: the file itself)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.analytics.indicators import equipment as eqp
from econsec.errors import NotFoundError
from econsec.services import indicators as svc
from econsec.store import Store
from tests.conftest import ingest_real

TINY = pd.DataFrame({
    "reporter": ["USA", "JPN", "NLD", "JPN", "KOR", "CHN", "KOR"],
    "flow": ["export", "export", "export", "export", "import", "import", "import"],
    "year": [2020] * 7,
    "product": ["848620"] * 7,
    "value_usd": [30.0, 20.0, 40.0, 10.0, 50.0, 100.0, 0.0],   # JPN twice: summed to 30
})


def test_shares_ranks_and_hhi_by_hand() -> None:
    m = eqp.world_market(TINY)
    ex = m[m["flow"] == "export"].set_index("reporter")
    # exports 30 + 30 + 40 = 100: shares .3, .3, .4; NLD ranks 1, USA and JPN tie at 2
    assert ex["share"].to_dict() == pytest.approx({"NLD": 0.4, "JPN": 0.3, "USA": 0.3})
    assert ex["rank"].to_dict() == {"NLD": 1, "JPN": 2, "USA": 2}
    s = eqp.market_summary(m).set_index("flow")
    assert s.loc["export", "hhi"] == pytest.approx(0.4**2 + 0.3**2 + 0.3**2)   # 0.34
    assert s.loc["export", "n_reporters"] == 3
    assert s.loc["export", "top"] == "NLD 40.0%, JPN 30.0%, USA 30.0%"
    assert s.loc["import", "total_usd"] == 150.0


def test_cover_ratio_by_hand() -> None:
    c = eqp.cover(eqp.world_market(TINY), "KOR", "JPN").iloc[0]
    # KOR imports 50 of 150; JPN exports 30 of 100: min(30, 50)/50 = 0.6
    assert c["imports_KOR_usd"] == 50 and c["import_share_KOR"] == pytest.approx(1 / 3)
    assert c["exports_JPN_usd"] == 30 and c["export_share_JPN"] == pytest.approx(0.3)
    assert c["cover_ratio"] == pytest.approx(0.6) and c["exporter_hhi"] == pytest.approx(0.34)
    # CHN exports nothing: its columns are 0 and so is the cover ratio
    z = eqp.cover(eqp.world_market(TINY), "KOR", "CHN").iloc[0]
    assert z["exports_CHN_usd"] == 0 and z["cover_ratio"] == 0


@pytest.mark.slow
def test_real_comtrade_equipment_file(tmp_path: Path, data_dir: Path) -> None:
    raw = pd.read_csv(next((data_dir / "trade/comtrade_semiconductor_equipment_2016_2020").glob("*.csv")),
                      dtype={"Commodity Code": str})
    raw = raw[(raw["Year"] == 2020) & (raw["Commodity Code"] == "848620")].copy()
    # reporter 490 "Other Asia, nes" (Taiwan) has no ISO code in the file; econsec maps it to TWN
    assert raw.loc[raw["Reporter Code"] == 490, "Reporter ISO"].isna().all()
    raw.loc[raw["Reporter Code"] == 490, "Reporter ISO"] = "TWN"
    exports = raw[raw["Trade Flow"] == "Export"].groupby("Reporter ISO")["Trade Value (US$)"].sum()
    imports = raw[raw["Trade Flow"] == "Import"].groupby("Reporter ISO")["Trade Value (US$)"].sum()
    with Store(tmp_path / "s.duckdb") as s:
        ingest_real(s, data_dir, "comtrade_sme", "hs_concordance")
        r = svc.semiconductor_equipment(s, "KOR", "JPN")
        back = svc.semiconductor_equipment(s, "JPN", "KOR").frame.set_index(["year", "product"])
        with pytest.raises(NotFoundError, match="ZZZ reports no imports"):
            svc.semiconductor_equipment(s, "ZZZ", "JPN")
    row = r.frame.set_index(["year", "product"]).loc[(2020, "848620")]
    assert row["exports_JPN_usd"] == exports["JPN"]                       # 12.03 bn USD
    assert row["export_share_JPN"] == pytest.approx(exports["JPN"] / exports.sum())
    assert row["imports_KOR_usd"] == imports["KOR"]                       # 10.27 bn USD
    assert row["cover_ratio"] == pytest.approx(min(exports["JPN"], imports["KOR"]) / imports["KOR"])
    assert row["exporter_hhi"] == pytest.approx(((exports / exports.sum()) ** 2).sum())
    assert row["n_exporters"] == len(exports)
    assert row["top_exporters"].startswith("USA 26.4%, JPN 24.4%, NLD 23.8%")
    # docs/indicators.md: Korea's 1.9 bn USD of exports could cover 69 % of Japan's 2.7 bn
    assert back.loc[(2020, "848620"), "cover_ratio"] == pytest.approx(exports["KOR"] / imports["JPN"])
    assert round(back.loc[(2020, "848620"), "cover_ratio"], 2) == 0.69
    assert r.years == (2016, 2017, 2018, 2019, 2020) and "Machines and apparatus" in row["description"]
