"""Economic complexity as py-ecomplexity computes it, on a user's frame or a source in the store.

``complexity`` runs the public kernel :func:`econsec.analytics.indicators.complexity.complexity_long`
(RCA, M_cp, ECI, PCI, density, COI, COG; Hidalgo & Hausmann 2009) over every year given, with
no coverage rule: like py-ecomplexity, it is relative to the locations and products in the data.
``competitiveness`` (:mod:`econsec.services.indicators`) is the ranking that applies the coverage
rule; this is the tool to reproduce a published complexity table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from econsec.analytics.indicators.complexity import Convention, complexity_long
from econsec.analytics.indicators.data import load_panel, source_years
from econsec.analytics.indicators.results import IndicatorResult
from econsec.errors import NotFoundError, OptionError, check_choice, check_range
from econsec.store import Store

METHOD = ("RCA_cp = (x_cp/X_c)/(X_p/X) (Balassa 1965), M_cp = [RCA_cp ≥ threshold]; ECI/PCI from "
          "the second eigenvector of M̃ (Hidalgo & Hausmann 2009), sign set so ECI correlates with "
          "diversity; density, COI and COG (Hausmann et al. 2014); {convention} convention "
          "(econsec.analytics.indicators.complexity)")


def _source_frame(store: Store, source: str, years: Sequence[int] | None
                  ) -> tuple[pd.DataFrame, str, str, tuple[str, ...]]:
    """World exports exporter × product for each year of ``source`` (long), with vintage,
    classification and the panels' notes."""
    have = source_years(store, source)
    if not have:
        raise NotFoundError(f"source {source!r} has no product-level trade in the store")
    wanted = list(have) if years is None else [int(y) for y in years]
    missing = [y for y in wanted if y not in have]
    if missing:
        raise NotFoundError(f"source {source!r} has no product-level trade in {missing}; years: {have}")
    frames, notes = [], []
    vintage = classification = ""
    for y in wanted:  # one panel per year (a handful of years)
        panel = load_panel(store, source, y, bilateral=False)
        c, p = np.nonzero(panel.world_exports)
        frames.append(pd.DataFrame({"year": y, "exporter": panel.countries[c],
                                    "product": panel.products[p],
                                    "value": panel.world_exports[c, p]}))
        vintage, classification = panel.vintage, panel.classification
        notes += [f"{y}: {panel.describe()}", *panel.notes]
    return pd.concat(frames, ignore_index=True), vintage, classification, tuple(dict.fromkeys(notes))


def complexity(store: Store | None, data: pd.DataFrame | None = None, *, source: str | None = None,
               years: Sequence[int] | None = None, time: str = "year", loc: str = "exporter",
               prod: str = "product", val: str = "value", threshold: float = 1.0,
               convention: Convention = "py-ecomplexity", outlook: bool = True) -> IndicatorResult:
    """RCA, ECI, PCI, density, COI and COG for every year of ``data`` or of ``source``.

    Parameters
    ----------
    data : a long frame, one row per ``time`` × ``loc`` × ``prod`` with exports ``val`` (the
        layout of py-ecomplexity's ``ecomplexity(data, cols)``; duplicate keys are summed).
    source : instead of ``data``, a trade source in the store: each exporter's world exports by
        product (its World row where the source has one), as ``competitiveness`` reads them;
        ``years`` selects years (default: all).
    threshold : RCA at or above which M_cp = 1.
    convention : ``"py-ecomplexity"`` (Growth Lab's Python package 0.5.3) or ``"stata"``.
    outlook : also density, COI and COG.

    Returns
    -------
    IndicatorResult whose frame has one row per year × location × product of the rectangular
    data (locations and products without exports that year dropped, as py-ecomplexity does):
    ``time``, ``loc``, ``prod``, rca, mcp, eci, pci and, with ``outlook``, density, coi, cog.
    No coverage rule applies: the figures are relative to the locations and products given.
    """
    check_choice(convention, Convention, option="convention")
    check_range(threshold, gt=0, option="threshold")
    if (data is None) == (source is None):
        raise OptionError("complexity: give either data (a frame) or source (a store source)")
    if source is not None:
        if store is None:
            raise OptionError("complexity: a source needs a store")
        df, vintage, classification, notes = _source_frame(store, source, years)
        time, loc, prod, val = "year", "exporter", "product", "value"
        origin = source
    else:
        assert data is not None
        missing = [c for c in (time, loc, prod, val) if c not in data.columns]
        if missing:
            raise OptionError(f"complexity: data has no column(s) {missing}; it has {list(data.columns)}")
        df = data if years is None else data[data[time].isin(list(years))]
        values = pd.to_numeric(df[val], errors="coerce")
        if values.isna().any() or (values < 0).any():
            raise OptionError(f"complexity: column {val!r} must hold non-negative numbers")
        df = df.assign(**{val: values})
        origin, vintage, classification, notes = "user data", "", "", ()
    if df.empty:
        raise NotFoundError("complexity: no rows for the years asked")
    frame = complexity_long(df, time=time, loc=loc, prod=prod, val=val, threshold=threshold,
                            convention=convention, outlook=outlook)
    counts = frame.groupby(time).agg(locations=(loc, "nunique"), products=(prod, "nunique"))
    scope = "; ".join(f"{t}: {int(r.locations)} locations × {int(r.products)} products"
                      for t, r in counts.iterrows())
    coverage = (*notes, f"no coverage rule: RCA, ECI and PCI are relative to the locations and "
                        f"products in the data ({scope})")
    yrs = tuple(int(t) for t in counts.index) if pd.api.types.is_integer_dtype(counts.index) else ()
    return IndicatorResult("economic complexity", frame, METHOD.format(convention=convention),
                           origin, vintage, classification, yrs, coverage,
                           {"locations": frame.drop_duplicates([time, loc])[[time, loc, "eci"]]
                            .reset_index(drop=True),
                            "products": frame.drop_duplicates([time, prod])[[time, prod, "pci"]]
                            .reset_index(drop=True)})
