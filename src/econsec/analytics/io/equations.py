"""Input–output kernels: pure functions over arrays, named after the literature (and pymrio).

Notation (Miller & Blair 2009, ch. 2, 6 and 12)
-----------------------------------------------
An MRIO has R regions × N sectors = n country-sectors, ordered region-major (all sectors of the
first region, then the next). ``Z`` (n × n) holds intermediate flows, z_ij = sales of i to j;
``Y`` (n × R·K) final demand by destination region and category; y = Y·1.

* gross output x = Z·1 + y (``calc_x``); value added va = x − Zᵀ·1 (all primary inputs);
* technical coefficients A = Z x̂⁻¹ (``calc_A``), allocation coefficients B = x̂⁻¹ Z (``calc_B``);
* Leontief inverse L = (I − A)⁻¹, x = L y; Ghosh inverse G = (I − B)⁻¹ = x̂⁻¹ L x̂, xᵀ = vaᵀ G;
* coefficients of value added or any satellite account F: S = F x̂⁻¹ (``calc_S``); multipliers
  M = S L (``calc_M``).

Everything that only needs L times a vector (x = L y, multipliers sᵀL, the rows or columns of L
for a few sectors) goes through one LU factorisation of I − A (:class:`Leontief`) and triangular
solves; L itself is formed only when asked (``Leontief.inverse``), because forming it costs as much
as n solves.

Zero output: a sector with x_j = 0 buys and sells nothing, so its coefficients are undefined.
As in pymrio, 1/x̂ is taken as 0 there: A's column j, B's row j and S's column j are zero, L's
column j is the unit vector, and G_jj = 1 (the inverse of I − B with row and column j empty).

The value-added-in-trade, extraction and shock kernels are in the second half of the module.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.linalg as sla

from econsec.errors import EconsecError, choice_error

#: Hypothetical extraction: both link directions, backward (purchases) or forward (sales).
ExtractionKind = Literal["total", "backward", "forward"]
#: Supply-shock propagation: downstream (Ghosh, supply-driven) or upstream (Leontief).
ShockModel = Literal["ghosh", "leontief"]


class LeontiefError(EconsecError):
    """I − A cannot be factorised: it is singular or holds non-finite values."""


def _inv_or_zero(x: np.ndarray) -> np.ndarray:
    """1/x where x ≠ 0, else 0 (the zero-output convention of the module docstring)."""
    out = np.zeros_like(x, dtype=np.float64)
    nz = x != 0
    out[nz] = 1.0 / x[nz]
    return out


def calc_x(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Gross output x = Z·1 + Y·1 (the row identity of the table), shape (n,)."""
    return np.asarray(Z).sum(axis=1) + np.asarray(Y).sum(axis=1)


