"""Critical-item screens (methods.md §1), thresholds as data.

For importer c and product p, with supplier HHI_cp, imports M_cp, c's own exports x_cp and the
world-export concentration HHIW_p:

* **EU 2021** (European Commission SWD(2021) 352): HHI_cp > 0.4 and M_cp / x_cp > 1; for a bloc
  importer also the extra-bloc share of imports > 0.5. The Commission applies all three to the
  EU as one economy trading with the rest of the world: HHI_cp over the suppliers of *extra*-EU
  imports, M_cp / x_cp as extra-EU imports over extra-EU exports, and the share of extra-EU
  imports in total (extra + intra) EU imports. :func:`bloc_panel` builds exactly that economy.
* **CEPII GeoDep** (Lefebvre & Wibaux, CEPII PB 2024-47): the EU criteria and HHIW_p > 0.4,
  persistent in at least 2 of 3 consecutive years (:func:`persistent`). x_cp = 0 gives the ratio
  9999, as GeoDep does.
* **MERICS** variant: HHI_cp > 0.4 and M_cp ≥ 2 x_cp.
* **Korea 2021** early-warning rule: ≥ 50 % of imports from a single country.

Each screen returns a boolean importer × product array (:func:`screen_all` gives all four, with
residual codes set aside: :mod:`econsec.analytics.indicators.residual`); :func:`flagged_items`
lists the flagged products with the suppliers behind them and :func:`residual_items` the residual
codes that were set aside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from econsec.analytics.indicators.concentration import Concentration, supplier_ranks
from econsec.analytics.indicators.panel import TradePanel
from econsec.errors import NotFoundError, OptionError, check_choice, choices

Screen = Literal["eu", "geodep", "merics", "korea"]
SCREENS: tuple[Screen, ...] = choices(Screen)
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
    check_choice(name, Screen, option="screen")
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


def screen_all(conc: Concentration, own_exports: np.ndarray, world_hhi: np.ndarray,
               t: Thresholds = Thresholds(), *, extra_share: np.ndarray | None = None,
               exclude: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Every screen of :data:`SCREENS` (see :func:`screen`); products where ``exclude`` (P,) is
    True are flagged by none (residual codes: :func:`~econsec.analytics.indicators.residual.residual_mask`)."""
    keep = np.ones(conc.imports.shape[1], dtype=bool) if exclude is None else ~np.asarray(exclude, bool)
    return {n: screen(n, conc, own_exports, world_hhi, t, extra_share) & keep[np.newaxis, :]
            for n in SCREENS}


def persistent(flags: Sequence[np.ndarray], k: int = 2) -> np.ndarray:
    """True where at least ``k`` of the given yearly flag arrays are True (GeoDep: 2 of 3)."""
    return np.sum(np.stack([np.asarray(f, dtype=bool) for f in flags]), axis=0) >= k


