"""`econsec decoupling list|run`: technology-decoupling scenarios (IMF WP/21/69) on WIOD."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer

from econsec.cli.render import ResultView as _View
from econsec.cli.render import emit, emit_result, err
from econsec.cli.render import fail as _fail
from econsec.errors import EconsecError

app = typer.Typer(no_args_is_help=True, help="Technology decoupling between blocs (hubs, high-tech barriers, preferential attachment).")

FORMATS = ("table", "csv", "json", "parquet")
FOCUS = ("USA", "CHN", "DEU", "JPN", "KOR", "TWN", "IND")




def figure2(table: pd.DataFrame, path: str, title: str = "") -> None:
    """Bars of real income change (%) by economy, one panel per scenario (the style of WP/21/69
    Figure 2). ``table``: economies × scenarios (as ``DecouplingResults.table``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = list(table.columns)
    ncol = 2 if len(cols) > 1 else 1
    nrow = -(-len(cols) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(6 * ncol, 2.6 * nrow), squeeze=False, sharey=True)
    for ax, c in zip(axes.ravel(), cols, strict=False):
        v = table[c]
        ax.bar(v.index.astype(str), v.to_numpy(), color=["#b22222" if x < 0 else "#2e6f9e" for x in v])
        ax.axhline(0, color="black", lw=0.6)
        ax.set_title(c, fontsize=9)
        ax.tick_params(axis="x", labelsize=7, rotation=90)
        ax.grid(axis="y", alpha=0.3)
    for ax in axes.ravel()[len(cols):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("real income, %")
    fig.suptitle(title or "Technology decoupling: real income change by economy", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """The six presets (hubs × preferential attachment)."""
    from econsec.services.decoupling import list_presets

    emit(list_presets(), as_json=ctx.obj.json, title="decoupling presets")


@app.command()
def run(ctx: typer.Context,
        scenarios: Annotated[list[str], typer.Argument(help="Preset names or TOML files; 'all' = the six presets.")],
        barrier: Annotated[float | None, typer.Option("--barrier", help="Ad-valorem equivalent of the barrier (0.2 = 20%); default: the scenario's.")] = None,
        year: Annotated[int, typer.Option("--year", help="WIOD year.")] = 2011,
        focus: Annotated[str, typer.Option("--focus", help="Comma-separated economies for the table and chart ('' = all).")] = ",".join(FOCUS),
        chart: Annotated[str | None, typer.Option("--chart", help="Write a Figure-2-style PNG here.")] = None,
        fmt: Annotated[str, typer.Option("--format", help="table | csv | json | parquet")] = "table",
        out_path: Annotated[str | None, typer.Option("--out", help="Write to this file.")] = None) -> None:
    """Solve scenarios (Caliendo–Parro with input–output links on WIOD): real income change per
    economy per scenario, plus the bloc assignment of each scenario."""
    from econsec.services import decoupling as svc
    from econsec.store import Store

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    names = list(svc.PRESETS) if scenarios == ["all"] else scenarios
    who = [x.strip() for x in focus.split(",") if x.strip()] or None
    try:
        with Store(ctx.obj.config.db, read_only=True) as store:
            res = svc.run_scenarios(store, names, barrier=barrier, year=year)
        table = res.table(who)
    except (EconsecError, KeyError) as e:
        raise _fail(e) from e
    if chart:
        figure2(table.drop(index=["world"]), chart)
        err.print(f"wrote {chart}")
    view = _View(res, table.reset_index(),
                 {f"blocs_{k}": sc.assignment for k, (sc, _) in res.runs.items()})
    emit_result(view, fmt="json" if ctx.obj.json else fmt, out_path=out_path)
