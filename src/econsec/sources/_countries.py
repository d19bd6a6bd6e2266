"""Country names and codes → ISO3, shared by adapters.

Sources spell countries their own way ("R Korea", "China Hong Kong SAR", "Other Asia, nes").
Each adapter passes its own exact ``overrides`` (name → ISO3) and ``aggregates`` (areas and groups
it maps on purpose, to an econsec aggregate code or to None to keep unmapped); everything else
must match an ISO 3166 name after normalisation. An unknown name is an error naming the first row;
aggregates are reported as :class:`CodeMapping` so nothing is dropped silently. Work is done once
per distinct value, not per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from econsec import reference
from econsec.errors import UnknownCodeError
from econsec.sources.base import CodeMapping


def _resolve(values: pd.Series, table: Mapping[str, str | None], aggregates: Mapping[str, str | None],
             path: Path, field: str, expected: str, header_lines: int,
             note: str) -> tuple[pd.Series, list[CodeMapping]]:
    uniq = pd.Series(values.dropna().unique(), dtype=object)
    known = uniq.isin(list(table)) | uniq.isin(list(aggregates))
    if not known.all():
        bad = uniq[~known].iloc[0]
        i = int(np.flatnonzero(values.eq(bad).fillna(False).to_numpy(dtype=bool))[0])
        raise UnknownCodeError(path, expected, row=i + 1 + header_lines, field=field, got=bad)
    mapping = {**table, **aggregates}
    counts = values.value_counts()
    notes = [CodeMapping(field, str(k), aggregates[k], int(counts.get(k, 0)), note)
             for k in aggregates if k in counts.index]
    return values.map(mapping), notes


def names_to_iso3(values: pd.Series, path: Path, field: str, *,
                  overrides: Mapping[str, str] | None = None,
                  aggregates: Mapping[str, str | None] | None = None,
                  header_lines: int = 1,
                  note: str = "area or group mapped on purpose") -> tuple[pd.Series, list[CodeMapping]]:
    """Map country names to ISO3 (see module docstring). Returns (iso3 series, mapping notes)."""
    overrides = dict(overrides or {})
    aggregates = dict(aggregates or {})
    by_name = reference.iso3_by_name()
    table: dict[str, str | None] = {}
    for v in values.dropna().unique():
        if v in overrides:
            table[v] = overrides[v]
        elif v not in aggregates and (iso := by_name.get(reference.norm_name(str(v)))):
            table[v] = iso
    return _resolve(values, table, aggregates, path, field,
                    "a country name econsec can map to ISO3 (or an area the adapter maps on purpose)",
                    header_lines, note)


def codes_to_iso3(values: pd.Series, path: Path, field: str, *,
                  overrides: Mapping[str, str] | None = None,
                  aggregates: Mapping[str, str | None] | None = None,
                  header_lines: int = 1,
                  note: str = "area or group mapped on purpose") -> tuple[pd.Series, list[CodeMapping]]:
    """Map ISO3 codes (validated against econsec's country table) or ISO numeric codes to ISO3."""
    overrides = dict(overrides or {})
    aggregates = dict(aggregates or {})
    iso3 = set(reference.countries()["iso3"])
    by_num = reference.iso3_by_numeric()
    table: dict[str, str | None] = {}
    for v in values.dropna().unique():
        s = str(v).strip()
        if v in overrides:
            table[v] = overrides[v]
        elif v in aggregates:
            continue
        elif s.upper() in iso3:
            table[v] = s.upper()
        elif s.isdigit() and str(int(s)) in by_num:
            table[v] = by_num[str(int(s))]
    return _resolve(values, table, aggregates, path, field,
                    "an ISO3 or ISO numeric country code (or an area the adapter maps on purpose)",
                    header_lines, note)
