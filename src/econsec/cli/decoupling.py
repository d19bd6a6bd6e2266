"""`econsec decoupling list|run`: technology-decoupling scenarios (IMF WP/21/69) on WIOD."""

from __future__ import annotations

from typing import Annotated

import typer

from econsec.cli.options import split
from econsec.cli.render import FORMAT_HELP, OUT_HELP, check_output, emit, emit_result, err
from econsec.cli.render import ResultView as _View
from econsec.cli.render import fail as _fail
from econsec.errors import EconsecError
from econsec.present.charts import figure2

app = typer.Typer(no_args_is_help=True, help="Technology decoupling between blocs (hubs, high-tech barriers, preferential attachment).")

FORMATS = ("table", "csv", "json", "parquet")
FOCUS = ("USA", "CHN", "DEU", "JPN", "KOR", "TWN", "IND")




@app.command("list")
def list_(ctx: typer.Context) -> None:
    """The six presets (hubs × preferential attachment)."""
    from econsec.services.decoupling import list_presets

    emit(list_presets(), as_json=ctx.obj.json, title="decoupling presets")


@app.command()
def run(ctx: typer.Context,
        scenarios: Annotated[list[str], typer.Argument(help="Preset names or TOML files; 'all' = the six presets.")],
        barrier: Annotated[float | None, typer.Option("--barrier", help="Ad-valorem equivalent of the barrier (0.2 = 20%); default: the scenario's.")] = None,
        deficits: Annotated[str, typer.Option("--deficits", help="fixed | removed (start from the balanced-trade equilibrium, DEK 2008).")] = "fixed",
        year: Annotated[int, typer.Option("--year", help="WIOD year.")] = 2011,
        focus: Annotated[list[str] | None, typer.Option("--focus", callback=split, help="Economies for the table and chart, comma-separated or repeated; 'all' = every economy (default: " + ",".join(FOCUS) + ").")] = None,
        chart: Annotated[str | None, typer.Option("--chart", help="Write a Figure-2-style PNG here.")] = None,
        fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
        out_path: Annotated[str | None, typer.Option("--out", help=OUT_HELP)] = None) -> None:
    """Solve scenarios (Caliendo–Parro with input–output links on WIOD): real income change per
    economy per scenario, plus the bloc assignment of each scenario."""
    from econsec.services import args
    from econsec.services import decoupling as svc
    from econsec.store import Store

    check_output("json" if ctx.obj.json else fmt, out_path, FORMATS)
    names = list(svc.PRESETS) if scenarios == ["all"] else scenarios
    focus = list(FOCUS) if focus is None else focus
    try:
        with Store(ctx.obj.config.db, read_only=True) as store:
            who = None if not focus or focus == ["all"] else \
                list(args.countries(store, focus, option="--focus"))
            res = svc.run_scenarios(store, names, barrier=barrier, year=year, deficits=deficits)
        table = res.table(who)
    except EconsecError as e:
        raise _fail(e) from e
    if chart:
        figure2(table.drop(index=["world"]), chart)
        err.print(f"wrote {chart}")
    view = _View(res, table.reset_index(),
                 {f"blocs_{k}": sc.assignment for k, (sc, _) in res.runs.items()})
    emit_result(view, fmt="json" if ctx.obj.json else fmt, out_path=out_path)
