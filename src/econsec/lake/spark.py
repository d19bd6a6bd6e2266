"""BACI year files → the lake, parsed, checked and mapped by Spark.

The same code runs in local mode (``local[2]``) and on a cluster (``spark://…``, ``yarn``,
``k8s://…``): every row-level step is a Spark DataFrame expression, so the CSV parse, the checks,
the country mapping and the Parquet write are distributed over the executors. The driver does
only what is small: it reads the country-code table with the BACI adapter's own functions
(:func:`econsec.sources.baci.parse_country_codes`, :func:`~econsec.sources.baci.with_iso_fallback`,
so the 490 → TWN, 697 → XEF and 849 → UMI mappings and the ISO-numeric fallback are the
adapter's, not a copy), hashes the inputs and commits the snapshot.

Two passes over the CSVs:

1. **check and count** — one aggregation per (file, year, field, country code) gives the rows
   per file and year, the rows with a bad cell or a wrong field count, the codes absent from the
   code table and the rows mapped through the ISO fallback;
2. **write** — join the codes (broadcast), build the ``trade_flows`` columns exactly as the
   adapter does (``value_usd = v × 1000``, ``product`` = ``k`` left-padded to 6 digits) and write
   Parquet partitioned by year into a staging directory.

A bad row stops the run after pass 1 with nothing written. Spark's CSV reader does not know line
numbers, so the driver then re-reads just the offending file with the adapter's own reader
(:func:`econsec.sources.baci.convert_file`, then ``diagnose_csv``): the error is the one the
DuckDB engine raises, naming file, row and field.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import reduce
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd
from py4j.protocol import Py4JError
from pyspark.errors import PySparkException
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from econsec.errors import InputError, SourceNotFoundError, UnknownCodeError
from econsec.lake.lake import SparkLake, Stage
from econsec.lake.manifest import InputFile, LakeError, SourceEntry
from econsec.lake.results import LakeOutcome
from econsec.sources._read import diagnose_csv
from econsec.sources.baci import (
    CONSTANTS,
    SCHEMA,
    VALUE_SCALE,
    CodeIndex,
    convert_file,
    parse_country_codes,
    split_files,
    with_iso_fallback,
)
from econsec.store.ingest import sha256

SOURCE = "baci"
RAW = "t string, i string, j string, k string, v string, q string, _corrupt string"
_INT = r"^[+-]?[0-9]+$"
_PADDED = r"^\s|\s$"


def session(master: str = "local[2]", *, app_name: str = "econsec-lake",
            conf: Mapping[str, str] | None = None) -> SparkSession:
    """A Spark session for the lake (``master``: ``local[N]`` here, a cluster URL elsewhere).

    The web UI is off and checksum/_SUCCESS side files are not written to local lakes; pass
    ``conf`` for cluster settings (executor memory, shuffle partitions, ...).
    """
    b = (SparkSession.builder.master(master).appName(app_name)
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem")
         .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false"))
    if master.startswith("local"):
        b = b.config("spark.sql.shuffle.partitions", "8")
    for k, v in (conf or {}).items():
        b = b.config(k, v)
    try:
        spark = b.getOrCreate()
    except Exception as e:  # no Java, bad master URL: py4j and pyspark raise several types
        raise LakeError(f"cannot start Spark with master {master!r}: {e}") from e
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _uri(path: Path) -> str:
    """A local path as Hadoop reads it (``Path.as_uri`` would escape the ``=`` of partitions)."""
    return "file://" + str(path.absolute())


def _read(spark: SparkSession, path: Path, hs: str) -> DataFrame:
    """One year file as text columns, tagged with its path and HS revision (malformed rows,
    i.e. a field count other than six, keep their text in ``_corrupt``)."""
    return (spark.read.schema(RAW).option("header", True).option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", "_corrupt").csv(_uri(path))
            .withColumn("_file", F.lit(str(path))).withColumn("classification", F.lit(hs)))


def _typed(raw: DataFrame) -> DataFrame:
    """Typed columns and, per row, the first bad field and its text (NULL when the row is good).

    The rules are the adapter's (pyarrow) ones: integers and ``v`` unpadded; ``v`` and ``q`` may
    be ``NA`` or empty (missing); ``q`` may be padded with spaces; ``t``, ``i``, ``j``, ``k`` are
    required.
    """
    c = F.col
    q = F.trim(c("q"))

    def int_of(name: str, kind: str) -> Column:
        return F.when(c(name).rlike(_INT), F.expr(f"try_cast({name} AS {kind})"))

    t_n, i_n, j_n = int_of("t", "smallint"), int_of("i", "int"), int_of("j", "int")
    v_na = c("v").isNull() | (c("v") == "NA")
    v_n = F.when(~v_na & ~c("v").rlike(_PADDED), F.expr("try_cast(v AS double)"))
    q_na = c("q").isNull() | (q == "NA")
    q_n = F.when(~q_na, F.expr("try_cast(trim(q) AS double)"))
    checks = [("row", c("_corrupt").isNotNull(), c("_corrupt")),
              ("t", t_n.isNull(), c("t")), ("i", i_n.isNull(), c("i")), ("j", j_n.isNull(), c("j")),
              ("k", c("k").isNull() | (c("k") == "NA"), c("k")),
              ("v", ~v_na & v_n.isNull(), c("v")), ("q", ~q_na & q_n.isNull(), c("q"))]
    bad = F.coalesce(*[F.when(cond, F.struct(F.lit(f).alias("field"), F.coalesce(val, F.lit("")).alias("got")))
                       for f, cond, val in checks])
    return raw.select("_file", "classification", "k", t_n.alias("t_n"), i_n.alias("i_n"),
                      j_n.alias("j_n"), v_n.alias("v_n"), q_n.alias("q_n"), bad.alias("bad"))


def _counts(typed: DataFrame) -> pd.DataFrame:
    """Pass 1: rows per (file, year, field, code), with the bad rows and one bad example."""
    pairs = F.explode(F.array(F.struct(F.lit("i").alias("field"), F.col("i_n").alias("code")),
                              F.struct(F.lit("j").alias("field"), F.col("j_n").alias("code"))))
    agg = (typed.select("_file", "t_n", "bad", pairs.alias("c"))
           .groupBy("_file", "t_n", "c.field", "c.code")
           .agg(F.count(F.lit(1)).alias("n"), F.count("bad").alias("n_bad"),
                F.min("bad").alias("bad")))
    rows = agg.collect()  # files × years × 2 × ~250 codes: small
    return pd.DataFrame({
        "file": [r["_file"] for r in rows], "year": [r["t_n"] for r in rows],
        "field": [r["field"] for r in rows],
        "code": pd.array([r["code"] for r in rows], dtype="Int64"),
        "n": np.array([r["n"] for r in rows], dtype=np.int64),
        "n_bad": np.array([r["n_bad"] for r in rows], dtype=np.int64),
        "bad": [None if r["bad"] is None else (r["bad"]["field"], r["bad"]["got"]) for r in rows]})


def _explain(path: Path, hs: str, table: pd.DataFrame, codes_name: str,
             found: tuple[str, str] | None, unknown: tuple[str, int] | None) -> NoReturn:
    """Raise the error the DuckDB engine raises for ``path`` (with its row), re-reading only
    this file on the driver with the adapter's reader; Spark's finding if that passes."""
    for _ in convert_file(path, CodeIndex(table, codes_name), hs):
        pass
    diagnose_csv(path, SCHEMA | {"q": "float"}, required=("t", "i", "j", "k", "v"))
    if unknown is not None:
        raise UnknownCodeError(path, "a country code listed in the BACI country_codes file",
                               field=unknown[0], got=unknown[1])
    field, got = found or ("row", "")
    raise InputError(path, "BACI rows t,i,j,k,v,q with numeric t, i, j, v, q (row found by Spark)",
                     field=None if field == "row" else field, got=got)


def _lookup(table: pd.DataFrame) -> pd.DataFrame:
    """BACI code → ISO3 with the row index in ``table`` (first match wins, as in CodeIndex)."""
    keys = table["code"].astype(int).to_numpy()
    first = ~pd.Series(keys).duplicated().to_numpy()
    return pd.DataFrame({"code": keys[first], "iso3": table["iso3"].to_numpy()[first],
                         "idx": np.flatnonzero(first), "fallback": table["fallback"].to_numpy()[first]})


def _flows(typed: DataFrame, lookup: DataFrame) -> DataFrame:
    """Pass 2: the ``trade_flows`` columns, built as the adapter's ``_convert`` builds them."""
    c = F.col
    exp = F.broadcast(lookup.select(c("code").alias("i_n"), c("iso3").alias("exporter")))
    imp = F.broadcast(lookup.select(c("code").alias("j_n"), c("iso3").alias("importer")))
    k = c("k")
    return typed.join(exp, "i_n").join(imp, "j_n").select(
        "exporter", "importer", F.lit(None).cast("string").alias("reporter"),
        F.lit(CONSTANTS["flow"]).alias("flow"), c("t_n").cast("int").alias("year"),
        F.lit(None).cast("int").alias("month"), "classification",
        F.when(F.length(k) < 6, F.lpad(k, 6, "0")).otherwise(k).alias("product"),
        (c("v_n") * F.lit(VALUE_SCALE)).alias("value_usd"), c("v_n").alias("value"),
        F.lit(CONSTANTS["currency"]).alias("currency"), c("q_n").alias("quantity"),
        F.lit(CONSTANTS["unit"]).alias("unit"), F.lit(None).cast("double").alias("duty_usd"),
        F.lit(CONSTANTS["basis"]).alias("basis"), F.lit(False).alias("mirror"))


