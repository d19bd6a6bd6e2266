"""USTR Section 301 lists on China (2018–2019) and China's April-2018 retaliation list.

From ``mitsuoxv/us-tariffs-on-china`` @ ``0665b94c`` (no licence stated; the lists themselves
are U.S. and Chinese government publications).

* ``ustr_section301_lists_hs8.tidy.csv`` (list, r_object, hs8, flag_column, flag): the HTS8
  annexes of the USTR notices, converted by the curator from ``tariff_list.rdata`` (the R file
  is not kept, so the tidy file is the one read). Lists and counts: 34b 818, 16b 281, 200b 5,759,
  300b_a 3,233, 300b_c 546. Each row becomes tariffs rows (imposer USA, target CHN,
  classification HTS8, measure ``s301 list 34b`` ...), one per rate phase of the list:

  ==========  =====================================================================
  34b         25 % from 2018-07-06 (83 FR 28710, 20 June 2018; List 1)
  16b         25 % from 2018-08-23 (83 FR 40823, 16 Aug 2018; List 2)
  200b        10 % from 2018-09-24 (83 FR 47974, 21 Sep 2018), 25 % from 2019-05-10
              (84 FR 20459, 9 May 2019; List 3)
  300b A      15 % from 2019-09-01 (84 FR 43304 and 84 FR 45821, Aug 2019), 7.5 % from
              2020-02-14 (85 FR 3741, 22 Jan 2020; List 4A)
  300b C      15 % scheduled for 2019-12-15, suspended (84 FR 69447, 18 Dec 2019;
              List 4B): ``rate_pct`` and ``effective_date`` NULL, the rule in ``rate_text``
  ==========  =====================================================================

  ``end_date`` of a phase is the day before the next phase. Deliberate: the lists contain the
  chapter-99 headings that implement them (99038801, 99038802, 99038815, 99038816). They are
  not products and are **not** stored as tariff rows; each is reported as a CodeMapping
  (mapped to None). Chapter-98 lines (9802.00.50/60/80, goods assembled abroad) are genuine HTS8
  lines of the annexes and are kept.
* ``P020180401856022545193.xlsx`` (China Ministry of Finance, in Chinese: 对美中止关税减让义务
  商品清单及加征关税税率, the U.S. goods on which China suspended concessions; 128 lines):
  columns 序号 (no.), 税则号列 (China 8-digit tariff line), 商品名称 (name), 加征关税税率(%)
  (added duty, percent: 15 for 120 lines, 25 for 8). Effective 2018-04-02 (State Council
  Customs Tariff Commission notice 〔2018〕 No. 5). → tariffs (imposer CHN, target USA,
  measure ``China retaliation 2018-04-02``, classification ``CN_TARIFF8``) and products
  (``CN_TARIFF8``, the Chinese name as printed).
* ``descriptions.csv`` (no header: heading, description): U.S. Census HS 4-digit heading
  descriptions (upper case, abbreviated, with Census's chapter-98 export headings; the HS
  revision is not stated; leading zeros dropped in the file). → products, classification
  ``CENSUS_HS4``, level 4, codes zero-padded.

Left out: ``china_import_hs_2017.csv`` (hs2, hs4, hs: a bare list of HS6 codes with their
parents, no values and no descriptions, so nothing a table here would gain).
"""

from __future__ import annotations

import urllib.request
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError
from econsec.sources._read import map_codes, open_workbook, read_csv, require_match
from econsec.sources.base import CodeMapping, Parsed, Source

#: list -> (measure, [(rate_pct, rate_text, effective, end)])
LISTS: dict[str, tuple[str, list[tuple[float | None, str, str | None, str | None]]]] = {
    "34b": ("s301 list 34b", [(25.0, "25% (83 FR 28710)", "2018-07-06", None)]),
    "16b": ("s301 list 16b", [(25.0, "25% (83 FR 40823)", "2018-08-23", None)]),
    "200b": ("s301 list 200b", [(10.0, "10% (83 FR 47974)", "2018-09-24", "2019-05-09"),
                                (25.0, "25% (84 FR 20459)", "2019-05-10", None)]),
    "300b_a": ("s301 list 300b A", [(15.0, "15% (84 FR 45821)", "2019-09-01", "2020-02-13"),
                                    (7.5, "7.5% (85 FR 3741)", "2020-02-14", None)]),
    "300b_c": ("s301 list 300b C", [(None, "15% scheduled for 2019-12-15; suspended "
                                     "(84 FR 69447)", None, None)]),
}
RAW = ("https://raw.githubusercontent.com/mitsuoxv/us-tariffs-on-china/"
       "0665b94ceb802cca8954a7e32bfab2fbfabf214c/data/")
