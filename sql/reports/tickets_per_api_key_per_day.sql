-- Tickets issued per API key per day.
--
-- Returns one row per tenant, UTC day and API key with the number of tickets issued and how
-- many of them were read-only, from the TICKET_ISSUED records.
--
-- Variables (times are UTC, written without an offset because a timestamp without time zone
-- ignores one):
--   from    first moment of the period, inclusive, such as 2026-05-01 or '2026-05-01 08:00'
--   until   end of the period, exclusive
--   tenant  the tenant, or empty for every tenant
--
-- Example:
--   psql -X -v ON_ERROR_STOP=1 -v from=2026-05-01 -v until=2026-06-01 -v tenant=acme \
--        -f sql/reports/tickets_per_api_key_per_day.sql
--
-- Indexes: audit_event_tenant_time_idx (tenant, occurred_at) or audit_event_occurred_at_idx
-- (occurred_at), whichever the planner estimates cheaper. Either limits the scan to the period.

SELECT
    tenant,
    occurred_at::date                   AS day,
    api_key,
    count(*)                            AS tickets,
    count(*) FILTER (WHERE read_only)   AS read_only_tickets
FROM audit_event
WHERE kind = 'TICKET_ISSUED'
  AND occurred_at >= CAST(:'from' AS timestamp)
  AND occurred_at <  CAST(:'until' AS timestamp)
  AND (:'tenant' = '' OR tenant = :'tenant')
GROUP BY tenant, occurred_at::date, api_key
ORDER BY tenant, day, api_key;
