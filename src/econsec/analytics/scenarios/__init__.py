"""Trade-policy scenarios as data (issue #4; methods: docs/methods.md §9, models §4–6).

A scenario is a TOML file (:mod:`~econsec.analytics.scenarios.spec`): tariff measures with the
source of every rate, retaliation, and RTA-membership changes. Presets ship in ``presets/``;
each tariff preset ``NAME`` also exists as ``NAME-retaliation`` (proportional retaliation by every
target). :mod:`~econsec.analytics.scenarios.shocks` turns a scenario into model inputs: an N×N
tariff-change matrix, a product-level frame, N×N×S sector arrays and an RTA-change matrix.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

import pandas as pd

from econsec.analytics.scenarios.shocks import (
    RTAShock,
    SectorTariffShock,
    ShockError,
    TariffShock,
    product_frame,
    resolve_product_rates,
    rta_change,
    sector_tariffs,
    tariff_matrix,
)
from econsec.analytics.scenarios.spec import (
    AgreementChange,
    Retaliation,
    Scenario,
    ScenarioSpecError,
    Source,
    TariffMeasure,
    UnknownScenarioCodeError,
    load_spec,
    loads_spec,
    parse_spec,
)
from econsec.errors import NotFoundError

RETALIATION_SUFFIX = "-retaliation"


class UnknownPresetError(NotFoundError):
    """A preset name that is not shipped; the message lists the names that are."""


def _preset_files() -> dict[str, Traversable]:
    folder = resources.files(__name__).joinpath("presets")
    return {f.name.removesuffix(".toml"): f for f in folder.iterdir() if f.name.endswith(".toml")}


@cache
def _parsed_presets() -> tuple[tuple[str, Scenario], ...]:
    return tuple((name, loads_spec(f.read_text(encoding="utf-8"), file=f"presets/{f.name}"))
                 for name, f in sorted(_preset_files().items()))


def _base_presets() -> dict[str, Scenario]:
    """Shipped presets by name, parsed once (scenarios are immutable)."""
    return dict(_parsed_presets())


def list_presets() -> tuple[str, ...]:
    """Names of the shipped presets, with the ``-retaliation`` variant of each tariff preset."""
    names = []
    for name, s in _base_presets().items():
        names.append(name)
        if s.measures and s.retaliation.mode == "none":
            names.append(name + RETALIATION_SUFFIX)
    return tuple(names)


def preset_catalog() -> pd.DataFrame:
    """One row per preset: name, title, number of measures and agreements, retaliation."""
    rows = [{"name": s.name, "title": s.title, "measures": len(s.measures),
             "agreements": len(s.agreements), "retaliation": s.retaliation.mode}
            for s in (load_preset(n) for n in list_presets())]
    return pd.DataFrame(rows)


def load_preset(name: str) -> Scenario:
    """A shipped preset by name (``china-60``, ``china-60-retaliation``, …)."""
    base = _base_presets()
    if name in base:
        return base[name]
    stem = name.removesuffix(RETALIATION_SUFFIX)
    if name.endswith(RETALIATION_SUFFIX) and stem in base and base[stem].measures \
            and base[stem].retaliation.mode == "none":
        return base[stem].with_retaliation("proportional")
    raise UnknownPresetError(f"no preset {name!r}; presets: {', '.join(list_presets())}")


__all__ = [
    "AgreementChange", "RTAShock", "Retaliation", "Scenario", "ScenarioSpecError",
    "SectorTariffShock", "ShockError", "Source", "TariffMeasure", "TariffShock",
    "UnknownPresetError", "UnknownScenarioCodeError", "list_presets", "load_preset", "load_spec",
    "loads_spec", "parse_spec", "preset_catalog", "product_frame", "resolve_product_rates",
    "rta_change", "sector_tariffs", "tariff_matrix",
]
