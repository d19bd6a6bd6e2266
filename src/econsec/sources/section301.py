"""U.S.–China tariffs 2018–2020: Waugh's HS6 tariff panels and the USITC "China Tariffs" table.

Files (``mwaugh0328/tradewar-tracker`` @ ``753b3516``; MIT, the USITC table public domain):

* ``us_tariffs_2020.csv`` (hs6, time_of_tariff, tariff, description): the **U.S. tariff on
  products of China**, MFN plus Section 301, by HS6 at the 7 dates on which a list changed
  (2018-01-01, 2018-07-06, 2018-08-23, 2018-09-24, 2019-06-01, 2019-09-01, 2020-02-14). Built by
  M. Waugh (``make-us-tariffs.ipynb``) from the USITC 2017 MFN ad-valorem rates and the 9903.88
  headings; the notebook sets out-of-quota MFN rates above 350 % to 0. Measure ``US tariff on
  China, MFN + s301 (Waugh construction)``, imposer USA, target CHN, classification HS6.
* ``new_tariff_list_2020.csv`` (time_of_tariff, hs6, tariff): **not** a finer version of the
  same measure. Its values are **China's** tariff on U.S. goods, MFN plus retaliation, at 12
  dates (2018-04-02 China's first retaliation, 2018-07-01 and 2018-11-01 China's MFN cuts,
  2019-01-02 the auto suspension, 2019-12-26 ...): e.g. HS 870323 25 → 15 (2018-07-01) → 40
  (2018-07-06) → 15 (2019-01-02), pork 020329 12 → 37 → 62 → 72 (2019-09-01), soybeans 120190
  3 → 28 → 33; the U.S. MFN on 870323 is 2.5 %. Stored as measure ``China tariff on US goods,
  MFN + retaliation (Waugh construction)``, imposer CHN, target USA. The two files thus
  describe opposite directions and are not double counted.
* ``China-Tariffs.xlsx`` (USITC, sheet ``Table 1``, "Last Updated January 1, 2020"; a PDF
  exported to Excel): each HTS subheading covered by the additional duties on China and the
  chapter-99 heading that provides for it (9903.88.01/02/03/04/15/16). Measure ``s301 list
  (USITC China Tariffs)``, classification HTS8 (or HTS10 for the 10-digit table at the end),
  ``rate_text`` = the heading as printed; ``rate_pct`` NULL (the rate of a heading changed
  over time: see ``ustr_lists_2018`` and the Waugh panel); ``effective_date`` = the date the
  table's own note gives for the heading, read from the sheet; 9903.88.16 is "suspended" and
  gets NULL. Deliberate repair: 375 subheadings such as ``1901.10.05`` were turned into Excel
  dates (1901-10-05) by the export; they are restored as YYYY.MM.DD and reported as a mapping.

Units: ``tariff`` is percent (25.0 = 25 %), checked against 870323 (U.S. MFN 2.5, +25 from
2018-07-06 = 27.5). ``end_date`` of a panel row is the day before the next date of the same
HS6 (NULL for the last). Blank tariffs (38 and 16 rows) are kept with ``rate_pct`` NULL. The
``description`` column (an HTS8 brief description of one line in the HS6) is not stored.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError
from econsec.sources._read import read_csv, require_match, sheet_rows
from econsec.sources.base import CodeMapping, Parsed, Source

US_MEASURE = "US tariff on China, MFN + s301 (Waugh construction)"
CN_MEASURE = "China tariff on US goods, MFN + retaliation (Waugh construction)"
LIST_MEASURE = "s301 list (USITC China Tariffs)"
SHEET = "Table 1"
HEADING = re.compile(r"9903\.88\.\d{2}")
CODE = re.compile(r"\d{4}\.\d{2}\.\d{2}(?:\d{2})?")
RAW = ("https://raw.githubusercontent.com/mwaugh0328/tradewar-tracker/"
       "753b351647341787b232bcefa349b29c42b7d474/data/")


def panel(path: Path, schema: dict, measure: str, imposer: str, target: str,
          target_name: str) -> pd.DataFrame:
    """A (hs6, time_of_tariff, tariff %) panel → tariffs rows with end dates."""
    df = read_csv(path, schema)
    hs6 = df["hs6"].str.strip()
    require_match(hs6, r"\d{6}", path, "hs6", "a 6-digit HS code", got=df["hs6"])
    when = pd.to_datetime(df["time_of_tariff"], format="%Y-%m-%d", errors="coerce")
    bad = when.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path, "a date YYYY-MM-DD", row=i + 2, field="time_of_tariff",
                         got=df["time_of_tariff"].iloc[i])
    out = pd.DataFrame({"measure": measure, "imposer": imposer, "target": target,
                        "target_name": target_name, "classification": "HS6", "product": hs6,
                        "rate_pct": df["tariff"], "rate_text": None, "effective_date": when})
    dup = out.duplicated(["product", "effective_date"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(path, "one row per hs6 and date", row=i + 2, field="time_of_tariff",
                         got=f"{hs6.iloc[i]} {df['time_of_tariff'].iloc[i]} again")
    out = out.sort_values(["product", "effective_date"], kind="stable")
    nxt = out.groupby("product", sort=False)["effective_date"].shift(-1)
    return out.assign(end_date=nxt - pd.Timedelta(days=1)).reset_index(drop=True)


def heading_dates(path: Path, rows: list[tuple]) -> tuple[dict[str, pd.Timestamp | None], str]:
    """The table's note "heading 9903.88.01 became effective on July 6, 2018, ..." and date."""
    texts = [str(r[0]) for r in rows[:10] if r and isinstance(r[0], str)]
    note = " ".join(t for t in texts if "became" in t)
    found = re.findall(r"(9903\.88\.\d{2})\s+became\s+effective\s+on\s+([A-Z][a-z]+ \d{1,2}, \d{4})", note)
    if not found:
        raise InputError(path, "the note 'heading 9903.88.xx became effective on <date>'",
                         sheet=SHEET, got=texts[:4])
    dates: dict[str, pd.Timestamp | None] = {
        h: pd.Timestamp(datetime.strptime(re.sub(r"\s+", " ", d), "%B %d, %Y"))
        for h, d in found}
    dates |= dict.fromkeys(re.findall(r"(9903\.88\.\d{2})\s+is\s+suspended", note))
    updated = next((t for t in texts if t.startswith("(Last Updated")), "(date not printed)")
    return dates, updated.strip("()")


