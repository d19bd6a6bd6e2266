"""Critical-item screens (methods.md §1), thresholds as data.

For importer c and product p, with supplier HHI_cp, imports M_cp, c's own exports x_cp and the
world-export concentration HHIW_p:

* **EU 2021** (European Commission SWD(2021) 352): HHI_cp > 0.4 and M_cp / x_cp > 1; for a bloc
  importer also the extra-bloc share of imports > 0.5 (see :func:`bloc_panel`).
* **CEPII GeoDep** (Lefebvre & Wibaux, CEPII PB 2024-47): the EU criteria and HHIW_p > 0.4,
  persistent in at least 2 of 3 consecutive years (:func:`persistent`). x_cp = 0 gives the ratio
  9999, as GeoDep does.
* **MERICS** variant: HHI_cp > 0.4 and M_cp ≥ 2 x_cp.
* **Korea 2021** early-warning rule: ≥ 50 % of imports from a single country.

Each screen returns a boolean importer × product array; :func:`flagged_items` lists the flagged
products with the suppliers behind them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from econsec.analytics.indicators.concentration import Concentration, supplier_ranks
from econsec.analytics.indicators.panel import TradePanel

Screen = Literal["eu", "geodep", "merics", "korea"]
SCREENS: tuple[Screen, ...] = ("eu", "geodep", "merics", "korea")
NO_EXPORTS_RATIO = 9999.0


@dataclass(frozen=True)
class Thresholds:
    """Screen thresholds (defaults from the sources cited in the module docstring)."""

    hhi: float = 0.4
    import_export_ratio: float = 1.0
    merics_ratio: float = 2.0
    extra_bloc_share: float = 0.5
    world_hhi: float = 0.4
    single_supplier_share: float = 0.5
    persistence_k: int = 2
    persistence_n: int = 3


def import_export_ratio(imports: np.ndarray, own_exports: np.ndarray) -> np.ndarray:
    """M_cp / x_cp, with 9999 where c exports none of p (GeoDep's convention) and NaN without imports."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = imports / own_exports
    r = np.where(own_exports > 0, r, NO_EXPORTS_RATIO)
    return np.where(imports > 0, r, np.nan)


def screen(name: Screen, conc: Concentration, own_exports: np.ndarray, world_hhi: np.ndarray,
           t: Thresholds = Thresholds(), extra_share: np.ndarray | None = None) -> np.ndarray:
    """Boolean C × P array: which importer × product pairs the screen flags in one year.

    ``extra_share`` (C × P) is the extra-bloc share of imports, used for bloc importers by the EU
    and GeoDep screens; ``None`` means every importer is a single country.
    """
    if name not in SCREENS:
        raise ValueError(f"screen must be one of {SCREENS}, got {name!r}")
    hhi = np.nan_to_num(conc.hhi)
    ratio = np.nan_to_num(import_export_ratio(conc.imports, own_exports))
    if name == "korea":
        return np.nan_to_num(conc.top1_share) >= t.single_supplier_share
    if name == "merics":
        return (hhi > t.hhi) & (ratio >= t.merics_ratio)
    flag = (hhi > t.hhi) & (ratio > t.import_export_ratio)
    if extra_share is not None:
        flag &= np.nan_to_num(extra_share) > t.extra_bloc_share
    if name == "geodep":
        flag &= (np.nan_to_num(world_hhi) > t.world_hhi)[np.newaxis, :]
    return flag


def persistent(flags: Sequence[np.ndarray], k: int = 2) -> np.ndarray:
    """True where at least ``k`` of the given yearly flag arrays are True (GeoDep: 2 of 3)."""
    return np.sum(np.stack([np.asarray(f, dtype=bool) for f in flags]), axis=0) >= k


def bloc_panel(panel: TradePanel, members: Sequence[str], code: str) -> tuple[TradePanel, np.ndarray]:
    """Merge ``members`` into one economy ``code``; drop intra-bloc rows.

    Returns the merged panel and the extra-bloc share of the bloc's imports per product (P,):
    extra-bloc imports / (extra- + intra-bloc imports).
    """
    labels = pd.Index(panel.countries)
    inside = np.isin(panel.countries, list(members))
    new_labels = pd.Index(sorted({*labels[~inside], code}))
    remap = new_labels.get_indexer(np.where(inside, code, labels))
    e, i = remap[panel.exporter], remap[panel.importer]
    b = new_labels.get_loc(code)
    intra = (e == b) & (i == b)
    p = panel.n_products
    intra_m = np.bincount(panel.product[intra], panel.value[intra], minlength=p)
    xw = np.zeros((len(new_labels), p))
    np.add.at(xw, remap, panel.world_exports)
    merged = TradePanel(year=panel.year, countries=np.asarray(new_labels, dtype=object),
                        products=panel.products, exporter=e[~intra].astype(np.int32),
                        importer=i[~intra].astype(np.int32), product=panel.product[~intra],
                        value=panel.value[~intra], world_exports=xw, source=panel.source,
                        classification=panel.classification, vintage=panel.vintage,
                        mirror=panel.mirror,
                        notes=(*panel.notes, f"{code}: {int(inside.sum())} members merged, "
                               "intra-bloc flows removed (bloc exports include intra-bloc trade)"))
    extra_m = merged.imports()[b]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = extra_m / (extra_m + intra_m)
    return merged, share


def flagged_items(panel: TradePanel, conc: Concentration, flags: dict[str, np.ndarray],
                  own_exports: np.ndarray, world_hhi: np.ndarray, *, importer: str | None = None,
                  top_suppliers: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Flagged importer × product pairs, and the top suppliers behind each.

    Returns ``(items, suppliers)``: items has one row per flagged pair with imports, HHI, top-1
    share and supplier, import/export ratio, world HHI and one boolean column per screen;
    suppliers has the ``top_suppliers`` largest suppliers of each flagged pair with their shares.
    """
    any_flag = np.zeros_like(conc.imports, dtype=bool)
    for f in flags.values():
        any_flag |= f
    if importer is not None:
        keep = np.zeros(panel.n_countries, dtype=bool)
        keep[panel.code(importer)] = True
        any_flag &= keep[:, np.newaxis]
    ci, pi = np.nonzero(any_flag)
    ratio = import_export_ratio(conc.imports, own_exports)
    sup = conc.top1_supplier[ci, pi]
    items = pd.DataFrame({
        "importer": panel.countries[ci], "product": panel.products[pi],
        "imports_usd": conc.imports[ci, pi], "hhi": conc.hhi[ci, pi],
        "top1_share": conc.top1_share[ci, pi],
        "top1_supplier": np.where(sup >= 0, panel.countries[np.maximum(sup, 0)], None),
        "import_export_ratio": ratio[ci, pi], "world_hhi": world_hhi[pi],
        **{f"flag_{k}": v[ci, pi] for k, v in flags.items()},
    }).sort_values(["importer", "imports_usd"], ascending=[True, False], ignore_index=True)
    order, ks, rank = supplier_ranks(panel)
    flagged_keys = ci.astype(np.int64) * panel.n_products + pi
    take = (rank < top_suppliers) & np.isin(ks, flagged_keys)
    rows = order[take]
    m = conc.imports.ravel()[ks[take]]
    suppliers = pd.DataFrame({
        "importer": panel.countries[panel.importer[rows]],
        "product": panel.products[panel.product[rows]],
        "rank": rank[take] + 1, "supplier": panel.countries[panel.exporter[rows]],
        "imports_usd": panel.value[rows], "share": panel.value[rows] / m,
    })
    return items, suppliers
