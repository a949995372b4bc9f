-- One row per event_id: failure_events without the copies that at-least-once delivery leaves.
--
-- Pub/Sub delivers at least once, a sink can export an entry twice, and BigQuery's insertId
-- de-duplication is best effort, so the table can hold one log entry more than once. Every
-- other view and saved question reads this view, never the table. The first row written
-- (earliest ingest_time) wins.
--
-- event_timestamp is in the window's PARTITION BY although event_id alone decides (the id
-- is a hash of the timestamp, so copies share it): BigQuery pushes a filter on a window's
-- partition columns below the window, so a query on a time range over this view reads only
-- the table partitions of that range instead of all of them.
--
-- @column * every column of failure_events (schemas/bigquery/failure_events.json)
SELECT *
FROM ${dataset}.failure_events
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (PARTITION BY event_timestamp, event_id ORDER BY ingest_time, message_id) = 1
