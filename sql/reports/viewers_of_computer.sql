-- Everyone who watched a computer in a time window.
--
-- Returns one row per stream of the computer that was open at some moment of the window: the
-- streams opened in it, and those opened before it that ended, or were still open, after its
-- start. A row combines three records:
--   STREAM_OPENED   ticket id, the viewer's remote address, user agent and origin, read-only flag
--   TICKET_ISSUED   of the same ticket: the API key that requested it and the caller's attribution
--   STREAM_CLOSED   of the same stream: its end, duration, close code and close reason
--
-- closed_at and duration_ms are empty for a stream still open, or whose end the gateway could not
-- record. Such a stream lasted at most until its ticket's expires_at, when the gateway closes it,
-- so it is listed when that expiry falls after the window's start. api_key and attribution are
-- empty when the ticket's issuance record has been archived by the retention script.
--
-- Variables (times are UTC, written without an offset because a timestamp without time zone
-- ignores one):
--   tenant    the computer's tenant (required: computer ids are unique per tenant only)
--   computer  the computer id, such as cmp_7f3a
--   from      start of the window, inclusive, such as '2026-05-14 09:00'
--   until     end of the window, exclusive
--
-- Example:
--   psql -X -v ON_ERROR_STOP=1 -v tenant=acme -v computer=cmp_7f3a \
--        -v from='2026-05-14 09:00' -v until='2026-05-14 18:00' \
--        -f sql/reports/viewers_of_computer.sql
--
-- Indexes: audit_event_tenant_computer_idx (tenant, computer_id, id) for the computer's
-- STREAM_OPENED records, and audit_event_ticket_idx (ticket_id) for the issuance and end of each.
-- The scan covers all of the computer's records before the window's end, not only those in the
-- window, because a stream opened long before it may have been open during it.

SELECT
    opened.occurred_at          AS opened_at,
    closed.occurred_at          AS closed_at,
    closed.duration_ms,
    opened.ticket_id,
    opened.remote_address,
    opened.user_agent,
    opened.origin,
    opened.read_only,
    issued.api_key,
    issued.attribution,
    closed.close_code,
    closed.reason               AS close_reason
FROM audit_event AS opened
LEFT JOIN audit_event AS issued
       ON issued.kind = 'TICKET_ISSUED'
      AND issued.ticket_id = opened.ticket_id
      AND issued.tenant = opened.tenant
-- A ticket may open several streams, and the records carry no stream id. The gateway measures a
-- stream's duration between the two times it records, each truncated to the millisecond. So a
-- stream's own end is the one whose occurred_at minus duration_ms is within 1 ms of the opening.
-- The query takes the nearest end within one second.
LEFT JOIN LATERAL (
    SELECT candidate.occurred_at, candidate.duration_ms, candidate.close_code, candidate.reason
    FROM audit_event AS candidate
    WHERE candidate.kind = 'STREAM_CLOSED'
      AND candidate.ticket_id = opened.ticket_id
      AND candidate.tenant = opened.tenant
      AND candidate.computer_id = opened.computer_id
      AND candidate.remote_address IS NOT DISTINCT FROM opened.remote_address
      AND candidate.user_agent IS NOT DISTINCT FROM opened.user_agent
      AND candidate.origin IS NOT DISTINCT FROM opened.origin
      AND candidate.occurred_at >= opened.occurred_at
      AND abs(extract(epoch FROM candidate.occurred_at
                                 - candidate.duration_ms * interval '1 millisecond'
                                 - opened.occurred_at)) <= 1
    ORDER BY abs(extract(epoch FROM candidate.occurred_at
                                    - candidate.duration_ms * interval '1 millisecond'
                                    - opened.occurred_at))
    LIMIT 1
) AS closed ON true
WHERE opened.kind = 'STREAM_OPENED'
  AND opened.tenant = :'tenant'
  AND opened.computer_id = :'computer'
  AND opened.occurred_at < CAST(:'until' AS timestamp)
  AND coalesce(closed.occurred_at, opened.expires_at) >= CAST(:'from' AS timestamp)
ORDER BY opened.occurred_at, opened.id;
