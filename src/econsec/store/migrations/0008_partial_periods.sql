-- Periods a source publishes only in part (a year to date): the rows are kept, and consumers
-- flag them (e.g. exposure marks the year, the latest-year default skips it). Written by the
-- source's adapter at ingest and replaced with the source's other data on a new vintage.
CREATE TABLE partial_periods (
    year             INTEGER NOT NULL,
    flow             VARCHAR,            -- NULL = every flow
    months_published INTEGER,            -- NULL = not stated by the source
    note             VARCHAR NOT NULL,
    source           VARCHAR NOT NULL
);
