"""Countries and country groups: the reference tables econsec ships plus the ingested code
tables (view ``country_catalog``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from econsec.store.store import Store


def iso3_codes(store: Store) -> frozenset[str]:
    """Every ISO3 code in ``countries``."""
    return frozenset(store.df("SELECT iso3 FROM countries")["iso3"])


def group_codes(store: Store) -> list[str]:
    """Every country-group code, sorted."""
    return list(store.df("SELECT DISTINCT group_code FROM country_groups ORDER BY 1")["group_code"])


def iso2_to_iso3(store: Store, iso2: Sequence[str]) -> pd.DataFrame:
    """The countries whose ISO2 code is in ``iso2``: iso2, iso3."""
    return store.df("SELECT iso2, iso3 FROM countries WHERE iso2 IN (SELECT unnest(?))", [list(iso2)])


def group_members(store: Store, groups: Sequence[str]) -> pd.DataFrame:
    """Members of ``groups`` (every member ever listed): group_code, iso3, by group and iso3."""
    return store.df("SELECT group_code, iso3 FROM country_groups WHERE group_code IN (SELECT unnest(?)) "
                    "ORDER BY group_code, iso3", [list(groups)])


def country_catalog(store: Store, iso3: Sequence[str] | None = None) -> pd.DataFrame:
    """The country catalog (ISO3, name, codes per scheme, groups), all or of ``iso3``, by iso3."""
    return store.df("SELECT * FROM country_catalog WHERE (? IS NULL OR iso3 IN (SELECT unnest(?))) "
                    "ORDER BY iso3", [None if iso3 is None else list(iso3)] * 2)
