"""LNG security: supplier portfolios, contracts, joint procurement, disruptions, U.S. LNG.

Pure kernels (numpy / pandas / HiGHS LP); the services layer reads the store and builds the
inputs. Methods and sources: docs/lng.md and methods.md §8.
"""

from econsec.analytics.lng.balance import delivered_price, mt_to_offset
from econsec.analytics.lng.contracts import (
                                             expiry_ladder,
                                             flat_demand,
                                             shipped_contracts,
                                             uncontracted_gap,
)
from econsec.analytics.lng.disruption import buyer_slack, disrupt, respond, worst_case
from econsec.analytics.lng.optimize import (
                                             MMBTU_PER_TONNE,
                                             Allocation,
                                             ProcurementSpec,
                                             allocation_frame,
                                             solve,
                                             solve_pool,
                                             stack,
                                             transfers,
)
from econsec.analytics.lng.portfolio import (
                                             BCM_TO_MT,
                                             CHOKEPOINTS,
                                             HORMUZ,
                                             chokepoint,
                                             hhi,
                                             passes_malacca,
                                             portfolio_indicators,
                                             route_flags,
                                             routes,
                                             shannon,
                                             supplier_table,
)
from econsec.analytics.lng.results import LngError, LngResult

__all__ = ["BCM_TO_MT", "CHOKEPOINTS", "HORMUZ", "MMBTU_PER_TONNE", "Allocation", "LngError",
           "LngResult", "ProcurementSpec", "allocation_frame", "buyer_slack", "chokepoint",
           "delivered_price", "disrupt", "expiry_ladder", "flat_demand", "hhi", "mt_to_offset",
           "passes_malacca", "portfolio_indicators", "respond", "route_flags", "routes",
           "shannon", "shipped_contracts", "solve", "solve_pool", "stack", "supplier_table",
           "transfers", "uncontracted_gap", "worst_case"]
