"""The SMART model's data from the store: the HTS10 import baseline and the σ tables.

Each function is one named, parameterised read that returns a labelled frame or series (values
are passed as parameters, never formatted into the text). :func:`~.model.load_baseline` turns
the frames into a :class:`~.model.Baseline`, and :func:`~.elasticities.product_elasticities`
looks σ up in the series; everything else in ``econsec.analytics.models.pe`` is pure.

The baseline keeps, of one source's HTS10 rows for one importer and year, countries, plus EUN
when ``eu="aggregate"``, minus EU members that the source also reports on their own (they are
inside EUN) in that mode. Other aggregates are always left out (:func:`left_out_partners` lists
them).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from econsec.store import Store

# The rows of one source × importer × year with a flag saying whether each is kept (see the
# module docstring). Parameters: $source, $importer, $year, $eu ('aggregate' or 'members').
_KEEP = """
WITH rows AS (
  SELECT t.product, t.exporter AS partner, t.value_usd, t.duty_usd, coalesce(c.kind, '') AS kind,
         t.exporter IN (SELECT iso3 FROM country_groups WHERE group_code = 'EU27') AS eu_member
  FROM trade_flows t LEFT JOIN countries c ON c.iso3 = t.exporter
  WHERE t.source = $source AND t.importer = $importer AND t.year = $year AND t.month IS NULL
    AND t.classification = 'HTS10' AND t.value_usd > 0),
has_eun AS (SELECT count(*) > 0 AS yes FROM rows WHERE partner = 'EUN')
SELECT *, CASE WHEN partner = 'EUN' THEN $eu = 'aggregate'
               WHEN kind = 'aggregate' THEN FALSE
               WHEN eu_member AND $eu = 'aggregate' THEN NOT (SELECT yes FROM has_eun)
               ELSE TRUE END AS keep
FROM rows
"""
_BASELINE = ("SELECT product, partner, sum(value_usd) AS imports, sum(coalesce(duty_usd, 0)) AS duty, "
             "count(duty_usd) = count(*) AS has_duty FROM (" + _KEEP + ") WHERE keep GROUP BY ALL "
             "ORDER BY product, partner")
_LEFT_OUT = ("SELECT partner, sum(value_usd) AS value_usd FROM (" + _KEEP + ") WHERE NOT keep "
             "GROUP BY ALL ORDER BY 1")


def _params(source: str, importer: str, year: int, eu: str) -> dict[str, object]:
    return {"source": source, "importer": importer, "year": year, "eu": eu}


def imports_by_line(store: Store, *, source: str, importer: str, year: int,
                    eu: str) -> pd.DataFrame:
    """The kept rows summed by ``product`` (HTS10) × ``partner`` (ISO3), sorted by both:
    ``imports`` and ``duty`` (USD; a missing duty counts 0) and ``has_duty`` (every row of the
    pair had a calculated duty)."""
    return store.con.execute(_BASELINE, _params(source, importer, year, eu)).df()


def left_out_partners(store: Store, *, source: str, importer: str, year: int,
                      eu: str) -> pd.DataFrame:
    """The partners the baseline leaves out, sorted, with their ``value_usd`` (USD)."""
    return store.con.execute(_LEFT_OUT, _params(source, importer, year, eu)).df()


def eu_members(store: Store) -> list[str]:
    """ISO3 codes of the EU27 members (``country_groups``)."""
    return list(store.df("SELECT iso3 FROM country_groups WHERE group_code = 'EU27'")["iso3"])


def product_descriptions(store: Store, source: str) -> pd.DataFrame:
    """``code`` (HTS10) and ``description`` of ``source``'s HTS10 products (one per code)."""
    return store.df("SELECT code, any_value(description) AS description FROM products "
                    "WHERE classification = 'HTS10' AND source = ? GROUP BY code", [source])


def country_names(store: Store) -> pd.DataFrame:
    """``iso3`` and ``name`` of every country and aggregate in the store."""
    return store.df("SELECT iso3, name FROM countries")


def vintage(store: Store, sources: Sequence[str]) -> str:
    """``"source: vintage | …"`` of ``sources`` (current ingests; ``not ingested`` if none)."""
    df = store.df("SELECT source, string_agg(DISTINCT vintage, '; ') AS vintage FROM ingest_log "
                  "WHERE superseded_by IS NULL AND source IN (SELECT unnest(?)) GROUP BY source",
                  [list(sources)])
    got = dict(zip(df["source"], df["vintage"], strict=True))
    return " | ".join(f"{s}: {got.get(s, 'not ingested')}" for s in sources)


def _series(df: pd.DataFrame) -> pd.Series:
    """A two-column frame as a series: the second column indexed by the first."""
    return pd.Series(df.iloc[:, 1].to_numpy(), index=df.iloc[:, 0].to_numpy())


def concordance(store: Store, to_class: str) -> pd.Series:
    """HS2022 code → the (smallest) ``to_class`` code it maps to, e.g. ``"HS1992"``, ``"SITC3"``."""
    return _series(store.df("SELECT from_code, min(to_code) AS to_code FROM concordances "
                            "WHERE from_class = 'HS2022' AND to_class = ? GROUP BY from_code",
                            [to_class]))


def sigmas(store: Store, importer: str, classification: str) -> pd.Series:
    """Product code (in ``classification``) → ``importer``'s σ (``elasticities``, mean of the
    rows of a product)."""
    return _series(store.df("SELECT product, avg(value) AS sigma FROM elasticities WHERE country = ? "
                            "AND classification = ? AND parameter = 'sigma' GROUP BY product",
                            [importer, classification]))


__all__ = ["concordance", "country_names", "eu_members", "imports_by_line", "left_out_partners",
           "product_descriptions", "sigmas", "vintage"]
