"""One year of bilateral trade, integer-coded for vectorised kernels.

A :class:`TradePanel` holds the bilateral rows (exporter, importer, product, value in USD) as
integer codes into label arrays, plus the dense exporter × product matrix of exports to the
world. Every kernel in this package works on it with ``np.bincount``, sorting and dense matrix
algebra: no Python loops over countries or products.

World exports ``X[s, p]`` are the supplier's reported exports to the world where the source has
them (a ``WLD`` row), else the sum of its bilateral exports in the panel; which applied is in
``notes``. Imports are importer-reported where the source has them, else *mirror* data (the
partners' reported exports), flagged in ``mirror``.

How much of each economy's trade a panel sees is measured against independent totals in
:mod:`~econsec.analytics.indicators.coverage`; the panel records what that needs:
``world_reported`` (which exporters' world exports are their own reported World row) and
``complete`` (a closed system, such as an MRIO, that covers all trade by construction).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from econsec.errors import NotFoundError


@dataclass(frozen=True)
class TradePanel:
    """Bilateral flows of one year (see module docstring). Codes index ``countries``/``products``."""

    year: int
    countries: np.ndarray  # ISO3 labels, sorted
    products: np.ndarray  # product codes, sorted
    exporter: np.ndarray  # int32 codes, one per bilateral row
    importer: np.ndarray
    product: np.ndarray
    value: np.ndarray  # float64, USD
    world_exports: np.ndarray  # (C, P) exports to the world, USD
    source: str = "user"
    classification: str = ""
    vintage: str = ""
    mirror: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: rows are ordered by importer, product and value descending (lets kernels skip a sort)
    sorted_by_importer: bool = False
    #: (C,) True where the exporter's world exports are its reported World row (None: none are)
    world_reported: np.ndarray | None = None
    #: the panel covers every economy's trade by construction (an MRIO's closed world)
    complete: bool = False
    #: unit of ``value`` and ``world_exports``: "USD", or the source's own currency where it
    #: gives no USD values (shares and RCA are unit-free; levels are then not in USD)
    unit: str = "USD"

    @property
    def n_countries(self) -> int:
        return len(self.countries)

    @property
    def n_products(self) -> int:
        return len(self.products)

    def imports(self) -> np.ndarray:
        """M[c, p]: imports of c in p from all suppliers in the panel (C × P)."""
        c, p = self.n_countries, self.n_products
        return np.bincount(self.importer.astype(np.int64) * p + self.product, self.value,
                           minlength=c * p).reshape(c, p)

    def bilateral_exports(self) -> np.ndarray:
        """Σ over importers of bilateral rows, by exporter × product (C × P)."""
        c, p = self.n_countries, self.n_products
        return np.bincount(self.exporter.astype(np.int64) * p + self.product, self.value,
                           minlength=c * p).reshape(c, p)

    def code(self, iso3: str) -> int:
        """Index of a country; NotFoundError naming the panel's coverage when absent."""
        hit = np.flatnonzero(self.countries == iso3)
        if not hit.size:
            raise NotFoundError(f"{iso3} is not in the {self.source} panel for {self.year}")
        return int(hit[0])

    def describe(self) -> str:
        """One line: source, classification, year, coverage and how imports were obtained."""
        kind = "mirror data (partners' reported exports)" if self.mirror else "as reported"
        imports = f"imports {kind}" if len(self.value) else "no imports (exports to the World only)"
        unit = "" if self.unit == "USD" else f"; values in {self.unit!r}, not USD"
        return (f"{self.source} ({self.vintage}), {self.classification}, {self.year}: "
                f"{len(self.value):,} bilateral rows, {self.n_countries} economies, "
                f"{self.n_products} products; {imports}{unit}")


def panel_from_frame(flows: pd.DataFrame, *, year: int, world: pd.DataFrame | None = None,
                     source: str = "user", classification: str = "", vintage: str = "",
                     mirror: bool = False, notes: tuple[str, ...] = (),
                     world_note: str | None = None, complete: bool = False) -> TradePanel:
    """Build a panel from a labelled frame of bilateral flows.

    Parameters
    ----------
    flows : columns ``exporter``, ``importer``, ``product``, ``value`` (USD). Duplicate keys are
        summed; self-flows and zero or missing values are dropped.
    world : optional columns ``exporter``, ``product``, ``value``: exports to the world. Where an
        exporter has no world row, its bilateral exports in ``flows`` are used.
    world_note : replaces the default note on where world exports come from.
    complete : the flows are a closed system covering all trade (an MRIO), so coverage is 1.
    """
    f = flows.loc[(flows["exporter"] != flows["importer"]) & (flows["value"] > 0),
                  ["exporter", "importer", "product", "value"]]
    f = f.groupby(["exporter", "importer", "product"], as_index=False, observed=True)["value"].sum()
    labels = pd.Index(pd.unique(pd.concat([f["exporter"], f["importer"]]))).sort_values()
    prods = pd.Index(pd.unique(f["product"])).sort_values()
    e = labels.get_indexer(f["exporter"]).astype(np.int32)
    i = labels.get_indexer(f["importer"]).astype(np.int32)
    k = prods.get_indexer(f["product"]).astype(np.int32)
    v = f["value"].to_numpy(dtype=np.float64)
    c, p = len(labels), len(prods)
    xw = np.bincount(e.astype(np.int64) * p + k, v, minlength=c * p).reshape(c, p)
    notes_l = list(notes)
    reported = np.zeros(c, dtype=bool)
    if world is not None and len(world):
        w = world[world["exporter"].isin(labels) & world["product"].isin(prods)]
        w = w.groupby(["exporter", "product"], as_index=False, observed=True)["value"].sum()
        we, wk = labels.get_indexer(w["exporter"]), prods.get_indexer(w["product"])
        reported[np.unique(we)] = True
        xw[reported] = 0.0
        np.add.at(xw, (we, wk), w["value"].to_numpy(dtype=np.float64))
        notes_l.append(world_note or f"world exports reported by {int(reported.sum())} of {c} "
                       "economies; the others' are the sum of their bilateral exports in the panel")
    return TradePanel(year=year, countries=np.asarray(labels, dtype=object),
                      products=np.asarray(prods, dtype=object), exporter=e, importer=i, product=k,
                      value=v, world_exports=xw, source=source, classification=classification,
                      vintage=vintage, mirror=mirror, notes=tuple(notes_l), world_reported=reported,
                      complete=complete)
