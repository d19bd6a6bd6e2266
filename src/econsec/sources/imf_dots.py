"""IMF Direction of Trade Statistics (DOTS): goods exports by partner, 2019 and 2020.

Published format: the raw download ``imf_dots_exports_2019_2020_raw_iso2.csv`` written by the
proj-cappmait project from the IMF SDMX-JSON service (``CompactData/DOT/A.{area}.TXG_FOB_USD``):
an unnamed pandas index column, ``from`` and ``to`` (IMF area codes: ISO 3166 alpha-2 for
economies, IMF codes such as ``W00`` for groups) and one column per year. Values are goods
exports FOB in **million USD** as reported by the exporter; the downloader rounded them to 0.1
million and kept only partner series with observations in both years.

This adapter reads that raw file, the original of the three files in the folder: the
``*_cleaned.csv`` file is the same data with ISO3 codes and the IMF groups removed (so it has no
World row), and ``*.tidy.csv`` is a long reshape of the cleaned file.

IMF area codes mapped on purpose (reported as CodeMapping; names from the DOT code list):

* ``W00`` "All Countries, excluding the IO" → WLD; ``B0`` "EU (changing composition)" → EUN.
* residual partners that are not sums of listed economies: ``_X`` "Not allocated/unspecified"
  → XNS, ``XR99`` "Special Categories and Economic Zones" → XSC, ``F19`` "Africa not allocated"
  → XAF, ``E19`` "Europe not allocated" → XOE, ``A109`` "Western Hemisphere not allocated" → XAM,
  ``F979`` "Middle East and Central Asia not specified" → XME. ``S19`` "Asia not allocated"
  has no econsec code and is skipped.
* regional and analytical groups (``XR29`` Advanced Economies, ``XR43`` Emerging and
  Developing Countries, ``F1`` Africa, ``U2`` Euro Area, ...), as exporter or partner, are
  sums of economies already in the file: their rows are skipped, each group reported.

Every other code must be an ISO 3166 alpha-2 code that econsec's country table knows.
"""

from __future__ import annotations

import csv
import json
import re
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec import reference
from econsec.errors import InputError, SourceNotFoundError
from econsec.sources._read import map_codes, read_csv
from econsec.sources.base import CodeMapping, Parsed, Source, merge_mappings

#: IMF DOTS area codes mapped on purpose: code → (econsec code or None = rows skipped, note).
IMF_AREAS: dict[str, tuple[str | None, str]] = {
    "W00": ("WLD", "IMF 'All Countries, excluding the IO' (world total)"),
    "B0": ("EUN", "IMF 'EU (Member States and Institutions), changing composition' → EUN"),
    "_X": ("XNS", "IMF 'Not allocated/unspecified' → XNS"),
    "XR99": ("XSC", "IMF 'Special Categories and Economic Zones' → XSC"),
    "F19": ("XAF", "IMF 'Africa not allocated' → XAF"),
    "E19": ("XOE", "IMF 'Europe not allocated' → XOE"),
    "A109": ("XAM", "IMF 'Western Hemisphere not allocated' → XAM"),
    "F979": ("XME", "IMF 'Middle East and Central Asia not specified' → XME"),
    "S19": (None, "IMF 'Asia not allocated' has no econsec code: rows skipped"),
    **{code: (None, f"IMF group '{label}' (a sum of economies in the file): rows skipped")
       for code, label in {
           "XR29": "Advanced Economies", "XR43": "Emerging and Developing Countries",
           "XS25": "Developing Asia", "1C_903": "Emerging and Developing Europe",
           "XS5": "Middle East and Central Asia", "F1": "Africa", "F6": "Sub-Saharan Africa",
           "F97": "Middle East", "E1": "Europe", "A10": "Western Hemisphere",
           "R14": "Community of Independent States", "U2": "Euro Area",
           "1C_080": "Export earnings: fuel", "1C_092": "Export earnings: nonfuel",
           "1C_440": "Middle East, North Africa, Afghanistan, and Pakistan",
           "1C_198": "South African Common Customs Area (SACCA)",
           "X88": "Other Countries n.i.e.",
       }.items()},
}
#: ISO2 codes the IMF uses differently from the current ISO table.
ISO2_OVERRIDES = {"CS": "SCG"}  # IMF "Serbia and Montenegro"
SDMX = "http://dataservices.imf.org/REST/SDMX_JSON.svc/CompactData/DOT"


def iso2_table() -> dict[str, str]:
    """ISO 3166 alpha-2 → ISO3 for economies (current and former), with IMF overrides."""
    c = reference.countries()
    c = c[(c["iso2"] != "") & (c["kind"] != "aggregate")].sort_values("kind", key=lambda s: s == "country")
    return dict(zip(c["iso2"], c["iso3"], strict=True)) | ISO2_OVERRIDES


