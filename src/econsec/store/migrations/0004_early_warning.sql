-- Early-warning system (issue #6): watchlists, alerts with history, events, notifications.
CREATE TABLE ews_watchlist (
    importer       VARCHAR NOT NULL,
    classification VARCHAR NOT NULL,      -- HS2017, JP_GOODS, TOTAL ...
    product        VARCHAR NOT NULL,
    grade          VARCHAR NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
    frequency      VARCHAR NOT NULL,      -- weekly | biweekly | monthly | quarterly
    origin         VARCHAR NOT NULL CHECK (origin IN ('generated', 'manual')),
    top_supplier   VARCHAR,
    top_share      DOUBLE,
    note           VARCHAR,
    added_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (importer, classification, product)
);

-- No PRIMARY KEY / UNIQUE here: DuckDB checks index constraints over-eagerly on UPDATE (an
-- update is a delete + insert), which breaks status updates. econsec.services.ews keeps
-- alert_id and dedup_key unique (one writer, one transaction per scan); tests check it.
CREATE TABLE ews_alerts (
    alert_id       BIGINT NOT NULL,
    dedup_key      VARCHAR NOT NULL,         -- importer|classification|product|first month
    importer       VARCHAR NOT NULL,
    classification VARCHAR NOT NULL,
    product        VARCHAR NOT NULL,
    level          VARCHAR NOT NULL,         -- watch | warning | critical (the level of `score`, as of `as_of`)
    score          DOUBLE NOT NULL,          -- latest score
    signals        VARCHAR NOT NULL,         -- JSON explanation: [{signal, value, points}]
    cover          VARCHAR,                  -- JSON cover options in joint mode
    source         VARCHAR NOT NULL,
    vintage        VARCHAR NOT NULL,
    as_of          DATE NOT NULL,            -- latest data month that raised/updated it
    first_seen     TIMESTAMP NOT NULL,
    last_seen      TIMESTAMP NOT NULL,
    status         VARCHAR NOT NULL CHECK (status IN
                   ('new', 'acknowledged', 'confirmed', 'no_impact', 'resolved'))
);

CREATE TABLE ews_alert_history (
    alert_id    BIGINT NOT NULL,
    changed_at  TIMESTAMP NOT NULL,
    from_status VARCHAR,
    to_status   VARCHAR NOT NULL,
    note        VARCHAR
);

CREATE TABLE ews_events (
    event_id       BIGINT PRIMARY KEY,
    importer       VARCHAR NOT NULL,
    classification VARCHAR,                  -- NULL = all items of the importer
    product        VARCHAR,
    start          DATE NOT NULL,
    "end"          DATE,
    severity       DOUBLE NOT NULL,          -- z-units fed to the policy_event signal
    description    VARCHAR NOT NULL,
    reference      VARCHAR
);

CREATE TABLE ews_notifications (
    alert_id  BIGINT NOT NULL,
    channel   VARCHAR NOT NULL,              -- webhook | smtp
    target    VARCHAR NOT NULL,
    sent_at   TIMESTAMP NOT NULL,
    attempts  INTEGER NOT NULL,
    ok        BOOLEAN NOT NULL,
    detail    VARCHAR
);
