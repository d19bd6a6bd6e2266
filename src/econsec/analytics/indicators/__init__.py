"""Structural indicators (issue #3; methods: ../shared/docs/methods.md §1–3).

Kernels take a :class:`TradePanel` (one year of bilateral flows, integer-coded) and return
labelled frames; :class:`IndicatorResult` carries each frame with how it was computed and from
which data.
"""

from econsec.analytics.indicators.panel import TradePanel, panel_from_frame

__all__ = ["TradePanel", "panel_from_frame"]
