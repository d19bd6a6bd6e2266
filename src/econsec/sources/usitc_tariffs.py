"""USITC annual tariff database 2017: U.S. MFN and preferential rates by HTS 8-digit line.

Producer: U.S. International Trade Commission (public domain), ``tariff_data_2017.zip`` →
``tariff_database_2017.xlsx`` (one sheet, ``Tariff Database August``; 12,861 rows, 112
columns: ``hts8``, ``brief_description``, ``mfn_text_rate``, ``mfn_rate_type_code``,
``mfn_ad_val_rate``, ``mfn_specific_rate``, ``mfn_other_rate``, ``col1_special_text``, one
column group per special program, ``col2_*``, ``begin_effect_date``, ``end_effective_date``).
The copy here comes from ``mwaugh0328/tradewar-tracker`` (commit ``753b3516``), unchanged.

Units: ``*_ad_val_rate`` is a **fraction** (0.025 = 2.5 %); econsec stores percent. Specific
rates (cents/kg, $/head...) are kept only in ``rate_text``, as printed.

What is stored
--------------
* ``tariffs``, measure ``MFN 2017`` (column 1 general; target NULL = all NTR partners): one row
  per database row. ``rate_pct`` is given only when the whole rate is ad valorem: rate type
  ``0`` (free) or ``7`` (ad valorem). Specific, compound and other types (1–6, 9, K, N, Q, T,
  X, blank) get NULL: a compound rate's ad-valorem part alone would understate it; the full
  rate is in ``rate_text``. The database's sentinel 9999.999999 ("not expressible") is NULL.
* The **single-partner** preferential programs that have their own rate columns, for lines with
  the program indicator set: NAFTA Mexico (MEX), Jordan, Singapore, Chile, Morocco, Australia,
  Bahrain, Oman, Peru, **KORUS** (KOR), Colombia (``columbia_*`` in the file) and Panama.
  ``rate_text`` is the printed ``col1_special_text`` (the special-rate column of the HTS).
  Lines whose indicator is set but whose rate type is blank get ``rate_pct`` NULL (the shared
  special-rate text cannot be split per program). For MFN and column 2, a blank rate type with
  an own printed text of just ``Free`` or ``N%`` is read from that text.
* ``Column 2 2017`` (``col2_*``): the statutory rates, which in 2017 applied to Cuba and North
  Korea (HTS general note 3(b)); stored for targets CUB and PRK.
* ``products``: classification ``HTS8``, level 8, ``brief_description`` (one row per code; the
  latest-dated row where a code appears twice).

Not stored: indicator-only programs without rate columns (GSP, AGOA, APTA, civil aircraft,
NAFTA Canada, Israel, ATPDEA, pharmaceutical and dyes lists, Nepal) and the multi-country
programs (CBI, CBTPA, ATPA, DR-CAFTA, DR-CAFTA plus), which econsec has no group codes for.
There is **no Japan program**: the U.S.–Japan Trade Agreement dates from 2020.

Dates: 127 codes appear twice, with ``end_effective_date`` 2017-06-30 and a new row from
2017-07-01; both are kept, with their dates. The USITC placeholder end date 2050-12-31 ("no end
set") is stored as NULL.
"""

from __future__ import annotations

import urllib.request
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError
from econsec.sources._read import coerce, open_workbook, require_match
from econsec.sources.base import Parsed, Source