def ingest_baci(lake: SparkLake, files: Sequence[str | Path],
                spark: SparkSession | Callable[[], SparkSession], *, force: bool = False,
                progress: Stage | None = None) -> LakeOutcome:
    """Parse BACI year files (and their country-code table) with Spark into ``lake``.

    Atomic (staging directory, swapped in by replacing the manifest; any failure leaves the lake
    as it was) and idempotent (inputs with the SHA-256 of the current snapshot → ``unchanged``,
    without starting Spark). Stages reported to ``progress``: ``hashing``, ``starting spark``,
    ``checking``, ``writing``, ``committing``, then ``done`` or ``unchanged``.
    """
    say = progress or (lambda _s: None)
    t0 = time.perf_counter()
    paths = [Path(p) for p in files]
    for p in paths:
        if not p.is_file():
            raise SourceNotFoundError(f"source {SOURCE!r}: {p} is not a file")
    codes_file, plan, vintage = split_files(paths)
    if not plan:
        raise InputError(codes_file, "at least one BACI year file, e.g. BACI_HS17_Y2020_V202301.csv")
    inputs = [codes_file, *(f for f, _ in plan)]
    say("hashing")
    digests = {str(p): sha256(p) for p in inputs}
    current = lake.entry(SOURCE)
    if (not force and current is not None and current.digests == set(digests.values())
            and lake.snapshot_dir(current).is_dir()):
        say("unchanged")
        return LakeOutcome(SOURCE, "unchanged", str(lake.path), current.snapshot, current.vintage,
                           digests, 0, dict(current.rows_by_year), current.mappings, current.engine,
                           time.perf_counter() - t0)
    codes, notes = parse_country_codes(codes_file)
    table = with_iso_fallback(codes)
    lk = _lookup(table)
    if not isinstance(spark, SparkSession):
        say("starting spark")
        spark = spark()
    engine = f"Spark {spark.version}, master {spark.sparkContext.master}"
    staged = lake.staging_dir(SOURCE)
    try:
        raw = reduce(DataFrame.unionByName, [_read(spark, f, hs) for f, hs in plan])
        typed = _typed(raw)
        say("checking")
        counts = _counts(typed)
        known = set(lk["code"].tolist())
        for f, hs in plan:
            mine = counts[counts["file"] == str(f)]
            unknown = mine[mine["code"].notna() & ~mine["code"].isin(known)]
            if mine["n_bad"].sum() or len(unknown):
                bad = mine.loc[mine["n_bad"] > 0, "bad"]
                first_unknown = ((unknown["field"].iloc[0], int(unknown["code"].iloc[0]))
                                 if len(unknown) else None)
                _explain(f, hs, table, codes_file.name, bad.iloc[0] if len(bad) else None,
                         first_unknown)
        index = CodeIndex(table, codes_file.name)
        fb = counts.merge(lk[lk["fallback"]], on="code")
        index.fallback_rows = {(Path(r.file).name, r.field, int(r.idx)): int(r.n)
                               for r in fb.groupby(["file", "field", "idx"], as_index=False)["n"].sum()
                               .itertuples()}
        lookup = spark.createDataFrame(list(zip(lk["code"].tolist(), lk["iso3"].tolist(), strict=True)),
                                       "code int, iso3 string")
        say("writing")
        _flows(typed, lookup).write.partitionBy("year").mode("errorifexists").parquet(_uri(staged))
        i_rows = counts[counts["field"] == "i"]
        per_file = i_rows.groupby("file")["n"].sum()
        per_year = i_rows.groupby("year")["n"].sum()
        entry = SourceEntry(
            source=SOURCE, snapshot=staged.name.removeprefix(".staging-"), vintage=vintage,
            files=tuple(InputFile(str(p), digests[str(p)], p.stat().st_size, p.stat().st_mtime_ns,
                                  len(codes) if p == codes_file else int(per_file.get(str(p), 0)))
                        for p in inputs),
            rows_by_year={int(y): int(n) for y, n in per_year.items()},
            mappings=(*notes, *index.notes()), engine=engine,
            written_at=datetime.now(UTC).isoformat(timespec="seconds"))
        say("committing")
        lake.commit(staged, entry)
    except (PySparkException, Py4JError) as e:
        raise LakeError(f"Spark failed on {[str(f) for f, _ in plan]}: {str(e).splitlines()[0]}") from e
    finally:
        if staged.exists():
            shutil.rmtree(staged, ignore_errors=True)
    say("done")
    return LakeOutcome(SOURCE, "replaced" if current else "loaded", str(lake.path), entry.snapshot,
                       vintage, digests, int(per_file.sum()), dict(entry.rows_by_year),
                       entry.mappings, engine, time.perf_counter() - t0)
