"""Configuration: one frozen dataclass, filled from a declarative settings table.

Each setting has a name, an environment variable, a default and help text; the README documents
every one (a test checks that). Resolution order: explicit argument (CLI flag) > environment >
default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One configurable value."""

    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        "ECONSEC_DATA_DIR",
        "../shared/data",
        "Directory holding the real published datasets (read in place, never copied).",
    ),
    Setting(
        "db",
        "ECONSEC_DB",
        "$XDG_DATA_HOME/econsec/econsec.duckdb (~/.local/share/econsec/econsec.duckdb)",
        "Path of the embedded DuckDB store.",
    ),
)


def _default_db() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "econsec" / "econsec.duckdb"


def _default_data_dir() -> Path:
    """``../shared/data`` relative to the working directory, else to the source checkout."""
    here = Path.cwd() / ".." / "shared" / "data"
    if here.is_dir():
        return here.resolve()
    checkout = Path(__file__).resolve().parents[2]  # src/econsec/settings.py -> checkout
    beside = checkout.parent / "shared" / "data"
    return beside.resolve() if beside.is_dir() else here.resolve()


@dataclass(frozen=True)
class Config:
    """Resolved configuration of one econsec session."""

    data_dir: Path
    db: Path

    @classmethod
    def resolve(cls, *, data_dir: str | Path | None = None, db: str | Path | None = None) -> Config:
        """Build the configuration from arguments, then environment, then defaults."""
        dd = data_dir or os.environ.get("ECONSEC_DATA_DIR")
        dbp = db or os.environ.get("ECONSEC_DB")
        return cls(
            data_dir=Path(dd).expanduser().resolve() if dd else _default_data_dir(),
            db=Path(dbp).expanduser() if dbp else _default_db(),
        )
