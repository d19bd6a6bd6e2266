"""Country × SITC Rev.2 4-digit export values, 1998-2000 average: a **toy** matrix.

Published by the R package ``economiccomplexity`` (pachadotdev, MIT) from Open Trade Statistics
as R data ``data/world_trade_avg_1998_to_2000.rda``; the data catalog converted it, values
unchanged, to ``world_trade_avg_1998_to_2000.csv``, which this adapter reads: ``country``
(lower-case ISO3), ``product`` (SITC Rev.2, 4 digits, leading zeros kept) and ``value``, one row
per exporter and product, exports to the World over 1998-2000. (``fetch`` downloads the
``.rda``; convert it to CSV, e.g. with R ``write.csv``, before ingesting.)

Caveat: **the level check failed.** Korea's total is 2.43e9 and Japan's 3.91e9 in the file's
unit, against real exports of about 150 and 420 billion USD, and the unit and the cause are
unknown (the package's build script ``dev/world_trade_avg_1998_to_2000.R`` sums, rather than
averages, the three years after converting them to 2000 dollars, which does not explain the
gap either). The values therefore do not add up to national totals and are stored with
``currency = 'unknown (toy; does not add up to national totals)'`` and ``value_usd`` NULL.
Use the table only as an illustrative matrix for RCA or complexity code, never for levels.

The average is stored as year **1999**, the midpoint of 1998-2000 (``basis`` says so); exporter
is the country, importer WLD (the file's values are exports to the World), classification
SITC2. Mapped on purpose (reported as CodeMapping): ``rom`` (the old ISO3 code of Romania used
by Open Trade Statistics for these years) → ROU. Every other code must be an ISO3 code that
econsec's country table knows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.errors import SourceNotFoundError
from econsec.sources._countries import codes_to_iso3
from econsec.sources._read import read_csv, require_match
from econsec.sources.base import CodeMapping, Parsed, Source

#: Codes of this file mapped on purpose: code → (ISO3, note).
SPECIAL: dict[str, tuple[str, str]] = {
    "rom": ("ROU", "'rom' is the former ISO3 code of Romania (ROU since 2002)"),
}
YEAR = 1999  # midpoint of the 1998-2000 average
CURRENCY = "unknown (toy; does not add up to national totals)"


class Sitc2Toy(Source):
    name = "sitc2_toy"
    title = "Toy country × SITC2 4-digit export matrix, 1998-2000 average (economiccomplexity)"
    producer = "Open Trade Statistics via R package economiccomplexity (M. Vargas)"
    licence = "MIT"
    url = ("https://raw.githubusercontent.com/pachadotdev/economiccomplexity/"
           "423d5b48a958cb04dd8bda8a06ae25233487cefa/data/world_trade_avg_1998_to_2000.rda")
    patterns = ("trade/world_trade_sitc2_avg_1998_2000_toy/world_trade_avg_1998_to_2000.csv",)

    def parse(self, paths: Sequence[Path]) -> Parsed:
        frames, notes, rows_read = [], [], {}
        for p in (Path(x) for x in paths):
            df = read_csv(p, {"country": "str", "product": "str", "value": "float"})
            rows_read[str(p)] = len(df)
            product = df["product"].str.strip()
            require_match(product, r"\d{4}", p, "product", "an SITC Rev.2 code of 4 digits")
            country = df["country"].str.strip()
            upper = country.where(country.isin(list(SPECIAL)), country.str.upper())
            iso, found = codes_to_iso3(upper, p, "country",
                                       aggregates={c: t for c, (t, _) in SPECIAL.items()})
            notes += [CodeMapping(n.field, n.code, n.mapped_to, n.rows, SPECIAL[n.code][1])
                      for n in found]
            frames.append(pd.DataFrame({
                "exporter": iso, "importer": "WLD", "reporter": iso, "flow": "export",
                "year": np.int32(YEAR), "classification": "SITC2", "product": product,
                "value": df["value"].astype("float64"), "currency": CURRENCY,
                "basis": "1998-2000 average stored as 1999; toy data, unit unknown",
            }))
        if not frames:
            raise SourceNotFoundError(f"source {self.name!r}: no files given")
        flows = pd.concat(frames, ignore_index=True)
        flows["value_usd"] = np.nan
        return Parsed(
            tables={"trade_flows": flows},
            vintage="economiccomplexity @ 423d5b4 (world_trade_avg_1998_to_2000), 1998-2000 average "
                    "stored as 1999; toy, unit unknown, does not add up to national totals",
            rows_read=rows_read, mappings=tuple(notes))

