"""U.S. "reciprocal" tariffs of 2025: EO 14257 (2025-04-02) and the EO of 2025-07-31.

Producer: The White House (U.S. government work, public domain). The texts are the
whitehouse.gov pages as scraped to Markdown by ``brian14708/wh-briefings`` (commit
``737ca03a``), one file per order, with a front matter (``date``, ``title``, ``source_url``).

What is read
------------
* ``eo_2025-07-31_further_modifying_reciprocal_tariff_rates.md`` (the **original**): its Annex I
  is an HTML table (``Countries and Territories`` | ``Reciprocal Tariff, Adjusted``) of 70 rows:
  69 countries and territories plus the European Union split into two rules. Rates are percent
  ad valorem, printed as ``"15%"``. Effective date: Sec. 2(a) and (d) say "12:01 a.m. eastern
  daylight time 7 days after the date of this order", i.e. **2025-08-07**; the adapter reads the
  number of days from the text and fails if the sentence is not there.
* ``eo14257_2025-04-02_reciprocal_tariff.md``: Sec. 3(a) sets "an additional ad valorem rate of
  duty of 10 percent" on all partners "on or after 12:01 a.m. eastern daylight time on April 5,
  2025". Stored as one row (target NULL = all partners, classification ``ALL``, measure
  ``reciprocal baseline EO 14257``). Its own Annex I (the April country rates) is a PDF link and
  is not in the text, so it is not stored here.
* ``reciprocal_tariff_annex1_2025-07-31.tidy.csv`` (derived: the same Annex I parsed by the
  curator's ``parse_annex.py``). When the .md is given too it is only **cross-checked** (same
  names, same printed rates, else InputError); read alone, it is the annex source.

Both orders go to ``documents`` (doc_id ``EO14257`` and ``EO-2025-07-31``) with their full text.

The European Union
------------------
Annex I prints two EU rows. ``"... Column 1 Duty Rate > 15%"`` → ``0%`` (Sec. 2(c) says "at
least 15 percent"); ``"... < 15%"`` → ``"15% minus Column 1 Duty Rate"``, a rule that no single
percentage expresses: ``rate_pct`` is NULL, ``rate_text`` keeps the rule and the measure names
it. Both rows have target ``EUN`` and are reported as CodeMapping.

Names are mapped to ISO3 with explicit overrides (``Brunei``, ``Myanmar (Burma)``, ``Democratic
Republic of the Congo``, ``Falkland Islands``, ``Turkey``, ``Côte d`Ivoire`` with its backtick).
``rows_read``: the annex rows (70) for the July order and its tidy file, 1 (the baseline clause)
for EO 14257.
"""

from __future__ import annotations

import html
import re
import urllib.request
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from econsec.errors import InputError
from econsec.sources._countries import names_to_iso3
from econsec.sources._read import read_csv, read_text
from econsec.sources.base import CodeMapping, Parsed, Source

ANNEX_MEASURE = "reciprocal annex I EO 2025-07-31"
BASELINE_MEASURE = "reciprocal baseline EO 14257"
EU_ABOVE = "European Union: Goods with Column 1 Duty Rate > 15%"
EU_BELOW = "European Union: Goods with Column 1 Duty Rate < 15%"
#: measure per EU rule (the rule, not a number, is the rate).
EU_MEASURES = {
    EU_ABOVE: ANNEX_MEASURE + " (EU goods with column-1 rate of at least 15%: 0%)",
    EU_BELOW: ANNEX_MEASURE + " (EU goods with column-1 rate below 15%: 15% minus column-1 rate)",
}
OVERRIDES = {
    "Brunei": "BRN", "Myanmar (Burma)": "MMR", "Democratic Republic of the Congo": "COD",
    "Falkland Islands": "FLK", "Turkey": "TUR", "Côte d`Ivoire": "CIV", "Côte d'Ivoire": "CIV",
    "South Korea": "KOR", "Laos": "LAO", "Syria": "SYR", "Vietnam": "VNM", "Taiwan": "TWN",
}
AGGREGATES = {EU_ABOVE: "EUN", EU_BELOW: "EUN"}
#: used only when the tidy file is read without the order's text (Sec. 2(a): 7 days after 07-31)
JULY_EFFECTIVE = pd.Timestamp("2025-08-07")
NAME_COL = "Countries and Territories"
RATE_COL = "Reciprocal Tariff, Adjusted"
RAW = ("https://raw.githubusercontent.com/brian14708/wh-briefings/"
       "737ca03a271adc205c67766074ec8d0070f7ad95/presidential-actions/")
