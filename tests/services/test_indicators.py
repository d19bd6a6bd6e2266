"""Indicator services and CLI commands on the real Comtrade HS2 data (2019–2020, 30 reporters).

Expected values are computed independently here with pandas from the raw Comtrade files.
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

pytestmark = pytest.mark.slow  # reads the real data directory

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("ind") / "s.duckdb"
    with Store(path) as s:
        ingest_real(s, data_dir, "hs_concordance", "comtrade_hs2", "imf_dots", "japan_customs")
    return path


@pytest.fixture(scope="module")
def raw(data_dir: Path) -> pd.DataFrame:
    files = sorted((data_dir / "trade/comtrade_hs2_2019_2020").glob("comtrade_hs2_exports_2019_*.csv"))
    df = pd.concat(pd.read_csv(f, dtype={"cmdCode": str, "rt3ISO": str, "pt3ISO": str}) for f in files)
    df["rt3ISO"] = df["rt3ISO"].fillna("TWN")  # reporter 490 "Other Asia, nes" = Taiwan
    return df


def test_korea_mirror_imports_and_hhi_match_raw_files(db: Path, raw: pd.DataFrame) -> None:
    # Korea's imports of HS 27 (fuels) in 2019 = partners' reported exports to KOR.
    k = raw[(raw.pt3ISO == "KOR") & (raw.cmdCode == "27")].groupby("rt3ISO")["TradeValue"].sum()
    hhi = float(((k / k.sum()) ** 2).sum())
    with Store(db, read_only=True) as s:
        r = svc.critical_items(s, "KOR", year=2019, thresholds=svc.sc.Thresholds(single_supplier_share=0.0))
    row = r.frame.set_index("product").loc["27"]
    assert row["imports_usd"] == pytest.approx(k.sum(), rel=1e-12)
    assert row["hhi"] == pytest.approx(hhi, rel=1e-12)
    assert row["top1_supplier"] == k.idxmax()
    assert any("mirror" in c for c in r.coverage)
    sup = r.tables["suppliers"]
    top = sup[(sup["product"] == "27") & (sup["rank"] == 1)].iloc[0]
    assert top["supplier"] == k.idxmax() and top["share"] == pytest.approx(k.max() / k.sum())


def test_vulnerability_ranks_every_importer(db: Path, raw: pd.DataFrame) -> None:
    with Store(db, read_only=True) as s:   # coverage rule off (test_indicator_coverage.py: on)
        r = svc.vulnerability(s, year=2019, min_coverage=0)
    importers = set(raw.loc[~raw.pt3ISO.isin(["WLD"]) & raw.pt3ISO.notna(), "pt3ISO"])
    assert {"KOR", "JPN", "CHN", "USA", "DEU"} <= set(r.frame["country"])
    assert len(r.frame) >= 0.9 * len(importers)
    assert r.frame["rank"].min() == 1 and r.frame["iv"].is_monotonic_decreasing
    assert r.years == (2019,) and "comtrade_hs2" in r.source


def test_exposure_against_raw_imf_file(db: Path, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / "trade/imf_dots_2019_2020/imf_dots_exports_2019_2020_raw_iso2.csv")
    kor = raw[raw["from"] == "KR"]
    share_us = kor.loc[kor["to"] == "US", "2019"].sum() / kor.loc[kor["to"] == "W00", "2019"].sum()
    with Store(db, read_only=True) as s:
        r = svc.exposure(s, source="imf_dots", countries=["KOR"])
    got = r.frame.set_index("year").loc[2019, "export_share_USA"]
    assert got == pytest.approx(share_us, rel=1e-9)
    assert any("2017" in c for c in r.coverage)  # IMF file has no 2017: said so


def test_cli_complementarity_prints_ranked_list_and_provenance(db: Path) -> None:
    r = runner.invoke(app, ["--db", str(db), "complementarity", "KOR", "JPN", "--year", "2019"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert "strategic complementarity KOR–JPN" in text and "comtrade_hs2" in text
    assert "mirror" in text and "coverage:" in text and "scores" in text
    r = runner.invoke(app, ["--db", str(db), "complementarity", "KOR", "JPN", "--year", "2019",
                            "--format", "json"])
    doc = json.loads(r.stdout)
    assert doc["provenance"]["years"] == [2019]
    rows = pd.DataFrame(doc["rows"])
    assert rows["covered_usd"].is_monotonic_decreasing
    assert ((rows["coverage"] >= 0) & (rows["coverage"] <= 1)).all()
    assert {s["direction"] for s in doc["tables"]["scores"]} == {"JPN covers KOR", "KOR covers JPN"}


def test_cli_formats_and_errors(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.parquet"
    r = runner.invoke(app, ["--db", str(db), "vulnerability", "--year", "2019", "--format", "parquet",
                            "--out", str(out), "--min-coverage", "0"])
    assert r.exit_code == 0, r.output
    import pyarrow.parquet as pq
    meta = json.loads(pq.read_schema(out).metadata[b"econsec"])
    assert meta["source"] == "comtrade_hs2" and pq.read_table(out).num_rows > 100
    r = runner.invoke(app, ["--db", str(db), "competitiveness", "--year", "2019", "--format", "csv"])
    # plain CSV on stdout (header first), the provenance on stderr (issue 12)
    assert r.exit_code == 0 and r.stdout.startswith("country,")
    assert "indicator: export competitiveness" in r.stderr
    r = runner.invoke(app, ["--db", str(db), "critical-items", "KOR", "--year", "1999"])
    assert r.exit_code == 1 and "years: [2019, 2020]" in r.stderr
    r = runner.invoke(app, ["--db", str(db), "critical-items", "XXX", "--year", "2019"])
    assert r.exit_code == 1 and "unknown country code 'XXX'" in r.stderr
    # a known code (the former USSR) that the 2019 panel does not have
    r = runner.invoke(app, ["--db", str(db), "critical-items", "SUN", "--year", "2019"])
    assert r.exit_code == 1 and "SUN is not in the comtrade_hs2 panel" in r.stderr


def test_figure1_series_and_chart(db: Path, tmp_path: Path) -> None:
    with Store(db, read_only=True) as s:
        series = svc.vulnerability_series(s).frame
        y19 = svc.vulnerability(s, year=2019).frame.set_index("country")["iv"]
    assert set(series["country"]) == {"KOR", "JPN", "CHN", "USA", "DEU"}
    assert sorted(series["year"].unique()) == [2019, 2020]
    kor = series[(series.country == "KOR") & (series.year == 2019)]["iv"].iloc[0]
    assert kor == pytest.approx(y19["KOR"], rel=1e-12)
    png = tmp_path / "fig1.png"
    r = runner.invoke(app, ["--db", str(db), "vulnerability", "--year", "2019", "--chart", str(png),
                            "--format", "csv", "--out", str(tmp_path / "v.csv")])
    assert r.exit_code == 0, r.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = pd.read_csv(tmp_path / "fig1.csv")
    assert json.loads((tmp_path / "fig1.csv.meta.json").read_text())["provenance"]["years"] == [2019, 2020]
    assert len(data) == 10 and data["iv"].tolist() == pytest.approx(series["iv"].tolist())


def _strategic_coverage(raw: pd.DataFrame, a: str, b: str, hhi_threshold: float = 0.4) -> float:
    """Strategic complementarity "B covers A" (docs/methods.md §3) recomputed with pandas from
    the raw Comtrade rows: A's products with supplier HHI > threshold whose top supplier is not B
    (HS 99 left out), imports at risk = imports from the top supplier, covered = min(B's world
    exports of the product, imports at risk); the score is covered / at risk, summed."""
    rows = raw.assign(pt3ISO=raw["pt3ISO"].mask(raw["ptCode"] == 490, "TWN"))  # partner 490 = Taiwan
    bil = rows[(rows["ptCode"] != 0) & rows["pt3ISO"].notna() & (rows["pt3ISO"] != rows["rt3ISO"])
               & (rows["TradeValue"] > 0)]
    m = bil[bil["pt3ISO"] == a].groupby(["cmdCode", "rt3ISO"])["TradeValue"].sum()
    total = m.groupby(level="cmdCode").sum()
    share = m / total.reindex(m.index.get_level_values("cmdCode")).to_numpy()
    hhi = (share ** 2).groupby(level="cmdCode").sum()
    top = share.groupby(level="cmdCode").idxmax().map(lambda key: key[1])
    risky = (hhi > hhi_threshold) & (top != b) & (hhi.index != "99")
    at_risk = (total * share.groupby(level="cmdCode").max())[risky]
    # B's exports to the world: its World row where it files one, else the sum over its partners
    world = rows[(rows["rt3ISO"] == b) & (rows["ptCode"] == 0)].groupby("cmdCode")["TradeValue"].sum()
    if world.empty:
        world = bil[bil["rt3ISO"] == b].groupby("cmdCode")["TradeValue"].sum()
    covered = pd.concat([world.reindex(at_risk.index).fillna(0.0), at_risk], axis=1).min(axis=1)
    return float(covered.sum() / at_risk.sum())


def test_korea_japan_complementarity_equals_pandas_on_raw_files(db: Path, raw: pd.DataFrame) -> None:
    """The pair scores docs/indicators.md describes, against the same rule run on the raw files."""
    with Store(db, read_only=True) as s:
        c = svc.complementarity(s, "KOR", "JPN", year=2019).tables["scores"].set_index("direction")
    for a, b in (("KOR", "JPN"), ("JPN", "KOR")):
        assert c.loc[f"{b} covers {a}", "coverage"] == pytest.approx(_strategic_coverage(raw, a, b),
                                                                    rel=1e-9)
