"""Technology-decoupling scenarios between blocs (IMF WP/21/69, Cerdeiro et al. 2021) on the
Caliendo–Parro model with input–output links, and the loop from a GE scenario back to the
structural vulnerability indicators. Methods: docs/decoupling.md; methods.md §6.6–9.

>>> cal = load_wiod(store, 2011)                                   # doctest: +SKIP
>>> res = run(cal, [preset("us-china-attach"), preset("us-china")])  # doctest: +SKIP
>>> res.table(["USA", "CHN", "KOR", "JPN"])                        # doctest: +SKIP
>>> vulnerability_loop(res.runs["us-china-attach"][1]).exposure(["KOR"])  # doctest: +SKIP
"""

from econsec.analytics.decoupling.builder import (
    DEFAULT_BARRIER,
    DEFAULT_SECTORS,
    EU27_2011,
    PRESETS,
    DecouplingError,
    DecouplingResults,
    DecouplingSpec,
    Scenario,
    assign_blocs,
    barrier_mask,
    build,
    hub_trade,
    preset,
    run,
    spec_from_mapping,
)
from econsec.analytics.decoupling.loop import VulnerabilityLoop, vulnerability_loop

__all__ = ["DEFAULT_BARRIER", "DEFAULT_SECTORS", "EU27_2011", "PRESETS", "DecouplingError",
           "DecouplingResults", "DecouplingSpec", "Scenario", "VulnerabilityLoop", "assign_blocs",
           "barrier_mask", "build", "hub_trade", "preset", "run", "spec_from_mapping",
           "vulnerability_loop"]
