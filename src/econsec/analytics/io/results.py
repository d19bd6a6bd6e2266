"""Read-only results of input–output analyses: labelled tables plus how and from what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from econsec.errors import NotFoundError

# How each analysis is computed (attached to every result as ``method``).
MB = "Miller & Blair (2009), Input-Output Analysis, 2nd ed."
METHOD_MULTIPLIERS = (
    "Output multipliers 1ᵀL and value-added multipliers vᵀL (v = va/x), each split into the "
    "column's own region and the rest of the world; type-I value-added multiplier (vᵀL)_j/v_j; "
    f"Ghosh total forward linkage G·1 = x̂⁻¹Lx. L y and cᵀL by LU solves. {MB}, ch. 6 and 12.")
METHOD_VA_TRADE = (
    "Gross-export accounting E_s = DVA_s + FVA_s from V·L·Ê (Koopman, Wang & Wei 2014, AER 104(2)); "
    "DVA = VAX + RDV + DDC with VAX the domestic value added absorbed abroad (Johnson & Noguera "
    "2012), RDV the returned domestic value added (KWW terms 4–5) and DDC the domestic double "
    "counting (KWW term 6); GVC participation backward = FVA/E (Hummels, Ishii & Yi 2001), "
    "forward = domestic value added in other regions' exports / E (Koopman, Powers, Wang & Wei "
    "2010). Value added of origin t absorbed in destination r = Σ_t v̂·L·Y_r (Johnson & Noguera 2012, "
    "J. Int. Econ. 86(2)); see Los, Timmer & de Vries (2016, AER 106(7)) on measuring it by extraction.")
METHOD_ACCOUNTS = (
    "Consumption-based (cba), production-based (pba), import (imp) and export (exp) accounts of "
    f"value added and satellites, M = S·L, M_down = S(Gᵀ − I), as pymrio's calc_accounts; {MB}, "
    "ch. 10; Peters (2008), Ecol. Econ. 65(1).")
METHOD_EXTRACTION = (
    "Hypothetical extraction: output lost when a country-sector's links are removed. total: row and "
    "column of A and its final demand; backward: A's column (Leontief); forward: B's row with "
    "primary inputs fixed (Ghosh). Single sectors by closed forms (Sherman–Morrison), sets and "
    f"partial extraction (links scaled by 1 − θ) by a solve. {MB}, ch. 12; Dietzenbacher & van der "
    "Linden (1997), J. Regional Sci. 37(2); Dietzenbacher & Lahr (2013), Econ. Syst. Res. 25(3).")
METHOD_SHOCK = {
    "ghosh": ("Supply shock, downstream: the shocked outputs fall by θ and are exogenous; customers "
              "lose inputs in proportion to allocation coefficients B (supply-driven model, Ghosh "
              f"1958, Economica 25; {MB}, ch. 12): Δx_{{-S}}ᵀ = Δx_Sᵀ G_SS⁻¹ G_{{S,-S}}; first round "
              "Δx_k = Σ_S θ_j z_jk. The Ghosh model fixes allocation shares and ignores substitution "
              "and prices (Oosterhaven 1988, J. Regional Sci. 28(2); read as an upper bound; "
              "Dietzenbacher 1997, J. Regional Sci. 37(4), gives its price interpretation)."),
    "leontief": ("Supply shock, upstream: the shocked outputs fall by θ and are exogenous; suppliers "
                 "lose sales through A (demand model with mixed exogenous/endogenous outputs, "
                 f"{MB}): Δx_{{-S}} = L_{{-S,S}} L_SS⁻¹ Δx_S; first round Δx_i = Σ_S θ_j z_ij."),
}

METHOD_DEMAND_SHOCK = (
    "Final-demand shock in the demand-driven Leontief model: final demand for the targets' output "
    "changes by Δf, every output adjusts, Δx = L Δf (first round AΔf: the inputs the change buys "
    f"directly), value added Δva = v̂ Δx; prices, technology and trade shares fixed. {MB}, ch. 2 and 6.")


@dataclass(frozen=True)
class Diagnostics:
    """How the linear system behind a result was solved.

    The Leontief and Ghosh systems are solved directly (LU factorisation), so ``converged`` is
    True and ``iterations`` is 1 whenever a result exists; ``residual`` is the largest relative
    residual max|(I − A) x − y| / max|y| of the system the result rests on (the baseline, and
    the counterfactual where there is one). ``notes`` records deliberate treatments (zero-output
    sectors, value added derived or given).
    """

    converged: bool
    iterations: int
    residual: float
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class IOResult:
    """An input–output result: a main table, further tables, and its provenance.

    ``frame`` and ``table(name)`` return copies that share memory until written (pandas
    copy-on-write), so the result itself cannot be changed.

    Attributes
    ----------
    name : what the result is, e.g. "multipliers".
    method : equations and references.
    parameters : the options of the call (targets, cut, model, kind, ...).
    io_table, year, unit, source, vintage : the table the result comes from.
    diagnostics : solver diagnostics (:class:`Diagnostics`).
    """

    name: str
    _frame: pd.DataFrame = field(repr=False)
    method: str
    parameters: Mapping[str, Any]
    io_table: str
    year: int | None
    unit: str
    source: str
    vintage: str
    diagnostics: Diagnostics
    _tables: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "_tables", MappingProxyType(dict(self._tables)))

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame.copy(deep=False)

    def to_frame(self) -> pd.DataFrame:
        return self._frame.copy()

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(self._tables)

    def table(self, name: str) -> pd.DataFrame:
        """A further table by name (see ``table_names``)."""
        if name not in self._tables:
            raise NotFoundError(f"no table {name!r}; tables are {list(self._tables)}")
        return self._tables[name].copy(deep=False)

    def _table_name(self) -> str:
        return (self.io_table or "user arrays") + ("" if self.year is None else f" {self.year}")

    def provenance(self) -> dict[str, Any]:
        return {"result": self.name, "method": self.method, "parameters": dict(self.parameters),
                "io_table": self.io_table, "year": self.year, "unit": self.unit,
                "source": self.source, "vintage": self.vintage,
                "converged": self.diagnostics.converged, "residual": self.diagnostics.residual}

    def summary(self) -> str:
        d = self.diagnostics
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items()) or "none"
        lines = [f"{self.name}: {len(self._frame):,} rows × {self._frame.shape[1]} columns",
                 f"  table: {self._table_name()} ({self.unit or 'no unit'})",
                 f"  source: {self.source or 'user arrays'} ({self.vintage or 'no vintage'})",
                 f"  parameters: {params}",
                 f"  method: {self.method}",
                 f"  solver: converged={d.converged}, iterations={d.iterations}, "
                 f"relative residual={d.residual:.2e}"]
        lines += [f"  note: {n}" for n in d.notes]
        if self._tables:
            lines.append(f"  tables: {', '.join(self._tables)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<IOResult {self.name!r}: {len(self._frame)} rows from "
                f"{self._table_name()}>")

    def _repr_html_(self) -> str:
        return f"<pre>{self.summary()}</pre>" + self._frame.head(20).to_html()
