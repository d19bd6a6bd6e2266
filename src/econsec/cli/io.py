"""`econsec io multipliers|va-trade|shock|demand-shock`: input–output analytics on a WIOD year."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import typer

from econsec.analytics.io.equations import ShockModel
from econsec.analytics.io.mrio import OutputBasis
from econsec.cli.render import FORMAT_HELP, OUT_HELP, check_output, emit_result
from econsec.cli.render import ResultView as _View
from econsec.cli.render import fail as _fail
from econsec.errors import EconsecError

app = typer.Typer(no_args_is_help=True, help="Input–output analytics on WIOD (multipliers, value added in trade, supply and final-demand shocks).")

FORMATS = ("table", "csv", "json", "parquet")
YEAR = typer.Option("--year", help="WIOD year (1995–2011).")
FMT = typer.Option("--format", help=FORMAT_HELP)
OUT = typer.Option("--out", help=OUT_HELP)
GROSS = typer.Option("--gross-output", help="Gross output x: the table's row sums Z·1 + Y·1, or WIOD's published gross output (GO).")



def _flat(df: pd.DataFrame) -> pd.DataFrame:
    return df.reset_index() if any(n is not None for n in df.index.names) else df



def _emit(ctx: typer.Context, compute: Any, fmt: str, out_path: str | None,
          tables: tuple[str, ...] = ()) -> None:
    from econsec.store import Store

    fmt = "json" if ctx.obj.json else fmt
    check_output(fmt, out_path, FORMATS)
    try:
        with Store(ctx.obj.config.db, read_only=True) as store:
            res = compute(store)
    except EconsecError as e:
        raise _fail(e) from e
    view = _View(res, _flat(res.frame), {k: _flat(res.table(k)) for k in tables})
    try:
        emit_result(view, fmt=fmt, out_path=out_path, tables=tables)
    except ValueError as e:
        raise _fail(e) from e


@app.command()
def multipliers(ctx: typer.Context, year: Annotated[int, YEAR] = 2011,
                fmt: Annotated[str, FMT] = "table", out_path: Annotated[str | None, OUT] = None,
                gross_output: Annotated[OutputBasis, GROSS] = "row-sums") -> None:
    """Output, value-added and forward (Ghosh) multipliers per country-sector."""
    from econsec.services import io as svc

    _emit(ctx, lambda s: svc.multipliers(s, year, output=gross_output), fmt, out_path)


@app.command("va-trade")
def va_trade(ctx: typer.Context, year: Annotated[int, YEAR] = 2011,
             fmt: Annotated[str, FMT] = "table", out_path: Annotated[str | None, OUT] = None,
             gross_output: Annotated[OutputBasis, GROSS] = "row-sums") -> None:
    """Value added in trade (DVA, FVA, VAX) and GVC participation per region."""
    from econsec.services import io as svc

    _emit(ctx, lambda s: svc.va_trade(s, year, output=gross_output), fmt, out_path)


@app.command()
def shock(ctx: typer.Context,
          country: Annotated[str, typer.Option("--country", help="Region code, e.g. CHN.")],
          sector: Annotated[str, typer.Option("--sector", help="WIOD industry code, e.g. c14.")],
          cut: Annotated[float, typer.Option("--cut", help="Fraction of supply cut (0.1 = 10%).")] = 0.1,
          model: Annotated[ShockModel, typer.Option("--model", help="Downstream (ghosh) or upstream (leontief) propagation.")] = "ghosh",
          year: Annotated[int, YEAR] = 2011, fmt: Annotated[str, FMT] = "table",
          out_path: Annotated[str | None, OUT] = None,
          gross_output: Annotated[OutputBasis, GROSS] = "row-sums") -> None:
    """Cut one country-sector's supply and propagate it: output loss per country-sector and per
    region (table ``by_region``)."""
    from econsec.services import args
    from econsec.services import io as svc

    _emit(ctx, lambda s: svc.shock(s, country=args.country(s, country, option="--country"), sector=sector, cut=cut,
                                   model=model, year=year, output=gross_output),
          fmt, out_path, tables=("by_region",))


@app.command("demand-shock")
def demand_shock(ctx: typer.Context,
                 country: Annotated[str, typer.Option("--country", help="Region code, e.g. USA.")],
                 sector: Annotated[str, typer.Option("--sector", help="WIOD industry code, e.g. c14.")],
                 change: Annotated[float | None, typer.Option("--change", help="Change in final demand for the sector's output, in the table's unit (WIOD: million USD), e.g. -1000.")] = None,
                 share: Annotated[float | None, typer.Option("--share", help="Change as a fraction of the sector's final demand (-0.1 = -10%); instead of --change.")] = None,
                 year: Annotated[int, YEAR] = 2011, fmt: Annotated[str, FMT] = "table",
                 out_path: Annotated[str | None, OUT] = None,
                 gross_output: Annotated[OutputBasis, GROSS] = "row-sums") -> None:
    """Change final demand for one country-sector's output and propagate it (Δx = L Δf): output
    and value-added change per country-sector and per region (table ``by_region``)."""
    from econsec.services import args
    from econsec.services import io as svc

    if (change is None) == (share is None):
        raise typer.BadParameter("give one of --change (table unit) or --share (fraction of final demand)")
    _emit(ctx, lambda s: svc.demand_shock(s, country=args.country(s, country, option="--country"),
                                          sector=sector, change=change, share=share, year=year,
                                          output=gross_output),
          fmt, out_path, tables=("by_region",))
