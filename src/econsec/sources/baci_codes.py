"""CEPII BACI V202201 code tables: countries, HS2017 products with BEC, HS2017 → BEC.

Dataset
-------
The code tables that ship with CEPII's BACI HS17 release V202201 (Gaulier & Zignago 2010),
as published (CSV, UTF-8; ``country_codes.csv`` and ``hs17_bec.csv`` start with a BOM):

* ``country_codes.csv`` (country_code, country_name_abbreviation, country_name_full,
  iso_2digit_alpha, iso_3digit_alpha) → ``country_codes`` with scheme ``'baci'``. It is read by
  :func:`econsec.sources.baci.parse_country_codes`, the same function the BACI trade adapter uses,
  so the mappings agree (rows differ only by ``source``).
* ``product_codes.csv`` (code, description, bec) → ``products`` (classification HS2017, 6-digit,
  ``parent`` = the heading) and ``product_attributes`` (attribute ``'bec'``: the BEC rev.4 code
  CEPII assigns to the product).
* ``hs17_bec.csv`` (HS 2017, BEC, Relationship) → ``concordances`` HS2017 → BEC4, one row per
  link. CEPII writes the many-to-many case as ``n:n``; econsec's vocabulary calls it ``n:m``
  (the only relabelling; ``n:1`` is kept).
* ``baci_readme.txt`` is documentation (the t, i, j, k, v, q variables) and needs no table.

BEC codes are the official BEC rev.4 codes (1 to 3 digits: ``22``, ``41``, ``7``), the same codes
:mod:`econsec.sources.hs_concordance` writes.

Deliberate mappings (reported at ingest): BACI 490 "Other Asia, nes" → TWN, 697 "Europe EFTA,
nes" → XEF, 849 "US Misc. Pacific Isds" → UMI (see :mod:`econsec.sources.baci`).

Vintage: BACI V202201 code tables (release date 2022-02-24).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from econsec.sources._read import read_csv, read_text, require_match
from econsec.sources.baci import parse_country_codes
from econsec.sources.base import Parsed, Source, require_files

BEC_CODE = r"[1-7]\d{0,2}"
RELATIONSHIPS = {"1:1": "1:1", "n:1": "n:1", "1:n": "1:n", "n:n": "n:m", "n:m": "n:m"}



def parse_products(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``product_codes.csv`` → (products, product_attributes)."""
    df = read_csv(path, {"code": "str", "description": "str", "bec": "str"}, encoding="utf-8-sig")
    require_match(df["code"], r"\d{6}", path, "code", "a 6-digit HS2017 code")
    require_match(df["bec"], BEC_CODE, path, "bec", "a BEC rev.4 code (1 to 3 digits)")
    products = pd.DataFrame({"classification": "HS2017", "code": df["code"], "level": 6,
                             "description": df["description"], "parent": df["code"].str[:4]})
    attrs = pd.DataFrame({"classification": "HS2017", "code": df["code"], "attribute": "bec",
                          "value": df["bec"]})
    return products, attrs


def parse_hs17_bec(path: Path) -> pd.DataFrame:
    """``hs17_bec.csv`` → concordances HS2017 → BEC4 with CEPII's relationship."""
    df = read_csv(path, {"HS 2017": "str", "BEC": "str", "Relationship": "str"},
                  encoding="utf-8-sig")
    require_match(df["HS 2017"], r"\d{6}", path, "HS 2017", "a 6-digit HS2017 code")
    require_match(df["BEC"], BEC_CODE, path, "BEC", "a BEC rev.4 code (1 to 3 digits)")
    require_match(df["Relationship"], "|".join(RELATIONSHIPS), path, "Relationship",
           "one of " + ", ".join(RELATIONSHIPS))
    return pd.DataFrame({"from_class": "HS2017", "from_code": df["HS 2017"], "to_class": "BEC4",
                         "to_code": df["BEC"],
                         "relationship": df["Relationship"].map(RELATIONSHIPS)})


class BaciCodes(Source):
    name = "baci_codes"
    title = "CEPII BACI V202201 code tables (countries, HS2017 products, HS2017 → BEC)"
    producer = "CEPII (Gaulier & Zignago 2010)"
    licence = "Free use with citation after CEPII registration (Etalab open licence 2.0)"
    url = "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS17_V202201.zip"
    patterns = ("classifications/baci_codes_v202201/country_codes.csv",
                "classifications/baci_codes_v202201/product_codes.csv",
                "classifications/baci_codes_v202201/hs17_bec.csv",
                "classifications/baci_codes_v202201/baci_readme.txt")

    def parse(self, paths: Sequence[Path]) -> Parsed:
        """Read the three code tables (the readme is logged, not parsed, but must be text)."""
        paths = [Path(p) for p in paths]
        f = require_files(self, paths, "country_codes.csv", "product_codes.csv", "hs17_bec.csv")
        for p in paths:
            if p.suffix == ".txt":
                read_text(p)
        codes, notes = parse_country_codes(f["country_codes.csv"])
        products, attrs = parse_products(f["product_codes.csv"])
        conc = parse_hs17_bec(f["hs17_bec.csv"])
        rows_read = {str(f["country_codes.csv"]): len(codes), str(f["product_codes.csv"]): len(products),
                     str(f["hs17_bec.csv"]): len(conc)}
        rows_read |= {str(p): 0 for p in paths if p.suffix == ".txt"}
        return Parsed(tables={"country_codes": codes, "products": products,
                              "product_attributes": attrs, "concordances": conc},
                      vintage="BACI V202201 code tables", rows_read=rows_read,
                      mappings=tuple(notes))
