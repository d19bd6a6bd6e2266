"""Harvard Growth Lab (Atlas of Economic Complexity) classifications: HS92, SITC rev.2, locations.

Dataset
-------
CSV files of the ``cid-harvard/classifications`` repository (BSD-style licence), as published
(first column an unnamed row id that ``parent_id`` refers to):

* ``hs92_atlas.csv`` (code, name, level, name_en, name_es, name_short_en, …, parent_id) → ``products``
  with classification **``HS1992_ATLAS``**: 11 sections, 102 2-digit, 1,248 4-digit and 5,045
  6-digit codes. Not ``HS1992``, on purpose: the Atlas names are its own short labels ("Live
  horses, pure-bred", not the WCO "Horses; live, pure-bred breeding animals"; fewer than 3% of
  6-digit names agree with ``hs_concordance``'s HS1992), its sections are Atlas product
  communities, and it adds codes that are not HS (``XXXXXX``/``XXXX`` unspecified and the service
  codes ``unspecified``, ``travel``, ``transport``, ``ict``, ``financial`` at every level).
* ``sitc_rev2.csv`` → ``products`` with classification ``SITC2`` (10 sections plus a services
  section, 2- and 4-digit codes; the same five service codes are kept as Atlas prints them).
* ``locations_international_atlas.csv`` → ``country_codes`` with scheme ``'atlas'`` (code = the
  Atlas 3-letter code, name = ``name_en``); ranking and reporting flags have no table.

``level`` is the number of digits (2, 4, 6); sections are level 1. ``parent`` is the code of the
row that ``parent_id`` names.

Deliberate mappings (reported as :class:`CodeMapping`): ``ANS`` "Undeclared Countries" → XNS
(areas not elsewhere specified); the former or special territories ``PCI`` (Former Pacific
Islands), ``PCZ`` (Panama Canal Zone), ``VDR`` (Former Democratic Republic of Vietnam) and
``YMD`` (Former Democratic Republic of Yemen) have no ISO3 and are kept unmapped, as are the seven
continental regions (codes 1–7, level ``region``).

Vintage: ``cid-harvard/classifications`` @ 0c126cf.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from econsec.sources._countries import codes_to_iso3
from econsec.sources._read import fail_first, read_csv
from econsec.sources.base import CodeMapping, Parsed, Source, require_files

LEVELS = {"section": 1, "2digit": 2, "4digit": 4, "6digit": 6}
#: Atlas location codes that are not ISO3, mapped on purpose.
LOCATIONS: dict[str, str | None] = {"ANS": "XNS", "PCI": None, "PCZ": None, "VDR": None,
                                    "YMD": None}
ROW_ID = "Unnamed: 0"  # the unnamed first column (row id), as pandas names it
VINTAGE = "Harvard Growth Lab classifications (cid-harvard/classifications @ 0c126cf)"



def parse_hierarchy(path: Path, classification: str) -> pd.DataFrame:
    """An Atlas product hierarchy (``hs92_atlas.csv``, ``sitc_rev2.csv``) → products."""
    df = read_csv(path, {ROW_ID: "str", "code": "str", "name_en": "str", "level": "str",
                         "parent_id": "float"})
    level = df["level"].map(LEVELS)
    fail_first(level.isna(), path, "level", f"one of {list(LEVELS)}", df["level"])
    ids = pd.to_numeric(df[ROW_ID], errors="coerce")
    fail_first(ids.isna(), path, "(row id)", "an integer row id", df[ROW_ID])
    parent = df["parent_id"].map(pd.Series(df["code"].to_numpy(), index=ids.astype(int)))
    orphan = df["parent_id"].notna() & parent.isna()
    fail_first(orphan, path, "parent_id", "the row id of another row", df["parent_id"])
    return pd.DataFrame({"classification": classification, "code": df["code"],
                         "level": level.astype("int32"), "description": df["name_en"],
                         "parent": parent})


def parse_locations(path: Path) -> tuple[pd.DataFrame, list[CodeMapping]]:
    """``locations_international_atlas.csv`` → country_codes (scheme 'atlas')."""
    df = read_csv(path, {"code": "str", "level": "str", "name_en": "str"})
    region = df["level"] == "region"
    fail_first(~(region | (df["level"] == "country")), path, "level", "'country' or 'region'",
               df["level"])
    aggregates = LOCATIONS | dict.fromkeys(df.loc[region, "code"], None)
    iso, notes = codes_to_iso3(df["code"], path, "code", aggregates=aggregates,
                               note="Atlas region or former territory without ISO3")
    notes = [CodeMapping(m.field, m.code, m.mapped_to, m.rows,
                         f"Atlas location {df.loc[df['code'] == m.code, 'name_en'].iloc[0]!r}: "
                         + ("areas not elsewhere specified" if m.mapped_to else
                            "region or former territory without ISO3, kept unmapped"))
             for m in notes]
    return pd.DataFrame({"scheme": "atlas", "code": df["code"], "iso3": iso,
                         "name": df["name_en"]}), notes


class AtlasClassifications(Source):
    name = "atlas_classifications"
    title = "Atlas of Economic Complexity classifications (HS92, SITC rev.2, locations)"
    producer = "Harvard Growth Lab (Center for International Development)"
    licence = "BSD-style (see LICENSE)"
    url = ("https://github.com/cid-harvard/classifications/archive/"
           "0c126cf9906494730d43afe2bfb5c7d81ebb5838.zip")
    patterns = ("classifications/atlas_hs92_sitc2/hs92_atlas.csv",
                "classifications/atlas_hs92_sitc2/sitc_rev2.csv",
                "classifications/atlas_hs92_sitc2/locations_international_atlas.csv")

    def parse(self, paths: Sequence[Path]) -> Parsed:
        """Read the three Atlas tables (see the module docstring)."""
        f = require_files(self, [Path(p) for p in paths], "hs92_atlas.csv", "sitc_rev2.csv",
                          "locations_international_atlas.csv")
        hs = parse_hierarchy(f["hs92_atlas.csv"], "HS1992_ATLAS")
        sitc = parse_hierarchy(f["sitc_rev2.csv"], "SITC2")
        locations, notes = parse_locations(f["locations_international_atlas.csv"])
        return Parsed(
            tables={"products": pd.concat([hs, sitc], ignore_index=True),
                    "country_codes": locations},
            vintage=VINTAGE,
            rows_read={str(f["hs92_atlas.csv"]): len(hs), str(f["sitc_rev2.csv"]): len(sitc),
                       str(f["locations_international_atlas.csv"]): len(locations)},
            mappings=tuple(notes))
