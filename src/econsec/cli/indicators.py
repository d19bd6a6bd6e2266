"""Indicator commands: vulnerability, critical-items, competitiveness, complementarity, exposure."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from econsec.analytics.indicators.complexity import Convention
from econsec.analytics.indicators.screens import Thresholds
from econsec.cli.render import emit_result, err, fail
from econsec.errors import EconsecError
from econsec.services import indicators as svc
from econsec.store import Store

Format = Literal["table", "csv", "json", "parquet"]

YearOpt = Annotated[int | None, typer.Option("--year", help="Year (default: the source's latest).")]
SourceOpt = Annotated[str, typer.Option("--source", help="Trade source in the store (e.g. comtrade_hs2, baci).")]
FormatOpt = Annotated[str, typer.Option("--format", help="table | csv | json | parquet.")]
OutOpt = Annotated[str | None, typer.Option("--out", help="Write to this file instead of the terminal.")]


def _run(ctx: typer.Context, fn, fmt: str, out: str | None, tables: tuple[str, ...] = ()):
    c = ctx.obj
    fmt = "json" if c.json and fmt == "table" else fmt
    if fmt not in ("table", "csv", "json", "parquet"):
        raise typer.BadParameter(f"--format must be table, csv, json or parquet, not {fmt!r}")
    try:
        with Store(c.config.db, read_only=True) as store:
            result = fn(store)
    except EconsecError as e:
        raise fail(e) from e
    except KeyError as e:
        err.print(f"[bold red]error:[/bold red] {e.args[0]}", highlight=False)
        raise typer.Exit(1) from e
    emit_result(result, fmt=fmt, out_path=out, tables=tables)
    return result


def register(app: typer.Typer) -> None:
    @app.command()
    def vulnerability(ctx: typer.Context, year: YearOpt = None, source: SourceOpt = svc.DEFAULT_SOURCE,
                      min_imports: Annotated[float, typer.Option("--min-imports", help="Rank only importers with at least this many USD of imports.")] = 0.0,
                      chart: Annotated[str | None, typer.Option("--chart", help="Write the IV-over-time chart (paper's Figure 1) to this PNG/SVG.")] = None,
                      fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Rank every importer by import vulnerability (with flagged-import shares)."""
        _run(ctx, lambda s: svc.vulnerability(s, year=svc.year_or_latest(s, source, year), source=source,
                                              min_imports_usd=min_imports), fmt, out, ("export_power",))
        if chart:
            from pathlib import Path

            from econsec.present.charts import figure1

            data = str(Path(chart).with_suffix(".csv"))
            res = _run(ctx, lambda s: svc.vulnerability_series(s, source=source), "csv", data)
            figure1(res, chart)
            err.print(f"wrote {chart}")

    @app.command("critical-items")
    def critical_items(ctx: typer.Context, country: Annotated[str, typer.Argument(help="ISO3 importer, or a bloc name with --bloc-members.")],
                       year: YearOpt = None, source: SourceOpt = svc.DEFAULT_SOURCE,
                       bloc_members: Annotated[str | None, typer.Option("--bloc-members", help="Comma-separated ISO3 members, or a group (EU27, ASEAN, …) to treat COUNTRY as a bloc.")] = None,
                       hhi: Annotated[float, typer.Option("--hhi", help="Supplier-HHI threshold.")] = 0.4,
                       single_supplier: Annotated[float, typer.Option("--single-supplier", help="Korea rule: top-supplier share threshold.")] = 0.5,
                       fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Products COUNTRY depends on, by screen (EU, GeoDep, MERICS, Korea), with their suppliers."""
        t = Thresholds(hhi=hhi, single_supplier_share=single_supplier)

        def run(s: Store):
            members = None
            if bloc_members:
                members = [m.strip() for m in bloc_members.split(",")] if "," in bloc_members else list(
                    s.df("SELECT iso3 FROM country_groups WHERE group_code = ?", [bloc_members])["iso3"])
                if not members:
                    raise KeyError(f"unknown group {bloc_members!r}")
            return svc.critical_items(s, country, year=svc.year_or_latest(s, source, year), source=source,
                                      thresholds=t, bloc=members)

        _run(ctx, run, fmt, out, ("suppliers",))

    @app.command()
    def competitiveness(ctx: typer.Context, year: YearOpt = None, source: SourceOpt = svc.DEFAULT_SOURCE,
                        country: Annotated[str | None, typer.Option("--country", help="Show this country's products.")] = None,
                        convention: Annotated[str, typer.Option("--convention", help="ECI/PCI convention: py-ecomplexity | stata.")] = "py-ecomplexity",
                        fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Country ranking (RCA, ECI, export power), or one country's products with --country."""
        if convention not in ("py-ecomplexity", "stata"):
            raise typer.BadParameter("--convention must be py-ecomplexity or stata")
        conv: Convention = "stata" if convention == "stata" else "py-ecomplexity"
        _run(ctx, lambda s: svc.competitiveness(s, year=svc.year_or_latest(s, source, year), source=source,
                                                country=country, convention=conv),
             fmt, out, ("competitive_and_dependent",))

    @app.command()
    def complementarity(ctx: typer.Context, a: Annotated[str, typer.Argument(help="ISO3 of country A.")],
                        b: Annotated[str, typer.Argument(help="ISO3 of country B.")],
                        year: YearOpt = None, source: SourceOpt = svc.DEFAULT_SOURCE,
                        fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Ranked cooperation list: where each partner's exports cover the other's risky imports."""
        _run(ctx, lambda s: svc.complementarity(s, a, b, year=svc.year_or_latest(s, source, year), source=source),
             fmt, out, ("scores", "semiconductor_value_chain"))

    @app.command()
    def semiconductors(ctx: typer.Context, a: Annotated[str, typer.Argument(help="ISO3 importer A.")],
                       b: Annotated[str, typer.Argument(help="ISO3 supplier B.")],
                       source: Annotated[str, typer.Option("--source", help="Source reporting the equipment codes vs World.")] = svc.SME_SOURCE,
                       fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Semiconductor equipment: A's imports, B's world export share and what it could cover."""
        _run(ctx, lambda s: svc.semiconductor_equipment(s, a.upper(), b.upper(), source=source),
             fmt, out, ("market",))

    @app.command()
    def exposure(ctx: typer.Context, source: Annotated[str, typer.Option("--source", help="Source with bilateral totals (imf_dots, comtrade_hs2, japan_customs, census_partner, …).")] = "imf_dots",
                 country: Annotated[list[str] | None, typer.Option("--country", help="Limit to these ISO3 codes (repeatable).")] = None,
                 base_year: Annotated[int, typer.Option("--base-year", help="Year the changes are measured from.")] = 2017,
                 year: YearOpt = None, fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Export and import shares with the U.S. and China over time, and the change since 2017."""
        def run(s: Store):
            r = svc.exposure(s, source=source, countries=country, base_year=base_year)
            if year is not None:
                from dataclasses import replace
                r = replace(r, frame=r.frame[r.frame["year"] == year].reset_index(drop=True))
            return r

        _run(ctx, run, fmt, out)
