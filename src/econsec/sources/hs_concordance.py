"""HS descriptions, concordances, elasticities, Rauch classes and upstreamness (R ``concordance``).

Dataset
-------
The data tables of the R package ``concordance`` 2.1.0 (Liao, Kim, Miyano & Zhang; MIT licence),
built from UNSD/WITS correspondence tables, converted from ``data/*.RData`` to CSV (one file per
table, code columns as strings with leading zeros). File names follow the package: ``hs0`` =
HS1988/92 (written as ``HS1992``), ``hs1`` HS1996, ``hs2`` HS2002, ``hs3`` HS2007, ``hs4`` HS2012,
``hs5`` HS2017, ``hs6`` HS2022, and ``hs`` the package's table pooled over HS revisions.

What econsec makes of each file
-------------------------------
* ``hs0/hs5/hs6_desc`` → ``products`` (HS1992/HS2017/HS2022; 2-, 4- and 6-digit codes, ``level``
  = number of digits, ``parent`` = the 4- or 2-digit prefix).
* ``hsX_hsY``, ``hsX_bec4``, ``hsX_isic3``, ``hs_isic4``, ``hsX_sitc3``, ``hsX_sitc4`` →
  ``concordances`` at the 6-digit HS level, one row per link. ``hs_isic4`` is pooled over HS
  revisions, so its ``from_class`` is ``'HS'``. ``relationship`` is computed per link within each
  table: ``1:1``, ``n:1`` (several HS codes to one target), ``1:n`` or ``n:m``.
* ``wiod_2013`` → ``concordances`` ISIC3 (4-digit) → ``WIOD13`` sector ``c1`` … ``c35`` (the
  codes of :mod:`econsec.sources.wiod`), built from ``WIOT2013_n``; the file repeats links, which
  are written once.
* ``sigma_hs0`` / ``sigma_sitc3`` → ``elasticities``: Broda–Weinstein (2006) import-demand
  elasticities of substitution (unitless). ``sigma_hs0`` is by importer at the **HS 3-digit**
  level (product ``'010'`` etc., classification HS1992); ``sigma_sitc3`` is the U.S. at SITC3
  5-digit.
* ``sitc2_rauch`` → ``product_attributes`` (SITC2 4-digit; ``rauch_conservative`` /
  ``rauch_liberal``: w = organised exchange, r = reference priced, n = differentiated).
* ``upstream`` → ``io_sector_indicators`` (io_table WIOD2013; GVC_Ui upstreamness, GVC_FUGOi,
  GVC_Di, GVC_VAGOi; blank cells are NULL). ``upstream_us_detailed`` → the same table with
  io_table = the file's ``BEA_CLASS`` (BEA2002/2007/2012 detailed U.S. tables), country USA.

Deliberate mappings and caveats
-------------------------------
* BEC rev.4: the package right-pads BEC codes with zeros to three digits (``220`` = BEC 22,
  ``700`` = BEC 7). No official BEC rev.4 code ends in 0, so econsec writes the official code
  (``22``), which is what CEPII BACI publishes; the HS2017 → BEC links then equal BACI's exactly.
* A table row whose target code is blank (e.g. HS2017 999999 → ISIC3, 710820 → SITC) has no
  link: no concordance row is written and the HS code is reported as a :class:`CodeMapping`.
  Fully blank rows (one at the end of ``hs6_bec4``) are skipped and reported the same way.
* ``hs0_desc`` lists the legacy non-WCO code ``9999AA`` (commodities not specified); it is kept
  as printed (level 6, parent 9999) and reported.
* ISIC3 → WIOD: ISIC3 9900 (extra-territorial organisations) has no WIOD sector; reported.
* ``upstream``: ``ROW`` is WIOD's modelled rest of the world, kept as econsec's aggregate ROW.
* The package's HS-to-HS tables give each newer subheading exactly one older code (only ``1:1``
  and ``n:1`` links); the BEC and ISIC4 tables have ``1:n`` and ``n:m`` links as well. Where a
  code splits, aggregate with weights, never by simple relabelling.

Vintage: ``concordance`` 2.1.0 (GitHub ``insongkim/concordance`` @ 201c812).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError, SourceNotFoundError
from econsec.sources._countries import codes_to_iso3
from econsec.sources._read import Kind, read_csv, require_match
from econsec.sources.base import CodeMapping, Parsed, Source

REVISIONS = {"hs0": "HS1992", "hs1": "HS1996", "hs2": "HS2002", "hs3": "HS2007", "hs4": "HS2012",
             "hs5": "HS2017", "hs6": "HS2022", "hs": "HS"}
#: target of a concordance table: (column, econsec class, regex of a valid code)
TARGETS = {"bec4": ("BEC4_3d", "BEC4", r"\d{3}"), "isic3": ("ISIC3_4d", "ISIC3", r"\d{4}"),
           "isic4": ("ISIC4_4d", "ISIC4", r"\d{4}"), "sitc3": ("SITC3_5d", "SITC3", r"\d{5}"),
           "sitc4": ("SITC4_5d", "SITC4", r"\d{5}")}
CONCORDANCE = re.compile(r"^(hs\d?)_(hs\d|bec4|isic3|isic4|sitc3|sitc4)$")
UPSTREAM = ("GVC_Ui", "GVC_FUGOi", "GVC_Di", "GVC_VAGOi")
BW = "Broda–Weinstein (2006) import-demand elasticity"
LEGACY = "9999AA"  # hs0_desc: "Commodities not specified … LEGACY NON-WCO CODE"
#: the package tables econsec reads (``data/<name>.RData`` in the package, one CSV each here)
TABLES = ("hs0_desc", "hs5_desc", "hs6_desc", *(f"hs5_hs{i}" for i in range(5)),
          *(f"hs6_hs{i}" for i in range(6)),
          *(f"{h}_{t}" for h in ("hs0", "hs5", "hs6") for t in ("bec4", "isic3", "sitc3", "sitc4")),
          "hs_isic4", "sigma_hs0", "sigma_sitc3", "sitc2_rauch", "upstream", "upstream_us_detailed",
          "wiod_2013")
COMMIT = "201c812e51f213d967d8701b6ed6398c79df4a04"
VINTAGE = "R concordance 2.1.0 (insongkim/concordance @ 201c812)"



def relationship(from_code: pd.Series, to_code: pd.Series) -> np.ndarray:
    """Cardinality of each link: '1:1', 'n:1', '1:n' or 'n:m' (links must be distinct).

    'n:1' means several source codes share the target; '1:n' that the source code splits.
    """
    n_to = from_code.map(from_code.value_counts()).to_numpy()  # targets of this source code
    n_from = to_code.map(to_code.value_counts()).to_numpy()  # source codes of this target
    return np.select([(n_to == 1) & (n_from == 1), n_to == 1, n_from == 1],
                     ["1:1", "n:1", "1:n"], "n:m")


def _links(path: Path, frm: str, to: str, from_class: str, to_class: str, from_pat: str,
           to_pat: str, to_label: str) -> tuple[pd.DataFrame, list[CodeMapping], int]:
    """One concordance file → distinct links; blank targets reported, not written."""
    df = read_csv(path, {frm: "str", to: "str"})
    blank_row = (df[frm] == "") & (df[to] == "")
    no_target = (df[to] == "") & ~blank_row
    notes = [CodeMapping(to, str(c), None, 1,
                         f"{path.name}: {from_class} {c} has no {to_class} code in the table; "
                         "no concordance row written") for c in df.loc[no_target, frm].unique()]
    if blank_row.any():
        notes.append(CodeMapping(frm, "", None, int(blank_row.sum()),
                                 f"{path.name}: blank row(s) skipped"))
    keep = df[~blank_row & ~no_target]
    require_match(keep[frm], from_pat, path, frm, f"a {from_class} code")
    require_match(keep[to], to_pat, path, to, f"a {to_label}")
    keep = keep.drop_duplicates()
    to_codes = keep[to].str.rstrip("0") if to_class == "BEC4" else keep[to]
    out = pd.DataFrame({"from_class": from_class, "from_code": keep[frm].to_numpy(),
                        "to_class": to_class, "to_code": to_codes.to_numpy()})
    out["relationship"] = relationship(out["from_code"], out["to_code"])
    return out, notes, len(df)


def _concordance(path: Path, src: str, dst: str) -> tuple[pd.DataFrame, list[CodeMapping], int]:
    frm = f"{src.upper()}_6d"
    if dst.startswith("hs"):
        return _links(path, frm, f"{dst.upper()}_6d", REVISIONS[src], REVISIONS[dst], r"\d{6}",
                      r"\d{6}", "6-digit HS code")
    col, cls, pat = TARGETS[dst]
    return _links(path, frm, col, REVISIONS[src], cls, r"\d{6}", pat, f"{cls} code ({pat})")


def _wiod(path: Path) -> tuple[pd.DataFrame, list[CodeMapping], int]:
    df = read_csv(path, {"ISIC3_4d": "str", "WIOT2013_n": "float"})
    n = df["WIOT2013_n"]
    bad = np.flatnonzero((n.notna() & ~n.isin(range(1, 36))).to_numpy(bool))
    if bad.size:
        raise InputError(path, "a WIOD 2013 sector number 1 to 35", row=int(bad[0]) + 2,
                         field="WIOT2013_n", got=n.iloc[int(bad[0])])
    notes = [CodeMapping("WIOT2013_n", str(c), None, int((df["ISIC3_4d"] == c).sum()),
                         f"{path.name}: ISIC3 {c} has no WIOD 2013 sector; no row written")
             for c in df.loc[n.isna(), "ISIC3_4d"].unique()]
    keep = df[n.notna()]
    require_match(keep["ISIC3_4d"], r"\d{4}", path, "ISIC3_4d", "a 4-digit ISIC3 code")
    keep = pd.DataFrame({"from_class": "ISIC3", "from_code": keep["ISIC3_4d"].to_numpy(),
                         "to_class": "WIOD13",
                         "to_code": "c" + keep["WIOT2013_n"].astype(int).astype(str).to_numpy()})
    keep = keep.drop_duplicates(ignore_index=True)
    keep["relationship"] = relationship(keep["from_code"], keep["to_code"])
    return keep, notes, len(df)


def _products(path: Path, classification: str) -> pd.DataFrame:
    df = read_csv(path, {"code": "str", "desc": "str"})
    require_match(df["code"], r"\d{2}|\d{4}|\d{6}|" + LEGACY, path, "code",
                 "an HS code of 2, 4 or 6 digits")
    level = df["code"].str.len()
    parent = df["code"].str[:4].where(level == 6, df["code"].str[:2]).where(level > 2)
    return pd.DataFrame({"classification": classification, "code": df["code"],
                         "level": level.astype("int32"), "description": df["desc"],
                         "parent": parent})


def _sigma(path: Path, code_col: str, classification: str, pattern: str,
           note: str) -> tuple[pd.DataFrame, list[CodeMapping]]:
    df = read_csv(path, {"iso3c": "str", code_col: "str", "sigma": "float"})
    missing = np.flatnonzero(df["sigma"].isna().to_numpy())
    if missing.size:
        raise InputError(path, "a number (float)", row=int(missing[0]) + 2, field="sigma", got="")
    require_match(df[code_col], pattern, path, code_col, f"a {classification} code ({pattern})")
    iso, notes = codes_to_iso3(df["iso3c"], path, "iso3c")
    return pd.DataFrame({"country": iso, "classification": classification,
                         "product": df[code_col], "parameter": "sigma",
                         "value": df["sigma"].astype(float), "method": f"{BW}, {note}"}), notes


def _rauch(path: Path) -> pd.DataFrame:
    df = read_csv(path, {"SITC2": "str", "CON": "str", "LIB": "str"})
    require_match(df["SITC2"], r"\d{4}", path, "SITC2", "a 4-digit SITC2 code")
    for col in ("CON", "LIB"):
        require_match(df[col], "[wrn]", path, col, "a Rauch class w, r or n")
    long = df.melt(id_vars="SITC2", value_vars=["CON", "LIB"], var_name="attribute")
    return pd.DataFrame({"classification": "SITC2", "code": long["SITC2"],
                         "attribute": long["attribute"].map({"CON": "rauch_conservative",
                                                             "LIB": "rauch_liberal"}),
                         "value": long["value"]})


def _upstream(path: Path) -> tuple[pd.DataFrame, list[CodeMapping]]:
    schema: dict[str, Kind] = {"YEAR": "int", "ISO3C": "str", "WIOT2013_n": "int"}
    df = read_csv(path, schema | {c: "float" for c in UPSTREAM})
    bad = np.flatnonzero(~df["WIOT2013_n"].isin(range(1, 36)).to_numpy(bool))
    if bad.size:
        raise InputError(path, "a WIOD 2013 sector number 1 to 35", row=int(bad[0]) + 2,
                         field="WIOT2013_n", got=df["WIOT2013_n"].iloc[int(bad[0])])
    iso, notes = codes_to_iso3(df["ISO3C"], path, "ISO3C", aggregates={"ROW": "ROW"},
                               note="WIOD 2013 rest of the world (modelled region)")
    wide = pd.DataFrame({"year": df["YEAR"].astype("int32"), "country": iso,
                         "sector": "c" + df["WIOT2013_n"].astype(str)}).join(df[list(UPSTREAM)])
    long = wide.melt(id_vars=["year", "country", "sector"], var_name="indicator")
    return long.assign(io_table="WIOD2013", value=long["value"].astype(float)), notes


def _upstream_us(path: Path) -> pd.DataFrame:
    df = read_csv(path, {"CODE": "str", "GVC_Ui": "float", "YEAR": "int", "BEA_CLASS": "str"})
    require_match(df["BEA_CLASS"], r"BEA\d{4}", path, "BEA_CLASS", "a BEA table name, e.g. BEA2002")
    return pd.DataFrame({"io_table": df["BEA_CLASS"], "year": df["YEAR"].astype("int32"),
                         "country": "USA", "sector": df["CODE"], "indicator": "GVC_Ui",
                         "value": df["GVC_Ui"].astype(float)})


class HsConcordance(Source):
    name = "hs_concordance"
    title = "HS descriptions and concordances, sigma, Rauch, upstreamness (R concordance 2.1.0)"
    producer = "Liao, Kim, Miyano & Zhang (R package concordance), from UNSD/WITS tables"
    licence = "MIT"
    url = f"https://github.com/insongkim/concordance/raw/{COMMIT}/data"
    patterns = ("classifications/hs_concordance/*.csv",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        """Read every table of the package that econsec uses (see the module docstring)."""
        out: dict[str, list[pd.DataFrame]] = {}
        notes: list[CodeMapping] = []
        rows_read: dict[str, int] = {}

        def add(table: str, frame: pd.DataFrame) -> None:
            out.setdefault(table, []).append(frame)

        for p in map(Path, paths):
            stem = p.stem
            desc = re.fullmatch(r"(hs[056])_desc", stem)
            conc = CONCORDANCE.fullmatch(stem)
            if desc:
                add("products", f := _products(p, REVISIONS[desc.group(1)]))
                n = len(f)
                if (legacy := int((f["code"] == LEGACY).sum())):
                    notes.append(CodeMapping("code", LEGACY, LEGACY, legacy,
                                             f"{p.name}: legacy non-WCO code kept as printed "
                                             "(level 6, parent 9999)"))
            elif conc:
                f, more, n = _concordance(p, conc.group(1), conc.group(2))
                add("concordances", f)
                notes += more
            elif stem == "wiod_2013":
                f, more, n = _wiod(p)
                add("concordances", f)
                notes += more
            elif stem == "sigma_hs0":
                f, more = _sigma(p, "HS0_3d", "HS1992", r"\d{3}", "HS 3-digit level, by importer")
                add("elasticities", f)
                notes, n = notes + more, len(f)
            elif stem == "sigma_sitc3":
                f, more = _sigma(p, "SITC3_5d", "SITC3", r"\d{5}", "SITC3 5-digit level, USA")
                add("elasticities", f)
                notes, n = notes + more, len(f)
            elif stem == "sitc2_rauch":
                add("product_attributes", f := _rauch(p))
                n = len(f) // 2
            elif stem == "upstream":
                f, more = _upstream(p)
                add("io_sector_indicators", f)
                notes, n = notes + more, len(f) // len(UPSTREAM)
            elif stem == "upstream_us_detailed":
                add("io_sector_indicators", f := _upstream_us(p))
                n = len(f)
            else:
                raise InputError(p, "a table of the R concordance package that econsec reads "
                                 "(hs0_desc, hs6_hs5, hs5_bec4, sigma_hs0, upstream, ...)",
                                 got=p.name)
            rows_read[str(p)] = n
        tables = {t: pd.concat(fs, ignore_index=True) for t, fs in out.items()}
        if "io_sector_indicators" in tables:
            tables["io_sector_indicators"] = tables["io_sector_indicators"][
                ["io_table", "year", "country", "sector", "indicator", "value"]]
        return Parsed(tables=tables, vintage=VINTAGE, rows_read=rows_read, mappings=tuple(notes))

    def fetch(self, dest: Path) -> list[Path]:
        """Download each table's ``.RData`` from the package and convert it to CSV (needs pyreadr)."""
        import urllib.request

        try:
            import pyreadr
        except ImportError as e:
            raise SourceNotFoundError("fetching hs_concordance converts .RData files: "
                                      "pip install pyreadr") from e
        dest.mkdir(parents=True, exist_ok=True)
        out = []
        for name in TABLES:
            rdata = dest / f"{name}.RData"
            urllib.request.urlretrieve(f"{self.url}/{name}.RData", rdata)
            frame = next(iter(pyreadr.read_r(str(rdata)).values()))
            frame.to_csv(dest / f"{name}.csv", index=False)
            rdata.unlink()
            out.append(dest / f"{name}.csv")
        return out
