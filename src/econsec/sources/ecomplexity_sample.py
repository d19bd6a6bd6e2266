"""py-ecomplexity test sample: HS92 4-digit exports of 10 countries × 30 products, 1995-1996.

Published by the Harvard Growth Lab as ``tests/fixtures/trade_data_sample.csv`` of
``cid-harvard/py-ecomplexity`` (MIT): ``year``, ``origin`` (lower-case Atlas country code),
``hs92`` (HS 1992, 4 digits) and ``export_val`` (exports to the World, US dollars). It is the
input on which the Stata ``ecomplexity`` reference output beside it was computed, so it is kept
as published: one row per origin, product and year, flow 'export', importer WLD.

Mapped on purpose (reported as CodeMapping): ``blx`` is the Atlas code of the Belgium-Luxembourg
Economic Union, which reported jointly until 1998; it is stored as **BEL** (the values include
Luxembourg). The other nine codes (aut, che, deu, dnk, esp, gbr, ita, pol, svn) are ISO3 codes
in lower case. An unknown code is an error naming its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from econsec.errors import SourceNotFoundError
from econsec.sources._countries import codes_to_iso3
from econsec.sources._read import fail_first, read_csv, require_match
from econsec.sources.base import CodeMapping, Parsed, Source

#: Atlas codes mapped on purpose: code → (ISO3, note).
SPECIAL: dict[str, tuple[str, str]] = {
    "blx": ("BEL", "Atlas 'blx' = Belgium-Luxembourg Economic Union (joint reporting until 1998); "
                   "stored as BEL, values include Luxembourg"),
}


class EcomplexitySample(Source):
    name = "ecomplexity_sample"
    title = "py-ecomplexity test sample: HS92 4-digit exports, 10 countries, 1995-1996"
    producer = "Harvard Growth Lab (cid-harvard/py-ecomplexity test fixtures)"
    licence = "MIT"
    url = ("https://raw.githubusercontent.com/cid-harvard/py-ecomplexity/"
           "600401b75c83ff183a7e6e7d9df659695b785e94/tests/fixtures/trade_data_sample.csv")
    patterns = ("reference/ecomplexity_fixtures/trade_data_sample.csv",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        frames, notes, rows_read = [], [], {}
        for p in (Path(x) for x in paths):
            df = read_csv(p, {"year": "int", "origin": "str", "hs92": "str", "export_val": "float"})
            rows_read[str(p)] = len(df)
            hs = df["hs92"].str.strip()
            require_match(hs, r"\d{4}", p, "hs92", "an HS 1992 code of 4 digits")
            fail_first(df["year"].isna(), p, "year", "a year", df["year"].astype("string").fillna(""))
            origin = df["origin"].str.strip()
            key = origin.where(origin.isin(list(SPECIAL)), origin.str.upper())
            iso, found = codes_to_iso3(key, p, "origin",
                                       aggregates={c: t for c, (t, _) in SPECIAL.items()})
            notes += [CodeMapping(n.field, n.code, n.mapped_to, n.rows, SPECIAL[n.code][1])
                      for n in found]
            value = df["export_val"].astype("float64")
            frames.append(pd.DataFrame({
                "exporter": iso, "importer": "WLD", "reporter": iso, "flow": "export",
                "year": df["year"].astype("int32"), "classification": "HS1992", "product": hs,
                "value_usd": value, "value": value, "currency": "USD",
                "basis": "exports to the World (Atlas of Economic Complexity data)",
            }))
        if not frames:
            raise SourceNotFoundError(f"source {self.name!r}: no files given")
        flows = pd.concat(frames, ignore_index=True)
        years = sorted(int(y) for y in flows["year"].unique())
        return Parsed(
            tables={"trade_flows": flows},
            vintage=f"py-ecomplexity test fixture @ 600401b (trade_data_sample.csv), years "
                    f"{', '.join(map(str, years))}",
            rows_read=rows_read, mappings=tuple(notes))
