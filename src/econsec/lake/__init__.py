"""A Parquet lake for raw data that outgrows one machine, filled by Spark.

econsec's store is embedded DuckDB; that is the default engine and handles a BACI year on a
laptop. When the raw data (all BACI years at HS6, ~250 M rows of CSV) is parsed on a cluster,
:class:`SparkLake` holds the result: Parquet files of ``trade_flows`` rows partitioned by source
and year, with a manifest (inputs' SHA-256, vintage, rows, codes mapped) as the atomic commit
point. :meth:`SparkLake.ingest_baci` parses BACI with Spark using the BACI adapter's own code
table and mapping functions; :meth:`SparkLake.register` loads a snapshot into the store through
the normal ingest, after which every analytic reads it as it reads the DuckDB engine's rows.

Layer: above ``store`` and ``sources``, below ``analytics``. PySpark is optional
(``pip install 'econsec[spark]'``) and imported only when Spark is used.
"""

from typing import Any

from econsec.lake.lake import COLUMNS, SCHEMA, SparkLake
from econsec.lake.manifest import InputFile, LakeError, Manifest, SourceEntry
from econsec.lake.results import LakeOutcome

__all__ = ["COLUMNS", "SCHEMA", "InputFile", "LakeError", "LakeOutcome", "Manifest",
           "SourceEntry", "SparkLake", "session"]


def session(master: str = "local[2]", **kwargs: Any) -> Any:  # a SparkSession (optional dep)
    """A Spark session for the lake; see :func:`econsec.lake.spark.session`."""
    try:
        from econsec.lake.spark import session as _session
    except ImportError as e:
        raise LakeError("the Spark engine needs PySpark: pip install 'econsec[spark]' "
                        f"(and Java 17+); import failed: {e}") from e
    return _session(master, **kwargs)
