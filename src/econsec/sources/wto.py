"""WTO merchandise trade by product group (SITC Rev.3 aggregates), exports and imports vs World.

Two WTO downloads of the same product-group system, in million US dollars:

**WtoMerchandiseGroups** (``wto_merchandise``) reads ``merchandise_values_annual_dataset.csv``
from the WTO Stats portal (columns Indicator, ReporterCode, ReporterISO3A, Reporter,
ProductCode, Product, Year, Value), 2019-2020, exports and imports of each economy with the
World in 18 groups. ``TO`` "Total merchandise" is stored as product ``TOTAL`` in classification
``TOTAL`` (econsec's all-goods convention; reported as a CodeMapping); the other groups keep
their WTO code in classification ``WTO_PG``. The groups are also written to ``products``.

**WtoExportGroups** (``wto_exports_groups``) reads a WTO timeseries-portal bulk file
``WtoData_<timestamp>.csv`` (**Latin-1**, one row per economy, group and year, indicator
``ITS_MTV_AX`` "Merchandise exports by product group and destination", unit ``USM`` = million
US dollars, partner World) for 1990, 1995, 2000, 2005, 2010, 2015 and 2018, 13 groups and **no
total-merchandise row**; classification ``WTO_SITC3_GROUP``. WTO value flags E (estimate) and B
(break in series) are kept in ``basis``.

Groups nest (e.g. Integrated circuits ⊂ Office and telecom equipment ⊂ Machinery and transport
equipment ⊂ Manufactures; Automotive products ⊂ Transport equipment): ``products.parent``
records the hierarchy, so never sum across groups. Exports are FOB and imports CIF as WTO
compiles them (a few reporters value imports FOB).

Economies mapped on purpose (reported as CodeMapping): 000 World → WLD, EEC European Union →
EUN, CHT Chinese Taipei → TWN, ROM (WTO's old code for Romania) → ROU, BLX Belgium-Luxembourg
(1990 and 1995, before separate reporting) → BEL, 201 Czech and Slovak Federal Republic (1990)
→ CSK. Skipped and reported: 280 Federal Republic of Germany and 230 Ethiopia (+ Eritrea), both
1990 duplicates of 276 Germany (FRG + GDR) and 231 Ethiopia, and the WTO economic groups
(codes 900-999 and the analytical groups OAS, OCI, OAF, OWE, OSE, LAX, LFX, LMX, LOX), which are
sums of economies in the file; their printed names are kept in ``country_codes`` (scheme wto).
"""

from __future__ import annotations

import io
import os
import urllib.request
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError, SourceNotFoundError, UnknownCodeError
from econsec.sources._countries import codes_to_iso3
from econsec.sources._read import map_codes, read_csv
from econsec.sources.base import CodeMapping, Parsed, Source, merge_mappings

