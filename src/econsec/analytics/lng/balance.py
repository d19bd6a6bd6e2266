"""U.S. LNG and the goods balance with the United States (methods.md §8.7).

Delivered (DES) price of U.S. LNG in North-East Asia, $/MMBtu:

    p_US = μ · HH + φ + τ

with HH the Henry Hub price, μ = 1.15 the Henry Hub markup and φ the fixed liquefaction fee of
U.S. export contracts (Cheniere–Centrica SPA: "$3.00 plus 115% of ... Henry Hub", Cheniere 8-K,
2013; industry range φ = 2.25–3.00, Midstream Business on the "1.15·HH + LiqFee" formula), and
τ shipping U.S. Gulf → Japan/Korea (an econsec assumption, default 2.5 $/MMBtu; set your own).

Volume that offsets a goods surplus of V bn USD with the United States:

    Q (Mt/yr) = V · 10⁹ / (p_US · e · 10⁶),   e = MMBtu per tonne of LNG

with e = 52.14 (Centrica SPA: 91.25 million MMBtu ≈ 1.75 Mtpa). All of the value counts as a
U.S. export (FOB value is lower by τ: the report gives both).
"""

from __future__ import annotations

import numpy as np

from econsec.analytics.lng.optimize import MMBTU_PER_TONNE

HH_MARKUP = 1.15
LIQUEFACTION_FEE = 2.50
SHIPPING_NE_ASIA = 2.50


def delivered_price(hh: float | np.ndarray, *, markup: float = HH_MARKUP,
                    liquefaction: float = LIQUEFACTION_FEE,
                    shipping: float = SHIPPING_NE_ASIA) -> float | np.ndarray:
    """p_US = μ·HH + φ + τ ($/MMBtu)."""
    return markup * np.asarray(hh, dtype=float) + liquefaction + shipping


def mt_to_offset(surplus_bn: float | np.ndarray, price: float | np.ndarray, *,
                 mmbtu_per_t: float = MMBTU_PER_TONNE) -> float | np.ndarray:
    """Q = V·10⁹ / (p · e · 10⁶) Mt/yr of LNG worth V bn USD at p $/MMBtu."""
    return np.asarray(surplus_bn, dtype=float) * 1e3 / (np.asarray(price) * mmbtu_per_t)
