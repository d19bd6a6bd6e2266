-- Early warning: the last data month each watched item was checked in each source, so scans
-- follow the grade's check frequency (econsec.analytics.ews.watchlist.CHECK_MONTHS). No
-- PRIMARY KEY: a scan deletes and re-inserts its items' rows in one transaction, which DuckDB's
-- index checks reject within a transaction; econsec.services.ews keeps (item, source) unique.
CREATE TABLE ews_checks (
    importer       VARCHAR NOT NULL,
    classification VARCHAR NOT NULL,
    product        VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    last_checked   DATE NOT NULL,          -- data month (first day) of the latest check
    checked_at     TIMESTAMP NOT NULL
);
