-- Early warning (issue #6): policy events may name the supplier they hit (NULL = every supplier).
ALTER TABLE ews_events ADD COLUMN partner VARCHAR;
