"""Charts for the CLI (matplotlib, no display needed)."""

from __future__ import annotations

from typing import Any


def figure1(result: Any, path: str) -> None:
    """Import vulnerability over time for the series in ``result.frame`` (year, country, iv)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    df = result.frame
    fig, ax = plt.subplots(figsize=(7, 4))
    for country, g in df.groupby("country"):
        ax.plot(g["year"], g["iv"], marker="o", label=country)
    ax.set_xticks(sorted(df["year"].unique()))
    ax.set_xlabel("year")
    ax.set_ylabel("import vulnerability (IV)")
    ax.set_title(f"Import vulnerability — {result.source}, {result.classification}")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.text(0.01, 0.01, "; ".join(result.coverage)[:180], fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
