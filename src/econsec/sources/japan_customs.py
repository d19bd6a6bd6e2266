"""Japan customs trade by area and summary goods group (Ministry of Finance, via ``jptrade``).

Producer: Japan Ministry of Finance, Trade Statistics (e-Stat table 00350300). The data were
downloaded and tidied by M. Tsuchiya's R package ``jptrade`` (GitHub ``mitsuoxv/jp-trade``, MIT):
annual ``data/trade_year.rda`` @ ``a66ddb1`` and monthly ``data/trade.rds`` @ ``0668b1f``. The data
catalog converted the R files to the files read here:

* ``japan_trade_area_goods_annual_{exports,imports}_2009_2026.tidy.csv``: ``ex_im, area, goods,
  year, value`` (the R table split by flow; values unchanged). These are the closest files to the
  original there are: the originals are R data.
* ``japan_trade_area_goods_monthly_2009_01_2019_05.parquet``: ``Exp or Imp`` (1 export, 2 import),
  ``Area`` (UPPER case), ``month`` (date, 1st of month), ``goods`` (UPPER case), ``value``.

Units: **billion JPY** (``currency`` = ``'billion JPY'``). Reporter is Japan; exports are
JPN → area, imports area → JPN. 2026 is partial (year to date, about January–March).

Areas: ``Grand Total`` → WLD and ``EU`` → EUN (reported as mappings) and 55 countries under
MOF's abbreviations (``R Korea``, ``Hg Kong``, ``Austral`` …); ``EU`` is MOF's EU aggregate as
published (its membership is MOF's, not checked here). Every abbreviation, in its annual and its
monthly UPPER spelling, is in :data:`AREAS`; an unknown area is an error.

Goods (classification ``JP_GOODS``, product = group name in the annual file's spelling, e.g.
``Semiconductors Etc``, ``(Ic)``, ``Lng``): 78 summary groups. The goods ``Grand Total`` is
stored as classification ``TOTAL``, product ``TOTAL``. Parenthesised groups are sub-items of a
group above them, and MOF's headline groups (Machinery, Electrical Machinery, …) contain the
groups that follow them, so **groups must not be summed**. ``products`` gets every group: level 0
for Grand Total, 2 for parenthesised sub-items, 1 for the rest. A sub-item's ``parent`` is the
nearest non-parenthesised group before it in the monthly file's goods order, accepted only when the
sub-item never exceeds it; otherwise (``(Video Rec Or Repro App)`` follows a different group in
exports and imports; ``(Telephone Sets)`` follows ``Insulated Wire And Cable`` but exceeds it)
``parent`` is NULL and a mapping note says why. Without the monthly file no parent is derived.

USD values (``value_usd``), converted at stated rates and reported as ``fx`` mappings:

* monthly rows: the monthly average of the IMF daily JPY per USD in
  ``trade/china_bilateral_monthly_2001_2019/exchange-rates.csv`` (see :mod:`.china_monthly`);
* annual rows: the FRB G.5A annual average shipped in :func:`econsec.reference.fx_annual` where it
  has the year (2012–2015, 2017–2023), else the annual mean of the IMF daily rates (2009–2011,
  2016), else NULL (2024–2026: no rate shipped). Without the IMF file, only G.5A years convert.

Vintage: jptrade snapshots as above; annual 2009–2026 (2026 partial), monthly 2009-01 to 2019-05.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec import reference
from econsec.errors import InputError, SourceNotFoundError
from econsec.sources._read import Kind, coerce, map_codes, read_csv, read_parquet
from econsec.sources.base import CodeMapping, Parsed, Source
from econsec.sources.china_monthly import FX_FILE, monthly_means, read_imf_fx

FX_DIR = "china_bilateral_monthly_2001_2019"
#: (annual spelling, monthly UPPER spelling, ISO3) of every MOF area abbreviation.
_AREAS = (
    ("Argent", "ARGENT", "ARG"), ("Austral", "AUSTRAL", "AUS"), ("Austria", "AUSTRIA", "AUT"),
    ("Bahrain", "BAHRAIN", "BHR"), ("Belgium", "BELGIUM", "BEL"), ("Brazil", "BRAZIL", "BRA"),
    ("Brunei", "BRUNEI", "BRN"), ("Canada", "CANADA", "CAN"), ("Chile", "CHILE", "CHL"),
    ("China", "CHINA", "CHN"), ("Colmbia", "COLMBIA", "COL"), ("Denmark", "DENMARK", "DNK"),
    ("Finland", "FINLAND", "FIN"), ("France", "FRANCE", "FRA"), ("Germany", "GERMANY", "DEU"),
    ("Greece", "GREECE", "GRC"), ("Hg Kong", "HG KONG", "HKG"), ("India", "INDIA", "IND"),
    ("Indnsia", "INDNSIA", "IDN"), ("Iran", "IRAN", "IRN"), ("Ireland", "IRELAND", "IRL"),
    ("Israel", "ISRAEL", "ISR"), ("Italy", "ITALY", "ITA"), ("Kuwait", "KUWAIT", "KWT"),
    ("Liberia", "LIBERIA", "LBR"), ("Malysia", "MALYSIA", "MYS"), ("Mexico", "MEXICO", "MEX"),
    ("Nethlds", "NETHLDS", "NLD"), ("Newzeld", "NEWZELD", "NZL"), ("Norway", "NORWAY", "NOR"),
    ("Oman", "OMAN", "OMN"), ("Pakistn", "PAKISTN", "PAK"), ("Panama", "PANAMA", "PAN"),
    ("Pap Nga", "PAP NGA", "PNG"), ("Peru", "PERU", "PER"), ("Philpin", "PHILPIN", "PHL"),
    ("Portugl", "PORTUGL", "PRT"), ("Prtrico", "PRTRICO", "PRI"), ("Qatar", "QATAR", "QAT"),
    ("R Korea", "R KOREA", "KOR"), ("Russia", "RUSSIA", "RUS"), ("S Afrca", "S AFRCA", "ZAF"),
    ("Sngapor", "SNGAPOR", "SGP"), ("Spain", "SPAIN", "ESP"), ("Su Arab", "SU ARAB", "SAU"),
    ("Sweden", "SWEDEN", "SWE"), ("Switzld", "SWITZLD", "CHE"), ("Taiwan", "TAIWAN", "TWN"),
    ("Thailnd", "THAILND", "THA"), ("Turkey", "TURKEY", "TUR"), ("U Arb E", "U ARB E", "ARE"),
    ("U King", "U KING", "GBR"), ("USA", "USA", "USA"), ("Venezla", "VENEZLA", "VEN"),
    ("Vietnam", "VIETNAM", "VNM"),
)
#: Areas that are aggregates, mapped on purpose to econsec codes.
AGGREGATES = {"Grand Total": "WLD", "EU": "EUN"}
AREAS: dict[str, str] = {**{a: iso for a, _, iso in _AREAS}, **{u: iso for _, u, iso in _AREAS},
                         **AGGREGATES}
ANNUAL: dict[str, Kind] = {"ex_im": "str", "area": "str", "goods": "str", "year": "int", "value": "float"}
MONTHLY = ["Exp or Imp", "Area", "month", "goods", "value"]
TOTAL_GOODS = "Grand Total"
G5A = "FRB G.5A annual average (econsec.reference.fx_annual)"


def _rows(flow: pd.Series, area: pd.Series, goods: pd.Series, year: pd.Series, month: pd.Series | None,
          value: pd.Series) -> pd.DataFrame:
    exp = (flow == "export").to_numpy()
    total = (goods == TOTAL_GOODS).to_numpy()
    return pd.DataFrame({
        "exporter": np.where(exp, "JPN", area), "importer": np.where(exp, area, "JPN"),
        "reporter": "JPN", "flow": flow.to_numpy(), "year": year.astype("int32").to_numpy(),
        "month": pd.array(month if month is not None else [pd.NA] * len(flow), dtype="Int32"),
        "classification": np.where(total, "TOTAL", "JP_GOODS"),
        "product": np.where(total, "TOTAL", goods), "value": value.astype("float64").to_numpy(),
        "currency": "billion JPY", "basis": np.where(exp, "FOB (MOF)", "CIF (MOF)"),
    })


def _area_notes(area: pd.Series, what: str) -> list[CodeMapping]:
    counts = area.value_counts()
    return [CodeMapping("area", k, v, int(counts[k]), f"{what}: MOF area mapped on purpose to an econsec aggregate")
            for k, v in AGGREGATES.items() if k in counts.index]


def read_annual(path: Path) -> pd.DataFrame:
    """One annual tidy CSV → trade_flows rows (goods in the file's spelling)."""
    df = read_csv(path, ANNUAL)
    flow = map_codes(df["ex_im"], {"export": "export", "import": "import"}, path, "ex_im",
                     "'export' or 'import'")
    area = map_codes(df["area"], AREAS, path, "area", "a MOF area abbreviation listed in japan_customs.AREAS")
    return _rows(flow, area, df["goods"], df["year"], None, df["value"]).assign(_area=df["area"])


def read_monthly(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly Parquet → (trade_flows rows with UPPER goods, raw frame with flow/area/month)."""
    df = read_parquet(path, MONTHLY)
    if not pd.api.types.is_numeric_dtype(df["value"]) or not pd.api.types.is_integer_dtype(df["Exp or Imp"]):
        num = coerce(df[["Exp or Imp", "value"]].astype("string"), {"Exp or Imp": "int", "value": "float"},
                     path, header_lines=0)
        df = df.assign(**{"Exp or Imp": num["Exp or Imp"].astype("int64"), "value": num["value"].astype("float64")})
    flow_codes: dict = {1: "export", 2: "import"}
    flow = map_codes(df["Exp or Imp"], flow_codes, path, "Exp or Imp",
                     "1 (export) or 2 (import)", header_lines=0)
    area = map_codes(df["Area"], AREAS, path, "Area", "a MOF area abbreviation listed in japan_customs.AREAS",
                     header_lines=0)
    month = pd.to_datetime(df["month"], errors="coerce")
    bad = np.flatnonzero(month.isna().to_numpy())
    if bad.size:
        raise InputError(path, "a date (first day of the month)", row=int(bad[0]) + 1, field="month",
                         got=df["month"].iloc[int(bad[0])])
    rows = _rows(flow, area, df["goods"], month.dt.year, month.dt.month, df["value"])
    return rows.assign(_area=df["Area"].to_numpy()), pd.DataFrame(
        {"flow": flow, "area": df["Area"], "period": month, "goods": df["goods"], "value": df["value"]})


def goods_products(names: pd.Series, monthly: pd.DataFrame | None, canon: pd.Series) -> tuple[pd.DataFrame, list[CodeMapping]]:
    """``products`` rows for the goods groups; parents of sub-items from the monthly file's order.

    ``canon`` maps the UPPER spelling to the product code. See the module docstring for the rule.
    """
    names = pd.Series(names.unique())
    sub = names.str.startswith("(")
    level = np.where(names == TOTAL_GOODS, 0, np.where(sub, 2, 1))
    parent = pd.Series([None] * len(names), dtype="object")
    notes: list[CodeMapping] = []
    if monthly is not None and len(monthly):
        order = monthly[["flow", "goods"]].drop_duplicates()
        is_sub = order["goods"].str.startswith("(")
        order = order.assign(cand=order["goods"].where(~is_sub).groupby(order["flow"]).ffill())[is_sub]
        vals = monthly[["flow", "area", "period", "goods", "value"]]
        m = (vals.merge(order, on=["flow", "goods"])
             .merge(vals.rename(columns={"goods": "cand", "value": "pval"}), on=["flow", "area", "period", "cand"]))
        exceeds = (m["value"] > m["pval"] + 1e-9).groupby([m["flow"], m["goods"]]).any().rename("exceeds")
        order = order.merge(exceeds.reset_index(), on=["flow", "goods"], how="left")
        order["ok"] = order["cand"].notna() & ~order["exceeds"].fillna(True).astype(bool)
        order["cand_name"] = order["cand"].map(canon).fillna(order["cand"])
        per = order.groupby("goods").agg(n=("cand", "nunique"), ok=("ok", "all"), cand=("cand", "first"),
                                         cands=("cand_name", lambda s: ", ".join(s.dropna().map(str))))
        counts = monthly["goods"].value_counts()
        good = per[(per["n"] == 1) & per["ok"]]
        up = names.str.upper()
        parent = up.map(canon.reindex(good["cand"].to_numpy()).set_axis(good.index)).astype("object")
        for g, r in per.drop(good.index).iterrows():  # at most a handful of sub-items
            why = ("follows different groups by flow" if r["n"] > 1 else
                   "exceeds the group it follows in some months" if not r["ok"] else "no group before it")
            notes.append(CodeMapping("goods", str(canon.get(g, g)), None, int(counts.get(g, 0)),
                                     f"products.parent NULL: sub-item {why} ({r['cands']})"))
    prods = pd.DataFrame({"classification": "JP_GOODS", "code": names, "level": level.astype("int32"),
                          "description": names.where(names != TOTAL_GOODS,
                                                     "Grand Total (all goods; in trade_flows as TOTAL/TOTAL)"),
                          "parent": parent.where(pd.notna(parent), None)})
    return prods.sort_values(["level", "code"], ignore_index=True), notes


def _usd_monthly(mon: pd.DataFrame, jpy: pd.DataFrame) -> list[CodeMapping]:
    """Set ``value_usd`` of monthly rows (in place) with the monthly mean of the IMF daily rate."""
    mm = monthly_means(jpy.assign(currency="JPY"))
    mm = mm.assign(year=mm["period"].dt.year, month=mm["period"].dt.month)
    rate = mon[["year", "month"]].astype("int64").merge(
        mm[["year", "month", "per_usd"]], how="left", on=["year", "month"])["per_usd"].to_numpy()
    mon["value_usd"] = mon["value"].to_numpy() * 1e9 / rate
    missing = int(np.isnan(rate).sum())
    notes = [CodeMapping("fx", "JPY monthly", "IMF monthly mean", len(rate) - missing,
                         f"billion JPY converted with the monthly average of IMF daily JPY per USD ({FX_FILE})")]
    if missing:
        notes.append(CodeMapping("fx", "JPY monthly", None, missing,
                                 "months without an IMF JPY rate: value_usd NULL"))
    return notes


def _usd_annual(ann: pd.DataFrame, jpy: pd.DataFrame) -> tuple[pd.DataFrame, list[CodeMapping]]:
    """Annual rows with ``value_usd``: FRB G.5A, else the IMF annual mean, else NULL; one note a year."""
    years = pd.DataFrame({"year": np.sort(ann["year"].unique())})
    g5a = reference.fx_annual().query("currency == 'JPY'")[["year", "per_usd"]]
    imf = jpy.groupby(jpy["date"].dt.year)["per_usd"].mean().rename("imf").rename_axis("year").reset_index()
    years = years.merge(g5a, on="year", how="left").merge(imf, on="year", how="left")
    years["basis"] = np.where(
        years["per_usd"].notna(), G5A,
        np.where(years["imf"].notna(), f"annual mean of IMF daily JPY per USD in {FX_FILE}",
                 "no JPY/USD rate shipped for this year: value_usd NULL"))
    years["rate"] = years["per_usd"].fillna(years["imf"])
    ann = ann.merge(years[["year", "rate"]], on="year", how="left")
    ann["value_usd"] = ann["value"] * 1e9 / ann.pop("rate")
    counts = ann["year"].value_counts()
    notes = [CodeMapping("fx", f"JPY {int(r.year)}", None if pd.isna(r.rate) else f"{r.rate:.4f}",
                         int(counts[r.year]), f"annual rows: {r.basis}") for r in years.itertuples()]
    return ann, notes


def _fx_dir(paths: Sequence[Path]) -> Path | None:
    given = [p for p in paths if p.name == FX_FILE]
    if given:
        return given[0]
    data = [p for p in paths if p.name != FX_FILE]
    guess = data[0].parents[1] / FX_DIR / FX_FILE if data else None
    return guess if guess is not None and guess.is_file() else None


class JapanCustoms(Source):
    name = "japan_customs"
    title = "Japan customs trade by area and summary goods group (MOF), annual 2009– and monthly 2009–2019"
    producer = "Japan Ministry of Finance (e-Stat 00350300), tidied by R package jptrade (M. Tsuchiya)"
    licence = "jptrade MIT; MOF/e-Stat terms of use (government statistics, free reuse with attribution)"
    url = "https://github.com/mitsuoxv/jp-trade/raw/a66ddb14f8406405522c1feedb119e8b1b0f8435/data/trade_year.rda"
    patterns = ("trade/japan_customs_area_goods_2009_2026/japan_trade_area_goods_annual_*.tidy.csv",
                "trade/japan_customs_area_goods_2009_2026/japan_trade_area_goods_monthly_*.parquet",
                f"trade/{FX_DIR}/{FX_FILE}")

    def discover(self, data_dir: Path) -> list[Path]:
        files = super().discover(data_dir)
        return files if any(p.name != FX_FILE for p in files) else []

    def fetch(self, dest: Path) -> list[Path]:
        """Download jptrade's R data files (``trade_year.rda``, ``trade.rds``).

        ``parse`` reads their CSV/Parquet conversion (R: ``write.csv``/``arrow::write_parquet``);
        the IMF rates come with :class:`~econsec.sources.china_monthly.ChinaMonthly`.
        """
        import urllib.request

        dest.mkdir(parents=True, exist_ok=True)
        out = []
        for url in (self.url, "https://github.com/mitsuoxv/jp-trade/raw/"
                    "0668b1fba1194ecc94a8f84b82798523a26c02d2/data/trade.rds"):
            out.append(dest / url.rsplit("/", 1)[1])
            urllib.request.urlretrieve(url, out[-1])
        return out

    def parse(self, paths: Sequence[Path]) -> Parsed:
        paths = [Path(p) for p in paths]
        annual_p = [p for p in paths if p.suffix == ".csv" and p.name != FX_FILE]
        monthly_p = [p for p in paths if p.suffix == ".parquet"]
        if not annual_p and not monthly_p:
            raise SourceNotFoundError(f"source {self.name!r}: no annual CSV or monthly Parquet among "
                                      f"{[p.name for p in paths]}")
        rows_read: dict[str, int] = {}
        annual = [read_annual(p) for p in annual_p]
        rows_read |= {str(p): len(a) for p, a in zip(annual_p, annual, strict=True)}
        months = [read_monthly(p) for p in monthly_p]
        rows_read |= {str(p): len(m) for p, (m, _) in zip(monthly_p, months, strict=True)}
        ann = pd.concat(annual, ignore_index=True) if annual else None
        mon = pd.concat([m for m, _ in months], ignore_index=True) if months else None
        raw = pd.concat([r for _, r in months], ignore_index=True) if months else None

        # product codes: the annual file's spelling ('Semiconductors Etc', '(Coal N.e.s)'); groups
        # only in the monthly file (UPPER case) get title case
        spell = pd.concat([f["product"][f["classification"] == "JP_GOODS"] for f in (ann, mon) if f is not None])
        spell = spell.drop_duplicates()
        canon = pd.Series(spell.to_numpy(), index=spell.str.upper().to_numpy())
        canon = canon[~canon.index.duplicated()]
        canon = canon.where(canon != canon.index, canon.str.title())
        canon[TOTAL_GOODS.upper()] = TOTAL_GOODS
        if mon is not None:
            is_g = mon["classification"] == "JP_GOODS"
            mon.loc[is_g, "product"] = mon.loc[is_g, "product"].str.upper().map(canon)
        products, notes = goods_products(pd.Series(canon.to_numpy()), raw, canon)

        fx_path = _fx_dir(paths)
        if fx_path is not None:
            daily, fx_rows = read_imf_fx(fx_path)
            if fx_path in paths:
                rows_read[str(fx_path)] = fx_rows
            jpy = daily[daily["currency"] == "JPY"]
        else:
            jpy = pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]"), "per_usd": []})
            notes.append(CodeMapping("fx", "JPY", None, 0, f"IMF daily rates ({FX_DIR}/{FX_FILE}) not found: "
                                     "monthly value_usd NULL, annual only for FRB G.5A years"))
        frames = []
        if mon is not None:
            notes += _usd_monthly(mon, jpy) + _area_notes(mon["_area"], "monthly rows")
            frames.append(mon)
        if ann is not None:
            ann, fx_notes = _usd_annual(ann, jpy)
            notes += fx_notes + _area_notes(ann["_area"], "annual rows")
            frames.append(ann)
        flows = pd.concat(frames, ignore_index=True).drop(columns="_area")
        total_rows = int((flows["product"] == "TOTAL").sum())
        notes.append(CodeMapping("goods", TOTAL_GOODS, "TOTAL", total_rows,
                                 "MOF goods 'Grand Total' stored as classification TOTAL, product TOTAL"))
        parts = []
        if ann is not None:
            parts.append(f"annual {ann['year'].min()}–{ann['year'].max()} "
                         f"({ann['year'].max()} partial, year to date)")
        if mon is not None:
            ym = mon["year"] * 100 + mon["month"]
            parts.append(f"monthly {ym.min() // 100}-{ym.min() % 100:02d} to {ym.max() // 100}-{ym.max() % 100:02d}")
        vintage = ("MOF trade statistics via jptrade (trade_year.rda @ a66ddb1, trade.rds @ 0668b1f): "
                   + "; ".join(parts))
        tables = {"trade_flows": flows, "products": products}
        if ann is not None:  # the annual table's last year is the year to date
            last = int(ann["year"].max())
            tables["partial_periods"] = pd.DataFrame({
                "year": [last], "flow": [None], "months_published": pd.array([None], dtype="Int64"),
                "note": [f"Japan MOF annual table: {last} is the year to date (months not stated)"]})
        return Parsed(tables=tables, vintage=vintage, rows_read=rows_read, mappings=tuple(notes))
