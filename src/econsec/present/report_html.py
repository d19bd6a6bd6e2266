"""The pair report as one self-contained HTML page (inline CSS and SVG charts; no scripts, no
network). The content — sections, findings, tables, chart data, provenance — comes from
:func:`econsec.services.report.pair_report`; this module only lays it out.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any

import pandas as pd

from econsec.present import charts
from econsec.services import report as svc

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;
     padding:0 1em;color:#1d2433;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:2px solid #2e6f9e;padding-bottom:.2em;margin-top:2em}
.meta{color:#5a6478;font-size:.9em} .findings li{margin:.3em 0}
table{border-collapse:collapse;font-size:.82em;margin:.6em 0 1.2em} th,td{border:1px solid #d5dae3;
     padding:.25em .5em;text-align:right} th{background:#eef2f7} td.t,th.t{text-align:left}
details{margin:.5em 0 1em;font-size:.85em;color:#3a4358} pre{white-space:pre-wrap}
.na{background:#fff6e5;border-left:4px solid #e0a100;padding:.5em 1em}
.note{color:#5a6478;font-size:.85em} .tw{overflow-x:auto} td.t{min-width:5em;max-width:24em} nav a{margin-right:1em} svg{max-width:100%;height:auto}
"""


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"
    if isinstance(v, int):
        return f"{v:,}" if abs(v) >= 10_000 else str(v)
    return str(v)


def table_html(df: pd.DataFrame, max_rows: int = 30) -> str:
    cols = list(df.columns)
    text = {c for c in cols if not pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c])}
    head = "".join(f'<th class="{"t" if c in text else ""}">{html.escape(str(c))}</th>' for c in cols)
    rows = []
    for row in df.head(max_rows).itertuples(index=False):
        rows.append("<tr>" + "".join(
            f'<td class="{"t" if c in text else ""}">{html.escape(_cell(v))}</td>'
            for c, v in zip(cols, row, strict=True)) + "</tr>")
    more = (f'<p class="note">{len(df) - max_rows:,} more rows in the JSON report.</p>'
            if len(df) > max_rows else "")
    return f"<div class='tw'><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{more}"


def _chart(key: str, frame: pd.DataFrame, section: svc.Section) -> str:
    if key == "figure1":
        return charts.svg(charts.figure1_figure(frame, "Import vulnerability, HS 2-digit products"))
    if key == "figure1_long":
        years = f"{int(frame['year'].min())}–{int(frame['year'].max())}"
        return charts.svg(charts.figure1_figure(frame, f"Import vulnerability, WIOD goods sectors, {years}"))
    if key == "figure2":
        return charts.svg(charts.figure2_figure(frame))
    if section.key == "exposure":
        return charts.svg(charts.lines_figure(frame, "year", "share of exports, %",
                                              "Export shares to the U.S. and China", percent=True))
    return charts.svg(charts.lines_figure(frame, "year", "supplier HHI", "LNG supplier concentration"))


def render_html(rep: svc.Report) -> str:
    e = html.escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(rep.title)}</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>{e(rep.title)}</h1>",
             f"<p class='meta'>Generated {e(rep.generated)} by econsec from the datasets listed at the "
             f"end; product-level trade: {e(rep.source)} {rep.year}. Every table says how it was "
             "computed (open “How this was computed”).</p>",
             "<nav>" + "".join(f"<a href='#{s.key}'>{e(s.title)}</a>" for s in rep.sections) + "</nav>"]
    for s in rep.sections:
        parts.append(f"<section id='{s.key}'><h2>{e(s.title)}</h2>")
        if not s.available:
            parts.append("<p class='na'>Not available: " + e("; ".join(s.notes)) + "</p></section>")
            continue
        parts.append("<ul class='findings'>" + "".join(f"<li>{e(f)}</li>" for f in s.findings) + "</ul>")
        for key, frame in s.charts.items():
            parts.append(_chart(key, frame, s))
        for name, frame in s.tables.items():
            parts.append(f"<h3>{e(name.replace('_', ' '))}</h3>{table_html(frame)}")
        if s.notes:
            parts.append("<p class='note'>" + "<br>".join(e(n) for n in s.notes) + "</p>")
        parts.append("<details><summary>How this was computed</summary><pre>"
                     + e(json.dumps(list(s.provenance), indent=1, default=str, ensure_ascii=False))
                     + "</pre></details></section>")
    parts.append("<section id='data'><h2>Data and vintages</h2>" + table_html(rep.data, 100) + "</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