CN_MEASURE = "China retaliation 2018-04-02"
CN_EFFECTIVE = pd.Timestamp("2018-04-02")
CN_HEADER = ("序号", "税则号列", "商品名称", "加征关税税率(%)")


def phases() -> pd.DataFrame:
    """The rate phases of every list as a frame (list, measure, rate_pct, ...)."""
    rows = [(k, m, *ph) for k, (m, phs) in LISTS.items() for ph in phs]
    df = pd.DataFrame(rows, columns=["list", "measure", "rate_pct", "rate_text",
                                     "effective_date", "end_date"])
    return df.astype({"rate_pct": "Float64", "effective_date": "datetime64[ns]",
                      "end_date": "datetime64[ns]"})


def ustr_lists(path: Path) -> tuple[pd.DataFrame, int, list[CodeMapping]]:
    """The tidy USTR lists → tariffs rows per list phase; chapter-99 headings reported."""
    df = read_csv(path, {"list": "str", "hs8": "str", "flag": "str"})
    map_codes(df["list"], dict.fromkeys(LISTS, ""), path, "list",
              f"a list name among {list(LISTS)}")
    hs8 = df["hs8"].str.strip()
    require_match(hs8, r"\d{8}", path, "hs8", "an 8-digit HTS code", got=df["hs8"])
    bad = df["flag"].str.strip() != "True"
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path, "flag True (the row marks membership of the list)", row=i + 2,
                         field="flag", got=df["flag"].iloc[i])
    heading = hs8.str.startswith("99")
    notes = [CodeMapping("hs8", code, None, int(n),
                         f"chapter-99 heading {code[:4]}.{code[4:6]}.{code[6:]} implementing list "
                         f"{lst}; not a product line, not stored as a tariff row")
             for (lst, code), n in df[heading].assign(hs8=hs8).groupby(["list", "hs8"]).size().items()]
    goods = pd.DataFrame({"list": df["list"], "product": hs8})[~heading]
    out = goods.merge(phases(), on="list", how="left").drop(columns="list")
    out = out.assign(imposer="USA", target="CHN", target_name="China", classification="HTS8")
    return out, len(df), notes


