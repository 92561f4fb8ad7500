package app.miosa.gateway.audit;

import app.miosa.gateway.ticket.TicketClaims;

/**
 * What the audit trail records of a stream when it opens.
 *
 * @param ticket the verified ticket the stream was opened with
 * @param remoteAddress the viewer's IP address as the gateway sees it
 * @param userAgent the browser's {@code User-Agent}, or null
 * @param origin the page's {@code Origin}, or null for a client that is not a browser
 * @param audio whether the stream carries the computer's audio rather than its desktop
 */
public record StreamFacts(
    TicketClaims ticket, String remoteAddress, String userAgent, String origin, boolean audio) {}
