-- Read-only versus interactive streams.
--
-- Returns the streams opened per tenant, UTC day and computer, counted separately for read-only
-- and interactive tickets, from the STREAM_OPENED records. After the rows of each day comes a
-- row with the computer '(all computers)' that adds up that day.
--
-- Variables (times are UTC, written without an offset because a timestamp without time zone
-- ignores one):
--   from    first moment of the period, inclusive, such as 2026-05-01 or '2026-05-01 08:00'
--   until   end of the period, exclusive
--   tenant  the tenant, or empty for every tenant
--
-- Example:
--   psql -X -v ON_ERROR_STOP=1 -v from=2026-05-01 -v until=2026-06-01 -v tenant=acme \
--        -f sql/reports/read_only_vs_interactive_streams.sql
--
-- Indexes: audit_event_tenant_time_idx (tenant, occurred_at) or audit_event_occurred_at_idx
-- (occurred_at), whichever the planner estimates cheaper. Either limits the scan to the period.

SELECT
    tenant,
    occurred_at::date                                   AS day,
    CASE WHEN GROUPING(computer_id) = 1 THEN '(all computers)'
         ELSE computer_id END                           AS computer_id,
    count(*) FILTER (WHERE read_only)                   AS read_only_streams,
    count(*) FILTER (WHERE NOT read_only)               AS interactive_streams,
    count(*)                                            AS streams
FROM audit_event
WHERE kind = 'STREAM_OPENED'
  AND occurred_at >= CAST(:'from' AS timestamp)
  AND occurred_at <  CAST(:'until' AS timestamp)
  AND (:'tenant' = '' OR tenant = :'tenant')
GROUP BY tenant, occurred_at::date, ROLLUP (computer_id)
ORDER BY tenant, day, GROUPING(computer_id), computer_id;
