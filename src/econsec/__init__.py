"""econsec: economic-security analytics and supply-chain early warning on real trade data.

Layers (dependencies point one way): ``sources`` (parse published formats) → ``store``
(embedded DuckDB, migrations, atomic ingest) → ``analytics`` → ``services`` → ``present``
(charts, HTML) → interfaces: ``session`` (the Python API, ``econsec.Session``), ``api`` (REST
and dashboard), ``cli``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("econsec")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["Session", "__version__"]


def __getattr__(name: str) -> object:
    # Lazy, so that importing a lower layer (which reads __version__) does not import the
    # interfaces above it.
    if name == "Session":
        from econsec.session import Session

        return Session
    raise AttributeError(f"module 'econsec' has no attribute {name!r}")
