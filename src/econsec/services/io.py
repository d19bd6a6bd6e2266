"""Input–output analyses on an MRIO year in the store (WIOD 2013): the operations behind
``econsec io``. No economics here: see :mod:`econsec.analytics.io`."""

from __future__ import annotations

from econsec.analytics.io import MRIO, IOResult
from econsec.analytics.io.equations import ShockModel
from econsec.analytics.io.mrio import OutputBasis
from econsec.store import Store

DEFAULT_YEAR = 2011


def table(store: Store, year: int = DEFAULT_YEAR, *, output: OutputBasis = "row-sums") -> MRIO:
    """The WIOD table of ``year`` from the store; ``output="published"`` takes gross output x
    from WIOD's published GO column instead of the row sums Z·1 + Y·1."""
    return MRIO.from_store(store, year, output=output)


def multipliers(store: Store, year: int = DEFAULT_YEAR, *,
                output: OutputBasis = "row-sums") -> IOResult:
    """Output, value-added and forward multipliers per country-sector."""
    return table(store, year, output=output).multipliers()


def va_trade(store: Store, year: int = DEFAULT_YEAR, *, output: OutputBasis = "row-sums") -> IOResult:
    """Value added in trade and GVC participation per region."""
    return table(store, year, output=output).value_added_in_trade()


def shock(store: Store, *, country: str, sector: str, cut: float = 0.1,
          model: ShockModel = "ghosh", year: int = DEFAULT_YEAR,
          output: OutputBasis = "row-sums") -> IOResult:
    """Cut the supply of ``sector`` in ``country`` by the fraction ``cut`` and propagate it
    (``model`` is checked by :meth:`MRIO.supply_shock`: OptionError naming the models)."""
    return table(store, year, output=output).supply_shock([(country, sector)], cut=cut, model=model)


def demand_shock(store: Store, *, country: str, sector: str, change: float | None = None,
                 share: float | None = None, year: int = DEFAULT_YEAR,
                 output: OutputBasis = "row-sums") -> IOResult:
    """Change final demand for the output of ``sector`` in ``country`` by ``change`` (in the
    table's unit, WIOD: million USD) or by ``share`` of its final demand (−0.1 = −10 %), and
    propagate it: Δx = L Δf (:meth:`MRIO.demand_shock`)."""
    return table(store, year, output=output).demand_shock([(country, sector)], change=change,
                                                          share=share)
