"""`econsec lng portfolio|contracts|optimize|disrupt|us-balance`: LNG security (docs/lng.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from econsec.cli.options import split
from econsec.cli.render import FORMAT_HELP, OUT_HELP, emit, emit_result, out
from econsec.cli.render import fail as _fail
from econsec.errors import EconsecError
from econsec.services import args
from econsec.store import Store

app = typer.Typer(no_args_is_help=True, help="LNG security: portfolios, contracts, joint "
                  "procurement, disruptions, U.S. LNG and the trade balance.")

Fmt = Annotated[str, typer.Option("--format", help=FORMAT_HELP)]
Out = Annotated[str | None, typer.Option("--out", help=OUT_HELP)]



def _store(ctx: typer.Context, *, write: bool = False) -> Store:

    return Store(ctx.obj.config.db, read_only=not write)


@app.command()
def portfolio(ctx: typer.Context,
              importers: Annotated[list[str] | None, typer.Argument(callback=split, help="ISO3 importers (default: all).")] = None,
              year: Annotated[list[str] | None, typer.Option("--year", callback=split, help="Years, comma-separated or repeated (default: all).")] = None,
              fmt: Fmt = "table", out_path: Out = None) -> None:
    """Supplier shares, HHI, Shannon, risk-weighted HHI, Hormuz/Malacca exposure, trend."""
    from econsec.services import lng

    try:
        with _store(ctx) as s:
            r = lng.portfolio(s, args.countries(s, importers, option="IMPORTERS"),
                              args.years(year, option="--year"))
    except EconsecError as e:
        raise _fail(e) from e
    emit_result(r, fmt="json" if ctx.obj.json else fmt, out_path=out_path, tables=("trend",))


@app.command()
def contracts(ctx: typer.Context,
              action: Annotated[str, typer.Argument(help="list | add | ladder")] = "list",
              arg: Annotated[str | None, typer.Argument(help="add: CSV/TOML file; ladder: ISO3 buyer.")] = None,
              fmt: Fmt = "table", out_path: Out = None) -> None:
    """List contracts (store + shipped, cited), add them from a file, or show a buyer's ladder."""
    from econsec.services import lng

    try:
        if action == "list":
            with _store(ctx) as s:
                emit(lng.contracts(s), as_json=ctx.obj.json, title="LNG contracts")
        elif action == "add":
            if not arg:
                raise _fail(ValueError("contracts add needs a CSV or TOML file"))
            with _store(ctx, write=True) as s:
                n = lng.add_contracts(s, arg)
            out.print(f"added {n} contracts")
        elif action == "ladder":
            with _store(ctx) as s:
                r = lng.ladder(s, args.country(s, arg or "KOR", option="ARG"))
            emit_result(r, fmt="json" if ctx.obj.json else fmt, out_path=out_path)
        else:
            raise _fail(ValueError(f"action must be list, add or ladder, got {action!r}"))
    except (EconsecError, OSError) as e:
        raise _fail(e) from e


