"""U.S. imports for consumption and calculated duty by partner and HTS 10-digit line, 2024.

Producer: U.S. Census Bureau, international trade API endpoint ``timeseries/intltrade/imports/hs``
(``time=2024-12``: December year to date, i.e. calendar 2024), as stored by
``tradewartracker/trade-war-redux-2025`` @ ``726c595`` (MIT): one Parquet per partner,
``2024-hs10-imports<CTY_CODE>.parquet``, for the top 50 partners and the European Union (``0003``).
Columns read: ``CTY_CODE``, ``CTY_NAME``, ``I_COMMODITY`` (HTS10), ``I_COMMODITY_SDESC``,
``time``, ``imports`` (USD, equal to the API's ``CON_VAL_YR``) and ``duty`` (calculated duty, USD,
the API's ``CAL_DUT_YR``). ``CensusCountryMapping_FRBAtl_short.csv`` (``CTY_CODE, ISO3, country``;
Federal Reserve Bank of Atlanta) maps Census country codes to ISO3.

Caveats: **imports for consumption at customs value** (excluding freight, insurance and duty), not
general imports; only 51 partner files, so partner totals are not U.S. totals.

Deliberate mapping: Census ``0003`` European Union → **EUN**. The EU file overlaps the member
files (Germany, France, … are also there on their own where in the top 50): **EUN rows must never
be added to member rows** when summing partners. The mapping file's two rows without a Census code
(Palestine, Kosovo) are not written to ``country_codes`` and are reported.

Tables: ``trade_flows`` (importer = reporter = USA, exporter = partner ISO3, flow ``import``,
classification ``HTS10``, ``value_usd`` = imports, ``duty_usd`` = duty), ``products`` (HTS10 codes
with the Census short description, one row per code), ``country_codes`` (scheme ``census``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError, SourceNotFoundError
from econsec.sources._read import coerce, map_codes, read_csv, read_parquet, require_match
from econsec.sources.base import CodeMapping, Parsed, Source

DATA_DIR = "us_trade/census_imports_hs10_2024"
MAPPING_FILE = "CensusCountryMapping_FRBAtl_short.csv"
API = "https://api.census.gov/data/timeseries/intltrade/imports/hs"
TRACKER = ("https://raw.githubusercontent.com/tradewartracker/trade-war-redux-2025/"
           "726c5958e1e43eb08ac076a1e602ae3149164b03/data/")
#: Census codes mapped on purpose to econsec aggregates.
AGGREGATES = {"0003": "EUN"}
COLUMNS = ["CTY_CODE", "CTY_NAME", "I_COMMODITY", "I_COMMODITY_SDESC", "time", "imports", "duty"]
#: The 51 partner files of the stored vintage (top 50 partners of 2024 and the EU).
PARTNERS = ("0003 1220 2010 2050 2110 2150 2190 2230 2470 2740 3010 3070 3310 3330 3370 3510 3570 "
            "4039 4120 4359 4419 4621 4890 5050 5081 5130 5170 5200 5330 5350 5380 5420 5490 5520 "
            "5550 5570 5590 5600 5650 5700 5800 5820 5830 5880 6021 6141 7210 7290 7530 7620 7910").split()


def read_mapping(path: Path) -> tuple[pd.DataFrame, list[CodeMapping], int]:
    """The FRB Atlanta Census-code → ISO3 table as ``country_codes`` rows, mapping notes and the
    number of records read; rows without a code are reported, not kept."""
    df = read_csv(path, {"CTY_CODE": "str", "ISO3": "str", "country": "str"}, encoding="utf-8-sig")
    require_match(df["ISO3"], r"[A-Z]{3}", path, "ISO3", "an ISO3 code (three capital letters)")
    code = df["CTY_CODE"].str.strip()
    require_match(code, r"\d{4}|", path, "CTY_CODE", "a four-digit Census country code",
                  got=df["CTY_CODE"])
    dup = code[(code != "") & code.duplicated()]
    if len(dup):
        i = int(dup.index[0])
        raise InputError(path, "each Census code once", row=i + 2, field="CTY_CODE", got=code.iloc[i])
    notes = [CodeMapping("CTY_CODE", "", iso, 1, f"{path.name}: {name} ({iso}) has no Census code; "
                         "not written to country_codes")
             for iso, name in zip(df.loc[code == "", "ISO3"], df.loc[code == "", "country"], strict=True)]
    out = pd.DataFrame({"scheme": "census", "code": code, "iso3": df["ISO3"], "name": df["country"]})
    return out[code != ""].reset_index(drop=True), notes, len(df)


def find_mapping(paths: Sequence[Path]) -> Path | None:
    """The mapping file among ``paths``, else beside the HS10 files in the data directory."""
    given = [p for p in paths if p.name == MAPPING_FILE]
    if given:
        return given[0]
    for p in paths:
        for cand in (p.parent / MAPPING_FILE, p.parents[1] / "census_imports_hs10_2024" / MAPPING_FILE):
            if cand.is_file():
                return cand
    return None


def read_partner_file(path: Path) -> pd.DataFrame:
    """One ``2024-hs10-imports<CTY>.parquet``: checked columns, numeric values, one partner."""
    df = read_parquet(path, COLUMNS)
    for col in ("imports", "duty"):
        if not pd.api.types.is_numeric_dtype(df[col]):
            coerce(df[[col]].astype("string"), {col: "float"}, path, header_lines=0)
    bad = np.flatnonzero((df["imports"].isna() | df["duty"].isna()).to_numpy())
    if bad.size:
        i = int(bad[0])
        raise InputError(path, "imports and duty in USD", row=i + 1,
                         field="imports" if pd.isna(df["imports"].iloc[i]) else "duty", got="missing")
    require_match(df["I_COMMODITY"], r"\d{10}", path, "I_COMMODITY", "a 10-digit HTS code",
                  header_lines=0)
    m = re.search(r"(\d{4})\.parquet$", path.name)
    if m is not None:
        other = np.flatnonzero((df["CTY_CODE"] != m.group(1)).to_numpy())
        if other.size:
            i = int(other[0])
            raise InputError(path, f"the Census code of the file name ({m.group(1)}) in every row",
                             row=i + 1, field="CTY_CODE", got=df["CTY_CODE"].iloc[i])
    return df


class CensusHs10(Source):
    name = "census_hs10"
    title = "U.S. imports for consumption and calculated duty by partner and HTS10, 2024 (Census)"
    producer = "U.S. Census Bureau (international trade API), stored by tradewartracker"
    licence = "Public domain (U.S. government work); tracker files MIT"
    url = (f"{API}?get=CTY_CODE,CTY_NAME,I_COMMODITY,I_COMMODITY_SDESC,CON_VAL_YR,CAL_DUT_YR"
           "&time=2024-12&COMM_LVL=HS10&CTY_CODE=5700")
    patterns = (f"{DATA_DIR}/2024-hs10-imports*.parquet", f"{DATA_DIR}/{MAPPING_FILE}")

    def discover(self, data_dir: Path) -> list[Path]:
        files = super().discover(data_dir)
        return files if any(p.suffix == ".parquet" for p in files) else []

    def fetch(self, dest: Path) -> list[Path]:
        """Query the Census API once per partner and write the tracker's Parquet layout."""
        import json
        import urllib.parse
        import urllib.request

        dest.mkdir(parents=True, exist_ok=True)
        out = [dest / MAPPING_FILE]
        urllib.request.urlretrieve(TRACKER + MAPPING_FILE, out[0])
        for cty in PARTNERS:
            query = urllib.parse.urlencode({
                "get": "CTY_CODE,CTY_NAME,I_COMMODITY,I_COMMODITY_SDESC,CON_VAL_YR,CAL_DUT_YR",
                "time": "2024-12", "COMM_LVL": "HS10", "CTY_CODE": cty})
            with urllib.request.urlopen(f"{API}?{query}") as resp:
                rows = json.load(resp)
            df = pd.DataFrame(rows[1:], columns=rows[0]).loc[:, lambda d: ~d.columns.duplicated()]
            df["imports"] = pd.to_numeric(df["CON_VAL_YR"])
            df["duty"] = pd.to_numeric(df["CAL_DUT_YR"])
            df["share"] = df["imports"] / df["imports"].sum()
            df["time"] = pd.to_datetime(df["time"])
            df["HS10"], df["HS8"], df["HS6"] = (df["I_COMMODITY"], df["I_COMMODITY"].str[:8],
                                                 df["I_COMMODITY"].str[:6])
            out.append(dest / f"2024-hs10-imports{cty}.parquet")
            df.to_parquet(out[-1], index=False)
        return out

    def parse(self, paths: Sequence[Path]) -> Parsed:
        paths = [Path(p) for p in paths]
        data = [p for p in paths if p.suffix == ".parquet"]
        if not data:
            raise SourceNotFoundError(f"source {self.name!r}: no 2024-hs10-imports*.parquet among "
                                      f"{[p.name for p in paths]}")
        map_path = find_mapping(paths)
        if map_path is None:
            raise SourceNotFoundError(f"source {self.name!r}: {MAPPING_FILE} not given and not beside "
                                      f"{data[0]}")
        codes, notes, map_rows = read_mapping(map_path)
        lookup = dict(zip(codes["code"], codes["iso3"], strict=True)) | AGGREGATES
        frames, rows_read = [], {}
        for p in data:
            df = read_partner_file(p)
            rows_read[str(p)] = len(df)
            df["exporter"] = map_codes(df["CTY_CODE"], lookup, p, "CTY_CODE",
                                       f"a Census country code listed in {MAPPING_FILE} (or 0003 EU)",
                                       header_lines=0)
            frames.append(df)
        if map_path in paths:
            rows_read[str(map_path)] = map_rows
        df = pd.concat(frames, ignore_index=True)
        time = pd.to_datetime(df["time"])
        flows = pd.DataFrame({
            "exporter": df["exporter"], "importer": "USA", "reporter": "USA", "flow": "import",
            "year": time.dt.year.astype("int32"), "classification": "HTS10", "product": df["I_COMMODITY"],
            "value_usd": df["imports"].astype("float64"), "value": df["imports"].astype("float64"),
            "currency": "USD", "duty_usd": df["duty"].astype("float64"),
            "basis": "imports for consumption (customs value)"})
        products = (df[["I_COMMODITY", "I_COMMODITY_SDESC"]].drop_duplicates("I_COMMODITY")
                    .sort_values("I_COMMODITY"))
        products = pd.DataFrame({"classification": "HTS10", "code": products["I_COMMODITY"], "level": 10,
                                 "description": products["I_COMMODITY_SDESC"]}).reset_index(drop=True)
        counts = df["CTY_CODE"].value_counts()
        for code, iso in AGGREGATES.items():
            if code in counts.index:
                notes.append(CodeMapping("CTY_CODE", code, iso, int(counts[code]),
                                         "Census European Union total; overlaps member-country rows: "
                                         "never add EUN to members"))
                name = df.loc[df["CTY_CODE"] == code, "CTY_NAME"].iloc[0].title()
                codes = pd.concat([codes, pd.DataFrame({"scheme": ["census"], "code": [code], "iso3": [iso],
                                                        "name": [name]})], ignore_index=True)
        months = sorted(time.dt.strftime("%Y-%m").unique())
        vintage = (f"Census API imports/hs, time {', '.join(months)} (December year to date = calendar year); "
                   f"{len(data)} partner files as stored by tradewartracker/trade-war-redux-2025 @ 726c595")
        return Parsed(tables={"trade_flows": flows, "products": products, "country_codes": codes},
                      vintage=vintage, rows_read=rows_read, mappings=tuple(notes))
