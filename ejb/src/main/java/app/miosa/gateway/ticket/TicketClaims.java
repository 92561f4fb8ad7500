package app.miosa.gateway.ticket;

import java.time.Instant;

/**
 * Grants of a terminal ticket: which tenant's computer, until when, and whether input is
 * allowed.
 *
 * @param ticketId random id of this ticket (the JWT {@code jti}), safe to log and audit
 * @param tenant tenant that owns the computer
 * @param computerId computer the ticket opens
 * @param readOnly whether the gateway drops the viewer's input
 * @param audio whether the viewer may receive the computer's audio
 * @param issuedAt issue time, whole seconds
 * @param expiresAt expiry time, whole seconds
 * @param generation the computer's ticket generation at issue; a revocation moves it on
 */
public record TicketClaims(
    String ticketId,
    String tenant,
    String computerId,
    boolean readOnly,
    boolean audio,
    Instant issuedAt,
    Instant expiresAt,
    long generation) {}
