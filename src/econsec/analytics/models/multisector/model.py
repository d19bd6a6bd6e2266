"""The multi-sector model: shocks, the immutable spec and ``solve`` (methods.md §6.6).

:class:`Shock` holds the counterfactual: iceberg trade-cost changes d̂ (non-tariff barriers as
ad-valorem equivalents: 1.2 = +20%, no revenue) and new ad-valorem tariffs τ' (revenue to the
importer's household). Its arrays are **exporter × importer × sector**, the orientation of
econsec's scenario arrays (``econsec.analytics.scenarios.shocks``).

:class:`MultiSectorModel` is a calibration plus θ_j and options. ``solve(shock)`` finds the
equilibrium in changes (see :mod:`.equations`) with one fixed-point map over (ln ŵ, ln P̂, X̂),
accelerated by Anderson mixing (Walker & Ni 2011, SIAM J. Numer. Anal. 49(4)) with a safeguard
that falls back to the plain map when an extrapolated step diverges. The wage step is scaled by
1/(1 + θ̄_n), θ̄_n the output-weighted θ of n: a diagonal Newton step for the price response.
Non-convergence raises :class:`MultiSectorConvergenceError`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from econsec.analytics.models.multisector import equations as eq
from econsec.analytics.models.multisector.data import (
    THETA_SERVICES,
    WIOD_THETA_BASIS,
    Calibration,
    MultiSectorInputError,
    default_theta,
)
from econsec.analytics.models.multisector.results import MultiSectorResults
from econsec.errors import EconsecError, check_choice, choices

Intermediates = Literal["io", "none"]
INTERMEDIATES: tuple[Intermediates, ...] = choices(Intermediates)
TariffHow = Literal["add", "set"]
TARIFF_HOW: tuple[TariffHow, ...] = choices(TariffHow)
#: Trade deficits in the counterfactual: held (world-GDP units) or removed (Dekle, Eaton & Kortum 2008).
Deficits = Literal["fixed", "removed"]
ORIENTATION = "exporter × importer × sector"


class MultiSectorConvergenceError(EconsecError):
    """The solver stopped before the equilibrium conditions held to ``tol``."""

    def __init__(self, iterations: int, residual: float, tol: float) -> None:
        self.iterations, self.residual, self.tol = iterations, residual, tol
        super().__init__(f"multi-sector equilibrium not found in {iterations} iterations "
                         f"(residual {residual:.3g} > tol {tol:.1g}): raise max_iter or check the shock")


def _codes(wanted: Sequence[str] | str | None, known: tuple[str, ...], what: str) -> np.ndarray:
    if wanted is None:
        return np.ones(len(known), dtype=bool)
    wanted = [wanted] if isinstance(wanted, str) else list(wanted)
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise MultiSectorInputError(f"unknown {what} {unknown[:5]}: the calibration has {list(known)[:8]}…")
    return np.isin(np.array(known, dtype=object), wanted)


@dataclass(frozen=True, eq=False)
class Shock:
    """A counterfactual, exporter × importer × sector (see the module docstring).

    ``trade_cost[i, n, j]`` = d̂ (≥ 0 finite, 1 = unchanged); ``tariff[i, n, j]`` = new τ' ≥ 0.
    Build one with :meth:`baseline` and the ``with_*`` methods (each returns a new shock).
    """

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    trade_cost: np.ndarray
    tariff: np.ndarray
    label: str = ""

    def __post_init__(self) -> None:
        shape = (len(self.countries), len(self.countries), len(self.sectors))
        for name in ("trade_cost", "tariff"):
            a = np.array(getattr(self, name), dtype=np.float64)
            if a.shape != shape:
                raise MultiSectorInputError(f"{name} must be {ORIENTATION} {shape}, got {a.shape}")
            if not np.isfinite(a).all() or (a < 0).any() or (name == "trade_cost" and (a <= 0).any()):
                raise MultiSectorInputError(f"{name} must be finite and {'positive' if name == 'trade_cost' else 'non-negative'}")
            a.setflags(write=False)
            object.__setattr__(self, name, a)

    @classmethod
    def baseline(cls, cal: Calibration, label: str = "baseline") -> Shock:
        """No change: d̂ = 1 and τ' = the calibration's tariffs."""
        return cls(cal.countries, cal.sectors, np.ones(cal.trade.shape),
                   np.transpose(cal.tariff, (1, 0, 2)), label)

    def _mask(self, exporters: Sequence[str] | str | None, importers: Sequence[str] | str | None,
              sectors: Sequence[str] | str | None, symmetric: bool) -> np.ndarray:
        e = _codes(exporters, self.countries, "exporter")
        m = _codes(importers, self.countries, "importer")
        pair = e[:, None] & m[None, :]
        if symmetric:
            pair |= pair.T
        np.fill_diagonal(pair, False)  # a barrier between countries never touches domestic sales
        return pair[:, :, None] & _codes(sectors, self.sectors, "sector")[None, None, :]

    def with_trade_cost(self, exporters: Sequence[str] | str | None, importers: Sequence[str] | str | None,
                        sectors: Sequence[str] | str | None = None, *, factor: float,
                        symmetric: bool = False, label: str | None = None) -> Shock:
        """Multiply d̂ on the pairs (exporter → importer, both ways if ``symmetric``) and sectors
        (None = all) by ``factor``: 1.2 is a non-tariff barrier with a 20% ad-valorem equivalent."""
        mask = self._mask(exporters, importers, sectors, symmetric)
        return replace(self, trade_cost=np.where(mask, self.trade_cost * factor, self.trade_cost),
                       label=self.label if label is None else label)

    def with_tariff(self, exporters: Sequence[str] | str | None, importers: Sequence[str] | str | None,
                    sectors: Sequence[str] | str | None = None, *, rate: float, how: TariffHow = "add",
                    symmetric: bool = False, label: str | None = None) -> Shock:
        """Importers levy ``rate`` (fraction, 0.25 = 25%) on exporters' goods: ``how="add"`` adds it
        to the current tariff, ``"set"`` replaces it; ``symmetric`` = the same in return."""
        check_choice(how, TariffHow, option="how")
        mask = self._mask(exporters, importers, sectors, symmetric)
        new = self.tariff + rate if how == "add" else np.full(self.tariff.shape, float(rate))
        return replace(self, tariff=np.where(mask, np.maximum(new, 0.0), self.tariff),
                       label=self.label if label is None else label)

    def with_tariff_change(self, change: np.ndarray, label: str | None = None) -> Shock:
        """Add an exporter × importer × sector array of tariff changes (fractions; e.g. the
        scenario module's percent array / 100); results below zero become zero."""
        return replace(self, tariff=np.maximum(self.tariff + np.asarray(change, float), 0.0),
                       label=self.label if label is None else label)


def _anderson(g: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, *, tol: float, max_iter: int,
              memory: int) -> tuple[np.ndarray, int, float, int]:
    """Safeguarded Anderson acceleration of x = g(x): (x, iterations, max|g(x) − x|, restarts).

    The mixing restarts from the plain step g(x_best) at the best point so far when a step
    blows up (non-finite, or 100 × the best residual) or the best residual has not improved for
    2·memory + 5 iterations (stagnation).
    """
    x, gx = x0, g(x0)
    f = gx - x
    best = (float(np.abs(f).max()), x, gx)
    d_g: list[np.ndarray] = []
    d_f: list[np.ndarray] = []
    restarts = since_best = 0
    for it in range(max_iter):
        r = float(np.abs(f).max())
        if r < tol:
            return x, it, r, restarts
        if d_f:
            df = np.column_stack(d_f)
            gram = df.T @ df  # normal equations of min |f − ΔF c|, lightly regularised
            gram[np.diag_indices_from(gram)] += 1e-14 * np.trace(gram) + 1e-300
            x_new = gx - np.column_stack(d_g) @ np.linalg.solve(gram, df.T @ f)
        else:
            x_new = gx
        with np.errstate(all="ignore"):
            g_new = g(x_new)
        f_new = g_new - x_new
        r_new = float(np.abs(f_new).max()) if np.isfinite(f_new).all() else np.inf
        if (r_new > 100 * best[0] or since_best > 2 * memory + 5) and d_f:
            restarts, since_best = restarts + 1, 0
            d_g.clear()
            d_f.clear()
            x_new = best[2]
            with np.errstate(all="ignore"):
                g_new = g(x_new)
            f_new = g_new - x_new
            r_new = float(np.abs(f_new).max()) if np.isfinite(f_new).all() else np.inf
        if not np.isfinite(r_new):
            return x, it + 1, np.inf, restarts
        d_g.append(g_new - gx)
        d_f.append(f_new - f)
        if len(d_f) > memory:
            d_g.pop(0)
            d_f.pop(0)
        x, gx, f = x_new, g_new, f_new
        since_best += 1
        if r_new < best[0]:
            best, since_best = (r_new, x, gx), 0
    return x, max_iter, float(np.abs(f).max()), restarts


@dataclass(frozen=True, eq=False)
class MultiSectorModel:
    """Caliendo–Parro model on a :class:`Calibration` (immutable).

    Parameters
    ----------
    calibration : the baseline (e.g. :func:`~.data.load_wiod`).
    theta : trade elasticities θ_j: None = :func:`~.data.default_theta` (CP 2015 Table 1 on
        WIOD sectors); a mapping sector → θ overrides some; an array gives all (J).
    intermediates : ``"io"`` (input–output links from the table) or ``"none"`` (γ_n^j = 1: every
        flow is final; income = gross output; the multi-sector structural gravity model).
    numeraire : ``"world"`` (world value added unchanged) or a country code (its wage fixed).
    tol, max_iter, memory : solver tolerance (max change of ln ŵ, ln P̂, X̂ per sweep),
        iteration cap, Anderson memory.
    decomposition_steps : K path segments for CP's welfare decomposition (K − 1 extra solves;
        its approximation error falls like 1/K²). Real income itself is exact for any K.
    """

    calibration: Calibration
    theta: Mapping[str, float] | Sequence[float] | np.ndarray | None = None
    intermediates: Intermediates = "io"
    numeraire: str = "world"
    tol: float = 1e-10
    max_iter: int = 500
    memory: int = 8
    decomposition_steps: int = 1
    _params: eq.Params = field(init=False, repr=False)
    _theta: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        cal = self.calibration
        check_choice(self.intermediates, Intermediates, option="intermediates")
        if self.numeraire != "world" and self.numeraire not in cal.countries:
            raise MultiSectorInputError(f"numeraire must be 'world' or one of the countries {cal.countries[:8]}…,"
                                        f" got {self.numeraire!r}")
        if not (self.tol > 0 and self.max_iter >= 1 and self.memory >= 0
                and self.decomposition_steps >= 1):
            raise MultiSectorInputError("tol must be > 0, max_iter ≥ 1, memory ≥ 0 and "
                                        "decomposition_steps ≥ 1")
        theta = self._theta_values()
        object.__setattr__(self, "_theta", theta)
        object.__setattr__(self, "_params", self._build_params(theta))

    def _theta_values(self) -> np.ndarray:
        cal, t = self.calibration, self.theta
        if isinstance(t, Mapping):
            unknown = [s for s in t if s not in cal.sectors]
            if unknown:
                raise MultiSectorInputError(f"theta names unknown sectors {unknown}")
            base = default_theta(cal) if len(t) < len(cal.sectors) else np.zeros(len(cal.sectors))
            out = np.array([float(t.get(s, b)) for s, b in zip(cal.sectors, base, strict=True)])
        elif t is None:
            out = default_theta(cal)
        else:
            out = np.asarray(t, dtype=np.float64)
        if out.shape != (len(cal.sectors),) or not (np.isfinite(out) & (out > 0)).all():
            raise MultiSectorInputError(f"theta must give a positive θ for each of {len(cal.sectors)} sectors")
        out.setflags(write=False)
        return out

    def _build_params(self, theta: np.ndarray) -> eq.Params:
        cal = self.calibration
        pi = cal.pi
        with np.errstate(divide="ignore"):
            log_pi = np.log(pi)
        x0 = cal.expenditure
        if self.intermediates == "io":
            beta, gamma, alpha = cal.beta, cal.gamma, cal.alpha
            va = cal.value_added.sum(axis=1)
        else:
            n_s = len(cal.sectors)
            beta, gamma = np.ones(x0.shape), np.zeros((len(cal.countries), n_s, n_s))
            alpha = x0 / x0.sum(axis=1, keepdims=True)
            va = cal.output.sum(axis=1)
        if (va <= 0).any():
            raise MultiSectorInputError("every country needs positive value added")
        return eq.Params(log_pi, cal.tariff, beta, gamma, alpha, theta, va, cal.deficit, x0)

    @property
    def theta_values(self) -> np.ndarray:
        """θ_j used, in calibration sector order."""
        return self._theta

    def theta_basis(self) -> dict[str, str]:
        """Where each θ_j comes from (CP 2015 Table 1 sectors, services default, or override)."""
        given = set(self.theta) if isinstance(self.theta, Mapping) else set()
        full = self.theta is not None and not isinstance(self.theta, Mapping)
        out = {}
        for s in self.calibration.sectors:
            members = self.calibration.members.get(s, (s,))
            cp = sorted({c for m in members for c in WIOD_THETA_BASIS.get(m, ())})
            services = any(m not in WIOD_THETA_BASIS for m in members)
            basis = ["CP 2015 Table 1 (" + ", ".join(cp) + ")"] if cp else []
            basis += [f"services default {THETA_SERVICES:g} (Head & Mayer 2014)"] if services else []
            out[s] = "given" if full or s in given else " + ".join(basis)
        return out

    def shock(self, label: str = "baseline") -> Shock:
        """The no-change shock of this calibration, to build on with ``with_*``."""
        return Shock.baseline(self.calibration, label)

    def solve(self, shock: Shock | None = None, *,
              deficits: Deficits = "fixed") -> MultiSectorResults:
        """Equilibrium in changes for ``shock`` (None = no change) → a new results object.

        With ``decomposition_steps`` = K > 1 the equilibria at fractions k/K of the shock (log
        trade costs, log gross tariffs) are solved too, for CP's welfare decomposition.
        ``deficits="removed"`` sets every trade deficit to zero in the counterfactual (Dekle,
        Eaton & Kortum 2008); with no shock that is the balanced-trade equilibrium
        :meth:`balanced_calibration` starts from.
        """
        check_choice(deficits, Deficits, option="deficits")
        cal, p = self.calibration, self._params
        if deficits == "removed":
            p = p._replace(deficit_cf=np.zeros_like(p.deficit))
        shock = self.shock() if shock is None else shock
        if shock.countries != cal.countries or shock.sectors != cal.sectors:
            raise MultiSectorInputError("the shock's countries and sectors must be the calibration's")
        start = time.perf_counter()
        d_hat = np.transpose(shock.trade_cost, (1, 0, 2))
        tariff_new = np.transpose(shock.tariff, (1, 0, 2))
        n, j = len(cal.countries), len(cal.sectors)
        x = eq.pack(eq.State(np.zeros(n), np.zeros((n, j)), np.ones((n, j))))
        path, iterations, restarts = [], 0, 0
        steps = self.decomposition_steps
        for k in range(1, steps + 1):
            t = k / steps
            d_k = d_hat if k == steps else d_hat ** t
            tariff_k = tariff_new if k == steps else np.where(
                tariff_new == p.tariff, p.tariff,
                np.expm1((1 - t) * np.log1p(p.tariff) + t * np.log1p(tariff_new)))
            log_kappa = np.log(d_k) + np.log1p(tariff_k) - np.log1p(p.tariff)
            x, it, r, rs = self._fixed_point(x, log_kappa, tariff_k, p)
            iterations, restarts = iterations + it, restarts + rs
            path.append(eq.StateAt(eq.unpack(x.copy(), n, j), log_kappa, tariff_k, d_k))
        out = MultiSectorResults.from_solution(
            cal, p, path, intermediates=self.intermediates, numeraire=self.numeraire,
            label=shock.label,
            diagnostics={"converged": True, "iterations": iterations, "step_change": r,
                         "restarts": restarts, "decomposition_steps": steps,
                         "seconds": time.perf_counter() - start})
        if (out.income1 <= 0).any():
            bad = [c for c, v in zip(cal.countries, out.income1, strict=True) if v <= 0]
            raise MultiSectorInputError(
                f"the counterfactual leaves {bad} with non-positive income: their fixed trade "
                "surpluses exceed their new value added; use a smaller shock or a baseline "
                "without deficits")
        return out

    def balanced_calibration(self) -> Calibration:
        """The calibration of the balanced-trade equilibrium: every deficit removed with no other
        change (Dekle, Eaton & Kortum 2008, the usual first step before a tariff counterfactual,
        so that fixed deficits do not drive the results). Levels follow the model: trade' from
        [E3], inputs'_n^{kj} = γ_n^{kj} Y'_n^j, final' = X' − Σ inputs' (= α_n^j I'_n); tariffs
        unchanged. Without input–output links (``intermediates="none"``, a model that uses only
        expenditure and output) the balanced calibration has no input–output table: all
        expenditure is final, so use it with that model only. Its deficits are zero up to the
        solver's tolerance."""
        cal = self.calibration
        r = self.solve(deficits="removed")
        trade = r.trade1
        expenditure = ((1.0 + cal.tariff) * trade).sum(axis=1)
        if self.intermediates == "io":
            inputs = cal.gamma * trade.sum(axis=0)[:, None, :]
            final = expenditure - inputs.sum(axis=2)
        else:  # that model uses no input–output table: all expenditure is final
            inputs, final = np.zeros_like(cal.inputs), expenditure
        scale = max(float(expenditure.max()), 1.0)
        if (final < -1e-8 * scale).any():
            raise MultiSectorInputError("removing the deficits leaves negative final demand")
        final = np.maximum(final, 0.0)
        return Calibration(cal.countries, cal.sectors, trade, inputs, final, cal.tariff,
                           source=cal.source, vintage=cal.vintage, year=cal.year,
                           notes=(*cal.notes, "deficits removed first (Dekle, Eaton & Kortum 2008): "
                                  f"balanced-trade equilibrium, {r.diagnostics['iterations']} "
                                  f"iterations, residual {r.diagnostics['residual']:.1e}"),
                           members=cal.members, member_trade=cal.member_trade)

    def _fixed_point(self, x0: np.ndarray, log_kappa: np.ndarray, tariff_new: np.ndarray,
                     p: eq.Params) -> tuple[np.ndarray, int, float, int]:
        cal = self.calibration
        n, j = len(cal.countries), len(cal.sectors)
        numeraire = None if self.numeraire == "world" else cal.countries.index(self.numeraire)
        y = cal.output
        step = 1.0 / (1.0 + (y * p.theta).sum(axis=1) / np.maximum(y.sum(axis=1), 1e-300))

        def g(v: np.ndarray) -> np.ndarray:
            return eq.pack(eq.equilibrium_map(eq.unpack(v, n, j), p, log_kappa, tariff_new, step,
                                              numeraire)[0])

        x, iterations, r, restarts = _anderson(g, x0, tol=self.tol, max_iter=self.max_iter,
                                               memory=self.memory)
        if not r < self.tol:
            raise MultiSectorConvergenceError(iterations, r, self.tol)
        return x, iterations, r, restarts
