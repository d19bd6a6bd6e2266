"""Model specs for one-sector structural-gravity GE, and their ``solve``.

Two front ends, one equilibrium core (:func:`~.equations.hat_equilibrium`):

* :class:`OneSectorGE` — trade costs t_ij^(1−σ) = exp(Σ_k β_k x_k,ij) from gravity
  coefficients (e.g. PPML with exporter and importer fixed effects), baseline multilateral
  resistances from output and expenditure with P_ref = 1, then the counterfactual. This is
  the model of USITC's gegravity 0.3 ``OneSectorGE`` (Larch & Yotov 2016).
* :class:`ExactHatGE` — exact hat algebra (Dekle, Eaton & Kortum 2008): the baseline is an
  observed square trade matrix with domestic flows, nothing estimated; scenarios are changes in
  t^(1−σ) and tariffs.

``full_ge`` chooses the full-GE closure:

* ``"endowment"`` (default): the full endowment GE of Yotov et al. (2016, ch. 2) solved
  jointly — factory-gate prices, output, spending and multilateral resistances adjust together,
  markets clear (Σ_j X_ij = Y_i, Σ_i X^c_ij = E_j) and deficits keep their share of world output.
* ``"gegravity"``: gegravity 0.3's full-GE step, reproduced to the digit (conditional
  multilateral resistances kept, p̂_i = Π_i/Π'_i, E/Y held per country; flows then do not add up
  exactly). Use it to compare with gegravity; it has no tariff revenue.

``tariff_revenue`` (default True): tariffs are collected and spent by the importer, recorded
flows carry (1+τ)^(−σ); False treats a tariff as an iceberg cost, (1+τ)^(1−σ) everywhere (what
putting ln(1+τ) into gegravity's cost variables with coefficient 1−σ does).

``solve`` has no side effects and takes the coefficients (``beta``) and σ as plain overrides,
so a Monte Carlo can call it once per draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from econsec.analytics.models.gravity.data import GravityData, GravityInputError, PairValues
from econsec.analytics.models.gravity.equations import (
    SolverDiagnostics,
    baseline_accounts,
    gegravity_full_ge,
    gravity_flows,
    hat_equilibrium,
    multilateral_resistances,
    trade_costs,
)
from econsec.analytics.models.gravity.results import Equilibrium, GEResults
from econsec.errors import check_choice, check_range, choices

FullGE = Literal["endowment", "gegravity"]
FULL_GE: tuple[FullGE, ...] = choices(FullGE)

_REFS = ("Anderson & van Wincoop (2003); Yotov, Piermartini, Monteiro & Larch (2016, ch. 2); "
         "Larch & Yotov (2016)")
_TARIFFS = {True: "tariffs: recorded flows ∝ (1+τ)^(−σ), price index (1+τ)^(1−σ), revenue "
                  "spent by the importer",
            False: "tariffs as iceberg costs (1+τ)^(1−σ), no revenue"}
_CLOSURE = {"endowment": "full endowment GE solved jointly (p̂, Y' = p̂Y, E' = Y' + D·Ŷ_world "
                         "+ revenue, MRs; markets clear)",
            "gegravity": "full GE as gegravity 0.3 (conditional MRs held, p̂ = Π/Π', E/Y held)"}


@dataclass(frozen=True)
class Counterfactual:
    """A scenario: what changes relative to the baseline.

    Attributes
    ----------
    variables : cost variable → new values, either {(exporter, importer): value} (other pairs
        keep their baseline value) or a full (N, N) array. :class:`OneSectorGE` only.
    tariff : counterfactual ad-valorem tariffs τ'_ij (0.25 = 25%), {pair: rate} (other pairs
        keep the baseline tariff) or an (N, N) array.
    cost_change : factor on t_ij^(1−σ) (e.g. exp(β_rta) for a new agreement), {pair: factor}
        or an (N, N) array.
    name : a label for reports.
    """

    variables: Mapping[str, PairValues] = field(default_factory=dict)
    tariff: PairValues | None = None
    cost_change: PairValues | None = None
    name: str = ""


def _check_options(full_ge: str, sigma: float) -> float:
    """σ as a float; OptionError unless ``full_ge`` is a :data:`FullGE` and σ a finite number
    > 1 (CES demand with trade falling in costs)."""
    check_choice(full_ge, FullGE, option="full_ge")
    return check_range(sigma, gt=1.0, option="sigma")


def _tariffs(data: GravityData, baseline: PairValues | None, cf: Counterfactual
             ) -> tuple[np.ndarray, np.ndarray]:
    tau0 = data.pair_matrix(baseline) if baseline is not None else np.zeros((data.n, data.n))
    tau1 = data.pair_matrix(cf.tariff, tau0) if cf.tariff is not None else tau0.copy()
    if (tau0 <= -1).any() or (tau1 <= -1).any():
        raise GravityInputError("tariffs must be > -1 (0.25 = 25%)")
    return tau0, tau1


def _core(xc: np.ndarray, phi0: np.ndarray, psi0: np.ndarray, c_hat: np.ndarray,
          tau0: np.ndarray, tau1: np.ndarray, sigma: float, ref: int, full_ge: FullGE,
          revenue: bool, tol: float, max_iter: int
          ) -> tuple[Equilibrium, Equilibrium, Equilibrium, list[SolverDiagnostics]]:
    """Baseline accounts, conditional and full GE from consistent baseline flows X^c."""
    if full_ge == "gegravity" and revenue and (tau0.any() or tau1.any()):
        raise ValueError("full_ge='gegravity' has no tariff revenue: pass tariff_revenue=False "
                         "(tariffs as iceberg costs, as in gegravity's cost variables)")
    a = 1.0 / (1.0 - sigma)
    th0 = 1.0 + tau0 if revenue else np.ones_like(xc)
    th1 = 1.0 + tau1 if revenue else np.ones_like(xc)
    x0, y0, e0, r0, _ = baseline_accounts(xc, th0)
    imr0, ones = phi0 ** a, np.ones(len(y0))
    base = Equilibrium(x0, xc, y0, e0, ones, imr0, psi0 ** a, r0)
    cond = hat_equilibrium(xc, th0, c_hat, th1, sigma, ref, stage="conditional", tol=tol,
                           max_iter=max_iter)
    cond_omr = (psi0 / cond.s) ** a
    conditional = Equilibrium(cond.x, cond.xc, cond.y, cond.e, ones, imr0 * cond.phi_hat ** a,
                              cond_omr, cond.revenue)
    if full_ge == "gegravity":
        p, y_hat, e_hat, x1, _ = gegravity_full_ge(xc, c_hat, cond, sigma)
        full = Equilibrium(x1, x1, y0 * y_hat, e0 * e_hat, p, conditional.imr, cond_omr,
                           np.zeros(len(y0)))
        return base, conditional, full, [cond.diagnostics]
    sol = hat_equilibrium(xc, th0, c_hat, th1, sigma, ref, stage="full", tol=tol,
                          max_iter=max_iter)
    full = Equilibrium(sol.x, sol.xc, sol.y, sol.e, sol.p_hat, imr0 * sol.phi_hat ** a,
                       (psi0 * (sol.p_hat / sol.world) / sol.s) ** a, sol.revenue)
    return base, conditional, full, [cond.diagnostics, sol.diagnostics]


@dataclass(frozen=True)
class OneSectorGE:
    """Structural gravity GE with trade costs from gravity coefficients (gegravity's model).

    Parameters
    ----------
    data : baseline Y, E and cost variables (:class:`GravityData`).
    coefficients : {cost variable: β_k}; t_ij^(1−σ) = exp(Σ_k β_k x_k,ij + pair_effects_ij).
        Fixed-effect estimates are not used: multilateral resistances are solved from Y and E.
        ``"constant"`` (:data:`~.data.CONSTANT`) is an intercept, x = 1 for every pair: it scales
        every t^(1−σ) by exp(β_0), which the outward resistances absorb (Π_i^(1−σ) scales by
        exp(β_0) with P_ref = 1), so flows, welfare and every percent change are unchanged and
        only the outward-resistance levels move.
    sigma : elasticity of substitution σ > 1 (gegravity's example: 5).
    reference_importer : the importer whose inward multilateral resistance is 1.
    pair_effects : optional (N, N) additive term of ln t^(1−σ) (e.g. pair fixed effects).
    baseline_tariff : optional baseline τ_ij ({pair: rate} or (N, N)); default none.

    Examples
    --------
    >>> model = OneSectorGE(data, {"lndist": -0.39, "pta": 0.47, "international": -3.41},
    ...                     sigma=5, reference_importer="DEU")            # doctest: +SKIP
    >>> res = model.solve(Counterfactual(variables={"pta": {("CAN", "JPN"): 1,
    ...                                                     ("JPN", "CAN"): 1}}))  # doctest: +SKIP
    """

    data: GravityData
    coefficients: Mapping[str, float]
    sigma: float
    reference_importer: str
    pair_effects: np.ndarray | None = None
    baseline_tariff: PairValues | None = None
    _x: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_options("endowment", self.sigma)
        self.data.index(self.reference_importer)
        coefs = {str(k): float(v) for k, v in self.coefficients.items()}
        object.__setattr__(self, "coefficients", coefs)
        x = self.data.stack(list(coefs))
        x.flags.writeable = False
        object.__setattr__(self, "_x", x)
        if self.pair_effects is not None:
            pe = self.data.pair_matrix(np.asarray(self.pair_effects, dtype=np.float64))
            pe.flags.writeable = False
            object.__setattr__(self, "pair_effects", pe)

    @property
    def cost_variables(self) -> tuple[str, ...]:
        return tuple(self.coefficients)

    @property
    def beta(self) -> np.ndarray:
        """Coefficients in ``cost_variables`` order."""
        return np.array(list(self.coefficients.values()))

    def trade_costs(self, counterfactual: Counterfactual | None = None,
                    beta: np.ndarray | None = None) -> np.ndarray:
        """t_ij^(1−σ) (without tariffs) at the baseline or under ``counterfactual``."""
        b = self.beta if beta is None else np.asarray(beta, dtype=np.float64)
        if b.shape != (len(self.coefficients),):
            raise ValueError(f"beta must have shape ({len(self.coefficients)},) in the order "
                             f"{self.cost_variables}, got {b.shape}")
        x = self._x
        if counterfactual is not None and counterfactual.variables:
            unknown = [k for k in counterfactual.variables if k not in self.coefficients]
            if unknown:
                raise GravityInputError(f"counterfactual changes {unknown}, which are not cost "
                                        f"variables {self.cost_variables}")
            x = x.copy()
            for k, vals in counterfactual.variables.items():
                i = self.cost_variables.index(k)
                x[i] = self.data.pair_matrix(vals, x[i])
        t = trade_costs(x, b, self.pair_effects)
        if counterfactual is not None and counterfactual.cost_change is not None:
            t = t * self.data.pair_matrix(counterfactual.cost_change, 1.0)
        return t

    def solve(self, counterfactual: Counterfactual | None = None, *,
              full_ge: FullGE = "endowment", tariff_revenue: bool = True,
              beta: np.ndarray | None = None, sigma: float | None = None,
              tol: float = 1e-10, max_iter: int = 300) -> GEResults:
        """Baseline, conditional GE and full GE under ``counterfactual``.

        Parameters
        ----------
        counterfactual : the scenario (``None``: the baseline itself, every change 0).
        full_ge : ``"endowment"`` or ``"gegravity"`` (module docstring).
        tariff_revenue : collect tariffs and give the revenue to the importer (module docstring).
        beta, sigma : override the spec's coefficients (in ``cost_variables`` order) and σ.
        tol, max_iter : Newton tolerance on the max log residual, and its step limit.

        Raises
        ------
        GEConvergenceError : a system did not converge (its diagnostics are attached).
        """
        sig = _check_options(full_ge, self.sigma if sigma is None else sigma)
        cf = counterfactual or Counterfactual()
        ref = self.data.index(self.reference_importer)
        t0 = self.trade_costs(None, beta)
        t1 = self.trade_costs(cf, beta)
        tau0, tau1 = _tariffs(self.data, self.baseline_tariff, cf)
        tc0 = t0 * (1.0 + tau0) ** (1.0 - sig)
        phi0, psi_y, diag0 = multilateral_resistances(tc0, self.data.output,
                                                      self.data.expenditure, ref, tol=tol,
                                                      max_iter=max_iter)
        xc = gravity_flows(tc0, self.data.output, self.data.expenditure, phi0, psi_y)
        # Π^(1−σ) from (β_i p_i)^(1−σ) = (Y_i/Y)/Π_i^(1−σ); equals psi_y without baseline duties.
        th0 = 1.0 + tau0 if tariff_revenue else np.ones_like(xc)
        y_m = baseline_accounts(xc, th0)[1]
        psi0 = psi_y * (y_m / y_m.sum()) / (self.data.output / self.data.output.sum())
        c_hat = (t1 / t0) * ((1.0 + tau1) / (1.0 + tau0)) ** (1.0 - sig)
        base, cond, full, diags = _core(xc, phi0, psi0, c_hat, tau0, tau1, sig, ref, full_ge,
                                        tariff_revenue, tol, max_iter)
        b = self.beta if beta is None else np.asarray(beta, dtype=np.float64)
        method = (f"Structural gravity ({_REFS}); t^(1−σ) = exp(Σβx) from given coefficients; "
                  f"baseline MRs from Y, E with P_{self.reference_importer} = 1; conditional GE "
                  f"(Y and E net of revenue fixed); {_CLOSURE[full_ge]}; "
                  f"{_TARIFFS[tariff_revenue]}")
        return GEResults(
            countries=self.data.countries, baseline=base, conditional=cond, full=full,
            trade_cost=t0, trade_cost_new=t1, tariff=tau0, tariff_new=tau1, sigma=sig,
            reference_importer=self.reference_importer, method=method,
            parameters={"path": "coefficients", "full_ge": full_ge,
                        "tariff_revenue": tariff_revenue, "scenario": cf.name,
                        "coefficients": dict(zip(self.cost_variables, b.tolist(), strict=True)),
                        "tol": tol, "max_iter": max_iter},
            diagnostics=(diag0, *diags), source=self.data.source, vintage=self.data.vintage,
            year=self.data.year, unit=self.data.unit)


@dataclass(frozen=True)
class ExactHatGE:
    """Exact hat algebra (Dekle, Eaton & Kortum 2008) on an observed square trade matrix.

    Parameters
    ----------
    data : :class:`GravityData` whose ``trade`` (recorded flows before duty, domestic flows on
        the diagonal, every row and column positive) is the baseline.
    sigma : elasticity of substitution σ > 1.
    reference_importer : numeraire: its price index does not change.
    baseline_tariff : optional τ_ij in force in the data ({pair: rate} or (N, N)).

    Multilateral-resistance *levels* are not identified without trade-cost coefficients: the
    results report them relative to the baseline (baseline = 1); percent changes are exact.
    """

    data: GravityData
    sigma: float
    reference_importer: str
    baseline_tariff: PairValues | None = None

    def __post_init__(self) -> None:
        _check_options("endowment", self.sigma)
        self.data.index(self.reference_importer)
        x = self.data.trade
        if not np.isfinite(x).all() or (x < 0).any():
            raise GravityInputError("trade must be finite and non-negative")
        if (x.sum(axis=1) <= 0).any() or (x.sum(axis=0) <= 0).any():
            raise GravityInputError("every country needs positive output and expenditure "
                                    "(domestic flows included)")

    def solve(self, counterfactual: Counterfactual | None = None, *,
              full_ge: FullGE = "endowment", tariff_revenue: bool = True,
              sigma: float | None = None, tol: float = 1e-10, max_iter: int = 300
              ) -> GEResults:
        """Conditional and full GE in changes; arguments as :meth:`OneSectorGE.solve`."""
        sig = _check_options(full_ge, self.sigma if sigma is None else sigma)
        cf = counterfactual or Counterfactual()
        if cf.variables:
            raise GravityInputError("exact hat algebra has no cost variables: give the change "
                                    "as cost_change (factor on t^(1−σ)) or tariff")
        ref = self.data.index(self.reference_importer)
        tau0, tau1 = _tariffs(self.data, self.baseline_tariff, cf)
        xc = self.data.trade * (1.0 + tau0) if tariff_revenue else self.data.trade.copy()
        cost = (self.data.pair_matrix(cf.cost_change, 1.0) if cf.cost_change is not None
                else np.ones_like(xc))
        c_hat = cost * ((1.0 + tau1) / (1.0 + tau0)) ** (1.0 - sig)
        n = self.data.n
        base, cond, full, diags = _core(xc, np.ones(n), np.ones(n), c_hat, tau0, tau1, sig, ref,
                                        full_ge, tariff_revenue, tol, max_iter)
        method = (f"Exact hat algebra (Dekle, Eaton & Kortum 2008) on observed flows, structural "
                  f"gravity ({_REFS}); numeraire P_{self.reference_importer}; conditional GE "
                  f"(Y and E net of revenue fixed); {_CLOSURE[full_ge]}; "
                  f"{_TARIFFS[tariff_revenue]}; MR levels relative to baseline")
        nan = np.full((n, n), np.nan)
        return GEResults(
            countries=self.data.countries, baseline=base, conditional=cond, full=full,
            trade_cost=nan, trade_cost_new=nan, tariff=tau0, tariff_new=tau1, sigma=sig,
            reference_importer=self.reference_importer, method=method,
            parameters={"path": "exact hat algebra", "full_ge": full_ge,
                        "tariff_revenue": tariff_revenue, "scenario": cf.name, "tol": tol,
                        "max_iter": max_iter},
            diagnostics=tuple(diags), source=self.data.source, vintage=self.data.vintage,
            year=self.data.year, unit=self.data.unit)
