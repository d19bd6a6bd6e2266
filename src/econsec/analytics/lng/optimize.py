"""Joint LNG procurement: a linear programme solved by HiGHS (``scipy.optimize.linprog``).

Buyers b ∈ B (e.g. Korea, Japan) buy x_bs ≥ 0 Mt/yr from suppliers s; for a pooled purchase
x_bs is the part of the pool's cargoes from s allocated to b. For a *pool* of buyers P (one
buyer alone = "separate"; both together = "pooled"):

    min  Σ_{b∈P,s} κ (p_bs + λ w_s) x_bs                         (bn USD / yr)
    s.t. Σ_s x_bs = D_b                                  demand, each b ∈ P
         Σ_{b∈P} x_bs ≤ K_Ps                             supplier capacity available to P
         x_bs ≤ α D_b                                    maximum share per supplier, each b
         Σ_s π_rbs x_bs ≤ β_r D_b                        maximum share through chokepoint r, each b
         x_bs ≥ m_bs                                     contract minimums, each b

with p_bs the delivered price ($/MMBtu), w_s the supplier risk weight (portfolio.risk_weights),
λ the risk penalty ($/MMBtu per unit of w), κ = e/1000 (e MMBtu per tonne; Mt × $/MMBtu → bn
USD) and π_rbs = 1 when b's cargoes from s pass chokepoint r (portfolio.routes). The share
limits, chokepoint limits, contract minimums and demand are each buyer's own, in both modes:
a joint purchase is allocated to the buyers and each must still meet its own security rules.
What pooling changes is the capacity row. Separately each buyer can only use its allotment
K_bs (x_bs ≤ K_bs, Σ_b K_bs = K_s); pooled, either buyer can take cargoes from the other's
allotment (Σ_b x_bs ≤ K_s) — the shared volume flexibility and swaps of the KOGAS–JERA MoU
(methods.md §8.1). Pooled volume above b's own allotment, max(0, x_bs − K_bs), is the swap from
its partner (:func:`transfers`). Every pair of separate solutions is feasible for the pool, so
the pooled cost is never higher.

Earlier versions applied α and β to the pair in the pooled LP (Σ_b x_bs ≤ α Σ_b D_b), which let the pool
concentrate one buyer on a supplier or route beyond its own limit (Japan's 2023 Hormuz share
rose to 30.3 % under a 30 % limit). That formulation had no documented use and was replaced.

When the LP is infeasible an elastic copy (a slack on every row, minimise Σ slack) names the
constraints that cannot all hold — buyer, constraint, limit — and by how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from econsec.analytics.lng.results import LngError
from econsec.errors import check_choice, choices

Mode = Literal["separate", "pooled"]
MODES: tuple[Mode, ...] = choices(Mode)
MMBTU_PER_TONNE = 52.14  # Centrica–Sabine Pass SPA: 91.25 million MMBtu ≈ 1.75 Mtpa


@dataclass(frozen=True)
class ProcurementSpec:
    """Inputs of the procurement LP (arrays buyer × supplier; Mt/yr, $/MMBtu).

    buyers, suppliers : labels; price : p_bs; risk_weight : w_s; demand : D_b;
    allotment : K_bs (pooled capacity K_s = Σ_b K_bs); minimum : m_bs;
    chokepoints : names r; passes : π_rbs (chokepoint × buyer × supplier, bool);
    max_route_share : β_r per chokepoint (1 = no limit); max_share : α; risk_penalty : λ;
    mmbtu_per_t : e.
    """

    buyers: tuple[str, ...]
    suppliers: tuple[str, ...]
    price: np.ndarray
    risk_weight: np.ndarray
    demand: np.ndarray
    allotment: np.ndarray
    minimum: np.ndarray
    chokepoints: tuple[str, ...]
    passes: np.ndarray
    max_route_share: np.ndarray
    max_share: float = 0.30
    risk_penalty: float = 0.5
    mmbtu_per_t: float = MMBTU_PER_TONNE

    def __post_init__(self) -> None:
        nb, ns, nr = len(self.buyers), len(self.suppliers), len(self.chokepoints)
        for name in ("price", "allotment", "minimum"):
            if np.shape(getattr(self, name)) != (nb, ns):
                raise LngError(f"{name} must be buyers × suppliers = {(nb, ns)}, "
                               f"got {np.shape(getattr(self, name))}")
        if np.shape(self.passes) != (nr, nb, ns):
            raise LngError(f"passes must be chokepoints × buyers × suppliers = {(nr, nb, ns)}, "
                           f"got {np.shape(self.passes)}")
        for name, n in (("risk_weight", ns), ("demand", nb), ("max_route_share", nr)):
            if np.shape(getattr(self, name)) != (n,):
                raise LngError(f"{name} must have length {n}, got shape "
                               f"{np.shape(getattr(self, name))}")
        if not 0 < self.max_share <= 1:
            raise LngError(f"max_share must be in (0, 1], got {self.max_share}")
        beta = np.asarray(self.max_route_share, dtype=float)
        if ((beta < 0) | (beta > 1)).any():
            bad = {c: float(v) for c, v in zip(self.chokepoints, beta, strict=True)
                   if not 0 <= v <= 1}
            raise LngError(f"max_route_share must be in [0, 1] for every chokepoint, got {bad}")

    def route(self, chokepoint: str) -> np.ndarray:
        """π_rbs of one chokepoint (buyer × supplier bool)."""
        check_choice(chokepoint, self.chokepoints, option="chokepoint")
        return np.asarray(self.passes[self.chokepoints.index(chokepoint)], dtype=bool)


@dataclass(frozen=True)
class Allocation:
    """Solution for one pool: x (buyer × supplier, Mt/yr), cost (bn USD) and diagnostics."""

    buyers: tuple[str, ...]
    x: np.ndarray
    cost_bn: float
    status: int
    iterations: int
    residual: float
    message: str


def _rows(spec: ProcurementSpec, idx: np.ndarray, cap: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray, list[str]]:
    """Constraint rows of the LP for buyers ``idx`` (variables x_bs row-major).

    Every row except capacity belongs to one buyer and its name says which.
    """
    nb, ns = len(idx), len(spec.suppliers)
    names = [spec.buyers[i] for i in idx]
    dem = spec.demand[idx].astype(float)
    eye_b = np.eye(nb)
    a_eq = np.kron(eye_b, np.ones((1, ns)))
    eq_names = [f"demand {b} = {d:.4g} Mt" for b, d in zip(names, dem, strict=True)]
    cap_rows = np.kron(np.ones((1, nb)), np.eye(ns))
    limited = [r for r, beta in enumerate(spec.max_route_share) if beta < 1]
    # route row (r, b): π_rb· on b's block of variables
    route_rows = np.vstack([np.kron(eye_b[j:j + 1], spec.passes[r, i].astype(float)[None, :])
                            for r in limited for j, i in enumerate(idx)]
                           ) if limited else np.zeros((0, nb * ns))
    route_b = np.array([spec.max_route_share[r] * dem[j] for r in limited for j in range(nb)])
    a_ub = np.vstack([cap_rows, np.eye(nb * ns), route_rows, -np.eye(nb * ns)])
    b_ub = np.concatenate([cap, np.repeat(spec.max_share * dem, ns), route_b,
                           -spec.minimum[idx].ravel()])
    who = "+".join(names)
    alpha = spec.max_share
    ub_names = ([f"capacity {s} available to {who} ≤ {k:.4g} Mt"
                 for s, k in zip(spec.suppliers, cap, strict=True)]
                + [f"max share {alpha:.0%} of {b}'s demand from {s} (≤ {alpha * d:.4g} Mt)"
                   for b, d in zip(names, dem, strict=True) for s in spec.suppliers]
                + [f"max {spec.chokepoints[r]} share {spec.max_route_share[r]:.0%} of {b}'s "
                   f"demand (≤ {spec.max_route_share[r] * d:.4g} Mt)"
                   for r in limited for b, d in zip(names, dem, strict=True)]
                + [f"contract minimum {b}–{s} ≥ {m:.4g} Mt" for j, b in enumerate(names)
                   for s, m in zip(spec.suppliers, spec.minimum[idx[j]], strict=True)])
    return a_ub, b_ub, ub_names, a_eq, dem, eq_names


def _explain(a_ub: np.ndarray, b_ub: np.ndarray, ub_names: list[str], a_eq: np.ndarray,
             b_eq: np.ndarray, eq_names: list[str]) -> str:
    """Elastic relaxation: minimise Σ slack; name the rows whose slack is positive.

    Demand slack costs 10× so that the relaxation names the supply-side rows that bind before
    it falls back on "demand cannot be met".
    """
    n, mu, me = a_ub.shape[1], a_ub.shape[0], a_eq.shape[0]
    c = np.concatenate([np.zeros(n), np.ones(mu), np.full(2 * me, 10.0)])
    a1 = np.hstack([a_ub, -np.eye(mu), np.zeros((mu, 2 * me))])
    a2 = np.hstack([a_eq, np.zeros((me, mu)), np.eye(me), -np.eye(me)])
    r = linprog(c, A_ub=a1, b_ub=b_ub, A_eq=a2, b_eq=b_eq, method="highs")
    if r.status != 0:
        return "the elastic relaxation failed too: " + r.message
    s = r.x[n:]
    viol = [(ub_names[i], s[i]) for i in range(mu) if s[i] > 1e-9]
    viol += [(eq_names[j], s[mu + j] + s[mu + me + j]) for j in range(me)
             if s[mu + j] + s[mu + me + j] > 1e-9]
    return "; ".join(f"{nm} (violated by {v:.4g} Mt)" for nm, v in viol)


def solve_pool(spec: ProcurementSpec, idx: np.ndarray, cap: np.ndarray) -> Allocation:
    """Solve the LP for the buyers ``idx`` with supplier capacities ``cap`` (Mt/yr)."""
    idx = np.asarray(idx, dtype=int)
    kappa = spec.mmbtu_per_t / 1000.0
    unit = spec.price[idx] + spec.risk_penalty * spec.risk_weight[None, :]
    a_ub, b_ub, ub_names, a_eq, b_eq, eq_names = _rows(spec, idx, cap)
    r = linprog(kappa * unit.ravel(), A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq,
                bounds=(0, None), method="highs")
    names = tuple(spec.buyers[i] for i in idx)
    if r.status == 2:
        why = _explain(a_ub, b_ub, ub_names, a_eq, b_eq, eq_names)
        raise LngError(f"procurement LP for {'+'.join(names)} is infeasible; "
                       f"the constraints that cannot all hold: {why}")
    if r.status != 0:
        raise LngError(f"HiGHS did not solve the procurement LP ({r.message})")
    x = r.x.reshape(len(idx), -1)
    resid = max(float(np.max(a_ub @ r.x - b_ub, initial=0.0)),
                float(np.max(np.abs(a_eq @ r.x - b_eq), initial=0.0)))
    cost = float(kappa * np.sum(spec.price[idx] * x))
    return Allocation(names, x, cost, int(r.status), int(r.nit), resid, str(r.message))


def solve(spec: ProcurementSpec, mode: Mode) -> list[Allocation]:
    """Separate: one LP per buyer with its allotment K_bs; pooled: one LP with K_s = Σ_b K_bs."""
    check_choice(mode, Mode, option="mode")
    if mode == "separate":
        return [solve_pool(spec, np.array([i]), spec.allotment[i])
                for i in range(len(spec.buyers))]
    return [solve_pool(spec, np.arange(len(spec.buyers)), spec.allotment.sum(axis=0))]


def transfers(spec: ProcurementSpec, x: np.ndarray) -> pd.DataFrame:
    """Pooled cargoes a buyer takes beyond its own allotment, by buyer and supplier.

    from_partner_mt = max(0, x_bs − K_bs): volume lifted from the partners' share of supplier
    s's capacity (a swap or joint tender); rows with a positive transfer only.
    """
    extra = np.maximum(x - spec.allotment, 0.0)
    b, s = np.nonzero(extra > 1e-9)
    return pd.DataFrame({"buyer": np.asarray(spec.buyers)[b], "supplier":
                         np.asarray(spec.suppliers)[s], "own_allotment_mt": spec.allotment[b, s],
                         "pooled_mt": x[b, s], "from_partner_mt": extra[b, s]})


def stack(spec: ProcurementSpec, allocs: list[Allocation]) -> np.ndarray:
    """The buyer × supplier matrix of a list of pool solutions (in spec.buyers order)."""
    rows = {b: a.x[i] for a in allocs for i, b in enumerate(a.buyers)}
    return np.vstack([rows[b] for b in spec.buyers])


def allocation_frame(spec: ProcurementSpec, x: np.ndarray, mode: str) -> pd.DataFrame:
    """Long table mode, buyer, supplier, mt, share, price_usd_mmbtu (rows with x > 0)."""
    b, s = np.meshgrid(np.arange(len(spec.buyers)), np.arange(len(spec.suppliers)), indexing="ij")
    df = pd.DataFrame({"mode": mode, "buyer": np.asarray(spec.buyers)[b.ravel()],
                       "supplier": np.asarray(spec.suppliers)[s.ravel()], "mt": x.ravel(),
                       "share": (x / x.sum(axis=1, keepdims=True)).ravel(),
                       "price_usd_mmbtu": spec.price.ravel()})
    return df.loc[df["mt"] > 1e-9].reset_index(drop=True)
