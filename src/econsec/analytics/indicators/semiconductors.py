"""The semiconductor value chain as product groups of HS2017 subheadings, with the source of each list.

Groups (HS2017, 6 digits; HS2022 split 8486.20 and added 8486.40 lines, so map HS2022 data
through the concordance first):

* ``materials``: 280461 silicon ≥ 99.99 % Si (polysilicon); 381800 chemical elements doped for
  use in electronics (wafers); 281111 hydrogen fluoride; 370790 chemical preparations for
  photographic uses (photoresists); 280429 rare gases other than argon (neon for lithography
  lasers). Sources: METI (2019-07-01), "Update of METI's licensing policies and procedures on
  exports of controlled items to the Republic of Korea" (fluorinated polyimide, resist, hydrogen
  fluoride); SIA & BCG (2021), *Strengthening the Global Semiconductor Supply Chain in an
  Uncertain Era*, exhibit on materials; neon: CSIS (2022), "Russia, Ukraine, and the
  semiconductor supply chain".
* ``equipment``: heading 8486 (machines for semiconductor boules/wafers, devices and ICs, flat
  panels, and their parts: 848610, 848620, 848630, 848640, 848690), 903082 (instruments for
  checking semiconductor wafers or devices), 903141 (optical inspection of wafers and devices).
  Sources: HS2017 nomenclature (WCO); the USITC/andre-barbe "semiconductor-trade" list of
  848620, 903082, 903141.
* ``integrated_circuits``: heading 8542 (854231 processors and controllers, 854232 memories,
  854233 amplifiers, 854239 other ICs, 854290 parts). Source: HS2017 nomenclature.
* ``discrete_devices``: heading 8541 (diodes, transistors, thyristors, photosensitive devices
  and LEDs, mounted piezo-electric crystals, parts). Source: HS2017 nomenclature.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econsec.analytics.indicators.panel import TradePanel

GROUPS: dict[str, tuple[str, ...]] = {
    "materials": ("280461", "381800", "281111", "370790", "280429"),
    "equipment": ("848610", "848620", "848630", "848640", "848690", "903082", "903141"),
    "integrated_circuits": ("854231", "854232", "854233", "854239", "854290"),
    "discrete_devices": ("854110", "854121", "854129", "854130", "854140", "854150",
                         "854160", "854190"),
}


def group_of(products: np.ndarray) -> np.ndarray:
    """Value-chain group of each product code (codes cut to 6 digits), '' if none."""
    codes = pd.Series(products, dtype=str).str[:6]
    lookup = {c: g for g, cs in GROUPS.items() for c in cs}
    return codes.map(lookup).fillna("").to_numpy(dtype=object)


def value_chain(panel: TradePanel, a: str, b: str) -> pd.DataFrame:
    """Per value-chain group: A's imports, supplier concentration and top supplier, B's exports.

    Requires product codes of at least 6 digits (raises ValueError otherwise).
    """
    if min(len(str(p)) for p in panel.products) < 6:
        raise ValueError(f"the semiconductor value chain needs 6-digit products; {panel.source} "
                         f"has {panel.classification}")
    groups = group_of(panel.products)
    names = list(GROUPS)
    gi = pd.Index(names).get_indexer(groups)  # -1 outside the chain
    ia, ib = panel.code(a), panel.code(b)
    c = panel.n_countries
    row_g = gi[panel.product]
    sel = (panel.importer == ia) & (row_g >= 0)
    m = np.bincount(row_g[sel] * c + panel.exporter[sel], panel.value[sel],
                    minlength=len(names) * c).reshape(len(names), c)
    tot = m.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = m / tot[:, np.newaxis]
    top = shares.argmax(axis=1)
    onehot = np.zeros((panel.n_products, len(names)))
    in_chain = gi >= 0
    onehot[np.flatnonzero(in_chain), gi[in_chain]] = 1.0
    xg = (panel.world_exports @ onehot).T  # group × country exports to the world
    x_b = xg[:, ib]
    with np.errstate(divide="ignore", invalid="ignore"):
        world_share_b = x_b / xg.sum(axis=1)
    return pd.DataFrame({
        "group": names, "importer": a, "partner": b, "imports_usd": tot,
        "supplier_hhi": np.nansum(shares**2, axis=1),
        "top_supplier": np.where(tot > 0, panel.countries[top], None),
        "top_supplier_share": np.where(tot > 0, shares.max(axis=1), np.nan),
        "partner_exports_usd": x_b, "partner_world_share": world_share_b,
        "imports_from_partner_usd": m[:, ib],
    })
