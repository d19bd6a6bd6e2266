"""`econsec io multipliers|va-trade|shock`: input–output analytics on a WIOD year."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
import typer

from econsec.cli.render import ResultView as _View
from econsec.cli.render import check_output, emit_result
from econsec.cli.render import fail as _fail
from econsec.errors import EconsecError

app = typer.Typer(no_args_is_help=True, help="Input–output analytics on WIOD (multipliers, value added in trade, supply shocks).")

FORMATS = ("table", "csv", "json", "parquet")
YEAR = typer.Option("--year", help="WIOD year (1995–2011).")
FMT = typer.Option("--format", help="table | csv | json | parquet")
OUT = typer.Option("--out", help="Write to this file.")



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
                fmt: Annotated[str, FMT] = "table", out_path: Annotated[str | None, OUT] = None) -> None:
    """Output, value-added and forward (Ghosh) multipliers per country-sector."""
    from econsec.services import io as svc

    _emit(ctx, lambda s: svc.multipliers(s, year), fmt, out_path)


@app.command("va-trade")
def va_trade(ctx: typer.Context, year: Annotated[int, YEAR] = 2011,
             fmt: Annotated[str, FMT] = "table", out_path: Annotated[str | None, OUT] = None) -> None:
    """Value added in trade (DVA, FVA, VAX) and GVC participation per region."""
    from econsec.services import io as svc

    _emit(ctx, lambda s: svc.va_trade(s, year), fmt, out_path)


@app.command()
def shock(ctx: typer.Context,
          country: Annotated[str, typer.Option("--country", help="Region code, e.g. CHN.")],
          sector: Annotated[str, typer.Option("--sector", help="WIOD industry code, e.g. c14.")],
          cut: Annotated[float, typer.Option("--cut", help="Fraction of supply cut (0.1 = 10%).")] = 0.1,
          model: Annotated[str, typer.Option("--model", help="ghosh | leontief")] = "ghosh",
          year: Annotated[int, YEAR] = 2011, fmt: Annotated[str, FMT] = "table",
          out_path: Annotated[str | None, OUT] = None) -> None:
    """Cut one country-sector's supply and propagate it: output loss per country-sector and per
    region (table ``by_region``)."""
    from econsec.services import args
    from econsec.services import io as svc

    if model not in ("ghosh", "leontief"):
        raise typer.BadParameter("--model must be one of ghosh, leontief")
    _emit(ctx, lambda s: svc.shock(s, country=args.country(s, country, option="--country"), sector=sector, cut=cut,
                                   model=model, year=year),  # type: ignore[arg-type]
          fmt, out_path, tables=("by_region",))