SHEET_PREFIX = "Tariff Database"
SENTINEL = 9999.0  # rates at or above this are the database's "not expressible" marker
NO_END = pd.Timestamp("2050-12-31")
AD_VALOREM_TYPES = ("0", "7")
#: program prefix -> (indicator column, target ISO3, measure)
PROGRAMS: dict[str, tuple[str, str, str]] = {
    "mexico": ("nafta_mexico_ind", "MEX", "NAFTA (Mexico) 2017"),
    "jordan": ("jordan_indicator", "JOR", "US-Jordan FTA 2017"),
    "singapore": ("singapore_indicator", "SGP", "US-Singapore FTA 2017"),
    "chile": ("chile_indicator", "CHL", "US-Chile FTA 2017"),
    "morocco": ("morocco_indicator", "MAR", "US-Morocco FTA 2017"),
    "australia": ("australia_indicator", "AUS", "US-Australia FTA 2017"),
    "bahrain": ("bahrain_indicator", "BHR", "US-Bahrain FTA 2017"),
    "oman": ("oman_indicator", "OMN", "US-Oman FTA 2017"),
    "peru": ("peru_indicator", "PER", "US-Peru TPA 2017"),
    "korea": ("korea_indicator", "KOR", "KORUS FTA 2017"),
    "columbia": ("columbia_indicator", "COL", "US-Colombia TPA 2017"),
    "panama": ("panama_indicator", "PAN", "US-Panama TPA 2017"),
}
COL2_TARGETS = {"CUB": "Cuba (column 2)", "PRK": "North Korea (column 2)"}
NUMERIC = ["mfn_ad_val_rate", "col2_ad_val_rate"] + [f"{p}_ad_val_rate" for p in PROGRAMS]
TEXT = ["hts8", "brief_description", "mfn_text_rate", "mfn_rate_type_code", "col1_special_text",
        "col2_text_rate", "col2_rate_type_code"] + [c for p, (ind, _, _) in PROGRAMS.items()
                                                     for c in (ind, f"{p}_rate_type_code")]
DATES = ["begin_effect_date", "end_effective_date"]


def read_sheet(path: Path) -> tuple[pd.DataFrame, str]:
    """The database sheet as a frame of the needed columns, numbers checked; and its name."""
    wb = open_workbook(path)
    try:
        sheets = [s for s in wb.sheetnames if s.startswith(SHEET_PREFIX)]
        if not sheets:
            raise InputError(path, f"a worksheet named '{SHEET_PREFIX} ...'", sheet=SHEET_PREFIX,
                             got=f"sheets {wb.sheetnames[:12]}")
        rows = wb[sheets[0]].iter_rows(values_only=True)
        header = next(rows, None)
        data = list(rows)
    finally:
        wb.close()
    sheet = sheets[0]
    if header is None:
        raise InputError(path, "a header row with hts8, mfn_text_rate, ...", sheet=sheet, row=1,
                         got="empty sheet")
    names = [str(h).strip() if h is not None else "" for h in header]
    missing = [c for c in TEXT + NUMERIC + DATES if c not in names]
    if missing:
        raise InputError(path, "the USITC tariff-database columns", sheet=sheet, row=1,
                         field=missing[0], got=f"header {names[:8]}...")
    raw = pd.DataFrame(data, columns=names, dtype=object)
    raw = raw.loc[:, ~raw.columns.duplicated()]
    try:
        nums = coerce(raw[NUMERIC].astype("string"), dict.fromkeys(NUMERIC, "float"), path)
    except InputError as e:
        raise InputError(path, e.expected, sheet=sheet, row=e.row, field=e.field, got=e.got) from e
    out = raw[TEXT].astype("string").apply(lambda s: s.str.strip()).join(nums.astype("float64"))
    hts = out["hts8"]
    require_match(hts, r"\d{8}", path, "hts8", "an 8-digit HTS code", sheet=sheet)
    for c in DATES:
        d = pd.to_datetime(raw[c], errors="coerce")
        bad = d.isna() & raw[c].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(path, "a date", sheet=sheet, row=i + 2, field=c, got=raw[c].iloc[i])
        out[c] = d
    return out, sheet


def ad_valorem_pct(rate_type: pd.Series, ad_val: pd.Series,
                   text: pd.Series | None = None) -> pd.Series:
    """Percent where the whole rate is ad valorem (types 0, 7), else NA (see module docstring).

    Where the rate type is blank, a rate's own printed text that is just ``Free`` or ``N%`` is
    read instead (the column-2 text of some lines, e.g. 8703.23.01 "10%").
    """
    ok = rate_type.isin(AD_VALOREM_TYPES).fillna(False) & (ad_val < SENTINEL).fillna(False)
    pct = (ad_val * 100).round(6).where(ok).astype("Float64")
    if text is not None:
        printed = pd.to_numeric(text.str.extract(r"^(\d+(?:\.\d+)?)%$", expand=False),
                                errors="coerce").astype("Float64").mask(text == "Free", 0.0)
        pct = pct.fillna(printed.where(rate_type.isna()))
    return pct


