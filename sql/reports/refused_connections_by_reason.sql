-- Refused connections by reason.
--
-- Returns the viewer page and stream requests that the gateway rejected, counted per UTC day,
-- reason (the failed check, such as TICKET_EXPIRED or ORIGIN_NOT_ALLOWED) and tenant, from the
-- CONNECTION_REFUSED records.
--
-- A request whose ticket failed its signature or format check belongs to no tenant the gateway
-- can trust: its record has no tenant. Such rows show an empty tenant and ticket_verified false.
-- Given a tenant, the report lists that tenant's rows and the unverified ones whose computer id
-- is one the tenant has registered. Computer ids are unique per tenant only, so another tenant
-- with the same id may have caused them.
--
-- Variables (times are UTC, written without an offset because a timestamp without time zone
-- ignores one):
--   from    first moment of the period, inclusive, such as 2026-05-01 or '2026-05-01 08:00'
--   until   end of the period, exclusive
--   tenant  the tenant, or empty for every tenant and every unverified request
--
-- Example:
--   psql -X -v ON_ERROR_STOP=1 -v from=2026-05-01 -v until=2026-06-01 -v tenant=acme \
--        -f sql/reports/refused_connections_by_reason.sql
--
-- Indexes: audit_event_occurred_at_idx (occurred_at) or audit_event_tenant_time_idx (tenant,
-- occurred_at) limit the scan to the period, and computer_tenant_computer_id_key finds the
-- tenant's computers.

SELECT
    occurred_at::date           AS day,
    reason,
    tenant,
    tenant IS NOT NULL          AS ticket_verified,
    count(*)                    AS refusals
FROM audit_event
WHERE kind = 'CONNECTION_REFUSED'
  AND occurred_at >= CAST(:'from' AS timestamp)
  AND occurred_at <  CAST(:'until' AS timestamp)
  AND (:'tenant' = ''
       OR tenant = :'tenant'
       OR (tenant IS NULL
           AND computer_id IN (SELECT computer_id FROM computer WHERE tenant = :'tenant')))
GROUP BY occurred_at::date, reason, tenant
ORDER BY day, reason, tenant NULLS FIRST;
