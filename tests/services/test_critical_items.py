"""Critical items on the real Comtrade HS2 data (2019): bloc screens and residual codes.

Every expected value is computed here with pandas from the raw Comtrade CSVs
(``trade/comtrade_hs2_2019_2020``: 30 reporters' exports by partner; imports are mirror data,
i.e. what the reporters say they shipped to each importer), not by econsec.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.services import indicators as svc
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow
runner = CliRunner()

# The 27 EU member states after the United Kingdom's withdrawal (the store's group EU27).
EU27 = ("AUT BEL BGR CYP CZE DEU DNK ESP EST FIN FRA GRC HRV HUN IRL ITA LTU LUX LVA MLT NLD POL "
        "PRT ROU SVK SVN SWE").split()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("crit") / "s.duckdb"
    with Store(path) as s:
        ingest_real(s, data_dir, "hs_concordance", "comtrade_hs2", "imf_dots")
    return path


@pytest.fixture(scope="module")
def raw(data_dir: Path) -> pd.DataFrame:
    files = sorted((data_dir / "trade/comtrade_hs2_2019_2020").glob("comtrade_hs2_exports_2019_*.csv"))
    df = pd.concat(pd.read_csv(f, dtype={"cmdCode": str, "rt3ISO": str, "pt3ISO": str}) for f in files)
    # Code 490 "Other Asia, nes" (no ISO3 in the file) is Taiwan, as reporter and as partner.
    df["rt3ISO"] = df["rt3ISO"].fillna("TWN")
    df.loc[df["ptCode"] == 490, "pt3ISO"] = "TWN"
    return df[df["TradeValue"] > 0]


def test_eu27_bloc_sums_each_supplier_over_members(db: Path, raw: pd.DataFrame) -> None:
    # Reporters in the file: 9 EU members (BEL CZE DEU ESP FRA IRL ITA NLD POL) and 21 others.
    # Extra-EU imports of HS 01 (live animals): what the 21 non-EU reporters shipped to any of the
    # 27 members, summed by supplier (GBR: 420.2 M USD of 514.4 M).
    p = raw[raw["cmdCode"] == "01"]
    into_eu = p[p["pt3ISO"].isin(EU27)]
    m = into_eu[~into_eu["rt3ISO"].isin(EU27)].groupby("rt3ISO")["TradeValue"].sum()
    share = m / m.sum()
    intra = into_eu[into_eu["rt3ISO"].isin(EU27) & (into_eu["rt3ISO"] != into_eu["pt3ISO"])]
    # Extra-EU exports of the 9 EU reporters: their World row less their exports to members where
    # they report a World row (CZE, IRL), else their exports to non-members (the others report
    # only their exports to the other 29 reporters).
    eu_rep = p[p["rt3ISO"].isin(EU27)]
    world = eu_rep[eu_rep["pt3ISO"] == "WLD"].groupby("rt3ISO")["TradeValue"].sum()
    to_eu = intra.groupby("rt3ISO")["TradeValue"].sum().reindex(world.index, fill_value=0)
    others = eu_rep[~eu_rep["rt3ISO"].isin(world.index) & ~eu_rep["pt3ISO"].isin([*EU27, "WLD"])]
    x_extra = (world - to_eu).sum() + others["TradeValue"].sum()

    with Store(db, read_only=True) as s:
        # min_coverage 0: the mirror data hold under 80 % of the members' imports, so the default
        # refuses (test_indicator_coverage.py); the aggregation itself is what is checked here
        r = svc.critical_items(s, "EU27", year=2019, bloc=svc.bloc_members(s, "EU27"), min_coverage=0)
    row = r.frame.set_index("product").loc["01"]
    assert share.idxmax() == "GBR" and share.max() == pytest.approx(0.8169, abs=1e-4)
    assert row["top1_supplier"] == "GBR"
    assert row["top1_share"] == pytest.approx(share.max(), rel=1e-12)
    assert row["hhi"] == pytest.approx(float((share**2).sum()), rel=1e-12)  # 0.6817
    assert row["imports_usd"] == pytest.approx(m.sum(), rel=1e-12)
    assert row["import_export_ratio"] == pytest.approx(m.sum() / x_extra, rel=1e-12)
    # Extra-EU share 514 M / (514 M + 5.74 bn intra) = 0.082 < 0.5: the EU screen does not flag
    # live animals (the Korea rule, top supplier ≥ 50 %, does).
    assert row["extra_bloc_share"] == pytest.approx(m.sum() / (m.sum() + intra["TradeValue"].sum()),
                                                    rel=1e-12)
    assert not row["flag_eu"] and row["flag_korea"]
    sup = r.tables["suppliers"]
    top3 = sup[sup["product"] == "01"].sort_values("rank")
    assert top3["supplier"].tolist() == m.sort_values(ascending=False).index[:3].tolist()
    assert top3["imports_usd"].tolist() == pytest.approx(m.sort_values(ascending=False)[:3].tolist())


def test_residual_chapter_99_is_listed_not_flagged(db: Path, raw: pd.DataFrame) -> None:
    # Japan's mirror imports of HS 99 (commodities not specified according to kind): 18.4 bn USD,
    # 81 % "from" Australia — confidential trade, not a product Japan depends on.
    k = raw[(raw["pt3ISO"] == "JPN") & (raw["cmdCode"] == "99")].groupby("rt3ISO")["TradeValue"].sum()
    total = raw[(raw["pt3ISO"] == "JPN") & (raw["rt3ISO"] != "JPN")]["TradeValue"].sum()
    with Store(db, read_only=True) as s:
        r = svc.critical_items(s, "JPN", year=2019)
        r_all = svc.critical_items(s, "JPN", year=2019, include_residual=True)
    assert "99" not in set(r.frame["product"])
    res = r.tables["residual"].set_index("product")
    assert list(res.index) == ["99"]
    assert res.loc["99", "imports_usd"] == pytest.approx(k.sum(), rel=1e-12)
    assert res.loc["99", "share_of_imports"] == pytest.approx(k.sum() / total, rel=1e-12)
    assert res.loc["99", "top1_supplier"] == k.idxmax() == "AUS"
    assert res.loc["99", "top1_share"] == pytest.approx(k.max() / k.sum(), rel=1e-12)
    assert res.loc["99", "would_flag_korea"]  # what the screens would have said
    assert any(f"{k.sum():,.0f} USD of JPN's imports" in c and "set aside" in c for c in r.coverage)
    # On request, chapter 99 is screened like any other code.
    assert "99" in set(r_all.frame["product"])


def test_cli_bloc_and_residual(db: Path) -> None:
    r = runner.invoke(app, ["--db", str(db), "critical-items", "EU27", "--bloc-members", "EU27",
                            "--year", "2019", "--min-coverage", "0", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert "99" not in {row["product"] for row in doc["rows"]}
    assert [row["product"] for row in doc["tables"]["residual"]] == ["99"]
    top = [row for row in doc["tables"]["suppliers"] if row["product"] == "01"]
    assert len({row["supplier"] for row in top}) == len(top) == 3  # one row per supplier
    r = runner.invoke(app, ["--db", str(db), "critical-items", "MERCOSUR", "--bloc-members",
                            "MERCOSUR", "--year", "2019"])
    assert r.exit_code == 1 and "unknown bloc 'MERCOSUR'" in r.stderr and "EU27" in r.stderr
    assert "Traceback" not in r.output


def test_complementarity_leaves_out_residual_codes(db: Path, raw: pd.DataFrame) -> None:
    with Store(db, read_only=True) as s:
        r = svc.complementarity(s, "KOR", "JPN", year=2019)
        r_all = svc.complementarity(s, "KOR", "JPN", year=2019, include_residual=True)
    assert "99" not in set(r.frame["product"]) and "99" in set(r_all.frame["product"])
    # The value at risk drops by exactly what Japan imports of HS 99 from its top supplier (AUS).
    k = raw[(raw["pt3ISO"] == "JPN") & (raw["cmdCode"] == "99")].groupby("rt3ISO")["TradeValue"].sum()
    s_, s_all = (x.tables["scores"].set_index("direction") for x in (r, r_all))
    assert (s_all.loc["KOR covers JPN", "imports_at_risk_usd"] - s_.loc["KOR covers JPN", "imports_at_risk_usd"]
            ) == pytest.approx(k.max(), rel=1e-9)