#: WTO product groups (SITC Rev.3 aggregates): code → (parent, depth below total merchandise).
WTO_GROUPS: dict[str, tuple[str | None, int]] = {
    "TO": (None, 0),
    "AG": ("TO", 1), "AGFO": ("AG", 2),
    "MI": ("TO", 1), "MIFU": ("MI", 2),
    "MA": ("TO", 1), "MAIS": ("MA", 2), "MACH": ("MA", 2), "MACHPH": ("MACH", 3),
    "MAMT": ("MA", 2), "MAMTOF": ("MAMT", 3), "MAMTOTEP": ("MAMTOF", 4),
    "MAMTOTTL": ("MAMTOF", 4), "MAMTOTIC": ("MAMTOF", 4), "MAMTTE": ("MAMT", 3),
    "MAMTAU": ("MAMTTE", 4), "MATE": ("MA", 2), "MACL": ("MA", 2),
}
#: WTO economy keys (ISO3A where given, else the WTO code) mapped on purpose.
WTO_AREAS: dict[str, tuple[str | None, str]] = {
    "000": ("WLD", "WTO 'World'"),
    "EEC": ("EUN", "WTO 'European Union' (ISO3A EEC) → econsec aggregate EUN"),
    "CHT": ("TWN", "WTO 'Chinese Taipei' (ISO3A CHT) is Taiwan"),
    "ROM": ("ROU", "WTO's former ISO3A code ROM for Romania"),
    "BLX": ("BEL", "WTO 'Belgium-Luxembourg' (joint reporting before 1999) stored as BEL; includes LUX"),
    "201": ("CSK", "WTO 'Czech and Slovak Federal Republic' → former Czechoslovakia CSK"),
    "280": (None, "WTO 'Germany, Federal Republic of' (1990): duplicate of 276 Germany, which is "
                  "FRG + GDR in 1990; rows skipped"),
    "230": (None, "WTO 'Ethiopia (+ Eritrea)' (1990): duplicate of 231 Ethiopia; rows skipped"),
}
#: WTO analytical groups with letter codes (numeric groups are 900-999).
WTO_ALPHA_GROUPS = frozenset({"OAS", "OCI", "OAF", "OWE", "OSE", "LAX", "LFX", "LMX", "LOX"})
GROUP_NOTE = "WTO economic group '{}' (a sum of economies in the file): rows skipped"
FLOWS = {"Export": "export", "Import": "import"}
BASIS = {"export": "FOB", "import": "CIF"}
FLAGS = {"": "", "E": "; WTO estimate", "B": "; break in series"}


def _economies(code: pd.Series, iso: pd.Series, name: pd.Series, path: Path,
               field: str) -> tuple[pd.Series, list[CodeMapping], pd.DataFrame]:
    """WTO economy code/ISO3A → econsec ISO3 (None for skipped groups), notes, country codes."""
    code, iso = code.str.strip(), iso.str.strip()
    key = iso.where(iso != "", code)
    groups = key[(iso == "") & (key.str.fullmatch(r"9\d\d") | key.isin(WTO_ALPHA_GROUPS))]
    names = pd.Series(name.to_numpy(), index=key.to_numpy())
    names = names[~names.index.duplicated()]
    special = WTO_AREAS | {g: (None, GROUP_NOTE.format(names[g])) for g in groups.unique()}
    mapped, notes = codes_to_iso3(key, path, field, aggregates={k: t for k, (t, _) in special.items()})
    notes = [replace(n, note=special[n.code][1]) for n in notes]
    codes = pd.DataFrame({"scheme": "wto", "code": code, "iso3": mapped, "name": name}) \
        .drop_duplicates("code")
    return mapped, notes, codes


def _products(codes: pd.Series, labels: pd.Series, path: Path, field: str,
              classification: str) -> pd.DataFrame:
    """Product groups in the file → products rows (level, parent); unknown codes raise."""
    unknown = ~codes.isin(list(WTO_GROUPS))
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise UnknownCodeError(path, f"a WTO product-group code {sorted(WTO_GROUPS)}", row=i + 2,
                               field=field, got=codes.iloc[i])
    prod = pd.DataFrame({"code": codes, "description": labels}).drop_duplicates("code")
    parent = prod["code"].map({k: p for k, (p, _) in WTO_GROUPS.items()})
    return pd.DataFrame({
        "classification": classification, "code": prod["code"],
        "level": prod["code"].map({k: lv for k, (_, lv) in WTO_GROUPS.items()}).astype("int32"),
        "description": prod["description"],
        "parent": parent.where(parent.isin(set(prod["code"]))),
    }).sort_values("code", ignore_index=True)


def _require_year(year: pd.Series, path: Path) -> None:
    if year.isna().any():
        i = int(np.flatnonzero(year.isna().to_numpy())[0])
        raise InputError(path, "a year", row=i + 2, field="Year", got="")



