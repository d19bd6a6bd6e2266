"""Supply-chain early-warning system (methods.md §7): signals, scoring, watchlists, backtest."""

from econsec.analytics.ews.data import load_monthly_panel
from econsec.analytics.ews.panel import MonthlyPanel, evaluate, panel_from_frame
from econsec.analytics.ews.scoring import LEVELS, ScoringRules, explain, level_codes, score
from econsec.analytics.ews.watchlist import generate, grade

__all__ = ["LEVELS", "MonthlyPanel", "ScoringRules", "evaluate", "explain", "generate", "grade",
           "level_codes", "load_monthly_panel", "panel_from_frame", "score"]