def china_list(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """China MOF list of 2018-04-01 → (tariffs rows, products rows, data rows)."""
    wb = open_workbook(path)
    try:
        found = None
        for ws in wb.worksheets:  # the sheet name carries a date; find the list by its header
            frame = pd.DataFrame(list(ws.iter_rows(values_only=True))).reindex(columns=range(4))
            is_hdr = np.logical_and.reduce([frame[i].astype("string").eq(h).fillna(False).to_numpy()
                                            for i, h in enumerate(CN_HEADER)])
            hdr = np.flatnonzero(is_hdr)
            if hdr.size:
                found = (ws.title, frame, int(hdr[0]))
                break
        sheets = wb.sheetnames
    finally:
        wb.close()
    if found is None:
        raise InputError(path, f"a worksheet with the header row {list(CN_HEADER)}",
                         sheet=", ".join(sheets), got="no such sheet")
    sheet, frame, h = found
    df = frame.iloc[h + 1:].copy()
    df.columns = list(CN_HEADER)
    df.index = df.index + 1  # sheet row numbers
    df = df[df[CN_HEADER[1]].notna()]
    code = df[CN_HEADER[1]].astype("string").str.strip()
    bad = ~code.str.fullmatch(r"\d{8}").fillna(False)
    if bad.any():
        i = int(df.index[bad.to_numpy()][0])
        raise InputError(path, "an 8-digit Chinese tariff line", sheet=sheet, row=i,
                         field=CN_HEADER[1], got=df[CN_HEADER[1]][i])
    rate = pd.to_numeric(df[CN_HEADER[3]].astype("string"), errors="coerce")
    bad = rate.isna()
    if bad.any():
        i = int(df.index[bad.to_numpy()][0])
        raise InputError(path, "an added duty rate in percent", sheet=sheet, row=i,
                         field=CN_HEADER[3], got=df[CN_HEADER[3]][i])
    tariffs = pd.DataFrame({
        "measure": CN_MEASURE, "imposer": "CHN", "target": "USA", "target_name": "United States",
        "classification": "CN_TARIFF8", "product": code, "rate_pct": rate.astype("Float64"),
        "rate_text": rate.map("{:g}%".format), "effective_date": CN_EFFECTIVE,
        "end_date": pd.NaT}).reset_index(drop=True)
    products = pd.DataFrame({"classification": "CN_TARIFF8", "code": code, "level": 8,
                             "description": df[CN_HEADER[2]].astype("string"), "parent": None})
    return tariffs, products.reset_index(drop=True), len(df)


def census_hs4(path: Path) -> pd.DataFrame:
    """``descriptions.csv`` (no header) → products rows (CENSUS_HS4)."""
    df = read_csv(path, {"code": "str", "description": "str"}, header=False,
                  names=["code", "description"])
    code = df["code"].str.strip()
    require_match(code, r"\d{3,4}", path, "column 1",
                  "a 4-digit HS heading (leading zero may be dropped)", header_lines=0, got=df["code"])
    return pd.DataFrame({"classification": "CENSUS_HS4", "code": code.str.zfill(4), "level": 4,
                         "description": df["description"].str.strip(), "parent": None})


class UstrLists2018(Source):
    name = "ustr_lists_2018"
    title = "USTR Section 301 lists on China (HTS8) and China's April-2018 retaliation list"
    producer = "USTR; China Ministry of Finance; via mitsuoxv/us-tariffs-on-china"
    licence = "government publications; repository licence not stated"
    url = "https://ustr.gov/issue-areas/enforcement/section-301-investigations/tariff-actions"
    patterns = ("tariffs/us_china_tariff_lists_2018_mitsuoxv/ustr_section301_lists_hs8.tidy.csv",
                "tariffs/us_china_tariff_lists_2018_mitsuoxv/P020180401856022545193.xlsx",
                "tariffs/us_china_tariff_lists_2018_mitsuoxv/descriptions.csv")

    def parse(self, paths: Sequence[Path]) -> Parsed:
        tariffs: list[pd.DataFrame] = []
        products: list[pd.DataFrame] = []
        rows_read: dict[str, int] = {}
        notes: list[CodeMapping] = []
        for p in (Path(x) for x in paths):
            if p.name.startswith("ustr_section301_lists"):
                t, n, found = ustr_lists(p)
                tariffs.append(t)
                notes += found
            elif p.suffix == ".xlsx":
                t, prod, n = china_list(p)
                tariffs.append(t)
                products.append(prod)
            elif p.name == "descriptions.csv":
                prod = census_hs4(p)
                products.append(prod)
                n = len(prod)
            else:
                raise InputError(p, "ustr_section301_lists_hs8.tidy.csv, the China MOF .xlsx or "
                                 "descriptions.csv", got=p.name)
            rows_read[str(p)] = n
        tables = {}
        if tariffs:
            tables["tariffs"] = pd.concat(tariffs, ignore_index=True)
        if products:
            tables["products"] = pd.concat(products, ignore_index=True)
        return Parsed(tables=tables, rows_read=rows_read, mappings=tuple(notes),
                      vintage="USTR s.301 notices 2018-2020 and China MOF list of 2018-04-01, "
                              "via mitsuoxv/us-tariffs-on-china@0665b94c")

    def fetch(self, dest: Path) -> list[Path]:
        """Download the workbook, the descriptions and ``tariff_list.rdata`` (pinned commit).

        The lists CSV is the curator's conversion of the R file (one row per list and code);
        converting it needs an R-data reader, which econsec does not depend on.
        """
        dest.mkdir(parents=True, exist_ok=True)
        out = []
        for name in ("P020180401856022545193.xlsx", "descriptions.csv", "tariff_list.rdata"):
            urllib.request.urlretrieve(RAW + name, dest / name)
            out.append(dest / name)
        return out