def _flows(reporter: pd.Series, partner: pd.Series, flow: pd.Series, year: pd.Series,
           classification: str, product: pd.Series, value: pd.Series,
           basis: pd.Series) -> pd.DataFrame:
    is_exp = flow == "export"
    out = pd.DataFrame({
        "exporter": reporter.where(is_exp, partner), "importer": partner.where(is_exp, reporter),
        "reporter": reporter, "flow": flow, "year": year.astype("Int32"),
        "classification": pd.Series(classification, index=product.index).where(product != "TO", "TOTAL"),
        "product": product.where(product != "TO", "TOTAL"),
        "value_usd": value.astype("float64") * 1e6, "value": value.astype("float64"),
        "currency": "million USD", "basis": basis,
    })
    return out[reporter.notna() & partner.notna()]


def _one(paths: Sequence[Path], source: Source) -> Path:
    if len(paths) != 1:
        raise SourceNotFoundError(f"source {source.name!r}: expected one data file, got "
                                  f"{[Path(p).name for p in paths]}")
    return Path(paths[0])


class WtoMerchandiseGroups(Source):
    name = "wto_merchandise"
    title = "WTO merchandise trade values by product group, exports and imports vs World"
    producer = "World Trade Organization (WTO Stats)"
    licence = "WTO terms of use (free use with attribution)"
    url = "http://stats.wto.org/assets/UserGuide/merchandise_values_annual_dataset.zip"
    patterns = ("trade/wto_merchandise_product_groups_2019_2020/*.csv",)

    def fetch(self, dest: Path) -> list[Path]:
        """Download the WTO bulk zip and keep, as published here, the rows with partner World."""
        dest.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(self.url) as r, \
                zipfile.ZipFile(io.BytesIO(r.read())) as z:
            df = pd.read_csv(z.open("merchandise_values_annual_dataset.csv"), dtype=str,
                             keep_default_na=False, encoding="ISO-8859-1")
        df = df[df["Partner"] == "World"]
        df["Indicator"] = df["Indicator"].str.replace(r"(?i).*imports.*", "Import", regex=True) \
            .str.replace(r"(?i).*exports.*", "Export", regex=True)
        target = dest / "wto_merchandise_values_by_product_group.csv"
        df[["Indicator", "ReporterCode", "ReporterISO3A", "Reporter", "ProductCode", "Product",
            "Year", "Value"]].to_csv(target, index=False)
        return [target]

    def parse(self, paths: Sequence[Path]) -> Parsed:
        p = _one(paths, self)
        df = read_csv(p, {"Indicator": "str", "ReporterCode": "str", "ReporterISO3A": "str",
                          "Reporter": "str", "ProductCode": "str", "Product": "str",
                          "Year": "int", "Value": "float"}, encoding="utf-8-sig")
        _require_year(df["Year"], p)
        flow = map_codes(df["Indicator"].str.strip(), FLOWS, p, "Indicator", "Export or Import")
        reporter, notes, codes = _economies(df["ReporterCode"], df["ReporterISO3A"], df["Reporter"],
                                            p, "ReporterCode")
        product = df["ProductCode"].str.strip()
        products = _products(product, df["Product"], p, "ProductCode", "WTO_PG")
        n_total = int((product == "TO").sum())
        if n_total:
            notes.append(CodeMapping("ProductCode", "TO", "TOTAL", n_total,
                                     "WTO 'Total merchandise' → product TOTAL, classification TOTAL"))
        world = pd.Series("WLD", index=df.index)
        flows = _flows(reporter, world, flow, df["Year"], "WTO_PG", product, df["Value"],
                       flow.map(BASIS))
        years = sorted(int(y) for y in df["Year"].dropna().unique())
        return Parsed(
            tables={"trade_flows": flows, "products": products, "country_codes": codes},
            vintage=f"WTO Stats merchandise_values_annual_dataset ({p.name}), years "
                    f"{years[0]}-{years[-1]}" if years else f"WTO Stats ({p.name}), no rows",
            rows_read={str(p): len(df)}, mappings=merge_mappings(notes))


