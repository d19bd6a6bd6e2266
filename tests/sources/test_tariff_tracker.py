"""TariffTracker adapter: the tracker's country, daily, HS2 and list files (published checks,
independent pandas reads), ingest, and bad input on tiny files in the published layouts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.tariff_tracker import LISTS, TariffTracker
from econsec.store import Store, ingest
from tests.conftest import snapshot

DIR = "tariffs/us_tariff_tracker_2025_2026"
LISTS_DIR = DIR + "/tariff-lists"
HS2 = "us_hs2_imports_duty_tariff_by_partner.tidy.csv"
MAPPING = "us_trade/census_imports_hs10_2024/CensusCountryMapping_FRBAtl_short.csv"


@pytest.fixture(scope="module")
def files(data_dir: Path) -> list[Path]:
    return TariffTracker().discover(data_dir)


@pytest.fixture(scope="module")
def parsed(files: list[Path]) -> Parsed:
    return TariffTracker().parse(files)


@pytest.fixture(scope="module")
def tariffs(parsed: Parsed) -> pd.DataFrame:
    return parsed.tables["tariffs"]


def dates(s: pd.Series) -> list[str | None]:
    return [None if pd.isna(d) else str(pd.Timestamp(d).date()) for d in s]


def measure(t: pd.DataFrame, start: str) -> pd.DataFrame:
    return t[t["measure"].str.startswith(start)]


# --- the real files ---------------------------------------------------------------------------

@pytest.mark.slow
def test_hs2_imports_published_checks(parsed: Parsed) -> None:
    # data README (us_trade/census_imports_hs10_2024): KOR 130.46, JPN 151.34, CHN 429.43,
    # TWN 115.27 bn USD, and the tracker's HS2 files equal the HS10 totals
    f = parsed.tables["trade_flows"]
    bn = (f.groupby("exporter")["value_usd"].sum() / 1e9).round(2)
    assert bn[["KOR", "JPN", "CHN", "TWN"]].tolist() == [130.46, 151.34, 429.43, 115.27]
    assert set(f["importer"]) == {"USA"} and set(f["classification"]) == {"HS2"}
    assert set(f["year"]) == {2024} and set(f["currency"]) == {"USD"}


@pytest.mark.slow
def test_hs2_equals_independent_read(data_dir: Path, parsed: Parsed, tariffs: pd.DataFrame) -> None:
    raw = pd.read_csv(data_dir / DIR / HS2, dtype={"CTY_CODE": str, "HS2": str})
    f = parsed.tables["trade_flows"]
    assert f["duty_usd"].sum() == pytest.approx(raw["2024_duty"].sum(), rel=1e-12)
    # Gaza (5082) and West Bank (5083) summed into PSE; every other code one row per HS2
    pse = raw[raw["CTY_CODE"].isin(["5082", "5083"])]
    assert f.loc[f["exporter"] == "PSE", "value_usd"].sum() == pytest.approx(pse["2024_imports"].sum())
    assert len(f) == len(raw) - pse.duplicated("HS2").sum()
    inc = measure(tariffs, "tariff increase 2025")
    kor = inc[(inc["target"] == "KOR") & (inc["product"] == "87")]
    want = raw[(raw["CTY_CODE"] == "5800") & (raw["HS2"] == "87")]["2025_tariff_increase"]
    assert kor["rate_pct"].tolist() == want.tolist()
    assert len(inc) == len(raw) and inc["effective_date"].isna().all()


@pytest.mark.slow
def test_country_by_time(data_dir: Path, tariffs: pd.DataFrame) -> None:
    raw = pd.read_csv(data_dir / DIR / "country-by-time.csv")
    eff = measure(tariffs, "effective trade-weighted tariff")
    assert len(eff) == len(raw) == 1173 and eff["measure"].str.contains("not official").all()
    kor = eff[eff["target"] == "KOR"]
    want = raw[raw["country_name"] == "KOREA, SOUTH"]
    assert kor["rate_pct"].tolist() == want["effective tariff"].tolist()
    assert dates(kor["effective_date"]) == want["date"].tolist()
    # by hand: the end of a step is the day before the next date (2025-02-04 → 2025-03-06)
    assert dates(kor["end_date"])[:2] == ["2025-03-05", "2025-03-11"]
    assert dates(kor["end_date"])[-1] is None
    assert set(eff.loc[eff["target_name"] == "EUROPEAN UNION", "target"]) == {"EUN"}
    base = measure(tariffs, "average duty 2024").query("classification == 'ALL'")
    assert len(base) == 51 and base.set_index("target").loc["CHN", "rate_pct"] == pytest.approx(
        raw.loc[raw["country_name"] == "CHINA", "2024 tariff"].iloc[0])


@pytest.mark.slow
def test_daily(data_dir: Path, tariffs: pd.DataFrame) -> None:
    raw = pd.read_csv(data_dir / DIR / "daily-tariff-latest-data.csv")
    d = measure(tariffs, "import-weighted average tariff, daily")
    assert len(d) == len(raw) == 629 and d["target"].isna().all()
    assert d["rate_pct"].tolist() == raw["import_weighted_avg_tariff"].tolist()
    assert dates(d["effective_date"]) == dates(d["end_date"]) == raw["date"].tolist()


@pytest.mark.slow
def test_lists(data_dir: Path, tariffs: pd.DataFrame) -> None:
    steel = measure(tariffs, "s232 steel")
    n = len(pd.read_csv(data_dir / LISTS_DIR / "steel-tariffs.csv"))
    assert len(steel) == 2 * n  # two rate phases: 25% then 50%
    first = steel[steel["product"] == "73012050"]
    assert first["rate_pct"].tolist() == [25.0, 50.0]
    assert dates(first["effective_date"]) == ["2025-03-12", "2025-06-03"]
    ia = measure(tariffs, "s232 metals Annex I-A")
    raw = pd.read_csv(data_dir / LISTS_DIR / "metals-annex-IA.csv", dtype=str)["HTSUS"]
    assert ia["classification"].value_counts().to_dict() == {
        {4: "HS4", 6: "HS6", 8: "HTS8", 10: "HTS10"}[k]: v
        for k, v in raw.str.len().value_counts().to_dict().items()}
    assert set(ia["rate_pct"]) == {50.0}  # proclamation clause (2)(a)
    cn = measure(tariffs, "China retaliation 15%")
    assert "02071100" in set(cn["product"]) and set(cn["classification"]) == {"CN_TARIFF8"}
    ca = measure(tariffs, "Canada countermeasures of 2025-03-04")
    assert "01051122" in set(ca["product"])  # file: 0105.11.22 and set(ca["imposer"]) == {"CAN"}
    ex = measure(tariffs, "s301 Brazil exemptions")
    assert ex["rate_pct"].isna().all() and ex["rate_text"].str.contains("category: flat").any()


@pytest.mark.slow
def test_annex_i_country_rates(tariffs: pd.DataFrame) -> None:
    a = measure(tariffs, "reciprocal country rates of April 2025").set_index("target")
    # the file: South Africa,31,79f (code typo; mapped by name); China 104; European Union 20
    assert a.loc["ZAF", "rate_pct"] == 31 and a.loc["CHN", "rate_pct"] == 104
    assert a.loc["EUN", "rate_pct"] == 20 and len(a) == 59


@pytest.mark.slow
def test_rows_read(parsed: Parsed, data_dir: Path) -> None:
    def n(rel: str, header: bool = True) -> int:
        return len(pd.read_csv(data_dir / rel, header=0 if header else None))

    want = {str(data_dir / DIR / f): n(f"{DIR}/{f}") for f in
            ("country-by-time.csv", "daily-tariff-latest-data.csv", HS2)}
    want |= {str(data_dir / LISTS_DIR / f): n(f"{LISTS_DIR}/{f}", s.header) for f, s in LISTS.items()}
    want |= {str(data_dir / LISTS_DIR / "reciprocal-tariffs-annex-I.csv"):
             n(f"{LISTS_DIR}/reciprocal-tariffs-annex-I.csv"),
             str(data_dir / LISTS_DIR / "proclamation_metals_tariffs_april2026.md"): 1,
             str(data_dir / MAPPING): n(MAPPING)}
    assert parsed.rows_read == want


@pytest.mark.slow
def test_documents_and_mappings(parsed: Parsed) -> None:
    (doc,) = parsed.tables["documents"].itertuples()
    assert doc.doc_id == "PROC-2026-04-02-metals" and str(doc.date.date()) == "2026-04-02"
    notes = {(m.field, m.code): m.mapped_to for m in parsed.mappings}
    assert notes == {("country_name", "EUROPEAN UNION"): "EUN", ("CTY_NAME", "European Union"): "EUN",
                     ("CTY_CODE", "0003"): "EUN", ("CTY_CODE", "5082"): "PSE",
                     ("CTY_CODE", "5083"): "PSE"}


@pytest.mark.slow
def test_ingest_real(store: Store, files: list[Path], parsed: Parsed) -> None:
    (out,) = ingest(store, [(TariffTracker(), files)])
    assert out.status == "loaded"
    assert out.rows_written == {k: len(v) for k, v in parsed.tables.items()}
    assert out.rows_written["trade_flows"] == 11_250
    (again,) = ingest(store, [(TariffTracker(), files)])
    assert again.status == "unchanged"


# --- tiny files in the published layouts ------------------------------------------------------

def write(d: Path, name: str, text: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    p = d / name
    p.write_text(text, encoding="utf-8")
    return p


CBT = "date,country_name,effective tariff,total imports,2024 tariff\n"


def test_country_by_time_bad_input(tmp_path: Path) -> None:
    tt = TariffTracker()
    with pytest.raises(InputError) as e:
        tt.parse([write(tmp_path, "country-by-time.csv", "date,country_name\n2025-02-04,CHINA\n")])
    assert e.value.field == "effective tariff"
    with pytest.raises(InputError) as e:
        tt.parse([write(tmp_path, "country-by-time.csv",
                        CBT + "2025-02-04,CHINA,20.0,1,10\n2025-02-04,JAPAN,n/a,1,1\n")])
    assert (e.value.row, e.value.field, e.value.got) == (3, "effective tariff", "n/a")
    with pytest.raises(UnknownCodeError) as e:
        tt.parse([write(tmp_path, "country-by-time.csv", CBT + "2025-02-04,ATLANTIS,1,1,1\n")])
    assert (e.value.row, e.value.field, e.value.got) == (2, "country_name", "ATLANTIS")
    with pytest.raises(InputError):
        tt.parse([write(tmp_path, "country-by-time.csv", "")])


HS2_HEAD = ("source_file,HS2,2024_imports,2024_duty,CTY_NAME,CTY_CODE,2025_tariff_increase,"
            "2024_tariff\n")


def test_hs2_tiny_and_bad(tmp_path: Path) -> None:
    m = write(tmp_path, "CensusCountryMapping_FRBAtl_short.csv",
              "CTY_CODE,ISO3,country\n5800,KOR,Korea\n,PSE,Palestine\n")
    ok = write(tmp_path, HS2, HS2_HEAD + 'a,87,100.0,2.0,"KOREA, SOUTH",5800,15.0,2.0\n'
               "b,87,10.0,1.0,GAZA,5082,10.0,10.0\nc,87,30.0,0.0,WEST BANK,5083,10.0,0.0\n")
    p = TariffTracker().parse([ok, m])
    f = p.tables["trade_flows"].set_index("exporter")
    assert f.loc["PSE", "value_usd"] == 40.0 and f.loc["KOR", "duty_usd"] == 2.0  # by hand
    bad = write(tmp_path / "b", HS2, HS2_HEAD + "a,87,1.0,0.0,X,9999,1,1\n")
    with pytest.raises(UnknownCodeError) as e:
        TariffTracker().parse([bad, m])
    assert (e.value.row, e.value.field, e.value.got) == (2, "CTY_CODE", "9999")
    with pytest.raises(InputError, match="Census country mapping"):
        TariffTracker().parse([bad])  # no mapping given and none in the data directory


def test_list_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        TariffTracker().parse([write(tmp_path, "steel-tariffs.csv", "HTSUS\n73012050\n7301.2X\n")])
    assert (e.value.row, e.value.field, e.value.got) == (3, "HTSUS", "7301.2X")
    with pytest.raises(InputError) as e:
        TariffTracker().parse([write(tmp_path, "steel-tariffs.csv", "HTSUS\n73012050\n7301205\n")])
    assert (e.value.row, e.value.field) == (3, "HTSUS")
    with pytest.raises(InputError) as e:
        TariffTracker().parse([write(tmp_path, "steel-tariffs.csv", "code\n73012050\n")])
    assert e.value.field == "HTSUS"
    with pytest.raises(InputError):
        TariffTracker().parse([write(tmp_path, "mystery-list.csv", "HTSUS\n73012050\n")])
    p = TariffTracker().parse([write(tmp_path, "china-15-percent-030425.csv",
                                     "1,2071100,Fresh or Chilled Whole Chicken\n")])
    assert p.tables["tariffs"]["product"].tolist() == ["02071100"]


def test_failed_ingest_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    ok = write(tmp_path / "ok", "daily-tariff-latest-data.csv",
               ",date,import_weighted_avg_tariff\n0,2025-01-01,2.3\n")
    ingest(store, [(TariffTracker(), [ok])])
    before = snapshot(store)
    bad = write(tmp_path / "bad", "daily-tariff-latest-data.csv",
                ",date,import_weighted_avg_tariff\n0,2025-01-01,2.3\n1,2025-01-02,high\n")
    with pytest.raises(InputError) as e:
        ingest(store, [(TariffTracker(), [bad])])
    assert (e.value.row, e.value.field) == (3, "import_weighted_avg_tariff")
    assert snapshot(store) == before
