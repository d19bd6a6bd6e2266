"""``econsec`` command line: ingest, sources, sql.

Global options (before the command): ``--db``, ``--data-dir``, ``--json``; ``--json`` may also
follow the command, and list options take ``A,B`` or a repeated flag (:mod:`econsec.cli.options`).
Errors econsec raises on purpose print one clear line and exit with status 1; usage errors exit
with status 2.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Annotated

import pandas as pd
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from econsec import __version__
from econsec.cli.options import JSON_HELP, EconsecGroup
from econsec.cli.render import emit, err, fail, out
from econsec.errors import EconsecError
from econsec.services import catalog as svc
from econsec.settings import Config

app = typer.Typer(cls=EconsecGroup, add_completion=False, no_args_is_help=True,
                  help="econsec: economic-security analytics on real trade data. Country codes "
                       "are ISO3 in any case (kor = KOR); list options take A,B or a repeated "
                       "flag; --json works before or after the command.")


@dataclass(frozen=True)
class Ctx:
    config: Config
    json: bool


def _ctx(ctx: typer.Context) -> Ctx:
    return ctx.obj


def _version(value: bool) -> None:
    if value:
        out.print(f"econsec {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", help="Store path (env ECONSEC_DB).")] = None,
    data_dir: Annotated[str | None, typer.Option("--data-dir", help="Data directory (env ECONSEC_DATA_DIR).")] = None,
    json_: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    ctx.obj = Ctx(Config.resolve(data_dir=data_dir, db=db), json_)


@app.command()
def ingest(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Argument(help="Source name (see `econsec sources --all`). Default: every dataset found.")] = None,
    path: Annotated[str | None, typer.Argument(help="File or directory to read instead of the data directory.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-parse even when files are unchanged.")] = False,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (embedded, default) or spark (BACI: parse with Spark into a Parquet lake, then register it in the store).")] = "duckdb",
    lake: Annotated[str | None, typer.Option("--lake", help="Lake directory for --engine spark (default: `lake` beside the store).")] = None,
    master: Annotated[str, typer.Option("--master", help="Spark master for --engine spark: local[N] or a cluster URL.")] = "local[2]",
) -> None:
    """Load datasets into the store in one atomic transaction (unchanged files are skipped)."""
    c = _ctx(ctx)
    if engine not in svc.ENGINES:
        raise typer.BadParameter(f"expected one of {list(svc.ENGINES)}, got {engine!r}", param_hint="--engine")
    try:
        jobs = [] if engine == "spark" else svc.plan(c.config, source, path)
        with Progress(TextColumn("{task.description:<24}"), BarColumn(), TextColumn("{task.fields[stage]}"),
                      TimeElapsedColumn(), console=err, disable=c.json, transient=False) as bar:
            task = bar.add_task("ingest", total=2 if engine == "spark" else len(jobs), stage="")
            done = {"n": 0}

            def progress(name: str, stage: str) -> None:
                if stage in ("done", "unchanged"):
                    done["n"] += 1
                bar.update(task, description=name, stage=stage, completed=done["n"])
                if engine == "spark":  # Spark stages take long: one line per stage
                    bar.console.log(f"{name}: {stage}")

            if engine == "spark":
                lake_out, reg = svc.run_spark_ingest(c.config, source or "baci", path, lake=lake,
                                                     master=master, force=force, progress=progress)
            else:
                from econsec.store import Store
                from econsec.store import ingest as do_ingest
                with Store(c.config.db) as store:
                    outcomes = do_ingest(store, jobs, force=force, progress=progress)
    except EconsecError as e:
        raise fail(e) from e
    if engine == "spark":
        df = pd.DataFrame([
            {"step": f"spark → lake {lake_out.lake}", "source": lake_out.source, "status": lake_out.status,
             "vintage": lake_out.vintage, "files": len(lake_out.files), "rows_read": lake_out.rows_read,
             "rows_written": sum(lake_out.rows_by_year.values()) if lake_out.status != "unchanged" else 0,
             "mapped_codes": len(lake_out.mappings), "seconds": round(lake_out.seconds, 2)},
            {"step": "lake → store", "source": reg.source, "status": reg.status, "vintage": reg.vintage,
             "files": len(reg.files), "rows_read": reg.rows_read, "rows_written": sum(reg.rows_written.values()),
             "mapped_codes": len(reg.mappings), "seconds": round(reg.seconds, 2)}])
        emit(df, as_json=c.json, title=f"ingest into {c.config.db} ({lake_out.engine})")
        return
    df = pd.DataFrame([{"source": o.source, "status": o.status, "vintage": o.vintage,
                        "files": len(o.files), "rows_read": o.rows_read,
                        "rows_written": sum(o.rows_written.values()),
                        "mapped_codes": len(o.mappings), "seconds": round(o.seconds, 2)}
                       for o in outcomes])
    emit(df, as_json=c.json, title=f"ingest into {c.config.db}")


@app.command()
def sources(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="List every registered adapter, ingested or not.")] = False,
) -> None:
    """The catalog: each ingested source with vintage, rows, sha256 and coverage."""
    c = _ctx(ctx)
    try:
        if all_:
            from econsec.sources import registry
            df = pd.DataFrame([{"source": a.name, "title": a.title, "producer": a.producer,
                                "licence": a.licence, "url": a.url,
                                "files_found": len(a.discover(c.config.data_dir))}
                               for a in registry.available()])
        else:
            from econsec.store import Store
            with Store(c.config.db, read_only=True) as store:
                df = svc.catalog(store)
    except EconsecError as e:
        raise fail(e) from e
    if not c.json and not all_ and not df.empty:
        df = df.assign(sha256=df["sha256"].str[:12])[
            ["source", "vintage", "files", "rows_read", "rows", "coverage", "sha256"]]
    emit(df, as_json=c.json, title=f"econsec sources ({c.config.db})")


@app.command()
def countries(
    ctx: typer.Context,
    group: Annotated[str | None, typer.Option("--group", help="Only the members of this group (EU27, ASEAN, …); `--group list` lists the groups.")] = None,
) -> None:
    """Every country and group code the store knows: ISO3, name, codes per scheme, groups."""
    c = _ctx(ctx)
    try:
        from econsec.store import Store
        with Store(c.config.db, read_only=True) as store:
            df = svc.countries(store)
            if group is not None and group.strip().lower() == "list":
                df = svc.groups(store)
            elif group is not None:
                df = df[df["iso3"].isin(svc.group_members(store, group))].reset_index(drop=True)
    except EconsecError as e:
        raise fail(e) from e
    emit(df, as_json=c.json, title=f"countries ({c.config.db})")


@app.command()
def sql(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A SQL query (DuckDB dialect) on the store's "
                                              "tables and views.")],
) -> None:
    """Run a read-only SQL query on the store.

    The query runs in a sandbox: it can read the store's tables and views and nothing else.
    Writes, files and URLs (read_csv, COPY ... TO, ATTACH), extensions (INSTALL, LOAD) and SET
    are refused with one line naming what is not allowed.
    """
    c = _ctx(ctx)
    try:
        df = svc.run_sql(c.config, query)
    except EconsecError as e:
        raise fail(e) from e
    emit(df, as_json=c.json)


from econsec.cli import indicators as _indicators  # noqa: E402  (commands register on the app)
from econsec.cli import report as _report  # noqa: E402
from econsec.cli import scenarios as _scenarios  # noqa: E402
from econsec.cli import serve as _serve  # noqa: E402

_indicators.register(app)
_report.register(app)
_serve.register(app)
app.add_typer(_scenarios.app, name="scenario")

# Command groups: each a module of econsec.cli with a typer ``app``.
for _name in ("gravity", "io", "decoupling", "ews", "lng"):
    app.add_typer(importlib.import_module(f"econsec.cli.{_name}").app, name=_name)

if __name__ == "__main__":  # pragma: no cover
    app()
