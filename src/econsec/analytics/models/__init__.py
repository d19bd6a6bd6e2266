"""Economic models: structural-gravity general equilibrium (``gravity``) and the scenarios on them."""
