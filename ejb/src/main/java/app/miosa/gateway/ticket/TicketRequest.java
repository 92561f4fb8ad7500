package app.miosa.gateway.ticket;

import java.time.Duration;
import java.util.Optional;

/**
 * Options a caller requests for a new ticket. Every field is optional in the request body.
 *
 * @param readOnly whether the gateway drops the viewer's input
 * @param ttl requested lifetime; empty means the configured default
 * @param audio whether the viewer may receive audio
 * @param attribution free text naming the end user in the caller's system, or null
 */
public record TicketRequest(
    boolean readOnly, Optional<Duration> ttl, boolean audio, String attribution) {}
