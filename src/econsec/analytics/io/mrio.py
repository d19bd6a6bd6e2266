"""The MRIO container: one immutable multi-regional input–output table and its analyses.

An :class:`MRIO` holds, for R regions × N sectors (n = R·N country-sectors, region-major):

* ``Z`` (n × n) intermediate flows and ``Y`` (n × R·K) final demand by destination region ×
  category (region-major), in one currency unit;
* gross output x = Z·1 + Y·1 (the row identity, as pymrio's ``calc_x``: then x = L y holds
  exactly; a published gross-output column is kept as ``reported_output``), or a **given** x
  (``from_arrays(x=...)``, ``from_store(output="published")``: WIOD's published gross output,
  which differs from the row sums in some sectors). A = Z x̂⁻¹ then uses the given x, and
  x = L (x − Z·1): the table's own final demand Y·1 differs from x − Z·1 by the gap;
* value added: given, or derived as the balancing item va = x − Zᵀ·1 (all primary inputs). With
  the derived form the GDP identity Σ va = Σ y holds exactly;
* optional satellite accounts (k stressors × n, with final users' direct part k × R·K).

It is built from arrays, from labelled frames (pymrio's layout), or from the store's
``io_flows``/``io_sectors`` (:meth:`MRIO.from_store`; WIOD 2013 today, other MRIOs of the same
shape as their parsers land). Derived matrices are cached; the analyses return read-only
:class:`~econsec.analytics.io.results.IOResult` objects. The kernels are in
:mod:`econsec.analytics.io.equations`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from econsec.analytics.io import equations as eq
from econsec.analytics.io.equations import ExtractionKind, ShockModel
from econsec.analytics.io.results import (
    METHOD_ACCOUNTS,
    METHOD_DEMAND_SHOCK,
    METHOD_EXTRACTION,
    METHOD_MULTIPLIERS,
    METHOD_SHOCK,
    METHOD_VA_TRADE,
    Diagnostics,
    IOResult,
)
from econsec.errors import EconsecError, OptionError, check_choice, choices
from econsec.store import Store


class MRIOError(EconsecError):
    """An MRIO that cannot be built (shapes, labels, missing data) or a bad label or option."""


EXTRACTION_KINDS: tuple[ExtractionKind, ...] = choices(ExtractionKind)
SHOCK_MODELS: tuple[ShockModel, ...] = choices(ShockModel)

Targets = tuple[str, str] | Sequence[tuple[str, str]]
#: Gross output x: the table's row sums Z·1 + Y·1, or the gross output it publishes.
OutputBasis = Literal["row-sums", "published"]


def _pairs(targets: Targets) -> list[tuple[str, str]]:
    """One (region, sector) pair or a sequence of them, as a list of pairs."""
    if isinstance(targets, tuple) and len(targets) == 2 and isinstance(targets[0], str):
        return [(str(targets[0]), str(targets[1]))]
    return [(str(p[0]), str(p[1])) for p in targets]


def _frozen(a: Any, shape: tuple[int, ...], name: str) -> np.ndarray:
    arr = np.array(a, dtype=np.float64)  # a copy: the caller's array stays writeable
    if arr.shape != shape:
        raise MRIOError(f"{name} must have shape {shape}, got {arr.shape}")
    if not np.isfinite(arr).all():
        raise MRIOError(f"{name} holds NaN or infinite values")
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, eq=False)
class MRIO:
    """One multi-regional input–output table (see the module docstring). Arrays are read-only.

    Build with :meth:`from_arrays`, :meth:`from_frames` or :meth:`from_store`.
    """

    Z: np.ndarray
    Y: np.ndarray
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    categories: tuple[str, ...]
    value_added: np.ndarray
    satellites: np.ndarray | None = None
    satellites_y: np.ndarray | None = None
    satellite_names: tuple[str, ...] = ()
    io_table: str = ""
    year: int | None = None
    unit: str = ""
    source: str = ""
    vintage: str = ""
    reported_output: np.ndarray | None = field(default=None, repr=False)
    value_added_derived: bool = False
    #: gross output given with the table (used for x instead of the row sums Z·1 + Y·1)
    given_output: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        for name in ("regions", "sectors", "categories", "satellite_names"):
            labels = tuple(str(v) for v in getattr(self, name))
            if len(set(labels)) != len(labels):
                raise MRIOError(f"{name} must be unique, got {list(labels)}")
            put(self, name, labels)
        R, N, K = len(self.regions), len(self.sectors), len(self.categories)
        if min(R, N, K) == 0:
            raise MRIOError(f"need at least one region, sector and category, got {R}, {N}, {K}")
        n = R * N
        put(self, "Z", _frozen(self.Z, (n, n), "Z"))
        put(self, "Y", _frozen(self.Y, (n, R * K), "Y"))
        if self.given_output is not None:
            put(self, "given_output", _frozen(self.given_output, (n,), "x"))
            if (self.given_output < 0).any():
                raise MRIOError("a given gross output x must be ≥ 0")
        put(self, "value_added", _frozen(self.value_added, (n,), "value_added"))
        if self.satellites is not None:
            F = np.atleast_2d(np.asarray(self.satellites, dtype=np.float64))
            k = len(self.satellite_names) or F.shape[0]
            put(self, "satellite_names", self.satellite_names or tuple(f"s{i}" for i in range(k)))
            put(self, "satellites", _frozen(F, (k, n), "satellites"))
            if self.satellites_y is not None:
                put(self, "satellites_y", _frozen(np.atleast_2d(self.satellites_y),
                                                  (k, R * K), "satellites_y"))
        elif self.satellites_y is not None:
            raise MRIOError("satellites_y given without satellites")
        if self.reported_output is not None:
            put(self, "reported_output", _frozen(self.reported_output, (n,), "reported_output"))

    # -- constructors --------------------------------------------------------------------
    @classmethod
    def from_arrays(cls, Z: Any, Y: Any, *, regions: Sequence[str], sectors: Sequence[str],
                    categories: Sequence[str], value_added: Any = None, x: Any = None,
                    **meta: Any) -> MRIO:
        """Build from arrays in the layout of the module docstring; ``x`` is a given gross output
        (default: the row sums Z·1 + Y·1); without ``value_added`` it is derived as x − Zᵀ1.
        ``meta`` sets the other fields (satellites, satellites_y, satellite_names, io_table,
        year, unit, source, vintage, reported_output)."""
        Z, Y = np.asarray(Z, dtype=np.float64), np.asarray(Y, dtype=np.float64)
        derived = value_added is None
        if derived:
            ok = Z.ndim == Y.ndim == 2 and Z.shape[0] == Z.shape[1] == Y.shape[0]
            given = x is not None and np.shape(x) == Z.shape[:1]   # else refused below
            if not ok:
                value_added = np.zeros(0)  # bad shapes: refused below
            else:
                xx = np.asarray(x, dtype=np.float64) if given else eq.calc_x(Z, Y)
                value_added = eq.calc_va(Z, xx)
        return cls(Z=Z, Y=Y, regions=tuple(regions), sectors=tuple(sectors),
                   categories=tuple(categories), value_added=value_added,
                   value_added_derived=derived, given_output=x, **meta)

    @classmethod
    def from_frames(cls, Z: pd.DataFrame, Y: pd.DataFrame, *, value_added: Any = None,
                    satellites: pd.DataFrame | None = None,
                    satellites_y: pd.DataFrame | None = None, **meta: Any) -> MRIO:
        """Build from pymrio-style frames: Z indexed (region, sector) on both axes, Y with rows
        (region, sector) and columns (region, category). Regions, sectors and categories keep
        their order of first appearance; missing cells are zero. ``value_added`` may be a Series
        or a one-row frame over the (region, sector) columns."""
        regions = tuple(dict.fromkeys(Z.index.get_level_values(0)))
        sectors = tuple(dict.fromkeys(Z.index.get_level_values(1)))
        categories = tuple(dict.fromkeys(Y.columns.get_level_values(1)))
        idx = pd.MultiIndex.from_product([regions, sectors])
        cols = pd.MultiIndex.from_product([regions, categories])
        for name, labels, want in (("Z rows", Z.index, idx), ("Z columns", Z.columns, idx),
                                   ("Y rows", Y.index, idx), ("Y columns", Y.columns, cols)):
            extra = pd.Index(labels).difference(want)
            if len(extra) or not pd.Index(labels).is_unique:
                raise MRIOError(f"{name}: labels outside regions × sectors or repeated: "
                                f"{list(extra[:5]) or 'duplicates'}")
        va = value_added
        if isinstance(va, pd.DataFrame):
            va = va.iloc[0]
        if isinstance(va, pd.Series):
            va = va.reindex(idx, fill_value=0.0).to_numpy()
        if isinstance(meta.get("x"), pd.DataFrame):
            meta["x"] = meta["x"].iloc[:, 0]
        if isinstance(meta.get("x"), pd.Series):
            meta["x"] = meta["x"].reindex(idx).to_numpy()   # a missing label: NaN, refused
        F = None if satellites is None else satellites.reindex(columns=idx, fill_value=0.0)
        FY = None if satellites_y is None else satellites_y.reindex(columns=cols, fill_value=0.0)
        return cls.from_arrays(Z.reindex(index=idx, columns=idx, fill_value=0.0).to_numpy(),
                   Y.reindex(index=idx, columns=cols, fill_value=0.0).to_numpy(),
                   regions=regions, sectors=sectors, categories=categories, value_added=va,
                   satellites=None if F is None else F.to_numpy(),
                   satellites_y=None if FY is None else FY.to_numpy(),
                   satellite_names=() if F is None else tuple(map(str, F.index)), **meta)

    @classmethod
    def from_store(cls, store: Store, year: int, io_table: str = "WIOD2013", *,
                   output: OutputBasis = "row-sums") -> MRIO:
        """The table ``io_table`` for ``year`` from the store's ``io_flows`` and ``io_sectors``
        (:func:`econsec.analytics.io.data.load_mrio`, which holds the queries).

        ``output="published"`` takes gross output x from the table's published gross-output
        column (WIOD's GO) instead of the row sums Z·1 + Y·1 (module docstring).
        """
        from econsec.analytics.io.data import load_mrio  # data.py builds an MRIO: import late

        return load_mrio(store, year, io_table, output=output)

    # -- shape and labels ----------------------------------------------------------------
    @property
    def n_regions(self) -> int:
        return len(self.regions)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    @property
    def n(self) -> int:
        return self.Z.shape[0]

    @cached_property
    def labels(self) -> pd.MultiIndex:
        """(region, sector) of each country-sector, in the table's order."""
        return pd.MultiIndex.from_product([self.regions, self.sectors], names=["region", "sector"])

    @cached_property
    def fd_labels(self) -> pd.MultiIndex:
        return pd.MultiIndex.from_product([self.regions, self.categories],
                                          names=["region", "category"])

    def index_of(self, targets: Targets) -> np.ndarray:
        """Positions of (region, sector) pairs; ``"*"`` stands for every region or sector."""
        out: list[int] = []
        for reg, sec in _pairs(targets):  # a handful of targets: not a hot path
            rr = range(self.n_regions) if reg == "*" else [self._pos(self.regions, reg, "region")]
            ss = range(self.n_sectors) if sec == "*" else [self._pos(self.sectors, sec, "sector")]
            out += [r * self.n_sectors + s for r in rr for s in ss]
        if not out or len(set(out)) != len(out):
            raise MRIOError(f"targets must name distinct country-sectors, got {_pairs(targets)}")
        return np.asarray(out)

    @staticmethod
    def _pos(labels: tuple[str, ...], label: str, what: str) -> int:
        if label not in labels:
            raise MRIOError(f"unknown {what} {label!r}; known: {', '.join(labels[:60])}"
                            + (" …" if len(labels) > 60 else ""))
        return labels.index(label)

    # -- derived quantities (cached) -----------------------------------------------------
    @cached_property
    def x(self) -> np.ndarray:
        """Gross output: the given x, else x = Z·1 + Y·1."""
        return self.given_output if self.given_output is not None else eq.calc_x(self.Z, self.Y)

    @cached_property
    def y(self) -> np.ndarray:
        """Total final demand for each country-sector's output, Y·1."""
        return self.Y.sum(axis=1)

    @cached_property
    def Y_agg(self) -> np.ndarray:
        """Final demand by destination region (categories summed), n × R."""
        return eq.aggregate_final_demand(self.Y, self.n_regions)

    @cached_property
    def A(self) -> np.ndarray:
        return eq.calc_A(self.Z, self.x)

    @cached_property
    def B(self) -> np.ndarray:
        return eq.calc_B(self.Z, self.x)

    @cached_property
    def v(self) -> np.ndarray:
        """Value-added coefficients va / x (0 where x = 0)."""
        return eq.calc_S(self.value_added, self.x)[0]

    @cached_property
    def leontief(self) -> eq.Leontief:
        """LU factorisation of I − A (products with L without forming it)."""
        return eq.Leontief.factor(self.A, check_finite=False)  # Z, Y checked when built

    @cached_property
    def L(self) -> np.ndarray:
        """Explicit Leontief inverse (formed on first use)."""
        return self.leontief.inverse()

    @cached_property
    def G(self) -> np.ndarray:
        """Explicit Ghosh inverse x̂⁻¹ L x̂."""
        return eq.calc_G(self.L, self.x)

    @cached_property
    def zero_output(self) -> tuple[tuple[str, str], ...]:
        """Country-sectors with x = 0 (their A column and B row are zero)."""
        return tuple(self.labels[np.flatnonzero(self.x == 0)])

    def frames(self) -> dict[str, pd.DataFrame]:
        """Z, Y, x and value added as labelled frames (pymrio's layout)."""
        return {"Z": pd.DataFrame(self.Z, self.labels, self.labels),
                "Y": pd.DataFrame(self.Y, self.labels, self.fd_labels),
                "x": pd.DataFrame({"x": self.x}, self.labels),
                "value_added": pd.DataFrame({"value_added": self.value_added}, self.labels)}

    @cached_property
    def _own_residual(self) -> float:
        # With a given x the system solved is x = L (x − Z·1); its gap to Y·1 is a note.
        y = self.y if self.given_output is None else self.x - self.Z.sum(axis=1)
        return self.residual(self.x, y)

    def residual(self, x: np.ndarray | None = None, y: np.ndarray | None = None) -> float:
        """max|(I − A) x − y| / max|y| (default: the table's own x and y)."""
        if x is None and y is None:
            return self._own_residual
        x = self.x if x is None else x
        y = self.y if y is None else y
        scale = max(float(np.abs(y).max()), 1e-300)
        return float(np.abs(x - self.A @ x - y).max() / scale)

    def notes(self) -> tuple[str, ...]:
        out = [("value added derived as x − Zᵀ1 (all primary inputs)" if self.value_added_derived
                else "value added given with the table")]
        if self.zero_output:
            out.append(f"{len(self.zero_output)} country-sectors with zero output (A column and "
                       f"B row set to 0): {', '.join('/'.join(t) for t in self.zero_output[:8])}"
                       + (" …" if len(self.zero_output) > 8 else ""))
        if self.given_output is not None:
            gap = np.abs(self.given_output - eq.calc_x(self.Z, self.Y))
            unit = f" {self.unit}" if self.unit else ""
            out.append(f"gross output x given with the table, not the row sums Z·1 + Y·1 (they "
                       f"differ in {int((gap > 1e-9 * max(float(self.x.max()), 1.0)).sum())} "
                       f"country-sectors, by up to {gap.max():,.6g}{unit}): A = Z x̂⁻¹ uses "
                       "it, and x = L (x − Z·1), not L·Y·1")
        neg = int((self.x < 0).sum())
        if neg:
            out.append(f"{neg} country-sectors with negative output (negative inventory changes)")
        return tuple(out)

    def summary(self) -> str:
        year = f" {self.year}" if self.year is not None else ""
        lines = [f"MRIO {self.io_table or '(user arrays)'}{year}: "
                 f"{self.n_regions} regions × {self.n_sectors} sectors, "
                 f"{len(self.categories)} final-demand categories, unit {self.unit or 'n/a'}",
                 f"  source: {self.source or 'user arrays'} ({self.vintage or 'no vintage'})",
                 f"  total output {self.x.sum():,.0f}, final demand {self.y.sum():,.0f}, "
                 f"value added {self.value_added.sum():,.0f}"]
        if self.reported_output is not None and self.given_output is None:
            rep = self.reported_output
            with np.errstate(divide="ignore", invalid="ignore"):
                gap = np.abs(self.x - rep) / np.abs(rep)
            lines.append(f"  x (row sums) vs reported gross output: median relative gap "
                         f"{np.nanmedian(gap[rep != 0]):.2%}")
        lines += [f"  note: {s}" for s in self.notes()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        year = f" {self.year}" if self.year is not None else ""
        return (f"<MRIO {self.io_table or 'user arrays'}{year}: {self.n_regions} regions"
                f" × {self.n_sectors} sectors>")

    # -- analyses ------------------------------------------------------------------------
    def _result(self, name: str, frame: pd.DataFrame, method: str, parameters: dict[str, Any],
                tables: dict[str, pd.DataFrame] | None = None, residual: float | None = None,
                notes: tuple[str, ...] = ()) -> IOResult:
        res = self.residual() if residual is None else max(residual, self.residual())
        if self.given_output is not None:
            parameters = {"gross_output": "given with the table, not Z·1 + Y·1", **parameters}
        return IOResult(name=name, _frame=frame, method=method, parameters=parameters,
                        io_table=self.io_table, year=self.year, unit=self.unit, source=self.source,
                        vintage=self.vintage, diagnostics=Diagnostics(True, 1, res,
                                                                      self.notes() + notes),
                        _tables=tables or {})

    def _region_pos(self) -> np.ndarray:
        return np.arange(self.n) // self.n_sectors

    def multipliers(self) -> IOResult:
        """Output, value-added and Ghosh forward multipliers per country-sector (one LU, 2R + 2
        transposed solves): columns output, output_domestic, output_foreign, value_added,
        value_added_domestic, value_added_foreign, value_added_type1, forward_output, x,
        zero_output; table ``value_added_by_origin`` (origin region × column country-sector)."""
        R, n, reg = self.n_regions, self.n, self._region_pos()
        ind = np.zeros((n, R))
        ind[np.arange(n), reg] = 1.0
        rhs = np.column_stack([np.ones(n), self.v, ind, ind * self.v[:, np.newaxis]])
        m = self.leontief.solve_t(rhs)                   # column c of rhs → (cᵀL)ᵀ
        out_dom = m[np.arange(n), 2 + reg]
        va_origin = m[:, 2 + R:].T                        # (R, n)
        va_dom = va_origin[reg, np.arange(n)]
        with np.errstate(divide="ignore", invalid="ignore"):
            type1 = np.where(self.v != 0, m[:, 1] / self.v, np.nan)
        fwd = eq.calc_S(self.leontief.solve(self.x), self.x)[0] + (self.x == 0)  # G·1, G_jj = 1
        frame = pd.DataFrame({"output": m[:, 0], "output_domestic": out_dom,
                              "output_foreign": m[:, 0] - out_dom, "value_added": m[:, 1],
                              "value_added_domestic": va_dom, "value_added_foreign": m[:, 1] - va_dom,
                              "value_added_type1": type1, "forward_output": fwd, "x": self.x,
                              "zero_output": self.x == 0}, index=self.labels)
        origin = pd.DataFrame(va_origin, index=pd.Index(self.regions, name="origin"),
                              columns=self.labels)
        return self._result("multipliers", frame, METHOD_MULTIPLIERS, {},
                            {"value_added_by_origin": origin})

    def value_added_in_trade(self) -> IOResult:
        """Value added in trade per region (KWW decomposition, VAX, GVC participation).

        Columns: exports, imports, dva, fva, vax, rdv, ddc, vax_ratio (vax/exports), dva_share,
        gvc_backward, gvc_forward, gvc_participation, gdp (Σ va), final_demand, vam (foreign value
        added absorbed at home). Tables: ``vbe`` (origin × exporter), ``absorption`` (origin ×
        destination), ``sectors`` (gross exports and VAX per country-sector).
        """
        t = eq.value_added_in_trade(self.A, self.leontief, self.v, self.Z, self.Y_agg)
        back, fwd = eq.gvc_participation(t.vbe, t.exports)
        R = self.n_regions
        E = eq.gross_exports(self.Z, self.Y_agg)
        imports = E.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            frame = pd.DataFrame({
                "exports": t.exports, "imports": imports, "dva": t.dva, "fva": t.fva, "vax": t.vax,
                "rdv": t.rdv, "ddc": t.ddc, "vax_ratio": t.vax / t.exports,
                "dva_share": t.dva / t.exports, "gvc_backward": back, "gvc_forward": fwd,
                "gvc_participation": back + fwd,
                "gdp": eq.by_region(self.value_added, R), "final_demand": self.Y_agg.sum(axis=0),
                "vam": t.absorption.sum(axis=0) - np.diag(t.absorption)},
                index=pd.Index(self.regions, name="region"))
        reg = pd.Index(self.regions)
        tables = {"vbe": pd.DataFrame(t.vbe, reg.rename("origin"), reg.rename("exporter")),
                  "absorption": pd.DataFrame(t.absorption, reg.rename("origin"),
                                             reg.rename("destination")),
                  "sectors": pd.DataFrame({"exports": E.sum(axis=1), "vax": t.vax_sector},
                                          index=self.labels)}
        gap = float(np.abs(t.exports - t.dva - t.fva).max())
        note = () if self.value_added_derived else (
            f"value added is given, not x − Zᵀ1: E − DVA − FVA is up to {gap:.3g}, not 0",)
        return self._result("value added in trade", frame, METHOD_VA_TRADE, {}, tables, notes=note)

    def accounts(self) -> IOResult:
        """pymrio-style accounts of value added and each satellite: ``frame`` has the regional
        accounts (rows region; columns ``<stressor>/<cba|pba|imp|exp>``); tables ``S``, ``M``,
        ``M_down``, ``cba``, ``pba``, ``imp``, ``exp`` (rows stressor)."""
        names = ("value added", *self.satellite_names)
        F = np.atleast_2d(self.value_added)
        FY = np.zeros((1, self.n_regions * len(self.categories)))
        if self.satellites is not None:
            F = np.vstack([F, self.satellites])
            sy = self.satellites_y if self.satellites_y is not None else np.zeros(
                (len(self.satellite_names), FY.shape[1]))
            FY = np.vstack([FY, sy])
        S = eq.calc_S(F, self.x)
        acc = eq.calc_accounts(S, self.leontief, self.Y_agg,
                               FY.reshape(len(names), self.n_regions, -1).sum(axis=2))
        reg = pd.Index(self.regions, name="region")
        frame = pd.concat({f"{s}/{a}": pd.Series(getattr(acc, f"{a}_reg")[i], reg)
                           for i, s in enumerate(names) for a in ("cba", "pba", "imp", "exp")}, axis=1)
        idx = pd.Index(names, name="stressor")
        tables = {"S": S, "M": acc.M,
                  "M_down": eq.calc_M_down(F, S, self.x, self.leontief),
                  "cba": acc.cba, "pba": acc.pba, "imp": acc.imp, "exp": acc.exp}
        return self._result("accounts", frame, METHOD_ACCOUNTS, {},
                            {k: pd.DataFrame(v, idx, self.labels) for k, v in tables.items()})

    def extraction(self, kind: ExtractionKind = "total",
                   targets: Targets | None = None,
                   fraction: float = 1.0) -> IOResult:
        """Hypothetical extraction (see ``METHOD_EXTRACTION``).

        Without ``targets``: every country-sector extracted on its own (closed forms; needs the
        explicit L): columns x, loss (world output lost), loss_domestic, loss_foreign, loss_share
        (of world output), normalised (loss / mean loss); table ``by_region`` (region × extracted
        country-sector). With ``targets`` (``(region, sector)`` pairs, ``"*"`` for all): the set
        extracted together, ``fraction`` θ of its links (0 < θ ≤ 1): columns x, x_extracted,
        loss, loss_pct; table ``by_region``.
        """
        check_choice(kind, ExtractionKind, option="kind")
        if not 0 < fraction <= 1:
            raise MRIOError(f"fraction must be in (0, 1], got {fraction}")
        params: dict[str, Any] = {"kind": kind, "fraction": fraction}
        reg = pd.Index(self.regions, name="region")
        if targets is None:
            if fraction != 1:
                raise MRIOError("partial extraction (fraction < 1) needs targets")
            loss = eq.extraction_losses(self.L, self.x, kind, self.n_regions)
            total = loss.sum(axis=0)
            dom = loss[self._region_pos(), np.arange(self.n)]
            frame = pd.DataFrame({"x": self.x, "loss": total, "loss_domestic": dom,
                                  "loss_foreign": total - dom, "loss_share": total / self.x.sum(),
                                  "normalised": total / total.mean()}, index=self.labels)
            return self._result(f"hypothetical extraction ({kind})", frame, METHOD_EXTRACTION,
                                params, {"by_region": pd.DataFrame(loss, reg, self.labels)})
        idx = self.index_of(targets)
        params["targets"] = [tuple(t) for t in self.labels[idx]]
        xbar, res = eq.extract(self.A, self.Z, self.x, self.y, self.value_added, idx, kind, fraction)
        return self._losses(f"hypothetical extraction ({kind})", xbar, None, METHOD_EXTRACTION,
                            params, res)

    def supply_shock(self, targets: Targets,
                     cut: float | Sequence[float] = 0.1, model: ShockModel = "ghosh") -> IOResult:
        """Cut the output of ``targets`` (``(region, sector)`` pairs, ``"*"`` for all) by the
        fraction ``cut`` (one value, or one per target) and propagate it (``METHOD_SHOCK``).

        Columns: x, first_round, loss (total), x_after, loss_pct; table ``by_region`` with the
        same per region. Losses are in the table's unit (WIOD: million USD).
        """
        check_choice(model, ShockModel, option="model")
        pairs = _pairs(targets)
        cuts = np.broadcast_to(np.asarray(cut, dtype=np.float64), (len(pairs),))
        if ((cuts < 0) | (cuts > 1)).any():
            raise MRIOError(f"cut must be a fraction in [0, 1], got {cut}")
        per = [self.index_of(p) for p in pairs]
        idx = np.concatenate(per)
        theta = np.repeat(cuts, [len(p) for p in per])
        if len(set(idx.tolist())) != len(idx):
            raise MRIOError(f"targets overlap: {pairs}")
        first, total = eq.supply_shock(self.leontief, self.Z, self.x, idx, theta, model)
        params = {"targets": [tuple(t) for t in self.labels[idx]], "cut": theta.tolist(),
                  "model": model}
        return self._losses(f"supply shock ({model})", self.x - total, first,
                            METHOD_SHOCK[model], params, 0.0)

    def demand_shock(self, targets: Targets, *, change: float | Sequence[float] | None = None,
                     share: float | Sequence[float] | None = None) -> IOResult:
        """Change final demand for the output of ``targets`` (``(region, sector)`` pairs, ``"*"``
        for all) and propagate it through the Leontief model: Δx = L Δf (``METHOD_DEMAND_SHOCK``).

        Give either ``change``, Δf in the table's unit (one value, or one per target; a ``"*"``
        target gives each country-sector it names that amount), or ``share``, Δf as a fraction of
        the country-sector's final demand y = Y·1 (−0.1 = a 10 % fall). Δf is by product: which
        region's final users change their demand does not matter for Δx.

        Columns: x, y, delta_f, first_round (AΔf), delta_x (LΔf), x_after, change_pct, delta_va
        (v̂Δx); table ``by_region`` with the same per region.
        """
        if (change is None) == (share is None):
            raise OptionError("demand_shock: give either change (in the table's unit) or share "
                            "(a fraction of final demand)")
        pairs = _pairs(targets)
        amount = np.broadcast_to(np.asarray(change if change is not None else share,
                                            dtype=np.float64), (len(pairs),))
        if not np.isfinite(amount).all():
            raise OptionError(f"demand change must be finite, got {change if change is not None else share}")
        if share is not None and (amount < -1).any():
            raise OptionError(f"share must be ≥ −1 (final demand cannot fall below zero), got {share}")
        per = [self.index_of(p) for p in pairs]
        idx = np.concatenate(per)
        if len(set(idx.tolist())) != len(idx):
            raise MRIOError(f"targets overlap: {pairs}")
        delta_f = np.zeros(self.n)
        a = np.repeat(amount, [len(p) for p in per])
        delta_f[idx] = a if share is None else a * self.y[idx]
        first, dx = eq.demand_shock(self.leontief, self.A, delta_f)
        scale = max(float(np.abs(delta_f).max()), 1e-300)
        residual = float(np.abs(dx - self.A @ dx - delta_f).max() / scale)
        frame = pd.DataFrame({"x": self.x, "y": self.y, "delta_f": delta_f, "first_round": first,
                              "delta_x": dx, "x_after": self.x + dx}, index=self.labels)
        frame["delta_va"] = self.v * dx
        by_region = frame.groupby(level="region", sort=False).sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            frame.insert(6, "change_pct", np.where(self.x != 0, 100 * dx / self.x, np.nan))
            by_region.insert(6, "change_pct", 100 * by_region["delta_x"] / by_region["x"])
        params: dict[str, Any] = {"targets": [tuple(t) for t in self.labels[idx]]}
        params |= ({"change": a.tolist()} if share is None else {"share": a.tolist()})
        return self._result("final-demand shock", frame, METHOD_DEMAND_SHOCK, params,
                            {"by_region": by_region}, residual)

    def _losses(self, name: str, xbar: np.ndarray, first: np.ndarray | None, method: str,
                params: dict[str, Any], residual: float) -> IOResult:
        loss = self.x - xbar
        cols: dict[str, np.ndarray] = {"x": self.x}
        if first is not None:
            cols["first_round"] = first
        cols |= {"loss": loss, "x_after": xbar}
        frame = pd.DataFrame(cols, index=self.labels)
        by_region = frame.groupby(level="region", sort=False).sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["loss_pct"] = np.where(self.x != 0, 100 * loss / self.x, np.nan)
            by_region["loss_pct"] = 100 * by_region["loss"] / by_region["x"]
        return self._result(name, frame, method, params, {"by_region": by_region}, residual)
