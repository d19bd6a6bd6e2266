"""Risk score 0–100 per item × importer, its level and its explanation (thresholds as data).

Each signal ``k`` gives a non-negative strength ``z_k`` (z-units, or share points rescaled to
z-units by ``scale_k``). The score is the weighted, capped sum

.. math:: S = 100 \\cdot \\min\\Bigl(1, \\sum_k w_k \\, \\frac{\\min(z_k / c_k, z_{cap})}{z_{cap}}\\Bigr)

with weights ``w_k`` (summing to 1), per-signal scales ``c_k`` and cap ``z_cap``. Levels are
``normal < watch ≤ S < warning ≤ S < critical ≤ S`` on the thresholds in :class:`ScoringRules`;
an alert level above *normal* needs the score at or above ``watch`` in ``k`` of the last ``n``
months (persistence filter). The explanation lists each signal with its value and contribution.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from econsec.analytics.ews.signals import persistence
from econsec.errors import check_choice, choices

Level = Literal["normal", "watch", "warning", "critical"]
LEVELS: tuple[Level, ...] = choices(Level)

#: The value weight sits on ``stl_drop``: on the backtest's tuning half it beat ``value_drop``
#: (both warn ahead of 2 of 3 events; 0.93 vs 1.85 false alarms per 100 quiet series-months;
#: docs/ews.md).
DEFAULT_WEIGHTS: dict[str, float] = {
    "stl_drop": 0.50, "share_shift": 0.15, "concentration_jump": 0.05,
    "supplier_gpr": 0.10, "price_spike": 0.10, "policy_event": 0.10,
}
#: Interchangeable import-value signals: YoY log change robust z, or the STL remainder robust z
#: (``econsec.analytics.ews.stl``). Which one scores is data: the one with a positive weight.
ValueSignal = Literal["value_drop", "stl_drop"]
VALUE_SIGNALS: tuple[ValueSignal, ...] = choices(ValueSignal)
SIGNALS: tuple[str, ...] = (*DEFAULT_WEIGHTS, "value_drop")
#: Divisors that put non-z signals on a z-like scale (share points: 0.10 shift ≈ 1 z).
DEFAULT_SCALES: dict[str, float] = {"share_shift": 0.10, "concentration_jump": 0.05}


@dataclass(frozen=True)
class ScoringRules:
    """Weights, scales, cap, level thresholds and persistence (k of n) — all data."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    scales: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SCALES))
    z_cap: float = 4.0
    watch: float = 25.0
    warning: float = 40.0
    critical: float = 60.0
    k: int = 1
    n: int = 1
    stl_window: int = 24

    def __post_init__(self) -> None:
        unknown = sorted(set(self.weights) - set(SIGNALS))
        if unknown:
            raise ValueError(f"unknown signal(s) in weights: {', '.join(unknown)}; "
                             f"expected some of {', '.join(SIGNALS)}")
        if self.stl_window < 24:
            raise ValueError(f"stl_window must be at least 24 months (two seasons), got {self.stl_window}")
        if not 0 <= self.watch <= self.warning <= self.critical <= 100:
            raise ValueError("thresholds must satisfy 0 <= watch <= warning <= critical <= 100")
        if self.z_cap <= 0:
            raise ValueError("z_cap must be positive")
        persistence(np.zeros(1, dtype=bool), self.k, self.n)  # validates k, n

    def as_dict(self) -> dict[str, object]:
        return {"weights": dict(self.weights), "scales": dict(self.scales), "z_cap": self.z_cap,
                "watch": self.watch, "warning": self.warning, "critical": self.critical,
                "k": self.k, "n": self.n, "stl_window": self.stl_window,
                "value_signal": self.value_signal}

    @property
    def value_signal(self) -> str:
        """The import-value signal these weights score (the one of :data:`VALUE_SIGNALS` weighted)."""
        on = [s for s in VALUE_SIGNALS if self.weights.get(s, 0.0) > 0]
        return "+".join(on) or "none"

    def with_value_signal(self, name: ValueSignal) -> ScoringRules:
        """The same rules with the value weight moved onto signal ``name`` (``value_drop`` | ``stl_drop``)."""
        check_choice(name, ValueSignal, option="value signal")
        w = dict(self.weights)
        total = sum(w.pop(s, 0.0) for s in VALUE_SIGNALS)
        w[name] = total
        return replace(self, weights=w)


def contributions(signals: Mapping[str, np.ndarray], rules: ScoringRules) -> dict[str, np.ndarray]:
    """Score points each signal contributes: ``100 w_k min(z_k/c_k, cap)/cap`` (NaN → 0)."""
    out = {}
    for name, z in signals.items():
        w = rules.weights.get(name, 0.0)
        zz = np.nan_to_num(np.asarray(z, dtype=float), nan=0.0) / rules.scales.get(name, 1.0)
        out[name] = 100.0 * w * np.clip(zz, 0.0, rules.z_cap) / rules.z_cap
    return out


def score(signals: Mapping[str, np.ndarray], rules: ScoringRules) -> np.ndarray:
    """The 0–100 score: sum of :func:`contributions`, capped at 100."""
    parts = contributions(signals, rules)
    total = sum(parts.values(), start=np.zeros(np.shape(next(iter(parts.values())))))
    return np.minimum(total, 100.0)


def level_codes(s: np.ndarray, rules: ScoringRules) -> np.ndarray:
    """Level index (0 normal … 3 critical) per score, with the k-of-n filter on ``watch``.

    Persistence runs along the last (time) axis.
    """
    s = np.asarray(s, dtype=float)
    code = (s >= rules.watch).astype(np.int8) + (s >= rules.warning) + (s >= rules.critical)
    if rules.k > 1 or rules.n > 1:
        code = np.where(persistence(s >= rules.watch, rules.k, rules.n), code, 0)
    return code.astype(np.int8)


def explain(signals: Mapping[str, np.ndarray], index: tuple[int, ...] | int,
            rules: ScoringRules) -> list[dict[str, float | str]]:
    """Contributing signals at one position, largest first: ``[{signal, value, points}]``."""
    parts = contributions(signals, rules)
    rows: list[dict[str, float | str]] = []
    for name, z in signals.items():
        p = float(parts[name][index])
        if p > 0:
            rows.append({"signal": name, "value": round(float(np.asarray(z)[index]), 4),
                         "points": round(p, 2)})
    return sorted(rows, key=lambda r: -float(r["points"]))
