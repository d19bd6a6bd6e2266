"""Structural-gravity panels: AGTPA (Yotov et al. 2016) and the gegravity 2006 sample.

AGTPA
-----
The panel of *An Advanced Guide to Trade Policy Analysis* (Yotov, Piermartini, Monteiro & Larch
2016, WTO/UNCTAD; CC BY 4.0), as shipped by the R package ``tradepolicy``
(``agtpa_applications.rda``, converted to Parquet unchanged). 69 exporters × 69 importers ×
1986–2006 = 99,981 rows, square and balanced. ``trade`` is **manufacturing** trade in **million
USD** (the .Rd says "current US dollars" but the magnitudes are millions) and **includes domestic
flows** (exporter = importer), which GE gravity needs; 8,475 flows are zero. Columns: exporter,
importer, pair_id, year, trade, dist (km, population weighted), cntg, lang, clny, rta,
rta_lag3/4/6/8/9/12, rta_lead4. → ``gravity_panel`` dataset ``agtpa_yotov2016``: contig = cntg,
common_lang = lang, colony = clny, international = (exporter ≠ importer); pair_id and the RTA
lags and lead go to ``extra`` (JSON). ``lndist`` stays NULL: the panel gives ``dist`` only.

gegravity sample
----------------
``sample_data_set.dlm`` of ``peter-herman/gegravity`` (MIT; a CSV despite its extension): 30 × 30
countries in 2006, columns exporter, importer, year, trade, Y, E, pta, contiguity,
common_language, lndist, international. Its trade values are the AGTPA 2006 flows rounded to
whole million USD, and Y is the exporter's AGTPA 2006 total over all 69 destinations (KOR:
1,055,450). → ``gravity_panel`` dataset ``gegravity_sample_2006``: output_y = Y,
expenditure_e = E, rta = pta, contig = contiguity, common_lang = common_language.

Deliberate mapping (both files): ``ROM`` (the old code for Romania) → ROU, reported.
Vintages: AGTPA via ``tradepolicy`` @ 342a655; gegravity @ 358cba1.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import InputError, SourceNotFoundError
from econsec.sources._countries import codes_to_iso3
from econsec.sources._read import Kind, coerce, read_csv, read_parquet
from econsec.sources.base import CodeMapping, Parsed, Source, require_files

OVERRIDES = {"ROM": "ROU"}
ROM_NOTE = "ROM is the old code for Romania (ISO3 ROU)"
AGTPA_EXTRA = ("pair_id", "rta_lag3", "rta_lag4", "rta_lag6", "rta_lag8", "rta_lag9",
               "rta_lag12", "rta_lead4")
AGTPA_DUMMIES = ("cntg", "lang", "clny", "rta") + AGTPA_EXTRA[1:]
GEG_DUMMIES = ("pta", "contiguity", "common_language", "international")


def _numeric(df: pd.DataFrame, ints: Sequence[str], floats: Sequence[str], path: Path,
             header_lines: int) -> pd.DataFrame:
    """Check numeric columns of a frame read from Parquet or CSV: no missing cells, ints whole."""
    out = df.copy()
    for col in (*ints, *floats):
        s = df[col]
        if not pd.api.types.is_numeric_dtype(s):  # e.g. a string column in a damaged file
            s = coerce(df[[col]].astype("string"), {col: "float"}, path,
                       header_lines=header_lines)[col]
        s = s.astype("Float64")
        miss = np.flatnonzero(s.isna().to_numpy())
        if miss.size:
            raise InputError(path, "a number, not a missing value", row=int(miss[0]) + header_lines + 1,
                             field=col, got="missing")
        if col in ints:
            frac = np.flatnonzero((s % 1 != 0).to_numpy(bool))
            if frac.size:
                raise InputError(path, "a whole number", row=int(frac[0]) + header_lines + 1,
                                 field=col, got=s.iloc[int(frac[0])])
            out[col] = s.astype("int64")
        else:
            out[col] = s.astype("float64")
    return out


def _countries(df: pd.DataFrame, path: Path, header_lines: int) -> tuple[pd.DataFrame, list[CodeMapping]]:
    notes: list[CodeMapping] = []
    for col in ("exporter", "importer"):
        iso, more = codes_to_iso3(df[col], path, col, overrides=OVERRIDES, header_lines=header_lines)
        counts = df[col].value_counts()
        more += [CodeMapping(col, k, v, int(counts[k]), ROM_NOTE)
                 for k, v in OVERRIDES.items() if k in counts.index]
        df = df.assign(**{col: iso})
        notes += more
    return df, notes


def _json(df: pd.DataFrame, cols: Sequence[str]) -> pd.Series:
    """Build one JSON object per row from integer columns (vectorised string concatenation)."""
    parts = [f'"{c}": ' + df[c].astype(str) for c in cols]
    body = parts[0]
    for p in parts[1:]:
        body = body + ", " + p
    return "{" + body + "}"


def parse_agtpa(path: Path) -> tuple[pd.DataFrame, list[CodeMapping]]:
    """``agtpa_applications.parquet`` → gravity_panel rows (see the module docstring)."""
    cols = ["exporter", "importer", "year", "trade", "dist", *AGTPA_DUMMIES, "pair_id"]
    df = read_parquet(path, cols)
    if len(df) == 0:
        raise InputError(path, "AGTPA rows (exporter, importer, year, trade, ...)", got="no rows")
    df = _numeric(df, ["year", "pair_id", *AGTPA_DUMMIES], ["trade", "dist"], path, 0)
    df, notes = _countries(df.assign(exporter=df["exporter"].astype("string"),
                                     importer=df["importer"].astype("string")), path, 0)
    out = pd.DataFrame({
        "dataset": "agtpa_yotov2016", "exporter": df["exporter"], "importer": df["importer"],
        "year": df["year"].astype("int32"), "trade": df["trade"], "unit": "million USD",
        "dist": df["dist"], "contig": df["cntg"].astype("int32"),
        "common_lang": df["lang"].astype("int32"), "colony": df["clny"].astype("int32"),
        "rta": df["rta"].astype("int32"),
        "international": (df["exporter"] != df["importer"]).astype("int32"),
        "extra": _json(df, AGTPA_EXTRA)})
    return out, notes


def parse_gegravity(path: Path) -> tuple[pd.DataFrame, list[CodeMapping]]:
    """``sample_data_set.dlm`` (CSV) → gravity_panel rows (see the module docstring)."""
    schema: dict[str, Kind] = {"exporter": "str", "importer": "str", "year": "int",
                               "trade": "float", "Y": "float", "E": "float", "lndist": "float"}
    df = read_csv(path, schema | {c: "int" for c in GEG_DUMMIES})
    if len(df) == 0:
        raise InputError(path, "gegravity rows (exporter, importer, year, trade, Y, E, ...)",
                         row=2, got="no rows")
    df = _numeric(df, ["year", *GEG_DUMMIES], ["trade", "Y", "E", "lndist"], path, 1)
    df, notes = _countries(df, path, 1)
    out = pd.DataFrame({
        "dataset": "gegravity_sample_2006", "exporter": df["exporter"], "importer": df["importer"],
        "year": df["year"].astype("int32"), "trade": df["trade"], "unit": "million USD",
        "lndist": df["lndist"], "contig": df["contiguity"].astype("int32"),
        "common_lang": df["common_language"].astype("int32"), "rta": df["pta"].astype("int32"),
        "international": df["international"].astype("int32"), "output_y": df["Y"],
        "expenditure_e": df["E"]})
    return out, notes


class Agtpa(Source):
    name = "agtpa"
    title = "AGTPA structural-gravity panel (Yotov et al. 2016), manufacturing, 1986–2006"
    producer = "Yotov, Piermartini, Monteiro & Larch (2016), WTO/UNCTAD; R package tradepolicy"
    licence = "CC BY 4.0"
    url = ("https://github.com/pachadotdev/tradepolicy/raw/"
           "342a6553e67f53912212a35674e066f9344dd655/data/agtpa_applications.rda")
    patterns = ("gravity/agtpa_yotov2016/agtpa_applications.parquet",)

    def fetch(self, dest: Path) -> list[Path]:
        """Download the package's ``.rda`` and convert it to Parquet unchanged (needs pyreadr)."""
        try:
            import pyreadr
        except ImportError as e:
            raise SourceNotFoundError("fetching agtpa converts an .rda file: pip install pyreadr") from e
        rda = super().fetch(dest)[0]
        out = dest / "agtpa_applications.parquet"
        pyreadr.read_r(str(rda))["agtpa_applications"].to_parquet(out, index=False)
        return [out]

    def parse(self, paths: Sequence[Path]) -> Parsed:
        """Read the AGTPA panel (Parquet converted unchanged from the package's .rda)."""
        f = require_files(self, [Path(p) for p in paths], "agtpa_applications.parquet")
        path = f["agtpa_applications.parquet"]
        panel, notes = parse_agtpa(path)
        return Parsed(tables={"gravity_panel": panel},
                      vintage="AGTPA (Yotov et al. 2016) via R tradepolicy @ 342a655",
                      rows_read={str(path): len(panel)}, mappings=tuple(notes))


class GegravitySample(Source):
    name = "gegravity_sample"
    title = "gegravity sample gravity data (30 countries, 2006)"
    producer = "P. Herman, gegravity (data: AGTPA subset)"
    licence = "MIT"
    url = ("https://raw.githubusercontent.com/peter-herman/gegravity/"
           "358cba1eb086c018781c3f5fa97082143e5f7369/examples/sample_data_set.dlm")
    patterns = ("gravity/gegravity_sample_2006/sample_data_set.dlm",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        """Read the sample (comma-separated text)."""
        f = require_files(self, [Path(p) for p in paths], "sample_data_set.dlm")
        path = f["sample_data_set.dlm"]
        panel, notes = parse_gegravity(path)
        return Parsed(tables={"gravity_panel": panel},
                      vintage="gegravity sample_data_set.dlm @ 358cba1",
                      rows_read={str(path): len(panel)}, mappings=tuple(notes))
