"""Reciprocal2025 adapter: the two executive-order texts (published checks, the tidy CSV and a
plain regex count as independent reads), ingest, and bad input on tiny files in the same
Markdown layout."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.reciprocal_2025 import EU_BELOW, Reciprocal2025
from econsec.store import Store, ingest
from tests.conftest import snapshot

DIR = "tariffs/us_reciprocal_tariffs_2025"
JULY = "eo_2025-07-31_further_modifying_reciprocal_tariff_rates.md"
APRIL = "eo14257_2025-04-02_reciprocal_tariff.md"
TIDY = "reciprocal_tariff_annex1_2025-07-31.tidy.csv"


@pytest.fixture(scope="module")
def files(data_dir: Path) -> list[Path]:
    return Reciprocal2025().discover(data_dir)


@pytest.fixture(scope="module")
def parsed(files: list[Path]) -> Parsed:
    return Reciprocal2025().parse(files)


@pytest.fixture(scope="module")
def annex(parsed: Parsed) -> pd.DataFrame:
    t = parsed.tables["tariffs"]
    return t[t["measure"].str.startswith("reciprocal annex I")]


# --- the real files ---------------------------------------------------------------------------

@pytest.mark.slow
def test_published_checks(annex: pd.DataFrame) -> None:
    # data README (tariffs/us_reciprocal_tariffs_2025), checks at staging
    assert len(annex) == 70 and annex["target"].notna().sum() == 70
    rate = annex[annex["target"] != "EUN"].set_index("target")["rate_pct"]
    expected = {"KOR": 15, "JPN": 15, "TWN": 20, "VNM": 20, "IND": 25, "CHE": 39, "SYR": 41,
                "BRA": 10, "GBR": 10}
    assert {k: float(rate[k]) for k in expected} == expected
    eu = annex[annex["target"] == "EUN"].set_index("target_name")
    assert eu.loc[EU_BELOW, "rate_text"] == "15% minus Column 1 Duty Rate"
    assert pd.isna(eu.loc[EU_BELOW, "rate_pct"]) and "15% minus" in eu.loc[EU_BELOW, "measure"]
    assert eu["rate_pct"].dropna().tolist() == [0.0]


@pytest.mark.slow
def test_effective_dates(parsed: Parsed, annex: pd.DataFrame) -> None:
    # EO of 2025-07-31 Sec. 2(a): "7 days after the date of this order" = 2025-08-07
    assert set(annex["effective_date"].astype(str)) == {"2025-08-07"}
    t = parsed.tables["tariffs"]
    base = t[t["measure"] == "reciprocal baseline EO 14257"]
    # EO 14257 Sec. 3(a): 10 percent on or after 12:01 a.m. EDT on April 5, 2025
    assert len(base) == 1 and base["rate_pct"].iloc[0] == 10.0
    assert base["target"].isna().all() and base["classification"].iloc[0] == "ALL"
    assert str(base["effective_date"].iloc[0].date()) == "2025-04-05"


@pytest.mark.slow
def test_equals_tidy_csv(data_dir: Path, annex: pd.DataFrame) -> None:
    # independent read: the curator's tidy CSV of the same annex, read with plain pandas
    tidy = pd.read_csv(data_dir / DIR / TIDY)
    assert annex["target_name"].tolist() == tidy["country_or_territory"].tolist()
    assert annex["rate_text"].tolist() == tidy["reciprocal_tariff_adjusted"].tolist()
    pd.testing.assert_series_equal(annex["rate_pct"].astype("float64").reset_index(drop=True),
                                   tidy["rate_pct"], check_names=False)


@pytest.mark.slow
def test_rows_read(parsed: Parsed, data_dir: Path) -> None:
    # independent count: <td> cells in the July text / 2 columns; tidy CSV lines - header
    text = (data_dir / DIR / JULY).read_text(encoding="utf-8")
    n_td = len(re.findall(r"<td>", text))
    n_tidy = len(pd.read_csv(data_dir / DIR / TIDY))
    assert parsed.rows_read == {str(data_dir / DIR / APRIL): 1, str(data_dir / DIR / JULY): n_td // 2,
                                str(data_dir / DIR / TIDY): n_tidy}
    assert n_td // 2 == n_tidy == 70


@pytest.mark.slow
def test_documents(parsed: Parsed, data_dir: Path) -> None:
    docs = parsed.tables["documents"].set_index("doc_id")
    assert list(docs.index) == ["EO14257", "EO-2025-07-31"]
    assert docs.loc["EO14257", "text"] == (data_dir / DIR / APRIL).read_text(encoding="utf-8")
    assert docs.loc["EO-2025-07-31", "title"] == "Further Modifying the Reciprocal Tariff Rates"
    assert docs.loc["EO14257", "title"].startswith("Regulating Imports with a Reciprocal Tariff")
    assert str(docs.loc["EO14257", "date"].date()) == "2025-04-02"


@pytest.mark.slow
def test_eu_mappings_reported(parsed: Parsed) -> None:
    notes = {m.code: m for m in parsed.mappings}
    assert set(notes) == {EU_BELOW, "European Union: Goods with Column 1 Duty Rate > 15%"}
    assert all(m.mapped_to == "EUN" and m.rows == 1 for m in notes.values())


@pytest.mark.slow
def test_ingest_real(store: Store, files: list[Path]) -> None:
    (out,) = ingest(store, [(Reciprocal2025(), files)])
    assert out.status == "loaded" and out.rows_written == {"tariffs": 71, "documents": 2}
    kor = store.con.execute("SELECT rate_pct, effective_date FROM tariffs WHERE source = "
                            "'reciprocal_2025' AND target = 'KOR'").fetchall()
    assert [(r, str(d)) for r, d in kor] == [(15.0, "2025-08-07")]
    (again,) = ingest(store, [(Reciprocal2025(), files)])
    assert again.status == "unchanged"


# --- tiny files in the published layout ------------------------------------------------------

def july_md(rows: list[tuple[str, str]], *, header: tuple[str, str] = (
        "Countries and Territories", "Reciprocal Tariff, Adjusted"),
        clause: str = "12:01 a.m. eastern daylight time 7 days after the date of this order") -> str:
    body = "\n".join(f'<tr class="odd">\n<td>{a}</td>\n<td>{b}</td>\n</tr>' for a, b in rows)
    return ("---\ndate: '2025-07-31'\ntitle: Further Modifying the Reciprocal Tariff Rates\n---\n"
            f"Sec. 2. (a) effective on or after\n{clause}.\n\n**ANNEX I**\n\n<figure>\n<table>\n"
            f"<thead>\n<tr class=\"header\">\n<th><strong>{header[0]}</strong></th>\n"
            f"<th><strong>{header[1]}</strong></th>\n</tr>\n</thead>\n<tbody>\n{body}\n</tbody>\n"
            "</table>\n</figure>\n\n**[CLICK HERE TO VIEW ANNEX II](x.pdf)**\n")


ROWS = [("Japan", "15%"), ("European Union: Goods with Column 1 Duty Rate &lt; 15%",
                           "15% minus Column 1 Duty Rate"), ("Côte d`Ivoire", "15%")]


def write(tmp_path: Path, text: str, name: str = JULY) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_tiny_file_parses(tmp_path: Path) -> None:
    p = Reciprocal2025().parse([write(tmp_path, july_md(ROWS))])
    t = p.tables["tariffs"]
    assert t["target"].tolist() == ["JPN", "EUN", "CIV"]  # by hand
    assert t["rate_pct"].isna().tolist() == [False, True, False]
    assert t["target_name"].iloc[1] == EU_BELOW  # &lt; unescaped
    assert p.rows_read == {str(tmp_path / JULY): 3}


def test_wrong_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        Reciprocal2025().parse([write(tmp_path, july_md(ROWS, header=("Country", "Rate")))])
    assert e.value.field == "<th>"


def test_non_numeric_rate(tmp_path: Path) -> None:
    rows = [*ROWS[:2], ("Japan", "fifteen")]
    with pytest.raises(InputError) as e:
        Reciprocal2025().parse([write(tmp_path, july_md(rows))])
    # row = annex table row
    assert (e.value.row, e.value.field, e.value.got) == (3, "Reciprocal Tariff, Adjusted", "fifteen")


def test_missing_effective_clause(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="days after the date of this order"):
        Reciprocal2025().parse([write(tmp_path, july_md(ROWS, clause="on a date to be set"))])


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        Reciprocal2025().parse([write(tmp_path, "")])
    assert e.value.row == 1 and "front matter" in e.value.expected


def test_unknown_country(tmp_path: Path) -> None:
    with pytest.raises(UnknownCodeError) as e:
        Reciprocal2025().parse([write(tmp_path, july_md([*ROWS, ("Atlantis", "20%")]))])
    assert (e.value.row, e.value.field, e.value.got) == (4, "Countries and Territories", "Atlantis")


def test_tidy_csv_bad_input(tmp_path: Path) -> None:
    head = "country_or_territory,reciprocal_tariff_adjusted,rate_pct,source\n"
    missing = write(tmp_path, "country_or_territory,rate_pct\nJapan,15\n", TIDY)
    with pytest.raises(InputError) as e:
        Reciprocal2025().parse([missing])
    assert e.value.field == "reciprocal_tariff_adjusted"
    bad = write(tmp_path, head + "Japan,15%,15.0,x\nIndia,25%,twenty-five,x\n", TIDY)
    with pytest.raises(InputError) as e:
        Reciprocal2025().parse([bad])
    assert (e.value.row, e.value.field) == (3, "rate_pct")
    with pytest.raises(InputError):
        Reciprocal2025().parse([write(tmp_path, "", TIDY)])


def test_tidy_csv_must_agree_with_text(tmp_path: Path) -> None:
    md = write(tmp_path, july_md(ROWS))
    names = ["Japan", "European Union: Goods with Column 1 Duty Rate < 15%", "Côte d`Ivoire"]
    tidy = write(tmp_path, "country_or_territory,reciprocal_tariff_adjusted,rate_pct\n"
                 f"{names[0]},15%,15\n{names[1]},15% minus Column 1 Duty Rate,\n{names[2]},19%,19\n",
                 TIDY)
    with pytest.raises(InputError) as e:
        Reciprocal2025().parse([md, tidy])
    assert (e.value.row, e.value.field, e.value.got) == (4, "Reciprocal Tariff, Adjusted", "19%")


@pytest.mark.slow
def test_failed_ingest_leaves_store_unchanged(store: Store, files: list[Path],
                                              tmp_path: Path) -> None:
    ingest(store, [(Reciprocal2025(), files)])
    before = snapshot(store)
    bad = write(tmp_path, july_md([*ROWS, ("Atlantis", "20%")]))
    with pytest.raises(UnknownCodeError):
        ingest(store, [(Reciprocal2025(), [bad])])
    assert snapshot(store) == before