class WtoExportGroups(Source):
    name = "wto_exports_groups"
    title = "WTO merchandise exports by product group to World (ITS_MTV_AX), 1990-2018"
    producer = "World Trade Organization (WTO Timeseries)"
    licence = "WTO terms of use (free use with attribution)"
    url = ("https://api.wto.org/timeseries/v1/data?i=ITS_MTV_AX&r=all&p=000&pc=all"
           "&ps=1990,1995,2000,2005,2010,2015,2018&fmt=csv&lang=1")
    patterns = ("trade/wto_exports_product_groups_1990_2018/WtoData_*.csv",)

    def fetch(self, dest: Path) -> list[Path]:
        """Query the WTO Timeseries API (needs WTO_API_KEY) and save it as the portal does."""
        key = os.environ.get("WTO_API_KEY")
        if not key:
            raise SourceNotFoundError("the WTO Timeseries API needs a subscription key: set "
                                      "WTO_API_KEY (free at https://apiportal.wto.org)")
        dest.mkdir(parents=True, exist_ok=True)
        req = urllib.request.Request(self.url, headers={"Ocp-Apim-Subscription-Key": key})
        with urllib.request.urlopen(req) as r:
            text = r.read().decode("utf-8-sig")
        target = dest / f"WtoData_{datetime.now():%Y%m%d%H%M%S}.csv"
        target.write_bytes(text.encode("latin-1", errors="replace"))
        return [target]

    def parse(self, paths: Sequence[Path]) -> Parsed:
        p = _one(paths, self)
        df = read_csv(p, {"Indicator Code": "str", "Reporting Economy Code": "str",
                          "Reporting Economy ISO3A Code": "str", "Reporting Economy": "str",
                          "Partner Economy Code": "str", "Partner Economy ISO3A Code": "str",
                          "Partner Economy": "str", "Product/Sector Code": "str",
                          "Product/Sector": "str", "Unit Code": "str", "Year": "int",
                          "Value Flag Code": "str", "Value": "float"}, encoding="latin-1")
        _expect(df["Indicator Code"], {"ITS_MTV_AX": "export"}, p, "Indicator Code",
                "indicator ITS_MTV_AX (merchandise exports by product group)")
        _expect(df["Unit Code"], {"USM": "million USD"}, p, "Unit Code", "unit USM (million US dollar)")
        _require_year(df["Year"], p)
        flags = map_codes(df["Value Flag Code"].str.strip(), FLAGS, p, "Value Flag Code",
                          "a WTO value flag: empty, E (estimate) or B (break in series)")
        reporter, notes, codes = _economies(
            df["Reporting Economy Code"], df["Reporting Economy ISO3A Code"],
            df["Reporting Economy"], p, "Reporting Economy Code")
        partner, pnotes, _ = _economies(
            df["Partner Economy Code"], df["Partner Economy ISO3A Code"], df["Partner Economy"],
            p, "Partner Economy Code")
        product = df["Product/Sector Code"].str.strip()
        products = _products(product, df["Product/Sector"], p, "Product/Sector Code",
                             "WTO_SITC3_GROUP")
        flow = pd.Series("export", index=df.index)
        flows = _flows(reporter, partner, flow, df["Year"], "WTO_SITC3_GROUP", product,
                       df["Value"], "FOB" + flags)
        years = sorted(int(y) for y in df["Year"].dropna().unique())
        return Parsed(
            tables={"trade_flows": flows, "products": products, "country_codes": codes},
            vintage=f"WTO Timeseries bulk download {p.stem.removeprefix('WtoData_')} "
                    f"(ITS_MTV_AX), years {', '.join(map(str, years))}",
            rows_read={str(p): len(df)}, mappings=merge_mappings(notes + pnotes))


def _expect(values: pd.Series, allowed: Mapping[str, str], path: Path, field: str,
            expected: str) -> None:
    """Raise on the first row whose value is not in ``allowed`` (an unexpected indicator/unit)."""
    map_codes(values.str.strip(), allowed, path, field, expected)