def china_tariffs(path: Path) -> tuple[pd.DataFrame, int, str, list[CodeMapping]]:
    """USITC "China Tariffs" → tariffs rows (subheading, chapter-99 heading)."""
    rows = sheet_rows(path, SHEET)
    dates, updated = heading_dates(path, rows)
    frame = pd.DataFrame(rows, dtype=object).reindex(columns=[0, 1])
    frame.columns = ["code", "heading"]
    frame.index = frame.index + 1  # sheet row numbers
    heading = frame["heading"].astype("string").str.strip()
    is_data = heading.str.fullmatch(HEADING.pattern).fillna(False)
    label = heading.str.startswith("Applicable subchapter III").fillna(False)
    stray = ~is_data & ~label & heading.notna()
    if stray.any():
        i = frame.index[stray.to_numpy()][0]
        raise InputError(path, "a chapter-99 heading 9903.88.xx", sheet=SHEET, row=int(i),
                         field="Applicable subchapter III, chapter 99 Heading", got=heading[i])
    data = frame[is_data.to_numpy()]
    as_date = data["code"].map(type).isin([datetime, pd.Timestamp])
    restored = pd.to_datetime(data["code"].where(as_date)).dt.strftime("%Y.%m.%d")
    code = data["code"].astype("string").where(~as_date, restored).str.strip()
    bad = ~code.str.fullmatch(CODE.pattern).fillna(False)
    if bad.any():
        i = data.index[bad.to_numpy()][0]
        raise InputError(path, "an HTS subheading NNNN.NN.NN or NNNN.NN.NNNN", sheet=SHEET,
                         row=int(i), field="Harmonized Tariff Schedule 8-digit Subheading",
                         got=data["code"][i])
    h = heading[is_data.to_numpy()]
    unknown = ~h.isin(list(dates))
    if unknown.any():
        i = h.index[unknown.to_numpy()][0]
        raise InputError(path, f"a heading named in the table's note {sorted(dates)}",
                         sheet=SHEET, row=int(i), field="Applicable subchapter III, chapter 99 Heading",
                         got=h[i])
    digits = code.str.replace(".", "", regex=False)
    out = pd.DataFrame({
        "measure": LIST_MEASURE, "imposer": "USA", "target": "CHN", "target_name": "China",
        "classification": digits.str.len().map({8: "HTS8", 10: "HTS10"}), "product": digits,
        "rate_pct": np.nan, "rate_text": h, "effective_date": h.map(dates).astype("datetime64[ns]"),
        "end_date": pd.NaT}).reset_index(drop=True)
    n_dates = int(as_date.sum())
    notes = [CodeMapping("Harmonized Tariff Schedule 8-digit Subheading", "<Excel date cell>", None,
                         n_dates, "subheading exported as a date (e.g. 1901.10.05 → 1901-10-05); "
                         "restored as YYYY.MM.DD")] if n_dates else []
    return out, len(data), updated, notes


