"""A store for the API tests, built from the real data: only the sources the endpoints read."""

from __future__ import annotations

from pathlib import Path

from econsec.services import ews
from econsec.store import Store
from tests.conftest import ingest_real

#: indicators (comtrade_hs2, imf_dots, hs_concordance descriptions), LNG (ei_review, gpr,
#: census_partner, pinksheet), early warning and exposure (japan_customs), scenarios PE
#: (census_hs10), GE / decoupling / IO (WIOD 2011 only).
SOURCES = ("hs_concordance", "comtrade_hs2", "imf_dots", "ei_review", "gpr", "census_partner",
           "pinksheet", "japan_customs", "census_hs10", "comtrade_sme")


def build_db(path: Path, data_dir: Path) -> Path:
    """Ingest the sources and generate Japan's watchlist (so a scan has items)."""
    with Store(path) as s:
        ingest_real(s, data_dir, *SOURCES)
        ingest_real(s, data_dir, "wiod2013", wiod_years=(2011,))
        ews.generate_watchlist(s, "japan_customs")
    return path