@app.command()
def optimize(ctx: typer.Context,
             buyers: Annotated[list[str], typer.Argument(callback=split, help="ISO3 buyers, e.g. KOR JPN.")],
             year: Annotated[int, typer.Option("--year", help="Year of the observed LNG trade and prices.")] = 2023,
             max_share: Annotated[float, typer.Option("--max-share", help="Max share of each buyer's demand from one supplier.")] = 0.30,
             max_hormuz: Annotated[float, typer.Option("--max-hormuz", help="Max share of each buyer's demand through Hormuz.")] = 0.30,
             max_route: Annotated[list[str] | None, typer.Option("--max-route", callback=split, help="CHOKEPOINT=SHARE per buyer, e.g. malacca=0.4 (hormuz, malacca, red_sea, panama); comma-separated or repeated.")] = None,
             risk_penalty: Annotated[float, typer.Option("--risk-penalty", help="$/MMBtu per unit of GPR weight.")] = 0.5,
             headroom: Annotated[float, typer.Option("--headroom", help="Share of other buyers' volumes obtainable.")] = 0.10,
             fmt: Fmt = "table", out_path: Out = None) -> None:
    """Separate vs pooled least-cost procurement (limits hold per buyer), the gain and swaps."""
    from econsec.services import lng

    limits = {"hormuz": max_hormuz}
    for item in max_route or ():
        name, sep, val = item.partition("=")
        try:
            limits[name.strip().lower()] = float(val)
        except ValueError:
            raise _fail(ValueError(f"--max-route must be CHOKEPOINT=SHARE, e.g. malacca=0.4; "
                                   f"got {item!r}")) from None
        if not sep:
            raise _fail(ValueError(f"--max-route must be CHOKEPOINT=SHARE, got {item!r}"))
    try:
        with _store(ctx) as s:
            r = lng.optimize(s, args.countries(s, buyers, distinct=True, option="BUYERS"), year, max_share=max_share,
                             route_limits=limits, risk_penalty=risk_penalty, headroom=headroom)
    except EconsecError as e:
        raise _fail(e) from e
    emit_result(r, fmt="json" if ctx.obj.json else fmt, out_path=out_path,
                tables=("gain", "transfers", "swaps"))


@app.command()
def disrupt(ctx: typer.Context,
            buyers: Annotated[list[str], typer.Argument(callback=split, help="ISO3 buyers.")],
            supplier: Annotated[list[str] | None, typer.Option("--supplier", callback=split, help="ISO3 suppliers that fail, comma-separated or repeated (default, with no --route: the buyers' largest supplier together).")] = None,
            route: Annotated[str | None, typer.Option("--route", help="hormuz | malacca | red_sea (suez, bab-el-mandeb) | panama")] = None,
            months: Annotated[float, typer.Option("--months", help="Length of the disruption in months (at most 12).")] = 3.0,
            year: Annotated[int, typer.Option("--year", help="Year of the observed LNG trade.")] = 2023,
            fmt: Fmt = "table", out_path: Out = None) -> None:
    """Shortfall per importer when suppliers or a chokepoint fail, alone and with a joint response."""
    from econsec.services import lng

    try:
        with _store(ctx) as s:
            r = lng.disrupt(s, args.countries(s, buyers, distinct=True, option="BUYERS"), year,
                            suppliers=args.countries(s, supplier, option="--supplier"), route=route,
                            months=months)
    except EconsecError as e:
        raise _fail(e) from e
    emit_result(r, fmt="json" if ctx.obj.json else fmt, out_path=out_path)


@app.command("us-balance")
def us_balance(ctx: typer.Context,
               country: Annotated[str, typer.Argument(help="ISO3, e.g. KOR.")],
               year: Annotated[int, typer.Option("--year", help="Year of the goods balance and Henry Hub price.")] = 2024,
               surplus: Annotated[float | None, typer.Option("--surplus-bn", help="Surplus to offset, bn USD (default: the Census goods surplus).")] = None,
               markup: Annotated[float, typer.Option("--markup", help="μ in p = μ·HH + liquefaction + shipping.")] = 1.15,
               liquefaction: Annotated[float, typer.Option("--liquefaction", help="Liquefaction fee, $/MMBtu.")] = 2.50,
               shipping: Annotated[float, typer.Option("--shipping", help="Shipping to North-East Asia, $/MMBtu.")] = 2.50,
               fmt: Fmt = "table", out_path: Out = None) -> None:
    """Mt/yr of U.S. LNG that offsets a goods surplus with the United States."""
    from econsec.services import lng

    try:
        with _store(ctx) as s:
            r = lng.us_balance(s, args.country(s, country, option="COUNTRY"), year=year, surplus_bn=surplus, markup=markup,
                               liquefaction=liquefaction, shipping=shipping)
    except EconsecError as e:
        raise _fail(e) from e
    emit_result(r, fmt="json" if ctx.obj.json else fmt, out_path=out_path)
