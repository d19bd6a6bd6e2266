"""The Python API: one :class:`Session` over the embedded store, with every analysis as a method.

    >>> import econsec
    >>> with econsec.Session() as es:                     # ECONSEC_DB / ECONSEC_DATA_DIR or defaults
    ...     es.ingest()                                   # every dataset in the data directory
    ...     iv = es.vulnerability(year=2019, min_imports_usd=1e10)
    ...     iv.frame.head(); iv.provenance()
    ...     run = es.scenario("china-60", model="ge")
    ...     rep = es.report("KOR", "JPN"); es.report_html(rep, "kor-jpn.html")

Each analysis method is the service function of the same name (``econsec.services.*``) with the
session's store bound as its first argument: same parameters, same docstring, same read-only
result objects (``frame``, ``tables``, ``provenance()``, ``summary()``). ``help(es.complementarity)``
shows them. Country codes follow the rule of every interface (:mod:`econsec.services.args`):
any case (``"kor"`` is ``KOR``), unknown codes raise ``NotFoundError``, a pair needs two different
economies (``OptionError``), and a list may also be one comma-separated string. A session opens the store read-write unless ``read_only=True``; DuckDB allows one
read-write process per file, so close the session (or use ``with``) before running the CLI on the
same store.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from econsec.analytics.scenarios import list_presets
from econsec.present.report_html import render_html
from econsec.services import args as _args
from econsec.services import catalog as _catalog
from econsec.services import complexity as _cx
from econsec.services import decoupling as _dec
from econsec.services import ews as _ews
from econsec.services import gravity as _grav
from econsec.services import indicators as _ind
from econsec.services import io as _io
from econsec.services import lng as _lng
from econsec.services import report as _report
from econsec.services import scenarios as _scn
from econsec.settings import Config
from econsec.store import IngestOutcome, Store

__all__ = ["Session"]


#: How a method's country arguments are read (:mod:`econsec.services.args`): ``one`` code,
#: ``many`` codes, ``distinct`` codes (none twice), ``members`` (groups expanded to ISO3),
#: ``pair`` (a 2-tuple of different codes), ``importer`` (a code, or any bloc name with ``bloc``).
CodeKind = Literal["one", "many", "distinct", "members", "pair", "importer"]


def _codes(store: Store, arguments: dict[str, Any], codes: Mapping[str, CodeKind],
           pair: tuple[str, str] | None) -> None:
    """Normalise and check, in place, the country arguments a caller gave."""
    for p, kind in codes.items():
        v = arguments.get(p)
        if v is None:
            continue
        if kind == "one":
            arguments[p] = _args.country(store, v, option=p)
        elif kind == "importer":
            arguments[p] = (_args.normalise(v) if arguments.get("bloc")
                            else _args.country(store, v, option=p))
        elif kind == "pair":
            arguments[p] = _args.pair(store, *v, options=(f"{p}[0]", f"{p}[1]"))
        else:
            got = (_args.members(store, v, option=p) if kind == "members" else
                   _args.countries(store, v, distinct=kind == "distinct", option=p))
            arguments[p] = list(got) if isinstance(v, list) else got
    if pair is not None and pair[0] in arguments and pair[1] in arguments:
        arguments[pair[0]], arguments[pair[1]] = _args.pair(
            store, arguments[pair[0]], arguments[pair[1]], options=pair)


def _bound(fn: Callable[..., Any], name: str | None = None, *,
           codes: Mapping[str, CodeKind] | None = None,
           pair: tuple[str, str] | None = None) -> Callable[..., Any]:
    """A method calling the service ``fn(store, ...)`` with the session's store; the parameters
    named in ``codes`` (and the two of ``pair``) are read as country codes first."""
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())[1:]

    def method(self: Session, *args: Any, **kwargs: Any) -> Any:
        if not codes and pair is None:
            return fn(self.store, *args, **kwargs)
        bound = sig.bind(self.store, *args, **kwargs)
        bound.apply_defaults()
        _codes(self.store, bound.arguments, codes or {}, pair)
        return fn(*bound.args, **bound.kwargs)

    method.__name__ = name or fn.__name__
    method.__qualname__ = f"Session.{method.__name__}"
    method.__doc__ = fn.__doc__
    method.__module__ = __name__
    method.__signature__ = sig.replace(  # type: ignore[attr-defined]
        parameters=[inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *params])
    return method


class Session:
    """econsec on one store. ``db`` and ``data_dir`` default to the settings (README)."""

    def __init__(self, db: str | Path | None = None, data_dir: str | Path | None = None, *,
                 read_only: bool = False) -> None:
        self.config = Config.resolve(db=db, data_dir=data_dir)
        self.read_only = read_only
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The open store (opened on first use; the file and its schema are created if needed)."""
        if self._store is None:
            self._store = Store(self.config.db, read_only=self.read_only)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<econsec.Session {self.config.db} ({mode}); data {self.config.data_dir}>"

    # -- data ----------------------------------------------------------------------------
    def ingest(self, source: str | None = None, path: str | Path | None = None, *,
               force: bool = False) -> list[IngestOutcome]:
        """Ingest every dataset in the data directory, one source, or one source from ``path``
        (one atomic transaction; unchanged files are skipped unless ``force``)."""
        return _catalog.run_ingest(self.config, source, path, force=force, store=self.store)

    def sources(self) -> pd.DataFrame:
        """The catalog: source, vintage, files, rows, coverage, sha256."""
        return _catalog.catalog(self.store)

    def sql(self, query: str, params: list[object] | None = None) -> pd.DataFrame:
        """Run read-only SQL on the store (DuckDB dialect) and return a frame.

        The query runs as ``econsec sql`` does, on a sandboxed read-only connection: it reads the
        store's tables and views and nothing else; writes, files and URLs, extensions and ``SET``
        raise ``ReadOnlyError``. DuckDB cannot open the sandbox beside the session's own
        connection, so that connection is closed first and reopened on next use.
        """
        self.close()
        return _catalog.run_sql(self.config, query, params)

    # -- structural indicators (docs/indicators.md) --------------------------------------
    vulnerability = _bound(_ind.vulnerability)
    vulnerability_series = _bound(_ind.vulnerability_series, codes={"countries": "many"})
    critical_items = _bound(_ind.critical_items, codes={"country": "importer", "bloc": "members"})
    competitiveness = _bound(_ind.competitiveness, codes={"country": "one"})
    complementarity = _bound(_ind.complementarity, pair=("a", "b"))
    exposure = _bound(_ind.exposure, codes={"countries": "many"})
    semiconductor_equipment = _bound(_ind.semiconductor_equipment, pair=("a", "b"))
    complexity = _bound(_cx.complexity)

    # -- scenarios and models (docs/scenarios.md, docs/models/, docs/decoupling.md) ------
    scenario = _bound(_scn.run_scenario, "scenario")
    decoupling = _bound(_dec.run_scenarios, "decoupling")
    decoupling_all = _bound(_dec.run_all, "decoupling_all")
    gravity_estimate = _bound(_grav.estimate, "gravity_estimate")
    gravity_simulate = _bound(_grav.simulate, "gravity_simulate")
    mrio = _bound(_io.table, "mrio")
    io_multipliers = _bound(_io.multipliers, "io_multipliers")
    io_va_trade = _bound(_io.va_trade, "io_va_trade")
    io_shock = _bound(_io.shock, "io_shock", codes={"country": "one"})
    io_demand_shock = _bound(_io.demand_shock, "io_demand_shock", codes={"country": "one"})

    # -- early warning (docs/ews.md) -----------------------------------------------------
    ews_generate_watchlist = _bound(_ews.generate_watchlist, "ews_generate_watchlist",
                                    codes={"importers": "many"})
    ews_watchlist = _bound(_ews.watchlist, "ews_watchlist", codes={"importer": "one"})
    ews_scan = _bound(_ews.scan, "ews_scan", codes={"pair": "pair"})
    ews_alerts = _bound(_ews.alerts, "ews_alerts")
    ews_backtest = _bound(_ews.backtest, "ews_backtest")

    # -- LNG (docs/lng.md) ---------------------------------------------------------------
    lng_portfolio = _bound(_lng.portfolio, "lng_portfolio", codes={"importers": "many"})
    lng_optimize = _bound(_lng.optimize, "lng_optimize", codes={"buyers": "distinct"})
    lng_disrupt = _bound(_lng.disrupt, "lng_disrupt",
                         codes={"buyers": "distinct", "suppliers": "many"})
    lng_us_balance = _bound(_lng.us_balance, "lng_us_balance", codes={"country": "one"})

    # -- the pair report -----------------------------------------------------------------
    report = _bound(_report.pair_report, "report", pair=("a", "b"))

    @staticmethod
    def report_html(rep: _report.Report, path: str | Path) -> Path:
        """Write a report from :meth:`report` as one self-contained HTML page."""
        p = Path(path)
        p.write_text(render_html(rep), encoding="utf-8")
        return p

    @staticmethod
    def scenario_presets() -> tuple[str, ...]:
        """Names of the shipped tariff and agreement presets."""
        return list_presets()

    @staticmethod
    def decoupling_presets() -> pd.DataFrame:
        """The six decoupling presets (hubs × preferential attachment)."""
        return _dec.list_presets()
