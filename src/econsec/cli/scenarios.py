"""`econsec scenario list|show|run`: tariff and trade-agreement scenarios."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from econsec.analytics.scenarios.options import Deficits, Model
from econsec.cli.options import split
from econsec.cli.render import (
    OUT_HELP,
    ResultView,
    check_output,
    emit,
    emit_result,
    err,
    out,
    records,
)
from econsec.cli.render import fail as _fail
from econsec.errors import EconsecError

app = typer.Typer(no_args_is_help=True, help="Tariff and trade-agreement scenarios (GE and PE).")


@contextmanager
def _draw_progress(title: str, draws: int) -> Iterator[Callable[[int, int], None] | None]:
    """A bar over the Monte Carlo draws on stderr (a spinner when there are none); yields the
    ``progress(done, total)`` callback the service calls after each draw."""
    if not draws:
        with err.status(f"{title}…"):
            yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=err, transient=True) as bar:
        task = bar.add_task(f"{title}: Monte Carlo draws", total=draws)
        yield lambda done, total: bar.update(task, completed=done, total=total)



@app.command("list")
def list_(ctx: typer.Context) -> None:
    """The shipped presets (each also runs as NAME-retaliation)."""
    from econsec.analytics.scenarios import preset_catalog

    emit(preset_catalog(), as_json=ctx.obj.json, title="scenario presets")


@app.command()
def show(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Preset name or TOML file.")]) -> None:
    """Every measure of a scenario with the source of its rate."""
    from econsec.services.scenarios import resolve

    try:
        spec = resolve(name)
    except EconsecError as e:
        raise _fail(e) from e
    if ctx.obj.json:
        sys.stdout.write(json.dumps({"name": spec.name, "toml": spec.to_toml()}) + "\n")
    else:
        out.print(spec.describe(), highlight=False)


@app.command()
def run(ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Preset name or TOML file.")],
        model: Annotated[Model, typer.Option("--model", help="GE, PE, both, or all (adds the 35-sector Caliendo–Parro model).")] = "both",
        sigma: Annotated[float, typer.Option("--sigma", help="Elasticity of substitution for goods (trade elasticity σ − 1).")] = 5.0,
        draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws for 5–95 % bands (0 = none).")] = 0,
        deficits: Annotated[Deficits, typer.Option("--deficits", help="fixed (held in world-GDP units) or removed (solve from the balanced-trade equilibrium, DEK 2008).")] = "fixed",
        focus: Annotated[list[str] | None, typer.Option("--focus", callback=split, help="Economies to report first, comma-separated or repeated (default: KOR,JPN).")] = None,
        top: Annotated[int, typer.Option("--top", help="HS10 diversion gains to list per focus economy.")] = 10,
        fmt: Annotated[str, typer.Option("--format", help="table | json | csv (per-country table; with --out the other tables beside it).")] = "table",
        out_path: Annotated[str | None, typer.Option("--out", help=OUT_HELP)] = None) -> None:
    """Run a scenario: effects on the focus economies (GE with bands, PE in the U.S. market),
    every economy's real income, third markets and the largest HS10 diversion gains."""
    from econsec.services import args
    from econsec.services import scenarios as svc
    from econsec.store import Store

    check_output(fmt, out_path, ("table", "json", "csv"))
    c = ctx.obj
    try:  # every option checked once, before the store is opened (OptionError names it)
        svc.RunOptions(model=model, sigma=sigma, draws=draws, deficits=deficits)
        with Store(c.config.db, read_only=True) as store:
            who = list(args.countries(store, focus or ["KOR", "JPN"], option="--focus"))
            beta = None
            spec = svc.resolve(name)
            if spec.agreements:
                beta = svc.rta_coefficient(store)
            with _draw_progress(f"running {spec.name} ({model})", draws) as step:
                res = svc.run_scenario(store, name, model=model, sigma=sigma, draws=draws,
                                       rta_beta=beta, deficits=deficits, progress=step)
        focus_table = res.focus(who)  # an economy no model has: one line naming those it has
        _, focus_notes = res.coverage(who)
        gains = res.diversion_gains(who, top)
    except EconsecError as e:
        raise _fail(e) from e
    fmt = "json" if c.json else fmt
    if fmt == "json":
        doc = {"provenance": res.provenance(), "focus": records(focus_table),
               "focus_notes": list(focus_notes),
               "countries": records(res.countries()),
               "third_markets": records(res.third_markets) if res.third_markets is not None else [],
               "diversion_gains": {k: records(v) for k, v in gains.items()}}
        text = json.dumps(doc, default=str, ensure_ascii=False) + "\n"
        if out_path:
            open(out_path, "w", encoding="utf-8").write(text)
        else:
            sys.stdout.write(text)
        return
    if fmt == "csv":  # plain CSV of every economy; the other tables and provenance beside it
        import pandas as pd

        extra = {"focus": focus_table, "focus_notes": pd.DataFrame({"note": list(focus_notes)}),
                 **({"third_markets": res.third_markets} if res.third_markets is not None else {}),
                 **{f"diversion_gains_{k}": v for k, v in gains.items()}}
        emit_result(ResultView(res, res.countries(), extra), fmt="csv", out_path=out_path)
        return
    out.print(f"[bold]{res.summary()}[/bold]", highlight=False)
    emit(focus_table, as_json=False, title="effects on " + ", ".join(who))
    for note in focus_notes:
        out.print(f"[dim]note: {note}[/dim]", highlight=False)
    emit(res.countries().head(12), as_json=False, title="largest real-income losses (GE)")
    if res.third_markets is not None:
        tm = res.third_markets[res.third_markets["third_market"]]
        emit(tm.groupby("exporter", as_index=False)[["change_musd"]].sum(), as_json=False,
             title="exports to third markets (not USA, not CHN), change in million USD")
        emit(tm[tm["exporter"] == "CHN"].head(8), as_json=False, title="where China's exports are diverted")
    for k, g in gains.items():
        emit(g[["product", "description", "imports_baseline", "diversion", "top_loser"]],
             as_json=False, title=f"largest HS10 diversion gains for {k} in the U.S. market (USD)")
