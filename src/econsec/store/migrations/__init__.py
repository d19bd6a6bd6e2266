"""Versioned schema migrations, applied in order, each in its own transaction.

A migration is a SQL file (``NNNN_name.sql``) or a Python function registered here. Applied
versions are recorded in ``schema_migrations``; a store newer than this econsec refuses to open.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import duckdb

from econsec import reference


def _sql(name: str) -> Callable[[duckdb.DuckDBPyConnection], None]:
    def up(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))

    return up


def _reference(con: duckdb.DuckDBPyConnection) -> None:
    """Load the reference tables econsec ships (countries, groups, FRB annual FX rates)."""
    c = reference.countries()
    con.register("_c", c)
    con.execute("""INSERT INTO countries SELECT iso3, name, nullif(iso2, ''), nullif(iso_numeric, ''),
                   kind FROM _c""")
    g = reference.country_groups()
    con.register("_g", g)
    con.execute("INSERT INTO country_groups SELECT group_code, iso3, CAST(since AS DATE), source FROM _g")
    fx = reference.fx_annual()
    con.register("_fx", fx)
    con.execute("""INSERT INTO fx_rates SELECT currency, make_date(year, 1, 1), 'A', per_usd,
                   'econsec-reference: ' || source FROM _fx""")
    for t in ("_c", "_g", "_fx"):
        con.unregister(t)


def _discover() -> tuple[tuple[int, str, Callable[[duckdb.DuckDBPyConnection], None]], ...]:
    """SQL files named ``NNNN_name.sql`` (version NNNN) plus the Python migrations, in order."""
    found: dict[int, tuple[str, Callable[[duckdb.DuckDBPyConnection], None]]] = {
        2: ("reference tables", _reference)}
    for f in resources.files(__name__).iterdir():
        if f.name.endswith(".sql") and f.name[:4].isdigit():
            version = int(f.name[:4])
            if version in found:
                raise RuntimeError(f"two migrations with version {version}: {f.name}")
            found[version] = (f.name[5:-4].replace("_", " "), _sql(f.name))
    versions = sorted(found)
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migration versions must be 1..n without gaps, got {versions}")
    return tuple((v, *found[v]) for v in versions)


MIGRATIONS = _discover()
