package app.miosa.gateway.stream;

import app.miosa.gateway.audit.AuditLog;
import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.operations.GatewayMetrics;
import app.miosa.gateway.ticket.TicketClaims;
import app.miosa.gateway.ticket.TicketCodec;
import app.miosa.gateway.ticket.TicketKeys;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs, counts and audits a rejected viewer page or stream request, whether {@link
 * TicketCheckFilter} rejects it before the upgrade or {@link StreamEndpoint} when it opens.
 */
@ApplicationScoped
public class StreamRejections {
  private static final Logger LOG = Logger.getLogger(StreamRejections.class.getName());

  @EJB AuditLog audit;
  @Inject GatewayMetrics metrics;
  @Inject TicketKeys keys;

  /**
   * Records one rejection. A failure to write its audit record is logged, not raised, because
   * the caller still has to respond to the request.
   *
   * @param request "stream" or "viewer page", for the log line
   * @param claims the ticket's verified claims, or null when its signature or format failed
   * @param ticket the ticket as the request carried it, of which only the prefix is kept
   */
  void record(
      String request,
      String computerId,
      TicketClaims claims,
      String ticket,
      Failure failure,
      String remoteAddress,
      String origin) {
    String tokenPrefix = TicketCodec.loggablePrefix(ticket);
    LOG.log(
        Level.INFO,
        "Rejected {0} for computer {1}, ticket {2}, from {3}, origin {4}: {5}",
        new Object[] {
          request,
          computerId,
          claims != null ? claims.ticketId() : tokenPrefix,
          remoteAddress,
          origin,
          failure.name()
        });
    metrics.ticketRefused(failure.name());
    try {
      audit.connectionRefused(
          claims != null ? claims.tenant() : null,
          computerId,
          claims,
          tokenPrefix,
          failure.name(),
          remoteAddress,
          origin,
          keys.now());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Recording the rejection of computer {0} in the audit log failed: {1}",
          new Object[] {computerId, e.toString()});
    }
  }
}
