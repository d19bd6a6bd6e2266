"""Input–output analyses on an MRIO year in the store (WIOD 2013): the operations behind
``econsec io``. No economics here: see :mod:`econsec.analytics.io`."""

from __future__ import annotations

from typing import Literal

from econsec.analytics.io import MRIO, SHOCK_MODELS, IOResult, MRIOError
from econsec.store import Store

ShockModel = Literal["ghosh", "leontief"]
DEFAULT_YEAR = 2011


def table(store: Store, year: int = DEFAULT_YEAR) -> MRIO:
    """The WIOD table of ``year`` from the store."""
    return MRIO.from_store(store, year)


def multipliers(store: Store, year: int = DEFAULT_YEAR) -> IOResult:
    """Output, value-added and forward multipliers per country-sector."""
    return table(store, year).multipliers()


def va_trade(store: Store, year: int = DEFAULT_YEAR) -> IOResult:
    """Value added in trade and GVC participation per region."""
    return table(store, year).value_added_in_trade()


def shock(store: Store, *, country: str, sector: str, cut: float = 0.1,
          model: ShockModel = "ghosh", year: int = DEFAULT_YEAR) -> IOResult:
    """Cut the supply of ``sector`` in ``country`` by the fraction ``cut`` and propagate it."""
    if model not in SHOCK_MODELS:
        raise MRIOError(f"model must be one of {SHOCK_MODELS}, got {model!r}")
    return table(store, year).supply_shock([(country, sector)], cut=cut, model=model)
