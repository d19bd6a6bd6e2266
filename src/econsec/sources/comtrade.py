"""UN Comtrade: HS2 exports by partner (legacy API) and semiconductor-equipment trade (bulk CSV).

Two adapters read two published Comtrade formats.

**ComtradeHs2** (``comtrade_hs2``) reads legacy-API records, one CSV per reporter and year
(``comtrade_hs2_exports_<year>_<rtCode>_<ISO3>.csv``) with the 35 JSON field names of
``comtrade.un.org/api/get`` (pfCode, yr, rgCode, rtCode, rt3ISO, ptCode, pt3ISO, cmdCode,
NetWeight, TradeValue, ...). The curated files are exports (``rgCode`` 2, ``cc=AG2``) of the 30
largest traders in 2019 and 2020, downloaded in 2022. ``TradeValue`` is in US dollars, exports
FOB. ``pfCode`` gives the HS revision the reporter used: H5 → HS2017, H4 → HS2012 (Mexico and
Saudi Arabia), and so on. ``NetWeight`` (kg) is 0 or empty on every HS2 row (Comtrade sums no
quantity at aggregated levels, ``qtCode`` 1 "No Quantity"), so a weight of 0 is stored as
missing, never as 0 kg.

**ComtradeSemiconductorEquipment** (``comtrade_sme``) reads the legacy bulk-download CSV
(human-readable headers: Classification, Year, Trade Flow Code, Reporter Code, Reporter ISO,
Partner Code, Commodity Code, Netweight (kg), Trade Value (US$), ...) for HS 848620, 903082 and
903141 against the World, 2016-2020, downloaded 2021-08-16. Codes are "HS as reported", so the
classification follows each row's ``Classification`` (mostly H5 = HS2017; H4, H3 and H2 for
reporters still on older revisions). Imports are stored with basis CIF and exports FOB
(Comtrade's convention; a few reporters value imports FOB).

Re-exports and re-imports (``Trade Flow Code`` 3 and 4) are memo items: under IMTS 2010 they
are already part of the reported exports and imports (in this file every re-export is at most
the export of the same reporter, year and product). Storing them as flow 'export' would double
count, so they are **skipped** and reported as a CodeMapping with their row count.

Deliberate country mappings (reported as CodeMapping): **490 "Other Asia, nes" → TWN** (Comtrade's
name for Taiwan; its ``rt3ISO`` is empty in the source), 0 World → WLD, 837 Bunkers → XBK,
838 Free zones → XFZ, 839 Special categories → XSC, 899 Areas nes → XNS, 527 Oceania nes → XOC,
568 Other Europe nes → XOE, 577 Other Africa nes → XAF, 637 North America and Central America
nes → XAM, 697 Europe EFTA nes → XEF and 879 Western Asia nes → XME. 473 "LAIA, nes" has no
econsec code: its rows are skipped and reported, and its name is kept in ``country_codes``.
Every other area must carry an ISO3 code the reference table knows.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError, SourceNotFoundError
from econsec.sources._countries import codes_to_iso3
from econsec.sources._read import Kind, map_codes, read_csv, require_match
from econsec.sources.base import CodeMapping, Parsed, Source, merge_mappings

#: Comtrade HS revision codes (pfCode / Classification) → econsec classification names.
HS_REVISIONS = {"H0": "HS1992", "H1": "HS1996", "H2": "HS2002", "H3": "HS2007", "H4": "HS2012",
                "H5": "HS2017", "H6": "HS2022"}
#: Comtrade area codes without a usable ISO3, mapped on purpose (None: rows skipped).
SPECIAL_AREAS: dict[str, tuple[str | None, str]] = {
    "0": ("WLD", "Comtrade 'World': partner total"),
    "490": ("TWN", "Comtrade 'Other Asia, nes' (code 490) is Taiwan; rt3ISO/pt3ISO empty in the source"),
    "837": ("XBK", "Comtrade 'Bunkers' → econsec aggregate XBK"),
    "838": ("XFZ", "Comtrade 'Free Zones' → econsec aggregate XFZ"),
    "839": ("XSC", "Comtrade 'Special Categories' → econsec aggregate XSC"),
    "899": ("XNS", "Comtrade 'Areas, nes' → econsec aggregate XNS"),
    "527": ("XOC", "Comtrade 'Oceania, nes' → econsec aggregate XOC"),
    "568": ("XOE", "Comtrade 'Other Europe, nes' → econsec aggregate XOE"),
    "577": ("XAF", "Comtrade 'Other Africa, nes' → econsec aggregate XAF"),
    "637": ("XAM", "Comtrade 'North America and Central America, nes' → econsec aggregate XAM"),
    "697": ("XEF", "Comtrade 'Europe EFTA, nes' → econsec aggregate XEF"),
    "879": ("XME", "Comtrade 'Western Asia, nes' → econsec aggregate XME"),
    "473": (None, "Comtrade 'LAIA, nes' has no econsec code: rows skipped (name kept in country_codes)"),
}
#: Trade-flow codes (rgCode / Trade Flow Code) → econsec flow; None: memo item, rows skipped.
FLOWS: dict[str, str | None] = {"1": "import", "2": "export", "3": None, "4": None}
FLOW_NOTES = {
    "3": "re-exports are a memo item already included in exports (IMTS 2010): skipped, not double counted",
    "4": "re-imports are a memo item already included in imports (IMTS 2010): skipped, not double counted",
}
BASIS = {"export": "FOB", "import": "CIF"}

HS2_SCHEMA: dict[str, Kind] = {"pfCode": "str", "yr": "int", "rgCode": "str", "rtCode": "str", "rtTitle": "str",
              "rt3ISO": "str", "ptCode": "str", "ptTitle": "str", "pt3ISO": "str",
              "cmdCode": "str", "NetWeight": "float", "TradeValue": "float"}
HS2_COLUMNS = ("pfCode,yr,period,periodDesc,aggrLevel,IsLeaf,rgCode,rgDesc,rtCode,rtTitle,rt3ISO,"
               "ptCode,ptTitle,pt3ISO,ptCode2,ptTitle2,pt3ISO2,cstCode,cstDesc,motCode,motDesc,"
               "cmdCode,cmdDescE,qtCode,qtDesc,qtAltCode,qtAltDesc,TradeQuantity,AltQuantity,"
               "NetWeight,GrossWeight,TradeValue,CIFValue,FOBValue,estCode").split(",")
#: Bulk-CSV header → the legacy-API field it holds (the SME file is read through this).
BULK_FIELDS = {"Classification": "pfCode", "Year": "yr", "Trade Flow Code": "rgCode",
               "Reporter Code": "rtCode", "Reporter": "rtTitle", "Reporter ISO": "rt3ISO",
               "Partner Code": "ptCode", "Partner": "ptTitle", "Partner ISO": "pt3ISO",
               "Commodity Code": "cmdCode", "Netweight (kg)": "NetWeight",
               "Trade Value (US$)": "TradeValue"}
#: The 30 reporters of the curated HS2 download (reporterAreas_top30.json).
TOP30 = ("36", "56", "76", "124", "156", "344", "203", "251", "276", "699", "372", "381", "392",
         "458", "484", "528", "490", "616", "410", "643", "682", "702", "724", "757", "764", "792",
         "784", "826", "842", "704")
API = "https://comtradeapi.un.org/data/v1/get/C/A/HS"
#: Comtrade API v1 field → legacy field, so fetched files parse like the published ones.
API_FIELDS = {"classificationCode": "pfCode", "refYear": "yr", "period": "period",
              "flowCode": "rgCode", "reporterCode": "rtCode", "reporterDesc": "rtTitle",
              "reporterISO": "rt3ISO", "partnerCode": "ptCode", "partnerDesc": "ptTitle",
              "partnerISO": "pt3ISO", "cmdCode": "cmdCode", "cmdDesc": "cmdDescE",
              "aggrLevel": "aggrLevel", "isLeaf": "IsLeaf", "netWgt": "NetWeight",
              "primaryValue": "TradeValue", "legacyEstimationFlag": "estCode"}
API_FLOWS = {"M": "1", "X": "2", "RX": "3", "RM": "4"}


def _areas(codes: pd.Series, iso: pd.Series, path: Path,
           field: str) -> tuple[pd.Series, list[CodeMapping]]:
    """Comtrade area code + ISO3 → econsec ISO3; special codes by code, the rest by ISO3."""
    key = iso.where(~codes.isin(list(SPECIAL_AREAS)) & iso.str.strip().ne(""), codes)
    mapped, notes = codes_to_iso3(key, path, field,
                                  aggregates={c: t for c, (t, _) in SPECIAL_AREAS.items()})
    return mapped, [replace(n, note=SPECIAL_AREAS[n.code][1]) for n in notes]



def comtrade_flows(df: pd.DataFrame, path: Path, *, field_names: Mapping[str, str] | None = None,
                   ) -> tuple[pd.DataFrame, pd.DataFrame, list[CodeMapping]]:
    """Typed Comtrade records (legacy field names) → (trade_flows, country codes, mappings).

    ``field_names`` maps legacy names to the names the file uses, so that errors name the
    column as printed (e.g. ``Trade Flow Code`` in a bulk CSV).
    """
    names: dict[str, str] = dict(field_names or {})

    def col(c: str) -> str:
        return names.get(c, c)

    notes: list[CodeMapping] = []
    flow = map_codes(df["rgCode"].str.strip(), FLOWS, path, col("rgCode"),
                     "a Comtrade trade-flow code 1-4 (import, export, re-export, re-import)")
    for code, why in FLOW_NOTES.items():
        n = int((df["rgCode"].str.strip() == code).sum())
        if n:
            notes.append(CodeMapping(col("rgCode"), code, None, n, why))
    classification = map_codes(df["pfCode"].str.strip(), HS_REVISIONS, path, col("pfCode"),
                               f"a Comtrade HS revision code {sorted(HS_REVISIONS)}")
    cmd = df["cmdCode"].str.strip()
    require_match(cmd, r"\d{2}|\d{4}|\d{6}|TOTAL", path, col("cmdCode"),
                  "an HS code of 2, 4 or 6 digits or TOTAL")
    if df["yr"].isna().any():
        i = int(np.flatnonzero(df["yr"].isna().to_numpy())[0])
        raise InputError(path, "a year", row=i + 2, field=col("yr"), got="")
    reporter, n1 = _areas(df["rtCode"].str.strip(), df["rt3ISO"], path, col("rt3ISO"))
    partner, n2 = _areas(df["ptCode"].str.strip(), df["pt3ISO"], path, col("pt3ISO"))
    notes += [replace(n, field=col("rtCode")) for n in n1] + [replace(n, field=col("ptCode")) for n in n2]
    is_exp = flow == "export"
    weight = df["NetWeight"].where(df["NetWeight"] > 0)
    out = pd.DataFrame({
        "exporter": reporter.where(is_exp, partner),
        "importer": partner.where(is_exp, reporter),
        "reporter": reporter,
        "flow": flow,
        "year": df["yr"].astype("Int32"),
        "classification": classification.where(cmd != "TOTAL", "TOTAL"),
        "product": cmd,
        "value_usd": df["TradeValue"].astype("float64"),
        "value": df["TradeValue"].astype("float64"),
        "currency": "USD",
        "quantity": weight.astype("float64"),
        "unit": pd.Series("kg", index=df.index, dtype="string").where(weight.notna()),
        "basis": flow.map(BASIS),
    })
    keep = out["flow"].notna() & out["exporter"].notna() & out["importer"].notna()
    codes = pd.concat([
        pd.DataFrame({"code": df["rtCode"].str.strip(), "iso3": reporter, "name": df["rtTitle"]}),
        pd.DataFrame({"code": df["ptCode"].str.strip(), "iso3": partner, "name": df["ptTitle"]}),
    ]).drop_duplicates("code")
    return out.loc[keep], codes, notes


def _country_codes(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    codes = pd.concat(frames, ignore_index=True).drop_duplicates("code")
    codes = codes.sort_values("code", key=lambda s: pd.to_numeric(s, errors="coerce"), ignore_index=True)
    return pd.DataFrame({"scheme": "comtrade", "code": codes["code"], "iso3": codes["iso3"],
                         "name": codes["name"]})


def _api_get(params: Mapping[str, str]) -> pd.DataFrame:
    """One Comtrade API v1 query → a frame with legacy field names (needs COMTRADE_API_KEY)."""
    key = os.environ.get("COMTRADE_API_KEY")
    if not key:
        raise SourceNotFoundError("the UN Comtrade API needs a subscription key: set COMTRADE_API_KEY "
                                  "(free at https://comtradedeveloper.un.org)")
    req = urllib.request.Request(f"{API}?{urllib.parse.urlencode(params)}",
                                 headers={"Ocp-Apim-Subscription-Key": key})
    with urllib.request.urlopen(req) as resp:
        data = json.load(resp).get("data") or []
    df = pd.DataFrame(data)
    if df.empty:
        return pd.DataFrame(columns=HS2_COLUMNS)
    df = df.rename(columns=API_FIELDS)
    df["rgCode"] = df["rgCode"].map(API_FLOWS)
    return df.reindex(columns=HS2_COLUMNS)


@dataclass(frozen=True)
class _Files:
    tables: dict[str, pd.DataFrame]
    rows_read: dict[str, int]
    mappings: tuple[CodeMapping, ...]
    span: str
    classes: frozenset[str]


def _parse_files(src: Source, paths: Sequence[Path], read: Callable[[Path], pd.DataFrame],
                 field_names: Mapping[str, str] | None = None) -> _Files:
    """Read each file (legacy field names after ``read``) into flows, codes and mappings."""
    flows, codes, notes, rows_read = [], [], [], {}
    years: set[int] = set()
    classes: set[str] = set()
    for p in (Path(x) for x in paths):
        df = read(p)
        rows_read[str(p)] = len(df)
        f, c, n = comtrade_flows(df, p, field_names=field_names)
        flows.append(f)
        codes.append(c)
        notes += n
        years.update(int(y) for y in df["yr"].dropna().unique())
        classes.update(df["pfCode"].unique())
    if not flows:
        raise SourceNotFoundError(f"source {src.name!r}: no files given")
    return _Files({"trade_flows": pd.concat(flows, ignore_index=True),
                   "country_codes": _country_codes(codes)}, rows_read, merge_mappings(notes),
                  f"{min(years)}-{max(years)}" if years else "no rows", frozenset(classes))


class ComtradeHs2(Source):
    name = "comtrade_hs2"
    title = "UN Comtrade HS2 exports by partner, 30 largest traders (legacy API records)"
    producer = "United Nations Statistics Division (UN Comtrade)"
    licence = "UN Comtrade terms of use (free for non-commercial use with attribution)"
    url = f"{API}?reporterCode=410&period=2019&flowCode=X&cmdCode=AG2"
    patterns = ("trade/comtrade_hs2_2019_2020/comtrade_hs2_exports_*.csv",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        r = _parse_files(self, paths, lambda p: read_csv(p, HS2_SCHEMA))
        return Parsed(
            tables=r.tables,
            vintage=f"UN Comtrade legacy API (cc=AG2, rg=2) as downloaded 2022; years {r.span}; "
                    f"{len(r.rows_read)} reporter-year files",
            rows_read=r.rows_read, mappings=r.mappings)

    def fetch(self, dest: Path) -> list[Path]:
        """Query the Comtrade API per reporter and year (HS2, exports, all partners incl. World)."""
        dest.mkdir(parents=True, exist_ok=True)
        out = []
        for year in ("2019", "2020"):
            for rt in TOP30:
                df = _api_get({"reporterCode": rt, "period": year, "flowCode": "X",
                               "cmdCode": "AG2", "includeDesc": "true"})
                iso = re.sub(r"[^A-Z]", "", str(df["rt3ISO"].iloc[0])) if len(df) else "NA"
                target = dest / f"comtrade_hs2_exports_{year}_{int(rt):03d}_{iso or 'NA'}.csv"
                df.to_csv(target, index=False)
                out.append(target)
        return out


class ComtradeSemiconductorEquipment(Source):
    name = "comtrade_sme"
    title = "UN Comtrade trade in semiconductor-manufacturing equipment (HS 848620, 903082, 903141)"
    producer = "United Nations Statistics Division (UN Comtrade)"
    licence = "UN Comtrade terms of use; curated copy from andre-barbe/semiconductor-trade (MIT)"
    url = f"{API}?period=2016,2017,2018,2019,2020&partnerCode=0&cmdCode=848620,903082,903141"
    patterns = ("trade/comtrade_semiconductor_equipment_2016_2020/*.csv",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        schema = {b: HS2_SCHEMA[f] for b, f in BULK_FIELDS.items()}
        r = _parse_files(self, paths,
                         lambda p: read_csv(p, schema, encoding="utf-8-sig").rename(columns=BULK_FIELDS),
                         field_names={v: k for k, v in BULK_FIELDS.items()})
        return Parsed(
            tables=r.tables,
            vintage=f"UN Comtrade bulk CSV, HS as reported ({', '.join(sorted(r.classes))}), "
                    f"years {r.span}; files {', '.join(sorted(Path(p).name for p in r.rows_read))}",
            rows_read=r.rows_read, mappings=r.mappings)

    def fetch(self, dest: Path) -> list[Path]:
        """Query the Comtrade API for the three HS6 codes, every reporter, World, per year."""
        dest.mkdir(parents=True, exist_ok=True)
        out = []
        for year in ("2016", "2017", "2018", "2019", "2020"):
            df = _api_get({"period": year, "partnerCode": "0", "flowCode": "M,X,RM,RX",
                           "cmdCode": "848620,903082,903141", "includeDesc": "true"})
            target = dest / f"comtrade_sme_{year}.csv"
            df.rename(columns={v: k for k, v in BULK_FIELDS.items()})[list(BULK_FIELDS)].to_csv(
                target, index=False)
            out.append(target)
        return out
