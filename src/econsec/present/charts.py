"""Charts for the CLI and the report (matplotlib, no display needed).

Each ``*_figure`` function draws from plain frames and returns a matplotlib Figure;
:func:`save` writes it to a file (format from the suffix) and :func:`svg` returns inline SVG.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig: Any, path: str) -> None:
    fig.savefig(path, dpi=150)
    _plt().close(fig)


def svg(fig: Any) -> str:
    """The figure as an inline ``<svg>`` element (fonts as paths: no external files)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    _plt().close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def figure1_figure(frame: pd.DataFrame, title: str, footnote: str = "") -> Any:
    """Import vulnerability over time: ``frame`` with year, country, iv (the paper's Figure 1)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4))
    for country, g in frame.groupby("country"):
        ax.plot(g["year"], g["iv"], marker="o", label=country)
    years = sorted(int(y) for y in frame["year"].unique())
    ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 8 else 0)
    ax.set_xlabel("year")
    ax.set_ylabel("import vulnerability (IV)")
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    if footnote:
        fig.text(0.01, 0.01, footnote[:180], fontsize=6)
    fig.tight_layout()
    return fig


def figure1(result: Any, path: str) -> None:
    """Figure 1 for an ``IndicatorResult`` of ``vulnerability_series``, written to ``path``."""
    save(figure1_figure(result.frame, f"Import vulnerability — {result.source}, "
                                      f"{result.classification}", "; ".join(result.coverage)), path)


def figure2_figure(table: pd.DataFrame, title: str = "") -> Any:
    """Bars of real income change (%) by economy, one panel per scenario (the style of WP/21/69
    Figure 2). ``table``: economies × scenarios (as ``DecouplingResults.table``)."""
    plt = _plt()
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
    return fig


def figure2(table: pd.DataFrame, path: str, title: str = "") -> None:
    save(figure2_figure(table, title), path)


def lines_figure(frame: pd.DataFrame, x: str, ylabel: str, title: str,
                 percent: bool = False) -> Any:
    """One line per column of ``frame`` other than ``x``."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for c in frame.columns:
        if c != x:
            ax.plot(frame[x], frame[c] * (100 if percent else 1), marker=".", label=str(c))
    xs = sorted(frame[x].unique())
    if len(xs) <= 20 and all(float(v).is_integer() for v in xs):
        ax.set_xticks(xs, [f"{v:.0f}" for v in xs])
    else:
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.set_xlabel(x)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
