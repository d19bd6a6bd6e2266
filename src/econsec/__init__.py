"""econsec: economic-security analytics and supply-chain early warning on real trade data.

Layers (dependencies point one way): ``sources`` (parse published formats) → ``store``
(embedded DuckDB, migrations, atomic ingest) → ``analytics`` → ``services`` → ``cli``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("econsec")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
