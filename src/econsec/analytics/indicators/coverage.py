"""Coverage (methods.md §10): how much of each economy's trade a panel sees vs an independent total.

A panel assembled from partial reports can miss most of an economy's trade without any sign in
the flows themselves. In the shared UN Comtrade HS2 file, 30 economies report their exports and
18 of them only to the other 29 reporters, so the *mirror* imports of every other economy are
what those 30 ship to it: Austria's 2019 mirror imports are 18.8 bn USD of the 177 bn USD its
partners report shipping to it. Indicators averaged over such imports, and rankings of them, say
more about the file than about the economy.

For economy c and one year, coverage of each side is the panel's total over an independent one:

    κ^M_c = M_c / M_c^bench,   M_c = Σ_{s,p} m_csp (the panel's imports of c);
    κ^X_c = X_c / X_c^bench,   X_c = Σ_p x_cp (its world exports in the panel).

**Benchmarks** (:data:`BENCHMARKS`, in order; the first one with a total for c is used and named
in the ``*_benchmark`` column, and a source is never its own benchmark):

* imports: IMF DOTS *mirror* imports, Σ_s of every DOTS reporter's exports to c, FOB. This is
  the valuation and reporting side of mirror data, so a panel that holds every reporter's
  exports has κ^M ≈ 1 and a low κ^M measures the reporters (or partners) the panel lacks. Next:
  c's own total merchandise imports as the WTO compiles them (CIF, so a complete FOB panel shows
  κ^M of about 0.9–0.95);
* exports: c's own reported exports to the world, IMF DOTS (FOB); next the WTO's total
  merchandise exports of c (e.g. Taiwan, which DOTS does not publish as a reporter).

A side is **complete by construction** (``*_complete``) where the panel's total is a World total
the source itself gives for c (c's reported exports to the World; for IMF DOTS mirror imports,
the IMF's "All Countries" exports to c), so no partner is missing from it, or where the panel is
a closed system (an MRIO, whose world is all its economies). Its ratio is still shown where a
benchmark exists.

**Rule** (:class:`CoverageRule`): a ranking keeps an economy if its side is complete or
κ ≥ ``min_coverage`` (default 0.8); with no benchmark the coverage is *unknown* and the economy
is left out too, with that reason; ``min_coverage = 0`` turns the rule off. Coverage above 1 is
not penalised: panel and benchmark differ in valuation, timing and revisions, so a complete
panel scatters around 1, and the rule is about trade that is missing.

**Complexity** (ECI, PCI) compares export baskets, so it is computed only over exporters whose
export side passes the rule; and it places them in the *world's* product space (a product's
ubiquity counts the economies exporting it with RCA), so it is shown only if those exporters
hold at least ``min_coverage`` of world exports (:func:`world_share`, :func:`complexity_scope`).
In the Comtrade file the 17–19 complete exporters hold 38–51 % of world exports: over them,
2020's ECI still puts China and Vietnam first and Switzerland below zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from econsec.analytics.indicators.panel import TradePanel
from econsec.errors import OptionError

Side = Literal["imports", "exports"]
SIDES: tuple[Side, ...] = ("imports", "exports")
#: Column prefix of each side (``import_coverage``, ``export_coverage``).
PREFIX: Mapping[Side, str] = {"imports": "import", "exports": "export"}
DEFAULT_MIN_COVERAGE = 0.8
#: Label of a side that is complete by construction.
COMPLETE = "complete by construction"


def pct(x: float) -> str:
    """A threshold as a percentage, without a spurious decimal (0.8 → "80%", 0.825 → "82.5%")."""
    return f"{x:.0%}" if float(round(x * 100, 6)).is_integer() else f"{x:.1%}"


@dataclass(frozen=True)
class Benchmark:
    """An independent total: ``source`` in the store, ``kind`` of total, and what it is."""

    source: str
    kind: Literal["mirror", "reported"]
    label: str


BENCHMARKS: Mapping[Side, tuple[Benchmark, ...]] = {
    "imports": (Benchmark("imf_dots", "mirror", "IMF DOTS: partners' reported exports to it, FOB"),
                Benchmark("wto_merchandise", "reported", "WTO: its reported total merchandise imports, CIF")),
    "exports": (Benchmark("imf_dots", "reported", "IMF DOTS: its reported exports to the world, FOB"),
                Benchmark("wto_merchandise", "reported", "WTO: its reported total merchandise exports, FOB")),
}


@dataclass(frozen=True)
class CoverageRule:
    """Keep an economy if its side is complete or κ ≥ ``min_coverage``; 0 keeps every economy."""

    min_coverage: float = DEFAULT_MIN_COVERAGE

    def __post_init__(self) -> None:
        m = self.min_coverage
        if not isinstance(m, (int, float)) or isinstance(m, bool) or not math.isfinite(m) or not 0 <= m <= 1:
            raise OptionError(f"min_coverage must be a number from 0 to 1 (0 turns the rule off), got {m!r}")

    @property
    def active(self) -> bool:
        return self.min_coverage > 0

    def keep(self, coverage: np.ndarray, complete: np.ndarray) -> np.ndarray:
        """True where an economy stays in a ranking (see module docstring)."""
        if not self.active:
            return np.ones(len(coverage), dtype=bool)
        cov = np.asarray(coverage, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            return np.asarray(complete, dtype=bool) | (cov >= self.min_coverage)

    def describe(self) -> str:
        return (f"coverage ≥ {pct(self.min_coverage)} of the independent total" if self.active
                else "coverage rule off (min_coverage 0)")


def coverage_ratio(panel_total: np.ndarray, benchmark_total: np.ndarray) -> np.ndarray:
    """κ = panel total / benchmark total; NaN where the benchmark is missing or not positive."""
    p = np.asarray(panel_total, dtype=np.float64)
    b = np.asarray(benchmark_total, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, p / b, np.nan)


def pick_benchmarks(candidates: pd.DataFrame, side: Side, keys: tuple[str, ...] = ("country",)
                    ) -> pd.DataFrame:
    """The preferred benchmark per key for ``side``.

    ``candidates`` has ``keys``, ``side``, ``source``, ``benchmark_usd`` (one row per benchmark
    that has a positive total); the result has ``keys``, ``benchmark_usd``, ``benchmark`` (the
    source name of the first of :data:`BENCHMARKS` [side] present).
    """
    order = {b.source: i for i, b in enumerate(BENCHMARKS[side])}
    c = candidates[(candidates["side"] == side) & (candidates["benchmark_usd"] > 0)]
    c = c.assign(_o=c["source"].map(order)).dropna(subset=["_o"]).sort_values([*keys, "_o"])
    c = c.drop_duplicates(list(keys))
    return c[[*keys, "benchmark_usd", "source"]].rename(columns={"source": "benchmark"}).reset_index(drop=True)


def measure(totals: pd.DataFrame, side: Side, benchmarks: pd.DataFrame,
            keys: tuple[str, ...] = ("country",)) -> pd.DataFrame:
    """Add coverage columns for ``side`` to ``totals``.

    Parameters
    ----------
    totals : ``keys``, ``{side}_usd`` (the panel's total, USD) and ``{prefix}_complete`` (bool:
        complete by construction).
    benchmarks : candidate independent totals (see :func:`pick_benchmarks`).

    Returns
    -------
    ``totals`` with ``{prefix}_benchmark_usd``, ``{prefix}_coverage`` (κ; 1 for a closed panel
    with no benchmark) and ``{prefix}_benchmark`` (the benchmark's source, :data:`COMPLETE` or
    ``"none"``).
    """
    p = PREFIX[side]
    best = pick_benchmarks(benchmarks, side, keys).rename(
        columns={"benchmark_usd": f"{p}_benchmark_usd", "benchmark": f"{p}_benchmark"})
    out = totals.merge(best, on=list(keys), how="left")
    out[f"{p}_coverage"] = coverage_ratio(out[f"{side}_usd"].to_numpy(dtype=np.float64),
                                          out[f"{p}_benchmark_usd"].to_numpy(dtype=np.float64))
    complete = out[f"{p}_complete"].to_numpy(dtype=bool)
    out[f"{p}_benchmark"] = out[f"{p}_benchmark"].fillna(pd.Series(np.where(complete, COMPLETE, "none"),
                                                                   index=out.index))
    return out


def closed(totals: pd.DataFrame, side: Side) -> pd.DataFrame:
    """Coverage columns for a closed panel (an MRIO): κ = 1 by construction for every economy."""
    p = PREFIX[side]
    return totals.assign(**{f"{p}_benchmark_usd": totals[f"{side}_usd"], f"{p}_coverage": 1.0,
                            f"{p}_benchmark": COMPLETE})


def panel_coverage(panel: TradePanel, benchmarks: pd.DataFrame) -> pd.DataFrame:
    """Both sides' coverage for every economy of ``panel`` (one row per economy).

    Parameters
    ----------
    panel : one year; imports M_c = Σ of its bilateral rows into c, exports X_c = Σ_p x_cp.
    benchmarks : candidate totals with ``year``, ``country``, ``side``, ``source``,
        ``benchmark_usd`` (``data.benchmark_totals``); only ``panel.year`` is used.

    Returns
    -------
    ``country``, ``imports_usd``, ``import_complete``, ``import_benchmark_usd``,
    ``import_coverage``, ``import_benchmark``, and the same for exports.
    """
    c = panel.n_countries
    reported = (np.zeros(c, dtype=bool) if panel.world_reported is None
                else np.asarray(panel.world_reported, dtype=bool))
    totals = pd.DataFrame({"country": panel.countries,
                           "imports_usd": np.bincount(panel.importer, panel.value, minlength=c),
                           "import_complete": np.full(c, panel.complete),
                           "exports_usd": panel.world_exports.sum(axis=1),
                           "export_complete": reported | panel.complete})
    if panel.complete:
        return closed(closed(totals, "imports"), "exports")
    bench = benchmarks[benchmarks["year"] == panel.year].drop(columns="year")
    return measure(measure(totals, "imports", bench), "exports", bench)


@dataclass(frozen=True)
class Screened:
    """What a coverage screen kept: ``keep`` (bool per row), ``reasons`` (per row, "" where kept),
    the rows ``left_out`` with their ``reason``, and ``notes`` saying how many and why."""

    keep: np.ndarray
    reasons: np.ndarray
    left_out: pd.DataFrame
    notes: tuple[str, ...]


def screen(cov: pd.DataFrame, side: Side, rule: CoverageRule, *, what: str = "economies",
           year: int | str | None = None, action: str = "left out") -> Screened:
    """Apply ``rule`` to the coverage columns of ``side`` in ``cov`` (from :func:`measure`);
    ``what`` names the rows and ``action`` what happens to those that fail, in the notes."""
    p = PREFIX[side]
    kappa = cov[f"{p}_coverage"].to_numpy(dtype=np.float64)
    complete = cov[f"{p}_complete"].to_numpy(dtype=bool)
    keep = rule.keep(kappa, complete)
    total = cov[f"{side}_usd"].to_numpy(dtype=np.float64)
    absent = ~complete & ~(total > 0)        # nothing on this side in the panel
    unknown = ~complete & ~absent & np.isnan(kappa)
    below = ~complete & ~absent & ~unknown & ~keep
    n = len(cov)
    used = cov.loc[~complete & ~absent & ~unknown, f"{p}_benchmark"].value_counts()
    labels = {b.source: b.label for b in BENCHMARKS[side]}
    when = f" in {year}" if year is not None else ""
    notes = []
    if len(used):
        notes.append(f"{p} coverage = {side} in the panel / an independent total: "
                     + "; ".join(f"{labels.get(str(k), k)} ({v} {what})" for k, v in used.items()))
    if complete.any():
        notes.append(f"{int(complete.sum())} of {n} {what}: {side} complete by construction (a World "
                     "total in the source, or a closed input–output world)")
    if rule.active:
        if below.any():
            notes.append(f"{int(below.sum())} of {n} {what} {action}: {p} coverage below "
                         f"{pct(rule.min_coverage)} of the independent total")
        if unknown.any():
            notes.append(f"{int(unknown.sum())} of {n} {what} {action}: {p} coverage unknown "
                         f"(no independent total for them in the store{when})")
        if absent.any():
            notes.append(f"{int(absent.sum())} of {n} {what} {action}: no {side} in the source")
    else:
        low = ~complete & ~absent & (unknown | (kappa < DEFAULT_MIN_COVERAGE))
        if low.any():
            notes.append(f"coverage rule off: {int(low.sum())} of {n} {what} kept with {p} coverage "
                         f"below {pct(DEFAULT_MIN_COVERAGE)} or unknown; their figures undercount")
    k = pd.Series(np.char.mod("%.1f%%", kappa * 100), dtype=object)
    reason = (f"{p} coverage " + k + f" < {pct(rule.min_coverage)}").where(~unknown, f"{p} coverage unknown")
    reason = reason.where(~absent, f"no {side} in the source").where(~keep, "").to_numpy(dtype=object)
    cols = [c for c in ("year", "country", f"{side}_usd", f"{p}_benchmark_usd", f"{p}_coverage",
                        f"{p}_benchmark") if c in cov.columns]
    left = cov.loc[~keep, cols].reset_index(drop=True).assign(reason=reason[~keep])
    left = left.sort_values(f"{side}_usd", ascending=False, na_position="last", kind="stable",
                            ignore_index=True)
    return Screened(keep=keep, reasons=reason, left_out=left, notes=tuple(notes))


def world_total(benchmarks: pd.DataFrame, year: int) -> float | None:
    """World exports in ``year`` from the preferred export benchmark (economy ``WLD``), or None."""
    b = benchmarks[(benchmarks["year"] == year) & (benchmarks["country"] == "WLD")].drop(columns="year")
    best = pick_benchmarks(b, "exports")
    return float(best["benchmark_usd"].iloc[0]) if len(best) else None


def world_share(panel_total: np.ndarray, keep: np.ndarray, world_total: float | None) -> float:
    """Σ_{c kept} X_c / X_world: the share of world exports (benchmark) the kept exporters hold."""
    if world_total is None or not world_total > 0:
        return float("nan")
    return float(np.asarray(panel_total, dtype=np.float64)[np.asarray(keep, bool)].sum() / world_total)


def rank_covered(frame: pd.DataFrame, cov: pd.DataFrame, side: Side, rule: CoverageRule, *,
                 by: str, ascending: bool = False, what: str = "economies",
                 year: int | None = None) -> tuple[pd.DataFrame, Screened]:
    """A ranking (one row per ``country``) with ``{prefix}_coverage`` beside ``{side}_usd``, only
    the economies ``rule`` keeps, and ``rank`` recomputed among them by ``by`` (1 = first).

    The screen's counts and left-out rows are over the economies of ``frame``.
    """
    p = PREFIX[side]
    cols = ["country", f"{p}_complete", f"{p}_benchmark_usd", f"{p}_coverage", f"{p}_benchmark",
            f"{side}_usd"]
    sub = frame[["country"]].merge(cov[cols], on="country", how="left")
    sub[f"{p}_complete"] = sub[f"{p}_complete"].fillna(False).astype(bool)
    if f"{side}_usd" in frame:
        sub[f"{side}_usd"] = frame[f"{side}_usd"].to_numpy()
    s = screen(sub, side, rule, what=what, year=year)
    out = frame.copy()
    at = out.columns.get_loc(f"{side}_usd") + 1 if f"{side}_usd" in out else len(out.columns)
    out.insert(at, f"{p}_coverage", sub[f"{p}_coverage"].to_numpy())
    out = out[s.keep].reset_index(drop=True)
    if "rank" in out:
        out["rank"] = out[by].rank(ascending=ascending, method="min").astype(int)
        out = out.sort_values(["rank", "country"], ignore_index=True)
    return out, s


@dataclass(frozen=True)
class ComplexityScope:
    """The exporters ECI/PCI are computed over, and whether they are shown.

    ``rows``: panel codes of the exporters; ``world_share``: their exports over world exports
    (benchmark; 1 for a closed panel, NaN if unknown); ``show``: the exporters hold at least
    ``min_coverage`` of world exports, or the rule is off; ``notes`` say which.
    """

    rows: np.ndarray
    world_share: float
    show: bool
    notes: tuple[str, ...]


def complexity_scope(cov: pd.DataFrame, rule: CoverageRule, world_total: float | None) -> ComplexityScope:
    """ECI/PCI need complete export baskets (module docstring): the exporters (rows of ``cov``,
    from :func:`panel_coverage`) whose export side passes ``rule``.

    Complexity also needs the *world* of exporters: a product's PCI is defined by which economies
    export it with RCA, and an economy's ECI by the PCI of what it exports. So ECI and PCI are
    shown only if the exporters they are computed over hold at least ``min_coverage`` of world
    exports; with the rule off they are computed over every exporter and called biased when some
    baskets are incomplete.
    """
    kappa = cov["export_coverage"].to_numpy(dtype=np.float64)
    complete = cov["export_complete"].to_numpy(dtype=bool)
    exports = cov["exports_usd"].to_numpy(dtype=np.float64)
    keep = rule.keep(kappa, complete) & (exports > 0)
    rows = np.flatnonzero(keep)
    closed_panel = bool(len(cov)) and bool((cov["export_benchmark"] == COMPLETE).all())
    share = 1.0 if closed_panel else world_share(exports, keep, world_total)
    n_rep = int(complete[rows].sum())
    world = (f"; they export {share:.0%} of world exports" if np.isfinite(share)
             else "; their share of world exports is unknown (no world total in the store)")
    if rule.active:
        show = bool(np.isfinite(share) and share >= rule.min_coverage and len(rows) >= 2)
        notes = [f"{len(rows)} exporters with complete export baskets ({n_rep} with a World total in "
                 f"the source, {len(rows) - n_rep} with export coverage ≥ {pct(rule.min_coverage)}){world}"]
        if show:
            notes.append("ECI/PCI computed over these exporters: RCA, ECI and PCI are relative to them")
        elif len(rows) < 2:
            notes.append("ECI/PCI not shown: fewer than two exporters with complete export baskets")
        else:
            notes.append(f"ECI/PCI not shown: they place exporters and products in the world's product "
                         f"space, and the exporters with complete baskets hold less than "
                         f"{pct(rule.min_coverage)} of world exports (set min_coverage to 0 for biased "
                         "figures over every exporter)")
    else:
        typical = CoverageRule().keep(kappa, complete)
        n_low = int((~typical[rows]).sum())
        show = len(rows) >= 2
        notes = [f"ECI/PCI over all {len(rows)} exporters{world}"
                 + (f"; BIASED: {n_low} of them have incomplete export baskets (export coverage below "
                    f"{pct(DEFAULT_MIN_COVERAGE)} or unknown)" if n_low else "")]
    return ComplexityScope(rows=rows, world_share=share, show=show, notes=tuple(notes))
