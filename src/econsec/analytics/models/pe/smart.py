r"""SMART kernels: one importer, many products, each imported from several suppliers.

SMART is the single-market partial-equilibrium model in the World Bank's WITS (Jammes &
Olarreaga 2005, "Explaining SMART and GSIM", World Bank; WITS online help, "SMART Theoretical
Framework"). Its assumptions:

1. partial equilibrium: the importer's income and the other markets stay fixed;
2. Armington: a product from different suppliers s gives imperfectly substitutable varieties,
   with one elasticity of substitution σ per product;
3. export supply is infinitely elastic by default, so world prices are given. A finite export
   supply elasticity ε_x lets the world price of a variety move with the demand for it.

Notation. Rows are (product g, supplier s). ``m`` is baseline imports in USD at customs value.
As in SMART, the baseline world price is normalised to 1, so ``m`` is also the quantity.
``t0`` and ``t1`` are the ad-valorem tariffs before and after, as fractions (0.25 = 25%). The
tariff factor is τ̂ = (1+t1)/(1+t0) = 1 + Δt/(1+t0), the proportional change in the domestic
price when the world price is fixed. The import-demand elasticity ε_m is negative.

The effects, row by row:

* **trade creation** (J&O 2005, sections 1 and 2; WITS online help, SMART pages). This is the
  own-price response of demand for the product, attributed to the supplier whose tariff
  changed:

  TC = ε_m · m · Δt / ((1+t0)(1 − ε_m/ε_x)),

  and with ε_x = ∞ it is TC = ε_m · m · (τ̂ − 1). The formula is linear, so a large tariff rise
  could remove more than the existing trade. econsec stops it at −m (imports cannot be
  negative) and counts the rows where that happens. ``demand="isoelastic"`` uses instead the
  exact constant-elasticity solution TC = m (τ̂^{ε_m/(1−ε_m/ε_x)} − 1), which never reaches −m.
* **world price** (finite ε_x only): along the export supply curve, the quantity change
  TC/m = ε_x · Δp^w/p^w. So p̂^w = 1 + (TC/m)/ε_x (linear) or (1 + TC/m)^{1/ε_x} (isoelastic).
* **trade diversion**. Substitution among the suppliers of a product, driven by the change in
  their *relative* domestic prices p̂_s = τ̂_s · p̂^w_s. The total of the product's imports is
  held at its level after creation, M^C_g = Σ_s m^C_s with m^C = m + TC, and is reallocated
  with CES (Armington) demand, m_s ∝ p_s^{−σ}:

  m'_s = M^C_g · m^C_s p̂_s^{−σ} / Σ_k m^C_k p̂_k^{−σ},   TD_s = m'_s − m^C_s.

  Diversion sums to zero over the suppliers of a product. It can never take more than a
  supplier's existing trade (WITS: "trade diversion reaches its ceiling with existing trade").
  A uniform price change gives none. J&O derive TD for a supplier against the rest from a
  relative-demand elasticity applied to the baseline ratio m_s/m_{−s}. With two suppliers the
  CES form here agrees with theirs to first order in the tariff change, and a test checks this.
* **price effect** (finite ε_x; WITS report "Price Effect"): the change in the customs value of
  the new quantity that comes from the world price, PE = m' (p̂^w − 1). The new imports in USD
  are m' p̂^w = m + TC + TD + PE.
* **tariff revenue**: TR0 = t0 m and TR1 = t1 m' p̂^w (duty on the new customs value).
* **consumer surplus**: the area to the left of the import demand curve between the two
  domestic prices p0 = 1 + t0 and p1 = (1 + t1) p̂^w, by the trapezoid rule. The rule is exact
  along a linear demand curve, which is what SMART's creation formula assumes:

  ΔCS = −½ (p1 − p0)(m + m').

  WITS's reports use "welfare" and "consumer surplus" for the same figure (WITS help, "SMART
  Input Requirements and Output Results"). econsec keeps them apart: ΔCS above, and the net
  welfare ΔW = ΔCS + (TR1 − TR0). With ε_x = ∞, ΔW reduces row by row to the Harberger
  triangle ½ (t0 + t1)(m' − m).

All kernels are vectorised over rows. Products are integer group codes (0 … G−1), and sums per
product use ``np.bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from econsec.errors import check_choice, choices

Demand = Literal["smart", "isoelastic"]
DEMANDS: tuple[Demand, ...] = choices(Demand)
ArrayLike = np.ndarray | float


def tariff_factor(t0: np.ndarray, t1: np.ndarray) -> np.ndarray:
    """τ̂ = (1 + t1) / (1 + t0): the domestic-price factor at a fixed world price."""
    return (1.0 + np.asarray(t1, dtype=np.float64)) / (1.0 + np.asarray(t0, dtype=np.float64))


def creation_rate(tau_hat: np.ndarray, eps_m: ArrayLike, eps_x: ArrayLike = np.inf, *,
                  demand: Demand = "smart") -> tuple[np.ndarray, np.ndarray]:
    """Trade creation as a share of baseline imports, TC/m, and where the −1 floor binds.

    ``"smart"`` (J&O 2005; WITS): TC/m = ε_m (τ̂ − 1) / (1 − ε_m/ε_x), floored at −1.
    ``"isoelastic"``: TC/m = τ̂^{ε_m/(1 − ε_m/ε_x)} − 1, the exact constant-elasticity solution
    of demand m̂ = (p̂^w τ̂)^{ε_m} with supply m̂ = (p̂^w)^{ε_x}.

    ε_m < 0 (import demand), ε_x > 0 (export supply; ``np.inf`` = infinitely elastic).
    """
    check_choice(demand, Demand, option="demand")
    eff = np.asarray(eps_m, dtype=np.float64) / (1.0 - np.asarray(eps_m) / np.asarray(eps_x))
    if demand == "smart":
        c = eff * (tau_hat - 1.0)
        floored = c < -1.0
        return np.maximum(c, -1.0), floored
    return np.power(tau_hat, eff) - 1.0, np.zeros(np.shape(tau_hat), dtype=bool)


def world_price_factor(rate: np.ndarray, eps_x: ArrayLike = np.inf, *,
                       demand: Demand = "smart") -> np.ndarray:
    """p̂^w from the export supply curve and the creation rate TC/m.

    Linear (``"smart"``): TC/m = ε_x (p̂^w − 1), so p̂^w = 1 + (TC/m)/ε_x, floored at 0.
    ``"isoelastic"``: 1 + TC/m = (p̂^w)^{ε_x}, so p̂^w = (1 + TC/m)^{1/ε_x}. Both are 1 when ε_x = ∞.
    """
    inv = 1.0 / np.asarray(eps_x, dtype=np.float64)
    if demand == "smart":
        return np.maximum(1.0 + rate * inv, 0.0)
    return np.power(1.0 + rate, inv * np.ones_like(rate))


def trade_diversion(m_c: np.ndarray, p_hat: np.ndarray, sigma: ArrayLike, group: np.ndarray,
                    n_groups: int) -> np.ndarray:
    """CES reallocation among a product's suppliers at a fixed product total (sums to 0 by group).

    TD_s = m'_s − m^C_s with m'_s = M^C_g · m^C_s x_s / Σ_{k∈g} m^C_k x_k, x_s = p̂_s^{−σ_g}
    (Armington 1969; SMART's diversion, J&O 2005). ``m_c`` is imports after creation, ``p_hat`` the
    domestic-price factor τ̂ p̂^w, ``sigma`` σ per row, ``group`` the product code of each row.

    x is computed as exp(−σ ln p̂ − max_g(−σ ln p̂)), i.e. scaled so that the largest x of each
    product is 1. This cannot overflow, even for σ in the thousands. When all the suppliers of a
    product face the same p̂, every x is exactly 1 and the diversion is exactly 0.
    """
    m_c = np.asarray(m_c, dtype=np.float64)
    active = m_c > 0
    logp = np.log(np.where(active, p_hat, 1.0))
    lw = np.where(active, -np.asarray(sigma, dtype=np.float64) * logp, -np.inf)
    gmax = np.full(n_groups, -np.inf)
    np.maximum.at(gmax, group, lw)
    shift = gmax[group]
    x = np.exp(lw - np.where(np.isfinite(shift), shift, 0.0))
    num = np.bincount(group, m_c * x, minlength=n_groups)
    den = np.bincount(group, m_c, minlength=n_groups)
    xbar = np.divide(num, den, out=np.ones(n_groups), where=den > 0)
    return m_c * (x / xbar[group] - 1.0)


def consumer_surplus_change(m0: np.ndarray, m1: np.ndarray, p0: np.ndarray,
                            p1: np.ndarray) -> np.ndarray:
    """ΔCS = −½ (p1 − p0)(m0 + m1): trapezoid area under the import demand curve (USD when m is
    in USD at baseline world prices and p is the domestic price per unit of that value)."""
    return -0.5 * (p1 - p0) * (m0 + m1)


def tariff_revenue(m: np.ndarray, t: np.ndarray, pw_hat: ArrayLike = 1.0) -> np.ndarray:
    """Duty collected: t · m · p̂^w (ad-valorem rate times customs value)."""
    return np.asarray(t) * m * pw_hat


def group_sum(x: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Σ over the rows of each group."""
    return np.bincount(group, x, minlength=n_groups)


@dataclass(frozen=True)
class SmartArrays:
    """Row-level SMART results (USD; quantities in USD at baseline world prices)."""

    tau_hat: np.ndarray
    world_price: np.ndarray     # p̂^w
    creation: np.ndarray        # TC
    diversion: np.ndarray       # TD (sums to 0 per product)
    price_effect: np.ndarray    # PE = m' (p̂^w − 1)
    quantity: np.ndarray        # m' = m + TC + TD
    imports: np.ndarray         # m' p̂^w: new imports, USD customs value
    revenue_before: np.ndarray  # t0 m
    revenue_after: np.ndarray   # t1 m' p̂^w
    consumer_surplus: np.ndarray
    floored: np.ndarray         # rows where linear creation hit −m

    @property
    def change(self) -> np.ndarray:
        """Change in imports, USD: TC + TD + PE."""
        return self.creation + self.diversion + self.price_effect

    @property
    def welfare(self) -> np.ndarray:
        """ΔW = ΔCS + ΔTR (per row)."""
        return self.consumer_surplus + self.revenue_after - self.revenue_before


def smart(m: np.ndarray, t0: np.ndarray, t1: np.ndarray, *, eps_m: ArrayLike, sigma: ArrayLike,
          group: np.ndarray, n_groups: int, eps_x: ArrayLike = np.inf,
          demand: Demand = "smart") -> SmartArrays:
    """All SMART effects for rows (product ``group`` × supplier); see the module docstring.

    Parameters
    ----------
    m : baseline imports, USD (customs value), > 0.
    t0, t1 : ad-valorem tariffs before and after (fractions, ≥ 0).
    eps_m : import-demand elasticity per row or scalar (< 0).
    sigma : substitution elasticity per row or scalar (≥ 0), constant within a product.
    group : product code per row, integers 0 … n_groups − 1.
    eps_x : export supply elasticity (> 0; ``np.inf`` = infinitely elastic, the SMART default).
    demand : ``"smart"`` (linear creation, J&O 2005) or ``"isoelastic"``.
    """
    m = np.asarray(m, dtype=np.float64)
    t0 = np.asarray(t0, dtype=np.float64)
    t1 = np.asarray(t1, dtype=np.float64)
    tau = tariff_factor(t0, t1)
    rate, floored = creation_rate(tau, eps_m, eps_x, demand=demand)
    pw = world_price_factor(rate, eps_x, demand=demand)
    tc = m * rate
    m_c = m + tc
    td = trade_diversion(m_c, tau * pw, sigma, group, n_groups)
    q = m_c + td
    value = q * pw
    r0 = tariff_revenue(m, t0)
    r1 = tariff_revenue(q, t1, pw)
    cs = consumer_surplus_change(m, q, 1.0 + t0, (1.0 + t1) * pw)
    return SmartArrays(tau_hat=tau, world_price=pw, creation=tc, diversion=td,
                       price_effect=value - q, quantity=q, imports=value, revenue_before=r0,
                       revenue_after=r1, consumer_surplus=cs, floored=floored)
