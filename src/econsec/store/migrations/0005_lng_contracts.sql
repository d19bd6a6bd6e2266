-- User-maintained long-term LNG contracts (econsec lng contracts add FILE).
-- IF NOT EXISTS: the lng service may have created the table in a store older than this migration.
CREATE TABLE IF NOT EXISTS lng_contracts (
    buyer                VARCHAR NOT NULL,   -- company, e.g. KOGAS
    buyer_country        VARCHAR NOT NULL,   -- ISO3
    seller               VARCHAR NOT NULL,
    seller_country       VARCHAR NOT NULL,   -- ISO3 of the liquefaction plant
    mtpa                 DOUBLE  NOT NULL,   -- annual contract quantity, Mt/yr
    start_year           INTEGER,            -- first delivery year; NULL = before the analysis
    end_year             INTEGER NOT NULL,   -- last delivery year
    destination_flexible BOOLEAN,
    price_index          VARCHAR,            -- e.g. JCC slope, 115% Henry Hub + fee
    source               VARCHAR,
    citation             VARCHAR,
    added_at             TIMESTAMP NOT NULL
);
