"""Reference tables econsec ships: ISO 3166 countries with econsec's aggregate codes, country
groups (EU27, OECD, ASEAN, RCEP, CPTPP, IPEF, G7) with their sources, and sourced FX rates.

``countries.csv`` was generated from ISO 3166-1 (via the ``pycountry`` database) and extended with
aggregate pseudo-codes used across sources: WLD (World), EUN (European Union), ROW (WIOD's modelled
rest of the world), XNS (areas n.e.s.), XBK (bunkers), XFZ (free zones), XSC (special categories),
and a few former states (ANT, SCG, SUN, YUG, CSK) that old trade data still uses.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import pandas as pd

__all__ = ["countries", "country_groups", "fx_annual", "iso3_by_name", "iso3_by_numeric", "norm_name"]


def _read(name: str) -> pd.DataFrame:
    with resources.files(__name__).joinpath(name).open("rb") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@cache
def countries() -> pd.DataFrame:
    """ISO3, name, ISO2, ISO numeric (3 digits, zero-padded) and kind of every code econsec knows."""
    return _read("countries.csv")


@cache
def country_groups() -> pd.DataFrame:
    """Membership of country groups: group_code, iso3, since (date), source."""
    return _read("country_groups.csv")


@cache
def fx_annual() -> pd.DataFrame:
    """Annual average national-currency units per USD (FRB G.5A), with the release cited per row."""
    df = _read("fx_annual_frb_g5a.csv")
    return df.assign(year=df["year"].astype(int), per_usd=df["per_usd"].astype(float))


@cache
def iso3_by_numeric() -> dict[str, str]:
    """ISO numeric code (as int string without padding, e.g. '4', '410') → ISO3."""
    c = countries()
    c = c[c["iso_numeric"] != ""]
    out = {str(int(n)): i for n, i in zip(c["iso_numeric"], c["iso3"], strict=True) if c is not None}
    return out


def norm_name(name: str) -> str:
    """Normalise a country name for lookup: ASCII, lower case, letters and digits only."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", s.lower())


@cache
def iso3_by_name() -> dict[str, str]:
    """Normalised ISO short name → ISO3 (see :func:`norm_name`)."""
    c = countries()
    return {norm_name(n): i for n, i in zip(c["name"], c["iso3"], strict=True)}