def _areas(codes: pd.Series, path: Path, field: str) -> tuple[pd.Series, list[CodeMapping]]:
    table: dict[str, str | None] = {**iso2_table(), **{k: v for k, (v, _) in IMF_AREAS.items()}}
    mapped = map_codes(codes, table, path, field,
                       "an ISO 3166 alpha-2 code or an IMF DOTS area code the adapter maps on purpose")
    counts = codes.value_counts()
    notes = [CodeMapping(field, code, to, int(counts[code]), why)
             for code, (to, why) in IMF_AREAS.items() if code in counts.index]
    return mapped, notes


class ImfDots(Source):
    name = "imf_dots"
    title = "IMF Direction of Trade Statistics, goods exports FOB by partner"
    producer = "International Monetary Fund (Direction of Trade Statistics)"
    licence = "IMF copyright and usage terms (free use with attribution)"
    url = f"{SDMX}/A.KR.TXG_FOB_USD.?startPeriod=2019&endPeriod=2020"
    patterns = ("trade/imf_dots_2019_2020/imf_dots_exports_*_raw_iso2.csv",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        frames, notes, rows_read = [], [], {}
        years: set[int] = set()
        for p in (Path(x) for x in paths):
            with p.open(encoding="utf-8-sig", errors="replace") as fh:
                header = next(csv.reader([fh.readline()]), [])
            ycols = [c.strip() for c in header if re.fullmatch(r"\s*\d{4}\s*", c)]
            df = read_csv(p, {"from": "str", "to": "str", **dict.fromkeys(ycols, "float")})
            if not ycols:
                raise InputError(p, "one or more year columns (e.g. 2019, 2020) after from,to",
                                 row=1, got=f"header {header}")
            rows_read[str(p)] = len(df)
            dup = df.duplicated(["from", "to"])
            if dup.any():
                i = int(np.flatnonzero(dup.to_numpy())[0])
                raise InputError(p, "one row per exporter and partner", row=i + 2, field="to",
                                 got=f"{df['from'].iloc[i]}->{df['to'].iloc[i]} repeated")
            exporter, n1 = _areas(df["from"].str.strip(), p, "from")
            importer, n2 = _areas(df["to"].str.strip(), p, "to")
            notes += n1 + n2
            keep = (exporter.notna() & importer.notna()).to_numpy()
            wide = pd.DataFrame({"exporter": exporter, "importer": importer}).join(df[ycols])[keep]
            frames.append(wide.melt(id_vars=["exporter", "importer"], var_name="year",
                                    value_name="value"))
            years.update(int(y) for y in ycols)
        if not frames:
            raise SourceNotFoundError(f"source {self.name!r}: no files given")
        df = pd.concat(frames, ignore_index=True)
        value = df["value"].astype("float64")
        flows = pd.DataFrame({
            "exporter": df["exporter"], "importer": df["importer"], "reporter": df["exporter"],
            "flow": "export", "year": df["year"].astype("int32"),
            "classification": "TOTAL", "product": "TOTAL",
            "value_usd": value * 1e6, "value": value, "currency": "million USD",
            "basis": "FOB, as reported by the exporter (IMF DOTS)",
        })
        return Parsed(tables={"trade_flows": flows},
                      vintage=f"IMF DOTS via SDMX-JSON (TXG_FOB_USD), downloaded 2022 by proj-cappmait; "
                              f"years {min(years)}-{max(years)}",
                      rows_read=rows_read, mappings=tuple(merge_mappings(notes)))

    def fetch(self, dest: Path) -> list[Path]:
        """Query DOTS per exporter (TXG_FOB_USD, all partners) and write the raw wide file."""
        dest.mkdir(parents=True, exist_ok=True)
        rows = []
        for iso2 in sorted(set(iso2_table())) + ["W00"]:
            query = f"{SDMX}/A.{iso2}.TXG_FOB_USD.?startPeriod=2019&endPeriod=2020"
            with urllib.request.urlopen(query) as r:
                series = json.load(r)["CompactData"]["DataSet"].get("Series", [])
            for s in series if isinstance(series, list) else [series]:
                obs = s.get("Obs", [])
                obs = obs if isinstance(obs, list) else [obs]
                rows.append({"from": iso2, "to": s["@COUNTERPART_AREA"],
                             **{o["@TIME_PERIOD"]: o.get("@OBS_VALUE") for o in obs}})
        target = dest / "imf_dots_exports_2019_2020_raw_iso2.csv"
        pd.DataFrame(rows).reindex(columns=["from", "to", "2019", "2020"]).to_csv(target)
        return [target]


