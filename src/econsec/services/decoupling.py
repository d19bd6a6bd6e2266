"""Technology-decoupling scenarios on a WIOD year in the store: the operations behind
``econsec decoupling``. A scenario is a preset name or a TOML file::

    name = "us-china-narrow"
    description = "US vs China, electronics only"
    barrier = 0.2            # ad-valorem equivalent (0.2 = 20%)
    attachment = true        # non-hub economies join the hub they trade most with
    sectors = ["c14"]        # WIOD industry codes; default c9, c13, c14, c15
    [hubs]
    US = ["USA"]
    China = ["CHN"]          # "EU27" expands to the 27 EU members of 2011 (incl. GBR)
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from econsec.analytics.decoupling import (
    PRESETS,
    DecouplingError,
    DecouplingResults,
    DecouplingSpec,
    VulnerabilityLoop,
    preset,
    run,
    spec_from_mapping,
    vulnerability_loop,
)
from econsec.analytics.models.multisector import load_wiod
from econsec.store import Store

DEFAULT_YEAR = 2011


def list_presets() -> pd.DataFrame:
    """name, hubs, attachment, sectors, barrier, description of each preset."""
    return pd.DataFrame([{"name": k, "hubs": " | ".join(s.hubs), "attachment": s.attachment,
                          "sectors": ",".join(s.sectors), "barrier": s.barrier,
                          "description": s.description} for k, s in PRESETS.items()])


def resolve(name_or_path: str, barrier: float | None = None) -> DecouplingSpec:
    """A preset by name or a TOML file by path (``barrier`` overrides the spec's)."""
    p = Path(name_or_path)
    if p.suffix == ".toml" or p.exists():
        if not p.is_file():
            raise DecouplingError(f"no scenario file {p}")
        try:
            doc = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise DecouplingError(f"{p}: not valid TOML ({e})") from e
        spec = spec_from_mapping(doc, name=p.stem)
        return spec if barrier is None else spec.with_barrier(barrier)
    return preset(name_or_path, barrier)


def run_scenarios(store: Store, names: Sequence[str], *, barrier: float | None = None,
                  year: int = DEFAULT_YEAR, deficits: str = "fixed") -> DecouplingResults:
    """Solve the named scenarios (presets or TOML files) on WIOD ``year``; ``deficits="removed"``
    starts from the balanced-trade equilibrium (Dekle, Eaton & Kortum 2008)."""
    specs = [resolve(n, barrier) for n in names]
    return run(load_wiod(store, year), specs, deficits=deficits)


def run_all(store: Store, *, barrier: float | None = None,
            year: int = DEFAULT_YEAR, deficits: str = "fixed") -> DecouplingResults:
    """The six presets."""
    return run_scenarios(store, list(PRESETS), barrier=barrier, year=year, deficits=deficits)


def loop(results: DecouplingResults, scenario: str,
         partners: Sequence[str] = ("USA", "CHN")) -> VulnerabilityLoop:
    """Import concentration and exposure before and after one solved scenario."""
    if scenario not in results.runs:
        raise DecouplingError(f"scenario {scenario!r} was not run; ran {list(results.runs)}")
    return vulnerability_loop(results.runs[scenario][1], partners)
