"""Indicator commands: vulnerability, critical-items, competitiveness, complementarity, exposure."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from econsec.analytics.indicators.complexity import Convention
from econsec.analytics.indicators.screens import Thresholds
from econsec.cli.options import split
from econsec.cli.render import FORMAT_HELP, OUT_HELP, check_output, emit_result, err, fail
from econsec.errors import EconsecError
from econsec.services import args
from econsec.services import indicators as svc
from econsec.store import Store

Format = Literal["table", "csv", "json", "parquet"]

YearOpt = Annotated[int | None, typer.Option("--year", help="Year (default: the source's latest).")]
SourceOpt = Annotated[str, typer.Option("--source", help="Trade source in the store (e.g. comtrade_hs2, baci).")]
FormatOpt = Annotated[str, typer.Option("--format", help=FORMAT_HELP)]
OutOpt = Annotated[str | None, typer.Option("--out", help=OUT_HELP)]
MinCoverageOpt = Annotated[float, typer.Option(
    "--min-coverage", min=0.0, max=1.0,
    help="Rank only economies whose trade in the source is at least this share of an independent "
         "total (IMF DOTS, else WTO; docs/indicators.md); 0 ranks all.")]


def _run(ctx: typer.Context, fn, fmt: str, out: str | None, tables: tuple[str, ...] = ()):
    c = ctx.obj
    fmt = "json" if c.json and fmt == "table" else fmt
    check_output(fmt, out)
    try:
        with Store(c.config.db, read_only=True) as store:
            result = fn(store)
    except EconsecError as e:
        raise fail(e) from e
    emit_result(result, fmt=fmt, out_path=out, tables=tables)
    return result


def register(app: typer.Typer) -> None:
    @app.command()
    def vulnerability(ctx: typer.Context, year: YearOpt = None, source: SourceOpt = svc.DEFAULT_SOURCE,
                      min_imports: Annotated[float, typer.Option("--min-imports", help="Rank only importers with at least this many USD of imports.")] = 0.0,
                      chart: Annotated[str | None, typer.Option("--chart", help="Write the IV-over-time chart (paper's Figure 1) to this PNG/SVG.")] = None,
                      min_coverage: MinCoverageOpt = svc.DEFAULT_MIN_COVERAGE,
                      fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Rank importers by import vulnerability (with flagged-import shares); importers whose
        imports in the source fall short of an independent total are left out (--min-coverage)."""
        _run(ctx, lambda s: svc.vulnerability(s, year=svc.year_or_latest(s, source, year), source=source,
                                              min_imports_usd=min_imports, min_coverage=min_coverage),
             fmt, out, ("export_power", "left_out"))
        if chart:
            from pathlib import Path

            from econsec.present.charts import figure1

            data = str(Path(chart).with_suffix(".csv"))
            res = _run(ctx, lambda s: svc.vulnerability_series(s, source=source, min_coverage=min_coverage),
                       "csv", data)
            figure1(res, chart)
            err.print(f"wrote {chart}")

    @app.command("critical-items")
    def critical_items(ctx: typer.Context, country: Annotated[str, typer.Argument(help="ISO3 importer, or a bloc name with --bloc-members.")],
                       year: YearOpt = None, source: SourceOpt = svc.DEFAULT_SOURCE,
                       bloc_members: Annotated[list[str] | None, typer.Option("--bloc-members", callback=split, help="ISO3 members (comma-separated or repeated), or a group (EU27, ASEAN, …), to treat COUNTRY as a bloc.")] = None,
                       hhi: Annotated[float, typer.Option("--hhi", help="Supplier-HHI threshold.")] = 0.4,
                       single_supplier: Annotated[float, typer.Option("--single-supplier", help="Korea rule: top-supplier share threshold.")] = 0.5,
                       include_residual: Annotated[bool, typer.Option("--include-residual", help="Also screen residual and confidential codes (HS 98-99, …); by default they are only listed in the 'residual' table.")] = False,
                       min_coverage: MinCoverageOpt = svc.DEFAULT_MIN_COVERAGE,
                       fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Products COUNTRY depends on, by screen (EU, GeoDep, MERICS, Korea), with their suppliers."""
        t = Thresholds(hhi=hhi, single_supplier_share=single_supplier)

        def run(s: Store):
            members = svc.bloc_members(s, ",".join(bloc_members)) if bloc_members else None
            who = args.normalise(country) if members else args.country(s, country, option="COUNTRY")
            return svc.critical_items(s, who, year=svc.year_or_latest(s, source, year), source=source,
                                      thresholds=t, bloc=members, include_residual=include_residual,
                                      min_coverage=min_coverage)

        _run(ctx, run, fmt, out, ("suppliers", "residual"))

    @app.command()
    def competitiveness(ctx: typer.Context, year: YearOpt = None, source: SourceOpt = svc.DEFAULT_SOURCE,
                        country: Annotated[str | None, typer.Option("--country", help="Show this country's products.")] = None,
                        convention: Annotated[Convention, typer.Option("--convention", help="ECI/PCI convention.")] = "py-ecomplexity",
                        min_coverage: MinCoverageOpt = svc.DEFAULT_MIN_COVERAGE,
                        fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Country ranking (RCA, ECI, export power), or one country's products with --country."""

        def run(s: Store):
            who = args.country(s, country, option="--country") if country else None
            return svc.competitiveness(s, year=svc.year_or_latest(s, source, year), source=source,
                                       country=who, convention=convention, min_coverage=min_coverage)

        _run(ctx, run, fmt, out, ("competitive_and_dependent", "left_out"))

    @app.command()
    def complementarity(ctx: typer.Context, a: Annotated[str, typer.Argument(help="ISO3 of country A.")],
                        b: Annotated[str, typer.Argument(help="ISO3 of country B.")],
                        year: YearOpt = None, source: SourceOpt = svc.DEFAULT_SOURCE,
                        include_residual: Annotated[bool, typer.Option("--include-residual", help="Also count residual and confidential codes (HS 98-99, …) as risky imports.")] = False,
                        fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Ranked cooperation list: where each partner's exports cover the other's risky imports."""
        _run(ctx, lambda s: svc.complementarity(s, *args.pair(s, a, b), year=svc.year_or_latest(s, source, year), source=source,
                                                include_residual=include_residual),
             fmt, out, ("scores", "semiconductor_value_chain"))

    @app.command()
    def semiconductors(ctx: typer.Context, a: Annotated[str, typer.Argument(help="ISO3 importer A.")],
                       b: Annotated[str, typer.Argument(help="ISO3 supplier B.")],
                       source: Annotated[str, typer.Option("--source", help="Source reporting the equipment codes vs World.")] = svc.SME_SOURCE,
                       fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Semiconductor equipment: A's imports, B's world export share and what it could cover."""
        _run(ctx, lambda s: svc.semiconductor_equipment(s, *args.pair(s, a, b), source=source),
             fmt, out, ("market",))

    @app.command()
    def exposure(ctx: typer.Context, source: Annotated[str, typer.Option("--source", help="Source with bilateral totals (imf_dots, comtrade_hs2, japan_customs, census_partner, …).")] = "imf_dots",
                 country: Annotated[list[str] | None, typer.Option("--country", callback=split, help="Limit to these ISO3 codes (comma-separated or repeated).")] = None,
                 base_year: Annotated[int, typer.Option("--base-year", help="Year the changes are measured from.")] = 2017,
                 min_coverage: MinCoverageOpt = svc.DEFAULT_MIN_COVERAGE,
                 year: YearOpt = None, fmt: FormatOpt = "table", out: OutOpt = None) -> None:
        """Export and import shares with the U.S. and China over time, and the change since 2017."""
        def run(s: Store):
            want = args.countries(s, country, option="--country")
            r = svc.exposure(s, source=source, countries=list(want) or None, base_year=base_year,
                             min_coverage=min_coverage)
            if year is not None:
                from dataclasses import replace
                r = replace(r, frame=r.frame[r.frame["year"] == year].reset_index(drop=True))
            seen = [*r.frame["country"], *r.tables.get("left_out", {"country": []})["country"]]
            args.require_rows(want, seen, where=source + (f" in {year}" if year is not None else ""))
            return r

        _run(ctx, run, fmt, out, ("left_out",))