class Section301China(Source):
    name = "section301_china"
    title = "U.S.–China tariffs 2018–2020: Waugh HS6 panels and USITC China Tariffs (s.301)"
    producer = "M. Waugh (tradewar-tracker); U.S. International Trade Commission"
    licence = "MIT (Waugh's files); U.S. government work (USITC table)"
    url = "https://hts.usitc.gov/view/China%20Tariffs?release=2020HTSABasicB"
    patterns = ("tariffs/us_section301_china_2018_2020/us_tariffs_2020.csv",
                "tariffs/us_section301_china_2018_2020/new_tariff_list_2020.csv",
                "tariffs/us_section301_china_2018_2020/China-Tariffs.xlsx")

    def parse(self, paths: Sequence[Path]) -> Parsed:
        tables, rows_read, notes, vintage = [], {}, [], []
        for p in (Path(x) for x in paths):
            if p.name == "us_tariffs_2020.csv":
                t = panel(p, {"hs6": "str", "time_of_tariff": "str", "tariff": "float",
                              "description": "str"}, US_MEASURE, "USA", "CHN", "China")
            elif p.name == "new_tariff_list_2020.csv":
                t = panel(p, {"time_of_tariff": "str", "hs6": "str", "tariff": "float"},
                          CN_MEASURE, "CHN", "USA", "United States")
            elif p.suffix == ".xlsx":
                t, n, updated, n_notes = china_tariffs(p)
                rows_read[str(p)] = n
                notes += n_notes
                vintage.append(f"USITC China Tariffs {updated}")
                tables.append(t)
                continue
            else:
                raise InputError(p, "us_tariffs_2020.csv, new_tariff_list_2020.csv or "
                                 "China-Tariffs.xlsx", got=p.name)
            rows_read[str(p)] = len(t)
            tables.append(t)
        if any(p.endswith(".csv") for p in rows_read):
            vintage.insert(0, "Waugh tradewar-tracker@753b3516 (2018-01 to 2020-02)")
        return Parsed(tables={"tariffs": pd.concat(tables, ignore_index=True)},
                      vintage="; ".join(vintage), rows_read=rows_read, mappings=tuple(notes))

    def fetch(self, dest: Path) -> list[Path]:
        """Download the three files from the pinned tradewar-tracker commit."""
        dest.mkdir(parents=True, exist_ok=True)
        out = []
        for name in ("us_tariffs_2020.csv", "new_tariff_list_2020.csv", "China-Tariffs.xlsx"):
            urllib.request.urlretrieve(RAW + name, dest / name)
            out.append(dest / name)
        return out
