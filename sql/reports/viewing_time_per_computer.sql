-- Viewing time per computer.
--
-- Returns one row per tenant and computer with the number of streams that ended in the period
-- and their summed duration, from the STREAM_CLOSED records. A stream counts in the period in
-- which it ended, with its whole duration. A stream whose end the gateway could not record (it
-- logs the figures instead) is missing here.
--
-- Variables (times are UTC, written without an offset because a timestamp without time zone
-- ignores one):
--   from    first moment of the period, inclusive, such as 2026-05-01 or '2026-05-01 08:00'
--   until   end of the period, exclusive
--   tenant  the tenant, or empty for every tenant
--
-- Example:
--   psql -X -v ON_ERROR_STOP=1 -v from=2026-05-01 -v until=2026-06-01 -v tenant= \
--        -f sql/reports/viewing_time_per_computer.sql
--
-- Indexes: audit_event_tenant_time_idx (tenant, occurred_at) or audit_event_occurred_at_idx
-- (occurred_at), whichever the planner estimates cheaper. Either limits the scan to the period.

SELECT
    tenant,
    computer_id,
    count(*)                                            AS streams,
    sum(duration_ms)                                    AS viewing_ms,
    -- The same sum as an interval, such as "1 day 02:03:04.5", for reading.
    make_interval(secs => sum(duration_ms) / 1000.0)    AS viewing_time
FROM audit_event
WHERE kind = 'STREAM_CLOSED'
  AND occurred_at >= CAST(:'from' AS timestamp)
  AND occurred_at <  CAST(:'until' AS timestamp)
  AND (:'tenant' = '' OR tenant = :'tenant')
GROUP BY tenant, computer_id
ORDER BY tenant, computer_id;