def calc_va(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Value added as the balancing item va = x − Zᵀ·1 (all primary inputs), shape (n,)."""
    return x - np.asarray(Z).sum(axis=0)


def calc_A(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Technical coefficients a_ij = z_ij / x_j (input of i per unit of j's output); 0 if x_j = 0."""
    return Z * _inv_or_zero(x)[np.newaxis, :]


def calc_B(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Allocation coefficients b_ij = z_ij / x_i (share of i's output sold to j); 0 if x_i = 0."""
    return Z * _inv_or_zero(x)[:, np.newaxis]


def calc_S(F: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Satellite (or value-added) coefficients s_kj = f_kj / x_j, shape (k, n); 0 if x_j = 0."""
    return np.atleast_2d(F) * _inv_or_zero(x)[np.newaxis, :]


@dataclass(frozen=True, eq=False)
class Leontief:
    """The LU factorisation of I − A: products with L = (I − A)⁻¹ without forming L.

    ``solve(y)`` = L y (demand → output), ``solve_t(c)`` = Lᵀ c (so cᵀL, e.g. multipliers),
    ``columns``/``rows`` = a few columns or rows of L, ``inverse()`` = L itself.
    Build it with :meth:`factor`. ``lu``/``piv`` hold LAPACK's factors of (I − A)ᵀ (see
    :meth:`factor`), so a product with L is a transposed solve and one with Lᵀ a plain one.
    """

    lu: np.ndarray
    piv: np.ndarray

    @classmethod
    def factor(cls, A: np.ndarray, *, check_finite: bool = True) -> Leontief:
        """Factorise I − A; raises :class:`LeontiefError` if it is singular or not finite.

        ``check_finite=False`` skips the O(n²) scan of A when the caller has validated it (an
        :class:`~econsec.analytics.io.MRIO` checks Z and Y when it is built).
        """
        A = np.asarray(A, dtype=np.float64)
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise LeontiefError(f"A must be square, got shape {A.shape}")
        if check_finite and not np.isfinite(A).all():
            raise LeontiefError("A holds NaN or infinite coefficients")
        # LAPACK works on column-major arrays. The C-ordered I − A is, read column-major,
        # (I − A)ᵀ: factorising that view in place costs no layout copy (benchmarks/io times
        # both: lu_c_order_s against lu_in_place_s).
        M = np.negative(A, order="C")
        M[np.diag_indices(A.shape[0])] += 1.0
        with warnings.catch_warnings():
            warnings.simplefilter("error", sla.LinAlgWarning)
            try:
                lu, piv = sla.lu_factor(M.T, overwrite_a=True, check_finite=False)
            except sla.LinAlgWarning as e:
                raise LeontiefError(f"I − A is singular: {e}") from e
        if not np.all(np.isfinite(np.diag(lu))) or np.any(np.diag(lu) == 0):
            raise LeontiefError("I − A is singular or not finite (a zero or non-finite pivot "
                                "in its LU factorisation)")
        lu.flags.writeable = False
        piv.flags.writeable = False
        return cls(lu, piv)

    @property
    def n(self) -> int:
        return int(self.lu.shape[0])

    def solve(self, y: np.ndarray) -> np.ndarray:
        """L y for a vector (n,) or matrix (n, m)."""
        return sla.lu_solve((self.lu, self.piv), y, trans=1, check_finite=False)

    def solve_t(self, c: np.ndarray) -> np.ndarray:
        """Lᵀ c for a vector (n,) or matrix (n, m): the transpose of cᵀ L."""
        return sla.lu_solve((self.lu, self.piv), c, trans=0, check_finite=False)

    def columns(self, idx: np.ndarray) -> np.ndarray:
        """L[:, idx], shape (n, len(idx))."""
        e = np.zeros((self.n, len(idx)))
        e[np.asarray(idx), np.arange(len(idx))] = 1.0
        return self.solve(e)

    def rows(self, idx: np.ndarray) -> np.ndarray:
        """L[idx, :], shape (len(idx), n)."""
        e = np.zeros((self.n, len(idx)))
        e[np.asarray(idx), np.arange(len(idx))] = 1.0
        return self.solve_t(e).T

    def inverse(self) -> np.ndarray:
        """L = (I − A)⁻¹ as a dense matrix (n solves: form it only when it is needed)."""
        return self.solve(np.eye(self.n))


def calc_L(A: np.ndarray) -> np.ndarray:
    """Explicit Leontief inverse L = (I − A)⁻¹ (Miller & Blair 2009, ch. 2)."""
    return Leontief.factor(A).inverse()


def calc_G(L: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Ghosh inverse G = (I − B)⁻¹ = x̂⁻¹ L x̂ (Miller & Blair 2009, ch. 12), from L without a second
    inversion; G_jj = 1 for zero-output sectors (see the module docstring)."""
    G = _inv_or_zero(x)[:, np.newaxis] * L * x[np.newaxis, :]
    zero = np.flatnonzero(x == 0)
    G[zero, zero] = 1.0
    return G


def calc_M(S: np.ndarray, leontief: Leontief) -> np.ndarray:
    """Multipliers M = S L (per unit of final demand for each column's product), shape (k, n)."""
    return leontief.solve_t(np.atleast_2d(S).T).T


def calc_M_down(F: np.ndarray, S: np.ndarray, x: np.ndarray, leontief: Leontief) -> np.ndarray:
    """Downstream multipliers M_down = S (Gᵀ − I) (pymrio's ``calc_M_down``), shape (k, n).

    With G = x̂⁻¹ L x̂, (S Gᵀ)_kj = (L Fᵀ)_jk / x_j, so one solve replaces the Ghosh inverse.
    """
    LF = leontief.solve(np.atleast_2d(F).T).T
    return LF * _inv_or_zero(x)[np.newaxis, :] - np.atleast_2d(S)


def aggregate_final_demand(Y: np.ndarray, n_regions: int) -> np.ndarray:
    """Sum final demand over categories: (n, R·K) → (n, R), destination regions in order."""
    n = Y.shape[0]
    return Y.reshape(n, n_regions, -1).sum(axis=2)


def by_region(a: np.ndarray, n_regions: int, axis: int = -1) -> np.ndarray:
    """Sum the country-sector axis ``axis`` (length R·N, region-major) to its R regions."""
    a = np.moveaxis(a, axis, -1)
    out = a.reshape(*a.shape[:-1], n_regions, -1).sum(axis=-1)
    return np.moveaxis(out, -1, axis)


@dataclass(frozen=True, eq=False)
class Accounts:
    """Footprint accounts of a satellite (pymrio ``calc_accounts`` layout), each (k, ·).

    cba: embodied in final demand, columns (consuming region, demanded sector), R·N;
    pba: direct, by producing country-sector, n; imp: embodied in final demand and produced
    abroad, columns as cba; exp: produced for foreign final demand, by producing country-sector;
    ``*_reg``: the same per region (R), with final users' direct emissions F_Y added to cba and pba;
    M: the multipliers S L (k, n).
    """

    M: np.ndarray
    cba: np.ndarray
    pba: np.ndarray
    imp: np.ndarray
    exp: np.ndarray
    cba_reg: np.ndarray
    pba_reg: np.ndarray
    imp_reg: np.ndarray
    exp_reg: np.ndarray


def calc_accounts(S: np.ndarray, leontief: Leontief, Y_agg: np.ndarray,
                  F_Y_agg: np.ndarray | None = None) -> Accounts:
    """Consumption-, production-, import- and export-based accounts (pymrio; Peters 2008).

    With M = S L and M⁽ʳ⁾ = S_r L (origin region r only), for consuming region r and sector s:
    cba[r,s] = Σ_{i∈s} M_i Y_ir, imp[r,s] = cba[r,s] − Σ_{i∈s} M⁽ʳ⁾_i Y_ir;
    pba = S ∘ (L y); exp_i = s_i Σ_{r ≠ region(i)} (L Y)_ir. Equal to pymrio's accounts, computed
    with R·k transposed and R plain solves instead of the explicit L (M = Σ_r M⁽ʳ⁾).
    """
    S = np.atleast_2d(S)
    k, n = S.shape
    R = Y_agg.shape[1]
    N = n // R
    S_r = np.zeros((R, k, n))
    S_r[np.arange(R).repeat(N), :, np.arange(n)] = S.T
    M_r = calc_M(S_r.reshape(R * k, n), leontief).reshape(R, k, R, N)    # origin r, k, prod reg, s
    M = M_r.sum(axis=0).reshape(k, n)
    Yb = Y_agg.reshape(R, N, R)                                      # producer reg, sector, consumer
    cba = np.einsum("kps,psr->krs", M.reshape(k, R, N), Yb).reshape(k, n)
    dom = np.einsum("rkps,psr->krs", M_r, Yb).reshape(k, n)
    imp = cba - dom
    X = leontief.solve(Y_agg)                                       # (n, R)
    pba = S * X.sum(axis=1)[np.newaxis, :]
    own = X.reshape(R, N, R)[np.arange(R), :, np.arange(R)].reshape(n)
    exp = S * (X.sum(axis=1) - own)[np.newaxis, :]
    fy = np.zeros((k, R)) if F_Y_agg is None else np.atleast_2d(F_Y_agg)
    return Accounts(M=M, cba=cba, pba=pba, imp=imp, exp=exp,
                    cba_reg=by_region(cba, R) + fy, pba_reg=by_region(pba, R) + fy,
                    imp_reg=by_region(imp, R), exp_reg=by_region(exp, R))


# --- value added in trade -------------------------------------------------------------------


def gross_exports(Z: np.ndarray, Y_agg: np.ndarray) -> np.ndarray:
    """Bilateral gross exports by exporting country-sector and importing region, (n, R).

    e_ir = Σ_{j∈r} z_ij + Y_ir for r ≠ region(i); the domestic block is 0 (pymrio
    ``calc_gross_trade``).
    """
    n, R = Y_agg.shape
    N = n // R
    E = by_region(Z, R, axis=1) + Y_agg
    E.reshape(R, N, R)[np.arange(R), :, np.arange(R)] = 0.0
    return E


@dataclass(frozen=True, eq=False)
class ValueAddedTrade:
    """Value added in trade per region (R,) and the matrices behind it.

    exports E; dva, fva: domestic and foreign value added in gross exports (E = dva + fva when
    value added is the balancing item); vax: domestic value added absorbed abroad; rdv: domestic
    value added that returns home in imports and is absorbed there; ddc = dva − vax − rdv, the
    domestic double-counted term; vbe (R × R): value added of origin t in the exports of s;
    absorption (R × R): value added of origin t absorbed by final demand in r;
    vax_sector (n,): the country-sector's value added absorbed abroad.
    """

    exports: np.ndarray
    dva: np.ndarray
    fva: np.ndarray
    vax: np.ndarray
    rdv: np.ndarray
    ddc: np.ndarray
    vbe: np.ndarray
    absorption: np.ndarray
    vax_sector: np.ndarray


def value_added_in_trade(A: np.ndarray, leontief: Leontief, v: np.ndarray, Z: np.ndarray,
                         Y_agg: np.ndarray) -> ValueAddedTrade:
    """Koopman, Wang & Wei (2014) gross-export accounting and Johnson–Noguera (2012) VAX.

    With v the value-added coefficients, L the global Leontief inverse, e_s the gross-export vector
    of region s (zero outside s's rows) and Y_·r final demand of region r:

    * vbe[t, s] = Σ_{i∈t} v_i (L e_s)_i (KWW's V B E); dva_s = vbe[s, s], fva_s = Σ_{t≠s} vbe[t, s];
      since vᵀL = 1ᵀ when va = x − Zᵀ1, dva_s + fva_s = E_s exactly;
    * absorption[t, r] = Σ_{i∈t} v_i (L Y_·r)_i; vax_s = Σ_{r≠s} absorption[s, r];
    * rdv_s = absorption[s, s] − v_sᵀ (I − A_ss)⁻¹ Y_ss: value added of s absorbed at home after
      crossing a border (KWW terms 4–5), the local inverse solved block by block;
    * ddc_s = dva_s − vax_s − rdv_s (KWW term 6, pure double counting of domestic origin).

    Costs one factorised solve with 2R right-hand sides and R local N × N solves.
    """
    n, R = Y_agg.shape
    N = n // R
    E = gross_exports(Z, Y_agg)
    e = E.sum(axis=1)
    Ex = np.zeros((n, R))
    Ex[np.arange(n), np.arange(n) // N] = e
    vbe = by_region(v[:, np.newaxis] * leontief.solve(Ex), R, axis=0)
    X = leontief.solve(Y_agg)
    absorption = by_region(v[:, np.newaxis] * X, R, axis=0)
    blocks = A.reshape(R, N, R, N)[np.arange(R), :, np.arange(R), :]          # (R, N, N)
    Ydom = Y_agg.reshape(R, N, R)[np.arange(R), :, np.arange(R)]              # (R, N)
    try:
        local = np.linalg.solve(np.eye(N)[np.newaxis] - blocks, Ydom[..., np.newaxis])[..., 0]
    except np.linalg.LinAlgError as err:
        raise LeontiefError(f"a domestic block I − A_ss is singular: {err}") from err
    pure_domestic = (v.reshape(R, N) * local).sum(axis=1)
    own = np.diag(absorption)
    dva = np.diag(vbe).copy()
    vax = absorption.sum(axis=1) - own
    rdv = own - pure_domestic
    own_x = X.reshape(R, N, R)[np.arange(R), :, np.arange(R)].reshape(n)
    return ValueAddedTrade(exports=by_region(e, R), dva=dva, fva=vbe.sum(axis=0) - dva, vax=vax,
                           rdv=rdv, ddc=dva - vax - rdv, vbe=vbe, absorption=absorption,
                           vax_sector=v * (X.sum(axis=1) - own_x))


def gvc_participation(vbe: np.ndarray, exports: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Backward and forward GVC participation as shares of gross exports (R,) each.

    backward_s = Σ_{t≠s} vbe[t, s] / E_s (foreign value added in s's exports: Hummels, Ishii & Yi
    2001 "VS"); forward_s = Σ_{r≠s} vbe[s, r] / E_s (s's value added in other regions' exports:
    "VS1", Koopman, Powers, Wang & Wei 2010). NaN where E_s = 0.
    """
    off = vbe - np.diag(np.diag(vbe))
    with np.errstate(divide="ignore", invalid="ignore"):
        return off.sum(axis=0) / exports, off.sum(axis=1) / exports


# --- hypothetical extraction and supply shocks -----------------------------------------------


def extraction_losses(L: np.ndarray, x: np.ndarray, kind: str, n_regions: int) -> np.ndarray:
    """Output lost in each region when one country-sector j is extracted, for every j: (R, n).

    Closed forms (Sherman–Morrison on a rank-one change of I − A; l_j = L's column j):

    * ``"total"`` (row and column of A and final demand for j removed; Miller & Blair 2009,
      ch. 12): Δx = l_j x_j / L_jj, so the loss is x_j 1ᵀl_j / L_jj;
    * ``"backward"`` (A's column j removed, j buys no intermediates; Dietzenbacher & van der
      Linden 1997): Δx = (l_j − e_j) x_j / L_jj;
    * ``"forward"`` (B's row j removed, j sells no intermediates, Ghosh model with primary inputs
      fixed; same reference): Δx_k = (L_jk x_k − δ_jk x_j) / L_jj.

    Each column sums to the world output lost; the solve-based :func:`extract` gives the same for
    one sector and handles sets of sectors and partial extraction.
    """
    d = np.diag(L)
    scale = x / d
    if kind == "total":
        return by_region(L, n_regions, axis=0) * scale[np.newaxis, :]
    if kind == "backward":
        return by_region(L - np.eye(len(x)), n_regions, axis=0) * scale[np.newaxis, :]
    if kind == "forward":
        n = len(x)
        lx = by_region(L * x[np.newaxis, :], n_regions, axis=1)               # (n, R)
        lx[np.arange(n), np.arange(n) // (n // n_regions)] -= x
        return (lx / d[:, np.newaxis]).T
    raise choice_error(kind, ExtractionKind, option="kind")


def extract(A: np.ndarray, Z: np.ndarray, x: np.ndarray, y: np.ndarray, va: np.ndarray,
            idx: np.ndarray, kind: str, fraction: float = 1.0) -> tuple[np.ndarray, float]:
    """Output x̄ after extracting the country-sectors ``idx`` (a fraction θ of their links), and
    the relative residual of the solve.

    Partial extraction scales the removed coefficients by 1 − θ (Dietzenbacher & Lahr 2013):
    ``"total"``: a_ij for i or j in the set and y_i for i in the set; x̄ = (I − Ā)⁻¹ ȳ.
    ``"backward"``: a_ij for j in the set; x̄ = (I − Ā)⁻¹ y.
    ``"forward"``: b_ij for i in the set; x̄ᵀ = vaᵀ (I − B̄)⁻¹ (Ghosh, primary inputs fixed).
    One dense solve; the loss is x − x̄.
    """
    keep = np.ones(len(x))
    keep[np.asarray(idx)] = 1.0 - fraction
    if kind == "total":
        M = np.eye(len(x)) - A * np.minimum(keep[:, np.newaxis], keep[np.newaxis, :])
        rhs = y * keep
    elif kind == "backward":
        M, rhs = np.eye(len(x)) - A * keep[np.newaxis, :], y
    elif kind == "forward":
        M, rhs = (np.eye(len(x)) - calc_B(Z, x) * keep[:, np.newaxis]).T, va
    else:
        raise choice_error(kind, ExtractionKind, option="kind")
    xbar = np.linalg.solve(M, rhs)
    return xbar, float(np.abs(M @ xbar - rhs).max() / max(np.abs(rhs).max(), 1e-300))


def supply_shock(leontief: Leontief, Z: np.ndarray, x: np.ndarray, idx: np.ndarray,
                 cut: np.ndarray, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Output losses (first round, total), each (n,), when the outputs of ``idx`` fall by ``cut``.

    The shocked outputs are exogenous: Δx_S = θ ∘ x_S.

    * ``"ghosh"`` (downstream: customers lose inputs; the supply-driven model, Ghosh 1958; Miller
      & Blair 2009, ch. 12): Δx_{−S}ᵀ = Δx_Sᵀ B_{S,−S} (I − B_{−S,−S})⁻¹ = Δx_Sᵀ G_SS⁻¹ G_{S,−S},
      i.e. Δx_k / x_k = (θᵀ L_SS⁻¹ L_{S,k}); first round Δx_k = Σ_{j∈S} θ_j z_jk.
    * ``"leontief"`` (upstream: suppliers lose sales; the demand model with the shocked outputs
      exogenous, Miller & Blair 2009, mixed exogenous/endogenous models):
      Δx_{−S} = (I − A_{−S,−S})⁻¹ A_{−S,S} Δx_S = L_{−S,S} L_SS⁻¹ Δx_S; first round
      Δx_i = Σ_{j∈S} θ_j z_ij.

    Both use only the |S| rows or columns of L (|S| solves) and the block-inverse identities
    above. For shocked sectors both columns report the shock itself.
    """
    idx = np.asarray(idx)
    cut = np.broadcast_to(np.asarray(cut, dtype=np.float64), idx.shape)
    dx_s = cut * x[idx]
    if model == "ghosh":
        rows = leontief.rows(idx)
        w = np.linalg.solve(rows[:, idx].T, cut)
        total = (w @ rows) * x
        first = cut @ Z[idx, :]
    elif model == "leontief":
        cols = leontief.columns(idx)
        total = cols @ np.linalg.solve(cols[idx, :], dx_s)
        first = Z[:, idx] @ cut
    else:
        raise choice_error(model, ShockModel, option="model")
    total[idx] = dx_s
    first[idx] = dx_s
    return first, total


def demand_shock(leontief: Leontief, A: np.ndarray, delta_f: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Output change (first round, total), each (n,), when final demand changes by Δf.

    Demand-driven Leontief model (Miller & Blair 2009, ch. 2): x = L f, so Δx = L Δf
    = Δf + AΔf + A²Δf + …; the first round AΔf is what the change buys directly from suppliers.
    One solve.
    """
    delta_f = np.asarray(delta_f, dtype=np.float64)
    return A @ delta_f, leontief.solve(delta_f)
