"""One-sector structural gravity: the pure kernels (arrays in, arrays out; methods.md §4).

The model (Anderson & van Wincoop 2003; Yotov, Piermartini, Monteiro & Larch 2016, *An Advanced
Guide to Trade Policy Analysis*, ch. 2; Larch & Yotov 2016, WTO ERSD-2016-08), exporter i,
importer j, world output Y = Σ_i Y_i, elasticity of substitution σ > 1::

    X_ij = (Y_i E_j / Y) · t_ij^(1−σ) / (Π_i P_j)^(1−σ)                               (gravity)
    P_j^(1−σ) = Σ_i t_ij^(1−σ) (Y_i/Y) / Π_i^(1−σ)          (inward multilateral resistance)
    Π_i^(1−σ) = Σ_j t_ij^(1−σ) (E_j/Y) / P_j^(1−σ)         (outward multilateral resistance)

P is determined up to a scalar: P_r = 1 for a reference importer r. ``t_ij^(1−σ)`` comes from
gravity coefficients, t^(1−σ) = exp(Σ_k β_k x_k,ij) (:func:`trade_costs`).

Tariffs. With an ad-valorem tariff τ_ij the buyer pays (1+τ_ij) p_i t_ij. Spending at buyer's
prices is X^c_ij ∝ ((1+τ_ij) t_ij)^(1−σ); trade *as recorded* (customs value, before duty, what
the exporter is paid) is X_ij = X^c_ij/(1+τ_ij) ∝ (1+τ_ij)^(−σ) t_ij^(1−σ). Hence the recorded
flow carries (1+τ)^(−σ) — the coefficient on ln(1+τ) in a PPML gravity regression identifies −σ
(Yotov et al. 2016, ch. 1 & 3) — while the price index carries (1+τ)^(1−σ). The revenue
R_j = Σ_i τ_ij X_ij is spent by the importer: E_j = Y_j + D_j + R_j. Without revenue the tariff
is an iceberg cost: flows and price index both carry (1+τ)^(1−σ) and nobody collects it.

Counterfactuals are solved in changes (x̂ = x'/x) from a consistent baseline X^c (exact hat
algebra, Dekle, Eaton & Kortum 2008), with s_i = (β_i p_i)^(1−σ)-hat the unknown::

    Φ̂_j = Σ_i λ_ij ĉ_ij s_i = P̂_j^(1−σ),   λ'_ij = λ_ij ĉ_ij s_i / Φ̂_j,   ĉ = t̂^(1−σ) (1+τ)^(1−σ)-hat
    E'_j = (Y'_j + D_j Y'/Y) / (1 − ρ'_j),  ρ'_j = Σ_i λ'_ij τ'_ij/(1+τ'_ij)        (budget)
    Y'_i = Σ_j λ'_ij E'_j / (1+τ'_ij)                                        (market clearing)
    full endowment GE: Y'_i = p̂_i Y_i, p̂_i = s_i^(1/(1−σ));  conditional GE: Y'_i = Y_i

with Φ̂_r = 1 (the reference importer's price index is the numeraire). Deficits keep their share
of world output (Dekle et al. 2008), so world spending equals world output plus revenue exactly.

Solvers are Newton methods with analytic Jacobians, vectorised over countries: the
multilateral-resistance system is the first-order condition of a convex function (the
semi-dual of matrix balancing), solved by damped Newton; the market-clearing system by Newton
damped with Deuflhard's natural monotonicity test, with continuation in the size of the shock
when it is too large for Newton from the baseline. Both report :class:`SolverDiagnostics` and
raise :class:`GEConvergenceError` when they fail.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.linalg import LinAlgWarning, lu_factor, lu_solve

from econsec.errors import EconsecError

Stage = Literal["conditional", "full"]


@dataclass(frozen=True)
class SolverDiagnostics:
    """How one solve went.

    Attributes
    ----------
    stage : "baseline multilateral resistances", "conditional GE" or "full GE".
    converged : True when ``residual <= tol``.
    iterations : Newton steps taken.
    residual : max absolute residual of the system (log units: relative error of the margins).
    tol : the tolerance asked for.
    method : the algorithm.
    """

    stage: str
    converged: bool
    iterations: int
    residual: float
    tol: float
    method: str

    def __str__(self) -> str:
        ok = "converged" if self.converged else "NOT converged"
        return (f"{self.stage}: {ok} in {self.iterations} iterations, max residual "
                f"{self.residual:.2e} (tol {self.tol:.0e}; {self.method})")


class GEConvergenceError(EconsecError):
    """A gravity GE system did not converge; ``diagnostics`` says where it stopped."""

    def __init__(self, diagnostics: SolverDiagnostics, hint: str = "") -> None:
        self.diagnostics = diagnostics
        super().__init__(f"{diagnostics}" + (f". {hint}" if hint else ""))


def trade_costs(x: np.ndarray, beta: np.ndarray, pair_effects: np.ndarray | None = None
                ) -> np.ndarray:
    """Bilateral trade costs t_ij^(1−σ) = exp(Σ_k β_k x_k,ij + μ_ij).

    Parameters
    ----------
    x : cost variables, shape (K, N, N), exporter rows × importer columns.
    beta : coefficients, shape (K,), as estimated by PPML gravity (unitless).
    pair_effects : optional additive log term μ_ij (e.g. estimated pair fixed effects).

    Returns
    -------
    (N, N) array of t^(1−σ); higher means cheaper trade (gegravity's "trade cost").
    """
    z = np.einsum("k,kij->ij", np.asarray(beta, dtype=np.float64), x)
    if pair_effects is not None:
        z = z + pair_effects
    return np.exp(z)


def multilateral_resistances(t: np.ndarray, y: np.ndarray, e: np.ndarray, ref: int, *,
                             tol: float = 1e-10, max_iter: int = 300
                             ) -> tuple[np.ndarray, np.ndarray, SolverDiagnostics]:
    """Solve P_j^(1−σ) = Σ_i t_ij y_i / Π_i^(1−σ), Π_i^(1−σ) = Σ_j t_ij e_j / P_j^(1−σ), P_r = 1.

    ``y`` and ``e`` are normalised to shares (Y_i/ΣY and E_j/ΣE, as gegravity 0.3 does). With
    v_j = ln(e_j / P_j^(1−σ)) the system is the gradient of the convex function
    f(v) = Σ_i y_i ln Σ_j t_ij e^(v_j) − Σ_j e_j v_j (the semi-dual of balancing t to row sums y
    and column sums e), so damped Newton on f converges from any start. Its Hessian is
    H = diag(qᵀy) − qᵀ diag(y) q with q_ij = t_ij e^(v_j) / Σ_k t_ik e^(v_k); v_r is held fixed.

    Parameters
    ----------
    t : t_ij^(1−σ), shape (N, N), non-negative, every row and column with a positive entry.
    y, e : output and expenditure (any positive scale), shape (N,).
    ref : index of the reference importer (P_ref = 1).

    Returns
    -------
    phi : P_j^(1−σ), shape (N,) (phi[ref] = 1).
    psi : Π_i^(1−σ), shape (N,).
    diagnostics : residual = max_j |ln(Σ_i t_ij y_i / (Π_i^(1−σ) P_j^(1−σ)))|.
    """
    y = y / y.sum()
    e = e / e.sum()
    n = len(y)
    free = np.arange(n) != ref
    v = np.log(e)

    def evaluate(v: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        a = t * np.exp(v)[np.newaxis, :]
        psi = a.sum(axis=1)
        q = a / psi[:, np.newaxis]
        return float(y @ np.log(psi) - e @ v), psi, q, q.T @ y

    def newton_step(v: np.ndarray, f: float, q: np.ndarray, g: np.ndarray) -> tuple | None:
        h = np.diag(g) - (q.T * y) @ q
        grad = g - e
        step = np.zeros(n)
        step[free] = np.linalg.solve(h[np.ix_(free, free)], -grad[free])
        slope = float(grad @ step)
        alpha = 1.0
        while True:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                cand = evaluate(v + alpha * step)
            # The slack lets rounding-level changes through near the solution.
            if cand[0] <= f + 1e-4 * alpha * slope + 1e-14 * (1.0 + abs(f)):
                return (v + alpha * step, *cand)
            if alpha < 1e-10:  # no descent left: rounding level
                return None
            alpha /= 2.0

    def residual(g: np.ndarray) -> float:
        return float(np.max(np.abs(np.log(g / e))))

    v, f, psi, q, g = (v, *evaluate(v))
    it, res = 0, residual(g)
    stalled, best, since = False, res, 0
    while res > tol and it < max_iter:
        nxt = newton_step(v, f, q, g)
        if nxt is None or since >= 5:  # no descent left, or no progress at rounding level
            stalled = True
            break
        v, f, psi, q, g = nxt
        it += 1
        res = residual(g)
        # In the quadratic phase the residual halves at least every step; when it stops doing
        # so it sits at the rounding floor (countries with tiny shares).
        best, since = (res, 0) if res < 0.5 * best or res > 1e-6 else (best, since + 1)
    if 0 < res <= tol:  # polish: one more step, kept if it helps (quadratic phase)
        nxt = newton_step(v, f, q, g)
        if nxt is not None and residual(nxt[4]) < res:
            v, f, psi, q, g = nxt
            it, res = it + 1, residual(g)
    diag = SolverDiagnostics("baseline multilateral resistances", res <= tol, it, res, tol,
                             "Newton on the convex semi-dual (analytic Hessian)")
    if not diag.converged:
        raise GEConvergenceError(diag, (
            f"solved to rounding precision only: pass tol >= {res:.0e}" if stalled else
            "check that every country has positive output, expenditure and trade costs"))
    phi = e / np.exp(v)
    return phi, psi, diag


def gravity_flows(t: np.ndarray, y: np.ndarray, e_level: np.ndarray, phi: np.ndarray,
                  psi: np.ndarray) -> np.ndarray:
    """Modelled flows X_ij = E_j · (Y_i/ΣY) · t_ij^(1−σ) / (Π_i^(1−σ) P_j^(1−σ)) (gegravity's form).

    Column sums equal E_j; row sums equal Y_i · ΣE/ΣY (Y_i when world output = spending).
    """
    return (e_level / phi)[np.newaxis, :] * ((y / y.sum()) / psi)[:, np.newaxis] * t


@dataclass(frozen=True)
class HatSolution:
    """A counterfactual equilibrium in levels, from :func:`hat_equilibrium`.

    s : ŝ_i, change in (β_i p_i)^(1−σ); phi_hat : P̂_j^(1−σ); p_hat : factory-gate price change;
    y, e : output and spending (buyer's prices); xc, x : flows at buyer's prices and before
    duty; revenue : tariff revenue by importer; world : Ŷ = Σ Y'_i / Σ Y_i.
    """

    s: np.ndarray
    phi_hat: np.ndarray
    p_hat: np.ndarray
    y: np.ndarray
    e: np.ndarray
    xc: np.ndarray
    x: np.ndarray
    revenue: np.ndarray
    world: float
    diagnostics: SolverDiagnostics


def revenue_share(xc: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """ρ_j = Σ_i λ_ij (θ_ij − 1)/θ_ij: tariff revenue as a share of spending (θ = 1 + τ)."""
    return ((xc / xc.sum(axis=0)[np.newaxis, :]) * ((theta - 1.0) / theta)).sum(axis=0)


def baseline_accounts(xc: np.ndarray, theta: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """From flows at buyer's prices X^c and wedges θ: (X, Y, E, R, D).

    X = X^c/θ (before duty), Y_i = Σ_j X_ij, E_j = Σ_i X^c_ij, R_j = E_j − Σ_i X_ij,
    D_j = E_j − R_j − Y_j (the trade deficit; Σ_j D_j = 0 up to rounding).
    """
    x = xc / theta
    y = x.sum(axis=1)
    e = xc.sum(axis=0)
    r = (xc - x).sum(axis=0)
    return x, y, e, r, e - r - y


def _linear_solver(jac: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """b ↦ J⁻¹b from one LU factorisation (least squares if J is singular)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", LinAlgWarning)
            lu = lu_factor(jac, check_finite=False)
        return lambda b: lu_solve(lu, b, check_finite=False)
    except (np.linalg.LinAlgError, LinAlgWarning, ValueError):
        pinv = np.linalg.pinv(jac)
        return lambda b: pinv @ b


class MarketClearing:
    """The counterfactual system in changes (module docstring) for one baseline and shock.

    ``state(z)`` evaluates everything at z = ln s (residual ``"f"``: F_i = ln(Σ_j X'_ij / Y'_i)
    for i ≠ ref, F_ref = ln Φ̂_ref); ``jacobian(state)`` is ∂F/∂z, analytic:

    * ∂ln Φ̂_j/∂z_k = λ'_kj, ∂λ'_ij/∂z_k = λ'_ij (δ_ik − λ'_kj), ∂ρ'_j/∂z_k = λ'_kj (w'_kj − ρ'_j)
      with w' = τ'/(1+τ');
    * E'_j = κ_j N_j / (1 − ρ'_j), N_j = Y'_j + D_j Ŷ, κ_j = E_j (1 − ρ_j)/(Y_j + D_j) (= 1);
      in the full GE ∂N_j/∂z_k = (δ_jk Y'_k + D_j Y'_k / Y) / (1 − σ), else 0;
    * ∂Σ_j X'_ij/∂z_k = δ_ik Σ_j X'_ij − Σ_j X'_ij λ'_kj + Σ_j λ'_ij (1 − w'_ij) ∂E'_j/∂z_k.
    """

    def __init__(self, xc: np.ndarray, theta: np.ndarray, c_hat: np.ndarray,
                 theta_new: np.ndarray, sigma: float, ref: int, stage: Stage) -> None:
        _, self.y0, self.e0, _, self.d0 = baseline_accounts(xc, theta)
        self.xc, self.c_hat, self.theta_new = xc, c_hat, theta_new
        self.w_new = (theta_new - 1.0) / theta_new
        self.rho0 = revenue_share(xc, theta)
        self.base0 = self.y0 + self.d0
        self.full = stage == "full"
        self.a = 1.0 / (1.0 - sigma)
        self.yw = self.y0.sum()
        self.ref = ref

    def state(self, z: np.ndarray) -> dict[str, np.ndarray]:
        s = np.exp(z)
        k = self.xc * self.c_hat * s[:, np.newaxis]
        ksum = k.sum(axis=0)
        phi_hat = ksum / self.e0
        lam = k / ksum[np.newaxis, :]
        rho = (lam * self.w_new).sum(axis=0)
        p_hat = np.exp(self.a * z) if self.full else np.ones(len(z))
        y_new = self.y0 * p_hat
        world = y_new.sum() / self.yw
        # Written as two ratios so that a zero shock gives exactly 1.
        e_hat = ((y_new + world * self.d0) / self.base0) * ((1.0 - self.rho0) / (1.0 - rho))
        xc_new = k * (e_hat / phi_hat)[np.newaxis, :]
        x_new = xc_new / self.theta_new
        demand = x_new.sum(axis=1)
        f = np.log(demand / y_new)
        f[self.ref] = np.log(phi_hat[self.ref])
        return {"s": s, "phi_hat": phi_hat, "lam": lam, "rho": rho, "p_hat": p_hat,
                "y": y_new, "e": self.e0 * e_hat, "xc": xc_new, "x": x_new, "demand": demand,
                "f": f, "world": np.asarray(world)}

    def jacobian(self, st: dict[str, np.ndarray]) -> np.ndarray:
        lam, rho, e_new, y_new = st["lam"], st["rho"], st["e"], st["y"]
        d_e = (lam * (self.w_new - rho[np.newaxis, :])).T * (e_new / (1.0 - rho))[:, np.newaxis]
        if self.full:  # spending moves with output and with the world total that scales deficits
            d_n = self.a * (np.diag(y_new) + np.outer(self.d0 / self.yw, y_new))
            kappa = self.e0 * (1.0 - self.rho0) / self.base0
            d_e = d_e + d_n * (kappa / (1.0 - rho))[:, np.newaxis]
        g = lam * (1.0 - self.w_new)
        d_demand = np.diag(st["demand"]) - st["x"] @ lam.T + g @ d_e
        jac = d_demand / st["demand"][:, np.newaxis]
        if self.full:
            jac = jac - self.a * np.eye(len(y_new))
        jac[self.ref] = lam[:, self.ref]
        return jac


def _max_abs(f: np.ndarray) -> float:
    return float(np.max(np.abs(f)))


def _damped_step(system: MarketClearing, z: np.ndarray, st: dict[str, np.ndarray]
                 ) -> tuple[np.ndarray, dict[str, np.ndarray]] | None:
    """One Newton step damped by Deuflhard's natural monotonicity test: the next Newton
    correction, taken with this Jacobian, must shrink. Unlike ‖F‖ this does not depend on how F
    is scaled (a large economy's market-clearing row is nearly flat in its own price). None
    when even a 1/16 step fails the test."""
    newton = _linear_solver(system.jacobian(st))
    step = newton(-st["f"])
    size = float(np.linalg.norm(step))
    # Cap trial steps at 30 log points (a factor 1e13 in s): beyond that evaluations overflow.
    alpha = min(1.0, 30.0 / max(float(np.max(np.abs(step))), 1e-300))
    while alpha >= 1.0 / 16.0:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            trial = system.state(z + alpha * step)
        if np.isfinite(trial["f"]).all() and (
                np.linalg.norm(newton(-trial["f"])) <= (1.0 - alpha / 4.0) * size
                or _max_abs(trial["f"]) < _max_abs(st["f"]) * 1e-3):
            return z + alpha * step, trial
        alpha /= 2.0
    return None


def _newton(system: MarketClearing, z: np.ndarray, tol: float, budget: int
            ) -> tuple[np.ndarray, dict[str, np.ndarray], int, bool]:
    """Damped Newton from z to max |F| ≤ tol, then one polishing step kept if it helps.
    Returns (z, state, steps, ok); ok is False when a step fails or the budget runs out."""
    st = system.state(z)
    it = 0
    while _max_abs(st["f"]) > tol:
        nxt = _damped_step(system, z, st) if it < budget else None
        if nxt is None:
            return z, st, it, False
        (z, st), it = nxt, it + 1
    if _max_abs(st["f"]) > 0.0 and it < budget:
        nxt = _damped_step(system, z, st)
        if nxt is not None and _max_abs(nxt[1]["f"]) < _max_abs(st["f"]):
            (z, st), it = nxt, it + 1
    return z, st, it, True


def hat_equilibrium(xc: np.ndarray, theta: np.ndarray, c_hat: np.ndarray,
                    theta_new: np.ndarray, sigma: float, ref: int, *, stage: Stage,
                    tol: float = 1e-10, max_iter: int = 300) -> HatSolution:
    """Counterfactual equilibrium in changes from a consistent baseline (module docstring).

    Parameters
    ----------
    xc : baseline flows at buyer's prices X^c_ij, (N, N), including domestic flows.
    theta : baseline valuation wedge θ_ij = 1 + τ_ij when revenue is collected, else 1.
    c_hat : change in (t_ij (1+τ_ij))^(1−σ), (N, N) (1 = no change).
    theta_new : counterfactual wedge θ'_ij.
    sigma : elasticity of substitution (> 1).
    ref : reference importer index (P̂_ref = 1).
    stage : ``"full"`` (factory-gate prices adjust, Y' = p̂Y) or ``"conditional"`` (Y' = Y;
        spending net of tariff revenue fixed).
    tol, max_iter : tolerance on max |F| and the total number of Newton steps.

    Newton on :class:`MarketClearing` from the baseline (z = 0). A shock too large for Newton
    from there (prohibitive tariffs, high σ) is reached by continuation: the shock is applied as
    ĉ^η, θ + η(θ' − θ) for η rising from 0 to 1 in steps that are halved when Newton does not
    contract and doubled when it does.
    """
    z = np.zeros(xc.shape[0])
    eta_done, eta_step, total, legs = 0.0, 1.0, 0, 0
    while True:
        eta = min(1.0, eta_done + eta_step)
        final = eta == 1.0
        system = MarketClearing(xc, theta, c_hat if final else c_hat ** eta,
                                theta_new if final else theta + eta * (theta_new - theta),
                                sigma, ref, stage)
        z_new, st, it, ok = _newton(system, z, tol if final else max(tol, 1e-8),
                                    max_iter - total)
        total += it
        if ok:
            z, eta_done, legs = z_new, eta, legs + 1
            if final:
                break
            eta_step *= 2.0
        else:
            eta_step /= 2.0
        if total >= max_iter or eta_step < 1e-6:
            st = system.state(z_new)
            break
    res = float(np.max(np.abs(st["f"])))
    name = "conditional GE" if stage == "conditional" else "full GE"
    method = "Newton on market clearing (analytic Jacobian, natural monotonicity damping)"
    if legs > 1:
        method += f"; continuation in {legs} steps of the shock"
    diag = SolverDiagnostics(name, bool(eta_done == 1.0 and res <= tol), total, res, tol, method)
    if not diag.converged:
        raise GEConvergenceError(diag, f"reached {eta_done:.0%} of the shock; try a larger "
                                       "max_iter")
    return HatSolution(s=st["s"], phi_hat=st["phi_hat"], p_hat=st["p_hat"], y=st["y"],
                       e=st["e"], xc=st["xc"], x=st["x"],
                       revenue=(st["xc"] - st["x"]).sum(axis=0), world=float(st["world"]),
                       diagnostics=diag)


def gegravity_full_ge(xc: np.ndarray, c_hat: np.ndarray, cond: HatSolution, sigma: float
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """gegravity 0.3's "full GE" step, from its conditional solution (no tariff revenue).

    gegravity solves the price equations 1 = (Y_i/Y) Π'_i^(σ−1) / (β_i p_i^(1−σ)) with
    β_i = (Y_i/Y) Π_i^(σ−1) jointly with multilateral-resistance equations that keep baseline
    output and expenditure shares; the two blocks do not interact, so its solution is the
    conditional Π', P' and p̂_i = Π_i/Π'_i (p̂^(1−σ) = ŝ). Then Y'_i = p̂_i Y_i, E'_j = p̂_j E_j
    (E/Y held) and X'_ij = E'_j (Y'_i/ΣY') t'^(1−σ)_ij / (Π'_i P'_j)^(1−σ). These flows do not
    add up to Y' or E' in general; :func:`hat_equilibrium` with ``stage="full"`` is the
    consistent full endowment GE.

    Returns (p̂, Y'/Y, E'/E, X', Ŷ) with X' in the units of ``xc``.
    """
    p_hat = cond.s ** (1.0 / (1.0 - sigma))
    _, y0, _, _, _ = baseline_accounts(xc, np.ones_like(xc))
    world = float((y0 * p_hat).sum() / y0.sum())
    x_new = xc * c_hat * ((p_hat / world) * cond.s)[:, np.newaxis] * (
        p_hat / cond.phi_hat)[np.newaxis, :]
    return p_hat, p_hat, p_hat, x_new, world