MIRROR = {
    "eo14257_2025-04-02_reciprocal_tariff.md": "2025-04/2025-04-02-regulating-imports-with-a-"
    "reciprocal-tariff-to-rectify-trade-practices-that-contribute-to-large-and-persistent-"
    "annual-united-states-goods-trade-deficits.md",
    "eo_2025-07-31_further_modifying_reciprocal_tariff_rates.md":
        "2025-07/2025-07-31-further-modifying-the-reciprocal-tariff-rates.md",
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def front_matter(path: Path, text: str) -> dict[str, str]:
    """The ``key: value`` lines between the leading ``---`` fences (date, title, source_url)."""
    m = re.match(r"\s*---\n(.*?)\n---\n", text, re.S)
    if not m:
        raise InputError(path, "a Markdown file with a front matter between '---' lines", row=1,
                         got=text[:60])
    meta = dict(re.findall(r"^(\w+):\s*'?(.*?)'?\s*$", m.group(1), re.M))
    # a long title continues on indented lines
    title = re.search(r"^title:(.*(?:\n[ \t]+.*)*)", m.group(1), re.M)
    if title:
        meta["title"] = _norm(title.group(1)).strip()
    if "date" not in meta or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"]):
        raise InputError(path, "a front-matter line date: 'YYYY-MM-DD'", field="date",
                         got=meta.get("date"))
    return meta


def _document(path: Path, text: str, meta: dict[str, str]) -> dict[str, object]:
    num = re.search(r"eo(\d{5})", path.name, re.I)
    doc_id = f"EO{num.group(1)}" if num else f"EO-{meta['date']}"
    return {"doc_id": doc_id, "title": meta.get("title"), "date": pd.Timestamp(meta["date"]),
            "text": text}


def annex_from_md(path: Path, text: str) -> pd.DataFrame:
    """Annex I of the July order: the HTML table after ``**ANNEX I**`` as (name, printed rate)."""
    start = text.find("**ANNEX I**")
    stop = text.find("VIEW ANNEX", start)  # the link to Annex II closes Annex I
    end = text.rfind("</table>", start, stop if stop > 0 else len(text))
    if start < 0 or end < 0:
        raise InputError(path, "an '**ANNEX I**' heading followed by HTML <table>s",
                         got="no Annex I table")
    body = text[start:end]  # the annex is printed as two tables with the same header
    head = [_norm(h).strip() for h in re.findall(r"<th>(?:<strong>)?(.*?)(?:</strong>)?</th>", body, re.S)]
    if not head or head != [NAME_COL, RATE_COL] * (len(head) // 2):
        raise InputError(path, f"Annex I columns {[NAME_COL, RATE_COL]}", field="<th>", got=head)
    cells = re.findall(r"<tr[^>]*>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", body, re.S)
    if not cells:
        raise InputError(path, "Annex I rows <tr><td>name</td><td>rate</td></tr>", got="no rows")
    df = pd.DataFrame(cells, columns=[NAME_COL, RATE_COL], dtype="string")
    for c in df.columns:
        # footnote anchors (<a ...>[1]</a>) go with their text, then any other tag
        df[c] = (df[c].str.replace(r"<a .*?</a>", "", regex=True, flags=re.S)
                 .str.replace(r"<.*?>", "", regex=True, flags=re.S).map(html.unescape, na_action="ignore"))
        df[c] = df[c].str.replace(r"\s+", " ", regex=True).str.strip()
    return df


def effective_after_order(path: Path, text: str, order_date: str) -> pd.Timestamp:
    """Sec. 2: "12:01 a.m. eastern daylight time N days after the date of this order"."""
    m = re.search(r"12:01 a\.m\. eastern daylight time (\d+) days after the date of this order",
                  _norm(text))
    if not m:
        raise InputError(path, "the effective-date clause '12:01 a.m. eastern daylight time "
                         "N days after the date of this order'", got="clause not found")
    return pd.Timestamp(order_date) + timedelta(days=int(m.group(1)))


def baseline_clause(path: Path, text: str) -> tuple[float, pd.Timestamp]:
    """EO 14257 Sec. 3(a): the all-partner rate and the date it applies from."""
    m = re.search(r"subject to an additional ad valorem rate of duty of (\d+(?:\.\d+)?) percent\. "
                  r"Such rates of duty shall apply .*? on or after 12:01 a\.m\. eastern daylight "
                  r"time on ([A-Z][a-z]+ \d{1,2}, \d{4})", _norm(text))
    if not m:
        raise InputError(path, "EO 14257 Sec. 3(a): 'additional ad valorem rate of duty of N "
                         "percent ... on or after 12:01 a.m. ... on <date>'", got="clause not found")
    return float(m.group(1)), pd.Timestamp(datetime.strptime(m.group(2), "%B %d, %Y").date())


def annex_rows(path: Path, df: pd.DataFrame, effective: pd.Timestamp,
               header_lines: int) -> tuple[pd.DataFrame, list[CodeMapping]]:
    """Annex I (name, printed rate) → tariffs rows; the EU rules keep their text."""
    names, rates = df[NAME_COL], df[RATE_COL]
    pct = pd.to_numeric(rates.str.extract(r"^(\d+(?:\.\d+)?)%$", expand=False), errors="coerce")
    rule = rates.str.fullmatch(r"\d+% minus Column 1 Duty Rate")
    bad = pct.isna() & ~rule
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(path, "a rate printed as 'N%' or '15% minus Column 1 Duty Rate'",
                         row=i + 1 + header_lines, field=RATE_COL, got=rates.iloc[i])
    iso, notes = names_to_iso3(names, path, NAME_COL, overrides=OVERRIDES, aggregates=AGGREGATES,
                               header_lines=header_lines,
                               note="EU row of Annex I: one of two EU rules, target EUN")
    out = pd.DataFrame({
        "measure": names.map(EU_MEASURES).fillna(ANNEX_MEASURE).astype("string"),
        "imposer": "USA", "target": iso, "target_name": names, "classification": "ALL",
        "product": "ALL", "rate_pct": pct.astype("Float64"), "rate_text": rates,
        "effective_date": effective, "end_date": pd.NaT,
    })
    return out, notes


class Reciprocal2025(Source):
    name = "reciprocal_2025"
    title = "U.S. reciprocal tariffs 2025: EO 14257 baseline and Annex I of the EO of 2025-07-31"
    producer = "The White House (texts via brian14708/wh-briefings)"
    licence = "U.S. government work (public domain)"
    url = "https://www.whitehouse.gov/presidential-actions/2025/07/further-modifying-the-reciprocal-tariff-rates/"
    patterns = ("tariffs/us_reciprocal_tariffs_2025/*.md",
                "tariffs/us_reciprocal_tariffs_2025/reciprocal_tariff_annex1_*.tidy.csv")

    def parse(self, paths: Sequence[Path]) -> Parsed:
        paths = [Path(p) for p in paths]
        mds = [p for p in paths if p.suffix == ".md"]
        tidy = [p for p in paths if p.name.endswith(".tidy.csv")]
        if not mds and not tidy:
            raise InputError(paths[0] if paths else self.name,
                             "an executive-order .md file or the Annex I tidy CSV")
        tariffs, docs, notes, rows_read = [], [], [], {}
        annex_md: pd.DataFrame | None = None
        for p in mds:
            text = read_text(p)
            meta = front_matter(p, text)
            docs.append(_document(p, text, meta))
            if "**ANNEX I**" in text:
                annex_md = annex_from_md(p, text)
                part, n = annex_rows(p, annex_md, effective_after_order(p, text, meta["date"]),
                                     header_lines=0)
                tariffs.append(part)
                notes += n
                rows_read[str(p)] = len(annex_md)
            else:
                rate, since = baseline_clause(p, text)
                tariffs.append(pd.DataFrame([{
                    "measure": BASELINE_MEASURE, "imposer": "USA", "target": None,
                    "target_name": "all trading partners", "classification": "ALL",
                    "product": "ALL", "rate_pct": rate, "rate_text": f"{rate:g} percent",
                    "effective_date": since, "end_date": pd.NaT}]))
                rows_read[str(p)] = 1
        for p in tidy:
            df = read_csv(p, {"country_or_territory": "str", "reciprocal_tariff_adjusted": "str",
                              "rate_pct": "float"})
            df = df.rename(columns={"country_or_territory": NAME_COL,
                                    "reciprocal_tariff_adjusted": RATE_COL})
            rows_read[str(p)] = len(df)
            if annex_md is not None:
                _cross_check(p, df, annex_md)
            else:
                part, n = annex_rows(p, df[[NAME_COL, RATE_COL]], JULY_EFFECTIVE, header_lines=1)
                tariffs.append(part)
                notes += n
        tables: dict[str, pd.DataFrame] = {"tariffs": pd.concat(tariffs, ignore_index=True)}
        if docs:
            tables["documents"] = pd.DataFrame(docs)
        vintage = "EO texts " + ", ".join(sorted(str(d["date"])[:10] for d in docs)) \
            if docs else "Annex I tidy CSV of the EO of 2025-07-31"
        return Parsed(tables=tables, vintage=vintage + " (whitehouse.gov via wh-briefings@737ca03a)",
                      rows_read=rows_read, mappings=tuple(notes))

    def fetch(self, dest: Path) -> list[Path]:
        """Download the two orders as Markdown from the pinned wh-briefings commit."""
        dest.mkdir(parents=True, exist_ok=True)
        out = []
        for name, rel in MIRROR.items():
            urllib.request.urlretrieve(RAW + rel, dest / name)
            out.append(dest / name)
        return out


def _cross_check(path: Path, tidy: pd.DataFrame, annex: pd.DataFrame) -> None:
    """The derived tidy file must restate the annex row for row."""
    if len(tidy) != len(annex):
        raise InputError(path, f"{len(annex)} rows, as in Annex I of the order", got=f"{len(tidy)} rows")
    for col in (NAME_COL, RATE_COL):
        a = tidy[col].astype("string").reset_index(drop=True)
        b = annex[col].reset_index(drop=True)
        diff = (a != b).fillna(True).to_numpy().nonzero()[0]
        if diff.size:
            i = int(diff[0])
            raise InputError(path, f"the value printed in Annex I of the order: {b.iloc[i]!r}",
                             row=i + 2, field=col, got=a.iloc[i])


__all__ = ["Reciprocal2025", "annex_from_md", "baseline_clause"]
