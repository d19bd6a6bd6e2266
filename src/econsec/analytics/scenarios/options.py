"""Options of a scenario run, validated once (issue 12): which models, σ, Monte Carlo draws.

:class:`RunOptions` is frozen and checks itself when built, so every interface (CLI, API,
report, Python) refuses the same values with the same :class:`~econsec.errors.OptionError`,
naming the option, what it allows and what was given.

* ``model`` — ``ge`` (two-sector GE on WIOD), ``pe`` (SMART on U.S. imports), ``both``, or
  ``all`` (adds the 35-sector Caliendo–Parro model).
* ``sigma`` — elasticity of substitution for goods, σ > 1: the goods trade elasticity is σ − 1
  (Head & Mayer 2014 put σ near 5). At σ ≤ 1 the CES demand system has no gravity equilibrium
  with trade falling in costs.
* ``draws`` — 0 (point estimates) or 2 to :data:`MAX_DRAWS` Monte Carlo draws for 5–95 % bands
  (a percentile band needs at least two draws).
* ``deficits`` — ``fixed`` (held in world-GDP units) or ``removed`` first (balanced trade,
  Dekle, Eaton & Kortum 2008).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from econsec.analytics.models.multisector.model import Deficits
from econsec.errors import OptionError, check_choice, check_range, choices

Model = Literal["ge", "pe", "both", "all"]
MODELS: tuple[Model, ...] = choices(Model)
DEFICITS: tuple[Deficits, ...] = choices(Deficits)
#: Most Monte Carlo draws a run takes: each draw is one GE solve (~15 ms), so 10,000 draws take
#: a few minutes; the 5–95 % bands are stable to the second decimal well before that.
MAX_DRAWS = 10_000


def check_sigma(sigma: float, *, option: str = "sigma") -> float:
    """σ as a float if it is a finite number > 1, else :class:`~econsec.errors.OptionError`."""
    return check_range(sigma, gt=1.0, option=option)


def check_draws(draws: int, *, option: str = "draws") -> int:
    """``draws`` if it is 0 (point estimates) or 2 to :data:`MAX_DRAWS`; else
    :class:`~econsec.errors.OptionError`."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or \
            (draws != 0 and not 2 <= draws <= MAX_DRAWS):
        raise OptionError(f"{option}: expected 0 (point estimates, no bands) or from 2 to "
                          f"{MAX_DRAWS:,} (Monte Carlo 5–95 % bands); got {draws!r}")
    return int(draws)


@dataclass(frozen=True)
class RunOptions:
    """The options of one scenario run (module docstring); invalid values raise
    :class:`~econsec.errors.OptionError` when the object is built."""

    model: Model = "both"
    sigma: float = 5.0
    draws: int = 0
    seed: int = 2025
    deficits: Deficits = "fixed"

    def __post_init__(self) -> None:
        check_choice(self.model, Model, option="model")
        check_sigma(self.sigma)
        check_draws(self.draws)
        check_choice(self.deficits, Deficits, option="deficits")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or self.seed < 0:
            raise OptionError(f"seed: expected a whole number ≥ 0; got {self.seed!r}")
