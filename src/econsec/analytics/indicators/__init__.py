"""Structural indicators (issue #3; methods: docs/methods.md §1–3, §10, §11).

Kernels take a :class:`TradePanel` (one year of bilateral flows, integer-coded) and return
labelled frames; :class:`IndicatorResult` carries each frame with how it was computed and from
which data.

Economic complexity is public here with py-ecomplexity's interface: :func:`complexity_long`
takes a long frame (time, location, product, value) and returns RCA, ECI, PCI, density, COI and
COG, equal to py-ecomplexity 0.5.3 on its own sample (``tests/reference/test_complexity_reference.py``);
:func:`econsec.analytics.indicators.complexity.complexity` is the same on one year's matrix.
"""

from econsec.analytics.indicators.complexity import (
    CONVENTIONS,
    ComplexityArrays,
    complexity_long,
    rca_matrix,
)
from econsec.analytics.indicators.panel import TradePanel, panel_from_frame

__all__ = ["CONVENTIONS", "ComplexityArrays", "TradePanel", "complexity_long", "panel_from_frame",
           "rca_matrix"]
