"""Input–output analytics on multi-regional tables (WIOD 2013 and any MRIO of the same shape).

:class:`MRIO` holds one table (Z, Y, value added, labels) and runs the analyses, each returning a
read-only :class:`IOResult`: ``multipliers()``, ``value_added_in_trade()``, ``accounts()``,
``extraction()`` and ``supply_shock()``. The pure kernels (``calc_A``, ``calc_L``, ``calc_G``, …)
are in :mod:`econsec.analytics.io.equations`; :func:`load_mrio` (``data.py``) reads a table from
the store. Methods: docs/methods.md §6.1–5; Miller & Blair (2009).
"""

from econsec.analytics.io.data import load_mrio
from econsec.analytics.io.equations import (
    Leontief,
    LeontiefError,
    calc_A,
    calc_B,
    calc_G,
    calc_L,
    calc_M,
    calc_S,
    calc_x,
)
from econsec.analytics.io.mrio import EXTRACTION_KINDS, MRIO, SHOCK_MODELS, MRIOError
from econsec.analytics.io.results import Diagnostics, IOResult

__all__ = ["EXTRACTION_KINDS", "MRIO", "SHOCK_MODELS", "Diagnostics", "IOResult", "Leontief",
           "LeontiefError", "MRIOError", "calc_A", "calc_B", "calc_G", "calc_L", "calc_M", "calc_S",
           "calc_x", "load_mrio"]
