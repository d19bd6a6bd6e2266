"""`econsec report A B`: the one-command pair report (HTML or JSON).

The sections, findings and tables come from :func:`econsec.services.report.pair_report`; the
page layout from :mod:`econsec.present.report_html`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from econsec.cli.options import split
from econsec.cli.render import err, fail, out, records
from econsec.errors import EconsecError
from econsec.present.report_html import render_html
from econsec.services import args
from econsec.services import report as svc
from econsec.store import Store


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(ctx: typer.Context,
               a: Annotated[str, typer.Argument(help="First economy (ISO3).")] = "KOR",
               b: Annotated[str, typer.Argument(help="Second economy (ISO3).")] = "JPN",
               year: Annotated[int | None, typer.Option("--year", help="Product-data year "
                                                        "(default: the latest in --source).")] = None,
               source: Annotated[str, typer.Option("--source", help="Product-level trade source "
                                                   "in the store.")] = svc.ind.DEFAULT_SOURCE,
               draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws for the "
                                                  "tariff scenarios' bands.")] = 0,
               sections: Annotated[list[str] | None, typer.Option("--sections", callback=split, help="Sections, comma-separated or repeated "
                                                                  "(default: all): " + ", ".join(svc.SECTIONS))] = None,
               fmt: Annotated[str, typer.Option("--format", help="html | json")] = "html",
               out_path: Annotated[str | None, typer.Option("--out", help="File to write (default "
                                                            "report-A-B.html or .json).")] = None,
               ) -> None:
        """Every analysis for two economies in one report: vulnerability, critical items, exposure,
        complementarity, 2025 tariff scenarios, decoupling, early warning, LNG."""
        if fmt not in ("html", "json"):
            raise fail(EconsecError(f"--format must be html or json, got {fmt!r}"))
        path = Path(out_path or f"report-{a.upper()}-{b.upper()}.{fmt}")
        try:
            store = Store(ctx.obj.config.db, read_only=True)
        except EconsecError as e:  # no store yet: one line, not a traceback
            raise fail(e) from e
        try:
            a, b = args.pair(store, a, b)
            with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                          console=err, transient=True) as bar:
                chosen = tuple(sections) if sections else svc.SECTIONS
                task = bar.add_task("report", total=len(chosen))

                started = [0]

                def step(title: str) -> None:  # called as each section starts
                    bar.update(task, description=title, completed=started[0])
                    started[0] += 1

                rep = svc.pair_report(store, a, b, year=year, source=source, draws=draws,
                                      sections=chosen, progress=step)
        except EconsecError as e:
            raise fail(e) from e
        finally:
            store.close()
        if fmt == "html":
            path.write_text(render_html(rep), encoding="utf-8")
        else:
            path.write_text(json.dumps(svc.to_json(rep, records), default=str, ensure_ascii=False,
                                       indent=1), encoding="utf-8")
        out.print(rep.summary(), highlight=False)
        missing = [s.title for s in rep.sections if not s.available]
        if missing:
            out.print(f"[yellow]not available:[/yellow] {', '.join(missing)}")
        out.print(f"wrote {path}")
