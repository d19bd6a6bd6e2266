"""Supply disruptions: shortfall per importer before and after a response, alone or jointly.

The flows F fail for n months (f = n/12 of a year): F_bs = 1 when supplier s fails, or when
b's cargoes from s pass a closed chokepoint (portfolio.routes; the route can differ by buyer).
Importer b loses L_b = f Σ_s F_bs x_bs Mt. Its spare capacity is R_b = f Σ_s (1 − F_bs) r_bs, where r_bs is b's unused capacity at s (its
allotment minus its purchases; for a pooled allocation the pool's unused capacity at s is
attributed to the buyers in proportion to their allotments). Share limits are waived in an
emergency. Shortfalls:

* no response          S_b = L_b
* alone                S_b = max(0, L_b − R_b)
* joint (swaps)        S = max(0, Σ_b L_b − Σ_b R_b),  S_b = A_b · S / Σ_c A_c  (A_b = alone)

The joint response re-allocates spare cargoes between the buyers (swaps, as in the KOGAS–JERA
MoU, methods.md §8.1): each buyer first covers what it can from its own spare R_b, exactly as
alone; the spare left over, Σ_b max(0, R_b − L_b), then goes to the buyers still short in
proportion to their remaining shortfalls A_b (proportional rationing), and each partner gives
up its leftover in proportion to what it has left. So no buyer is worse off than alone
(S_b ≤ A_b) and the pair's total is the pooled S (Σ_b A_b − Σ_b max(0, R_b − L_b) = S when
positive). It assumes a partner's spare cargo can reach b, which holds when their routes
coincide (Korea and Japan: same chokepoints for every supplier in the route data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def buyer_slack(x: np.ndarray, allotment: np.ndarray, *, pooled: bool) -> np.ndarray:
    """r_bs: unused capacity by buyer and supplier (Mt/yr), never negative."""
    if not pooled:
        return np.maximum(allotment - x, 0.0)
    cap = allotment.sum(axis=0)
    pool_slack = np.maximum(cap - x.sum(axis=0), 0.0)
    w = np.divide(allotment, cap, out=np.zeros_like(allotment, dtype=float), where=cap > 0)
    return w * pool_slack[None, :]


def respond(lost: np.ndarray, spare: np.ndarray) -> pd.DataFrame:
    """Shortfall by buyer with no response, alone and jointly, and the swaps (arrays by buyer).

    Returns columns lost_mt, spare_mt, shortfall_none, shortfall_alone, shortfall_joint,
    own_cover_mt, swap_in_mt, swap_out_mt (one row per buyer, positional).
    """
    lost = np.asarray(lost, dtype=float)
    spare = np.asarray(spare, dtype=float)
    alone = np.maximum(lost - spare, 0.0)
    short_total = max(lost.sum() - spare.sum(), 0.0)
    tot_alone = alone.sum()
    # own spare first (as alone), the pooled leftover to the buyers still short, pro rata
    joint = alone * (short_total / tot_alone) if tot_alone > 0 else np.zeros_like(lost)
    own = np.minimum(lost, spare)
    swap_in = alone - joint
    left = spare - own
    swap_out = left * (swap_in.sum() / left.sum()) if left.sum() > 0 else np.zeros_like(left)
    return pd.DataFrame({"lost_mt": lost, "spare_mt": spare, "shortfall_none": lost,
                         "shortfall_alone": alone, "shortfall_joint": joint,
                         "own_cover_mt": own, "swap_in_mt": swap_in, "swap_out_mt": swap_out})


def disrupt(x: np.ndarray, slack: np.ndarray, failed: np.ndarray, months: float) -> pd.DataFrame:
    """Loss of the flows ``failed`` for ``months`` months: see :func:`respond`.

    ``failed`` is a bool mask over suppliers (a supplier fails for every buyer) or over
    buyer × supplier (a chokepoint closes the routes that pass it).
    """
    f = float(months) / 12.0
    fail = np.broadcast_to(np.asarray(failed, dtype=bool), x.shape)
    lost = f * np.where(fail, x, 0.0).sum(axis=1)
    spare = f * np.where(fail, 0.0, slack).sum(axis=1)
    return respond(lost, spare)


def worst_case(x: np.ndarray, slack: np.ndarray) -> pd.DataFrame:
    """Shortfall (Mt/yr) when each single supplier fails for a year, alone and jointly.

    Returns one row per supplier (positional): lost_mt, shortfall_alone, shortfall_joint.
    """
    spare = slack.sum(axis=1, keepdims=True) - slack            # buyer × failed supplier
    alone = np.maximum(x - spare, 0.0).sum(axis=0)
    joint = np.maximum(x.sum(axis=0) - spare.sum(axis=0), 0.0)
    return pd.DataFrame({"lost_mt": x.sum(axis=0), "shortfall_alone": alone,
                         "shortfall_joint": joint})
