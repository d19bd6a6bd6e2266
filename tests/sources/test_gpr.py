"""Gpr adapter: the real data_gpr_export.xls (published checks, the tidy CSV as an independent
read), ingest, and bad input on tiny .xls files in the published layout."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import xlrd

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.gpr import Gpr
from econsec.store import Store, ingest
from tests.conftest import snapshot
from tests.xls import write_xls

GPR_DIR = "risk/gpr_caldara_iacoviello"


@pytest.fixture(scope="module")
def files(data_dir: Path) -> list[Path]:
    return Gpr().discover(data_dir)


@pytest.fixture(scope="module")
def parsed(files: list[Path]) -> Parsed:
    return Gpr().parse(files)


@pytest.fixture(scope="module")
def risk(parsed: Parsed) -> pd.DataFrame:
    df = parsed.tables["risk_indices"]
    return df.assign(period=pd.to_datetime(df["period"]))


def value(risk: pd.DataFrame, index: str, month: str, country: str | None = None) -> float:
    sel = (risk["index_name"] == index) & (risk["period"] == month)
    sel &= risk["country"].isna() if country is None else (risk["country"] == country)
    (v,) = risk.loc[sel, "value"]
    return float(v)


# --- the real file ----------------------------------------------------------------------------

@pytest.mark.slow
def test_published_checks(risk: pd.DataFrame) -> None:
    # data README (risk/gpr_caldara_iacoviello), checks at staging
    gpr = risk[risk["index_name"] == "GPR"].nlargest(4, "value")
    assert gpr["period"].dt.strftime("%Y-%m").tolist() == ["2001-10", "2001-09", "1991-01", "2003-03"]
    assert gpr["value"].round(1).tolist() == [512.5, 498.6, 379.2, 358.7]
    assert value(risk, "GPR", "2022-03-01") == pytest.approx(319.0, abs=0.05)
    assert value(risk, "GPRC", "2022-02-01", "RUS") == pytest.approx(5.4, abs=0.05)
    assert value(risk, "GPRC", "2022-03-01", "RUS") == pytest.approx(8.8, abs=0.05)


@pytest.mark.slow
def test_equals_tidy_csv(data_dir: Path, risk: pd.DataFrame) -> None:
    # independent read: the tidy CSV is the same sheet (README: max abs diff 0)
    tidy = pd.read_csv(data_dir / GPR_DIR / "data_gpr_export.tidy.csv")
    keep = [c for c in tidy.columns if c.startswith(("GPR", "SHARE_GPR"))]
    long = tidy.melt(id_vars="month", value_vars=keep, var_name="col").dropna(subset=["value"])
    assert len(long) == len(risk) == 102_612
    ours = risk.assign(col=risk["index_name"].where(risk["country"].isna(),
                                                    risk["index_name"] + "_" + risk["country"]),
                       month=risk["period"].dt.strftime("%Y-%m-%d"))
    m = long.merge(ours, on=["month", "col"], how="outer", indicator=True)
    assert (m["_merge"] == "both").all()
    assert (m["value_x"] - m["value_y"]).abs().max() < 1e-9


@pytest.mark.slow
def test_units_from_var_label(risk: pd.DataFrame) -> None:
    units = risk.groupby("index_name")["unit"].unique().map(list).to_dict()
    # var_label: "Recent GPR (Index: 1985:2019=100)", "Historical GPR (Index: 1900:2019=100)"
    assert units["GPR"] == units["GPRA"] == ["index (1985–2019 = 100)"]
    assert units["GPRH"] == units["GPRH_AND"] == ["index (1900–2019 = 100)"]
    # "Country GPR: Percent of articles (...)"
    assert units["GPRC"] == units["GPRHC"] == units["SHARE_GPR"] == ["% of articles"]
    countries = risk.loc[risk["index_name"] == "GPRC", "country"].unique()
    assert len(countries) == 44 and {"KOR", "TWN", "HKG", "USA"} <= set(countries)
    assert risk["value"].notna().all()  # empty cells give no row


@pytest.mark.slow
def test_rows_read_and_vintage(parsed: Parsed, files: list[Path]) -> None:
    sh = xlrd.open_workbook(str(files[0])).sheet_by_index(0)  # independent count: sheet rows - header
    assert parsed.rows_read == {str(files[0]): sh.nrows - 1} and sh.nrows - 1 == 1516
    assert parsed.vintage == "data_gpr_export.xls, ends 2026-04"


@pytest.mark.slow
def test_skipped_columns_reported(parsed: Parsed) -> None:
    notes = {m.code: m for m in parsed.mappings}
    assert set(notes) == {"N10", "N3H", *(f"SHAREH_CAT_{i}" for i in range(1, 9))}
    assert notes["N10"].mapped_to is None and notes["N10"].rows == 496  # 1985-01 → 2026-04


@pytest.mark.slow
def test_ingest_real(store: Store, files: list[Path]) -> None:
    (out,) = ingest(store, [(Gpr(), files)])
    assert out.status == "loaded" and out.rows_written == {"risk_indices": 102_612}
    n = store.con.execute("SELECT count(*) FROM risk_indices WHERE source = 'gpr' AND "
                          "index_name = 'GPRC' AND country = 'KOR'").fetchone()[0]
    assert n == 496
    (again,) = ingest(store, [(Gpr(), files)])
    assert again.status == "unchanged"


# --- tiny files in the published layout ------------------------------------------------------
# No .xls writer is installed, so the tests write the sheet as a raw BIFF2 stream, a format
# xlrd reads through the same code path as the published BIFF8 file.

HEADER = ["month", "GPR", "GPRH", "N10", "GPRC_KOR", "GPRHC_KOR", "var_name", "var_label"]
LABELS = [("GPR", "Recent GPR (Index: 1985:2019=100)"),
          ("GPRH", "Historical GPR (Index: 1900:2019=100)"),
          ("N10", "Number of articles (10 recent newspapers, 1985-)"),
          ("GPRC_KOR", "Country GPR: Percent of articles (South Korea)"),
          ("GPRHC_KOR", "Country GPR Historical: Percent of articles (South Korea)")]


def tiny_rows() -> list[list[object]]:
    # Excel serials: 1900-01 = 1, 1985-01 = 31048, 1985-02 = 31079, 2001-10 = 37165,
    # 2026-04 = 46113; the recent series start in 1985
    data = [[1.0, "", 90.0, "", "", 0.5], [31048.0, 100.0, 95.0, 9000.0, 0.4, 0.6],
            [31079.0, 110.0, 96.0, 9100.0, 0.45, 0.65], [37165.0, 512.5, 300.0, 9200.0, "", 2.0],
            [46113.0, 230.5, 211.25, 14534.0, 0.9, 1.1]]
    rows = [list(HEADER)] + [d + ["", ""] for d in data]
    for i, (n, lab) in enumerate(LABELS, start=1):
        rows[i][6:8] = [n, lab]
    return rows


def test_tiny_file_parses(tmp_path: Path) -> None:
    p = Gpr().parse([write_xls(tmp_path / "data_gpr_export.xls", tiny_rows())])
    df = p.tables["risk_indices"]
    # by hand: non-empty cells GPR 4, GPRH 5, GPRC 3, GPRHC 5 = 17 rows; N10 skipped
    assert len(df) == 17 and p.rows_read[str(tmp_path / "data_gpr_export.xls")] == 5
    kor = df[(df["index_name"] == "GPRC") & (df["country"] == "KOR")]
    assert [str(d) for d in kor["period"]] == ["1985-01-01", "1985-02-01", "2026-04-01"]
    assert kor["value"].tolist() == [0.4, 0.45, 0.9]
    hist = df[df["index_name"] == "GPRHC"]
    assert str(hist["period"].iloc[0]) == "1900-01-01" and hist["value"].iloc[0] == 0.5
    assert p.vintage.endswith("ends 2026-04")


def test_missing_column(tmp_path: Path) -> None:
    rows = tiny_rows()
    for r in rows:
        del r[7]  # no var_label
    with pytest.raises(InputError) as e:
        Gpr().parse([write_xls(tmp_path / "x.xls", rows)])
    assert e.value.field == "var_label" and e.value.row == 1


def test_non_numeric_value(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[3][2] = "n.a."  # sheet row 4, column GPRH
    with pytest.raises(InputError) as e:
        Gpr().parse([write_xls(tmp_path / "x.xls", rows)])
    assert (e.value.row, e.value.field, e.value.got) == (4, "GPRH", "n.a.")


def test_bad_month(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[2][0] = "1985m1"
    with pytest.raises(InputError) as e:
        Gpr().parse([write_xls(tmp_path / "x.xls", rows)])
    assert (e.value.row, e.value.field) == (3, "month")


def test_unknown_country_code(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[0][4] = "GPRC_XYZ"
    rows[4][6] = "GPRC_XYZ"
    with pytest.raises(UnknownCodeError) as e:
        Gpr().parse([write_xls(tmp_path / "x.xls", rows)])
    assert (e.value.row, e.value.field, e.value.got) == (1, "GPRC_XYZ", "XYZ")


def test_unknown_series(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[0][3] = "GPR_NEW"
    with pytest.raises(UnknownCodeError) as e:
        Gpr().parse([write_xls(tmp_path / "x.xls", rows)])
    assert e.value.field == "GPR_NEW"


def test_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "data_gpr_export.xls"
    f.write_bytes(b"")
    with pytest.raises(InputError, match="valid .xls"):
        Gpr().parse([f])


def test_header_only(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="monthly rows"):
        Gpr().parse([write_xls(tmp_path / "x.xls", [HEADER])])


@pytest.mark.slow
def test_truncated_file(tmp_path: Path, files: list[Path]) -> None:
    f = tmp_path / "data_gpr_export.xls"
    f.write_bytes(files[0].read_bytes()[:100_000])
    with pytest.raises(InputError, match="valid .xls"):
        Gpr().parse([f])


def test_bad_file_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    (tmp_path / "good").mkdir()
    good = write_xls(tmp_path / "good" / "data_gpr_export.xls", tiny_rows())
    ingest(store, [(Gpr(), [good])])
    before = snapshot(store)
    rows = tiny_rows()
    rows[2][1] = "oops"
    bad = write_xls(tmp_path / "data_gpr_export.xls", rows)
    with pytest.raises(InputError):
        ingest(store, [(Gpr(), [bad])])
    assert snapshot(store) == before