def bloc_panel(panel: TradePanel, members: Sequence[str], code: str) -> tuple[TradePanel, np.ndarray]:
    """Merge ``members`` into one economy ``code`` trading with the rest of the world.

    As the EU 2021 method treats the EU (module docstring):

    * intra-bloc rows are dropped, so the bloc's imports M_bp are its extra-bloc imports;
    * each supplier's rows into the members are summed into one bloc row per (supplier, product)
      (likewise each member's rows to one outside importer), so HHI_bp and the top-supplier shares
      are over the bloc's suppliers, not over member × supplier pairs;
    * the bloc's exports x_bp are extra-bloc exports: the members' world exports minus their
      intra-bloc exports (floored at 0);
    * the extra-bloc share of imports is extra / (extra + intra) per product.

    The bloc's code must not be an economy of the panel outside the bloc; at least one member must
    be in the panel. Rows come back sorted by importer, product and value (largest first).

    Returns
    -------
    merged : the panel with the bloc as one economy.
    extra_share : (P,) extra-bloc imports / (extra- + intra-bloc imports) of the bloc.
    """
    labels = pd.Index(panel.countries)
    members = list(dict.fromkeys(members))
    inside = np.isin(panel.countries, members)
    if not inside.any():
        raise NotFoundError(f"none of the bloc members of {code} ({', '.join(members)}) is in the "
                            f"{panel.source} panel for {panel.year}")
    if code in labels and not inside[labels.get_loc(code)]:
        raise OptionError(f"bloc name {code!r} is an economy of the {panel.source} panel that is "
                          "not one of the members: give the bloc another name")
    new_labels = pd.Index(sorted({*labels[~inside], code}))
    remap = new_labels.get_indexer(np.where(inside, code, labels))
    e, i = remap[panel.exporter], remap[panel.importer]
    b = new_labels.get_loc(code)
    intra = (e == b) & (i == b)
    c, p = len(new_labels), panel.n_products
    intra_m = np.bincount(panel.product[intra], panel.value[intra], minlength=p)
    # One row per (importer, product, exporter): members' rows with the same partner are summed.
    rows = ~intra
    key = (i[rows].astype(np.int64) * p + panel.product[rows]) * c + e[rows]
    uk, inv = np.unique(key, return_inverse=True)
    value = np.bincount(inv, panel.value[rows], minlength=len(uk))
    ip, ex = np.divmod(uk, c)
    order = np.lexsort((-value, ip))
    xw = np.zeros((c, p))
    np.add.at(xw, remap, panel.world_exports)
    xw[b] = np.maximum(xw[b] - intra_m, 0.0)
    missing = [m for m in members if m not in labels]
    reporting = np.isin(np.flatnonzero(inside), panel.exporter[intra]).sum()
    note = (f"{code}: {int(inside.sum())} of {len(members)} members merged"
            + (f" ({', '.join(missing)} not in the panel)" if missing else "")
            + "; imports are extra-bloc imports summed by supplier, exports are extra-bloc exports "
            "(members' world exports minus intra-bloc exports), as in the EU 2021 method; "
            + (f"intra-bloc trade is what {int(reporting)} members ship to other members in the "
               "panel" if reporting else "the panel has no intra-bloc trade, so the extra-bloc "
               "share is 1 by construction"))
    reported = None
    if panel.world_reported is not None:  # the bloc's world exports are reported if all members' are
        reported = np.zeros(c, dtype=bool)
        reported[remap[~inside]] = panel.world_reported[~inside]
        reported[b] = bool(panel.world_reported[inside].all())
    merged = replace(panel, countries=np.asarray(new_labels, dtype=object),
                     exporter=ex[order].astype(np.int32), importer=(ip[order] // p).astype(np.int32),
                     product=(ip[order] % p).astype(np.int32), value=value[order],
                     world_exports=xw, notes=(*panel.notes, note), sorted_by_importer=True,
                     world_reported=reported)
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


def residual_items(panel: TradePanel, conc: Concentration, residual: np.ndarray,
                   flags: dict[str, np.ndarray], *, importer: str) -> pd.DataFrame:
    """The residual codes ``importer`` imports (``residual`` (P,) True), set aside by the screens.

    One row per residual code with imports: imports, their share of the importer's imports, HHI,
    top supplier and share, and which screens would flag it (``flags`` computed with no code set
    aside), largest first.
    """
    c = panel.code(importer)
    m = conc.imports[c]
    pi = np.flatnonzero(np.asarray(residual, bool) & (m > 0))
    sup = conc.top1_supplier[c, pi]
    total = m.sum()
    return pd.DataFrame({
        "importer": importer, "product": panel.products[pi], "imports_usd": m[pi],
        "share_of_imports": m[pi] / total if total > 0 else np.nan, "hhi": conc.hhi[c, pi],
        "top1_share": conc.top1_share[c, pi],
        "top1_supplier": np.where(sup >= 0, panel.countries[np.maximum(sup, 0)], None),
        **{f"would_flag_{k}": v[c, pi] for k, v in flags.items()},
    }).sort_values("imports_usd", ascending=False, ignore_index=True)