def _rows(df: pd.DataFrame, measure: str | pd.Series, target: object, target_name: object,
          rate_pct: pd.Series, rate_text: pd.Series) -> pd.DataFrame:
    end = df["end_effective_date"]
    return pd.DataFrame({
        "measure": measure, "imposer": "USA", "target": target, "target_name": target_name,
        "classification": "HTS8", "product": df["hts8"], "rate_pct": rate_pct,
        "rate_text": rate_text, "effective_date": df["begin_effect_date"],
        "end_date": end.where(end != NO_END)})


def program_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Single-partner programs, reshaped long in one step (no loop over programs)."""
    progs = list(PROGRAMS)

    def wide(cols: list[str]) -> pd.Series:
        return df[cols].set_axis(progs, axis=1).stack(future_stack=True)

    long = pd.DataFrame({
        "indicator": wide([PROGRAMS[p][0] for p in progs]),
        "rate_type": wide([f"{p}_rate_type_code" for p in progs]),
        "ad_val": wide([f"{p}_ad_val_rate" for p in progs]),
    })
    long = long[long["indicator"].notna()]
    row, prog = long.index.get_level_values(0), long.index.get_level_values(1)
    base = df.loc[row].reset_index(drop=True)
    long = long.reset_index(drop=True)
    prog = pd.Series(prog, dtype="string")
    return _rows(base, prog.map({p: v[2] for p, v in PROGRAMS.items()}),
                 prog.map({p: v[1] for p, v in PROGRAMS.items()}),
                 prog.map({p: v[2].removesuffix(" 2017") for p, v in PROGRAMS.items()}),
                 ad_valorem_pct(long["rate_type"], long["ad_val"]), base["col1_special_text"])


class UsitcTariffs2017(Source):
    name = "usitc_tariffs_2017"
    title = "USITC annual tariff database 2017 (HTS8 MFN, FTA and column 2 rates)"
    producer = "U.S. International Trade Commission"
    licence = "U.S. government work (public domain)"
    url = "https://www.usitc.gov/tariff_affairs/documents/tariff_data/tariff_data_2017.zip"
    patterns = ("tariffs/usitc_tariff_database_2017/tariff_database_*.xlsx",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        tariffs, products, rows_read, sheets = [], [], {}, []
        for p in (Path(x) for x in paths):
            df, sheet = read_sheet(p)
            sheets.append(f"{p.name} sheet {sheet!r}")
            rows_read[str(p)] = len(df)
            mfn = _rows(df, "MFN 2017", None, "all NTR partners (column 1 general)",
                        ad_valorem_pct(df["mfn_rate_type_code"], df["mfn_ad_val_rate"],
                                       df["mfn_text_rate"]),
                        df["mfn_text_rate"])
            has2 = df[df["col2_text_rate"].notna()].merge(
                pd.DataFrame({"_iso": list(COL2_TARGETS), "_name": list(COL2_TARGETS.values())}),
                how="cross")
            col2 = _rows(has2, "Column 2 2017", has2["_iso"], has2["_name"],
                         ad_valorem_pct(has2["col2_rate_type_code"], has2["col2_ad_val_rate"],
                                        has2["col2_text_rate"]),
                         has2["col2_text_rate"])
            tariffs += [mfn, program_rows(df), col2]
            latest = df.sort_values("begin_effect_date").drop_duplicates("hts8", keep="last")
            products.append(pd.DataFrame({
                "classification": "HTS8", "code": latest["hts8"], "level": 8,
                "description": latest["brief_description"], "parent": None}))
        return Parsed(
            tables={"tariffs": pd.concat(tariffs, ignore_index=True),
                    "products": pd.concat(products, ignore_index=True)},
            vintage="USITC tariff database 2017: " + "; ".join(sheets),
            rows_read=rows_read)

    def fetch(self, dest: Path) -> list[Path]:
        """Download the USITC zip and extract the workbook."""
        dest.mkdir(parents=True, exist_ok=True)
        zpath = dest / "tariff_data_2017.zip"
        urllib.request.urlretrieve(self.url, zpath)
        with zipfile.ZipFile(zpath) as z:
            names = [n for n in z.namelist() if n.endswith(".xlsx")]
            z.extractall(dest, members=names)
        return [dest / n for n in names]
