"""Caliendo & Parro (2015) equilibrium conditions in changes (exact hat algebra; methods.md §6.6).

Caliendo, L. and F. Parro (2015), "Estimates of the Trade and Welfare Effects of NAFTA",
*Review of Economic Studies* 82(1), 1–44: the equilibrium conditions in relative changes,
following Dekle, Eaton & Kortum (2008). For countries n (importer), i (exporter) and sectors
j, k, a hat is the ratio counterfactual / baseline and κ̂_ni^j = d̂_ni^j (1+τ'_ni^j)/(1+τ_ni^j)
(iceberg cost × gross tariff). The labels [E1]–[E6] are ours:

[E1] unit cost      ĉ_n^j = ŵ_n^{γ_n^j} Π_k (P̂_n^k)^{γ_n^{kj}}
[E2] price index    P̂_n^j = [Σ_i π_ni^j (κ̂_ni^j ĉ_i^j)^{−θ_j}]^{−1/θ_j}
[E3] trade shares   π'_ni^j = π_ni^j (κ̂_ni^j ĉ_i^j / P̂_n^j)^{−θ_j}
[E4] expenditure    X'_n^j = Σ_k γ_n^{jk} Y'_n^k + α_n^j I'_n,   Y'_i^k = Σ_n π'_ni^k X'_n^k / (1+τ'_ni^k)
[E5] income         I'_n = ŵ_n w_nL_n + R'_n + D'_n,   R'_n = Σ_ij τ'_ni^j π'_ni^j X'_n^j / (1+τ'_ni^j)
[E6] labour market  ŵ_n w_nL_n = Σ_j γ_n^j Y'_n^j   (given [E4]–[E5], CP's trade balance)

Deficits are held fixed in units of world value added: D'_n = D_n Σ_m ŵ_m w_mL_m / Σ_m w_mL_m,
so the system is homogeneous of degree one in ŵ and any numeraire gives the same real outcomes.
γ_n^j = 1 and γ_n^{kj} = 0 give the multi-sector structural gravity model without input–output
links (Costinot & Rodríguez-Clare 2014, *Handbook of International Economics* vol. 4, ch. 4);
with J = 1 it is the one-sector Armington / Eaton–Kortum gravity model of Yotov et al. (2016,
ch. 2) with trade elasticity θ = σ − 1.

All arrays are importer first: ``pi[n, i, j]``, ``tariff[n, i, j]``, ``log_kappa[n, i, j]``;
``beta[n, j]`` is γ_n^j, ``gamma[n, k, j]`` is γ_n^{kj}, ``alpha[n, j]`` is α_n^j. Kernels are pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np


class Params(NamedTuple):
    """Calibrated baseline: shares, technology, preferences and the nominal anchors."""

    log_pi: np.ndarray  # ln π_ni^j, −inf where π = 0
    tariff: np.ndarray  # baseline τ_ni^j
    beta: np.ndarray  # γ_n^j, value-added share of gross output
    gamma: np.ndarray  # γ_n^{kj}, input k per unit of output j
    alpha: np.ndarray  # α_n^j, final-demand shares
    theta: np.ndarray  # θ_j
    va: np.ndarray  # w_n L_n, million USD
    deficit: np.ndarray  # D_n, million USD
    x0: np.ndarray  # X_n^j, million USD
    deficit_cf: np.ndarray | None = None  # D'_n before the λ scaling; None = D_n (held fixed)


def cf_deficit(p: Params) -> np.ndarray:
    """The counterfactual deficits D'_n (in baseline world-value-added units): D_n unless the
    counterfactual sets them (``deficit_cf``; zeros = Dekle, Eaton & Kortum's deficit removal)."""
    return p.deficit if p.deficit_cf is None else p.deficit_cf


class State(NamedTuple):
    """Unknowns: ln ŵ_n, ln P̂_n^j and X̂_n^j (X'/X; 1 where X = 0)."""

    log_w: np.ndarray
    log_p: np.ndarray
    x_hat: np.ndarray


class StateAt(NamedTuple):
    """A solved state with the shock it solves: ln κ̂, the new tariffs and d̂ (importer first)."""

    state: State
    log_kappa: np.ndarray
    tariff: np.ndarray
    d_hat: np.ndarray


def pack(s: State) -> np.ndarray:
    return np.concatenate([s.log_w, s.log_p.ravel(), s.x_hat.ravel()])


def unpack(v: np.ndarray, n: int, j: int) -> State:
    return State(v[:n], v[n:n + n * j].reshape(n, j), v[n + n * j:].reshape(n, j))


def unit_costs(log_w: np.ndarray, log_p: np.ndarray, beta: np.ndarray,
               gamma: np.ndarray) -> np.ndarray:
    """ln ĉ_n^j = γ_n^j ln ŵ_n + Σ_k γ_n^{kj} ln P̂_n^k [E1], N × J."""
    return beta * log_w[:, None] + np.einsum("nkj,nk->nj", gamma, log_p)


def price_indices(log_c: np.ndarray, log_kappa: np.ndarray, log_pi: np.ndarray,
                  theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ln P̂_n^j, π'_ni^j) from [E2]–[E3], computed as a log-sum-exp over origins i."""
    a = log_pi - theta * (log_kappa + log_c[None, :, :])
    m = a.max(axis=1)
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(a - m[:, None, :])
    s = e.sum(axis=1)
    return -(m + np.log(s)) / theta, e / s[:, None, :]


def factory_sales(pi_new: np.ndarray, x: np.ndarray, tariff: np.ndarray) -> np.ndarray:
    """Y_i^j = Σ_n π_ni^j X_n^j / (1 + τ_ni^j): gross output at factory-gate prices, N × J."""
    return np.einsum("nij,nj->ij", pi_new / (1.0 + tariff), x)


def tariff_revenue(pi_new: np.ndarray, x: np.ndarray, tariff: np.ndarray) -> np.ndarray:
    """R_n = Σ_j X_n^j Σ_i π_ni^j τ_ni^j / (1 + τ_ni^j), N."""
    return np.einsum("nij,nj->n", pi_new * tariff / (1.0 + tariff), x)


def world_scale(log_w: np.ndarray, va: np.ndarray) -> float:
    """λ = Σ_n ŵ_n w_nL_n / Σ_n w_nL_n: the change of world value added (deficits scale by it)."""
    return float(np.exp(log_w) @ va / va.sum())


def income(log_w: np.ndarray, va: np.ndarray, revenue: np.ndarray, deficit: np.ndarray) -> np.ndarray:
    """I'_n = ŵ_n w_nL_n + R'_n + λ D_n [E5], deficits fixed in world-GDP units."""
    return np.exp(log_w) * va + revenue + world_scale(log_w, va) * deficit


def expenditure(y: np.ndarray, gamma: np.ndarray, alpha: np.ndarray, inc: np.ndarray) -> np.ndarray:
    """X_n^j = Σ_k γ_n^{jk} Y_n^k + α_n^j I_n [E4], N × J."""
    return np.einsum("njk,nk->nj", gamma, y) + alpha * inc[:, None]


def consumer_price(alpha: np.ndarray, log_p: np.ndarray) -> np.ndarray:
    """ln P̂_n = Σ_j α_n^j ln P̂_n^j (Cobb–Douglas final demand), N."""
    return (alpha * log_p).sum(axis=1)


def normalise(log_w: np.ndarray, va: np.ndarray, numeraire: int | None) -> np.ndarray:
    """Fix the numeraire: ŵ_k = 1 for country k, or world value added unchanged (None)."""
    if numeraire is None:
        return log_w - np.log(world_scale(log_w, va))
    return log_w - log_w[numeraire]


def equilibrium_map(s: State, p: Params, log_kappa: np.ndarray, tariff_new: np.ndarray,
                    step: np.ndarray, numeraire: int | None) -> tuple[State, np.ndarray]:
    """One sweep of every condition; its fixed point is the equilibrium.

    Prices and trade shares from (ŵ, P̂), then expenditure from X and income, then wages from the
    labour market: ln ŵ ← ln ŵ + step_n ln(Σ_j γ_n^j Y'_n^j / ŵ_n w_nL_n), then the numeraire.
    Returns the new state and the labour-market gap Σ_j γ_n^j Y'_n^j − ŵ_n w_nL_n (million USD).
    """
    x = s.x_hat * p.x0
    log_c = unit_costs(s.log_w, s.log_p, p.beta, p.gamma)
    log_p, pi_new = price_indices(log_c, log_kappa, p.log_pi, p.theta)
    y = factory_sales(pi_new, x, tariff_new)
    inc = income(s.log_w, p.va, tariff_revenue(pi_new, x, tariff_new), cf_deficit(p))
    x_new = expenditure(y, p.gamma, p.alpha, inc)
    demand = (p.beta * y).sum(axis=1)
    supply = np.exp(s.log_w) * p.va
    with np.errstate(divide="ignore", invalid="ignore"):
        log_w = s.log_w + step * np.log(np.maximum(demand, 1e-300) / supply)
        x_hat = np.where(p.x0 > 0, x_new / np.where(p.x0 > 0, p.x0, 1.0), 1.0)
    return State(normalise(log_w, p.va, numeraire), log_p, x_hat), demand - supply


def residuals(s: State, p: Params, log_kappa: np.ndarray, tariff_new: np.ndarray) -> dict[str, float]:
    """Relative violations of each equilibrium condition at ``s`` (0 at an exact solution).

    ``labour``: max |Σ_j γ Y' − ŵ wL| / Σ wL; ``goods``: max |X' − (γ Y' + α I')| / max X;
    ``prices``: max |ln P̂ − [E2]|; ``shares``: max |Σ_i π' − 1|.
    """
    x = s.x_hat * p.x0
    log_c = unit_costs(s.log_w, s.log_p, p.beta, p.gamma)
    log_p, pi_new = price_indices(log_c, log_kappa, p.log_pi, p.theta)
    y = factory_sales(pi_new, x, tariff_new)
    inc = income(s.log_w, p.va, tariff_revenue(pi_new, x, tariff_new), cf_deficit(p))
    gap_x = np.abs(x - expenditure(y, p.gamma, p.alpha, inc)).max() / max(p.x0.max(), 1e-300)
    gap_l = np.abs((p.beta * y).sum(axis=1) - np.exp(s.log_w) * p.va).max() / p.va.sum()
    return {"labour": float(gap_l), "goods": float(gap_x),
            "prices": float(np.abs(log_p - s.log_p).max()),
            "shares": float(np.abs(pi_new.sum(axis=1) - 1.0).max())}


class PathPoint(NamedTuple):
    """An equilibrium on the path from baseline to counterfactual, in world-value-added units."""

    trade: np.ndarray  # factory-gate flows [n, i, j]
    tariff: np.ndarray  # τ [n, i, j]
    log_c: np.ndarray  # ln ĉ relative to the baseline [n, j]
    log_d: np.ndarray  # ln d̂ relative to the baseline [n, i, j]
    income: np.ndarray  # I_n


def welfare_decomposition(path: Sequence[PathPoint]) -> dict[str, np.ndarray]:
    """CP's decomposition of ln Ŵ_n, integrated along ``path`` with the trapezoid rule (log points).

    d ln W_n = (1/I_n) Σ_ij (E_ni^j d ln c_n^j − M_ni^j d ln c_i^j)           terms of trade
             + (1/I_n) Σ_ij τ_ni^j M_ni^j (d ln M_ni^j − d ln c_i^j)           volume of trade
             − (1/I_n) Σ_ij (1 + τ_ni^j) M_ni^j d ln d_ni^j                   trade-cost efficiency
    (CP's decomposition into terms of trade and volume of trade, with the iceberg term for changes in d), M_ni^j = trade[n, i, j] (n's imports
    from i), E_ni^j = trade[i, n, j] (n's exports to i). The formula holds for small changes when
    deficits are constant in the unit of account (world value added here). Each segment between
    path points uses the mean of its end weights M/I, so with K segments the sum approximates
    ln Ŵ with an error of order 1/K².
    """
    n = path[0].income.shape[0]
    out = {k: np.zeros(n) for k in ("terms_of_trade", "volume_of_trade", "efficiency")}
    for a, b in zip(path[:-1], path[1:], strict=True):
        def avg(f0: np.ndarray, f1: np.ndarray, a: PathPoint = a, b: PathPoint = b) -> np.ndarray:
            return 0.5 * (f0 / a.income[:, None, None] + f1 / b.income[:, None, None])

        dlog_c = b.log_c - a.log_c
        m = avg(a.trade, b.trade)
        e = avg(np.transpose(a.trade, (1, 0, 2)), np.transpose(b.trade, (1, 0, 2)))
        out["terms_of_trade"] += (e * dlog_c[:, None, :]).sum(axis=(1, 2)) \
            - (m * dlog_c[None, :, :]).sum(axis=(1, 2))
        traded = a.trade > 0
        dlog_m = np.log(np.where(traded, np.maximum(b.trade, 1e-300), 1.0)
                        / np.where(traded, a.trade, 1.0))
        out["volume_of_trade"] += (avg(a.tariff * a.trade, b.tariff * b.trade)
                                   * (dlog_m - dlog_c[None, :, :])).sum(axis=(1, 2))
        out["efficiency"] -= (avg((1 + a.tariff) * a.trade, (1 + b.tariff) * b.trade)
                              * (b.log_d - a.log_d)).sum(axis=(1, 2))
    return out
