package app.miosa.gateway.audit;

import app.miosa.gateway.config.GatewaySettings;
import app.miosa.gateway.ticket.TicketClaims;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;

/**
 * Appends audit records, each with its MAC, and reads them back within a tenant. Records are only
 * ever inserted.
 */
@Stateless
public class AuditLog {
  @PersistenceContext private EntityManager em;
  @Inject private GatewaySettings settings;

  private AuditIntegrity integrity;

  @PostConstruct
  void createIntegrity() {
    integrity = new AuditIntegrity(settings.auditKey());
  }

  /**
   * Records a ticket issuance in the caller's transaction, so the ticket and its record commit or
   * roll back together.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void ticketIssued(
      TicketClaims ticket, String tokenPrefix, String apiKey, String attribution) {
    append(AuditEvent.ticketIssued(ticket, tokenPrefix, apiKey, attribution));
  }

  /**
   * Records a revocation in the caller's transaction, so it commits with the revocation.
   *
   * @param streamsClosed the live streams the revocation closes
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void ticketsRevoked(
      String tenant, String computerId, String apiKey, int streamsClosed, Instant at) {
    append(AuditEvent.ticketsRevoked(tenant, computerId, apiKey, streamsClosed, at));
  }

  /** Records a stream opened with a ticket, in a transaction of its own. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void streamOpened(StreamFacts stream, Instant at) {
    append(AuditEvent.streamOpened(stream, at));
  }

  /** Records the end of a stream with its totals, in a transaction of its own. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void streamClosed(StreamFacts stream, StreamTotals totals, Instant at) {
    append(AuditEvent.streamClosed(stream, totals, at));
  }

  /**
   * Records a rejected viewer page or stream request in a transaction of its own, so the record
   * is kept although the request fails.
   *
   * @param ticket the ticket's verified claims, or null when its signature or format failed
   * @param tenant the tenant the request is attributed to, or null when unknown
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void connectionRefused(
      String tenant,
      String computerId,
      TicketClaims ticket,
      String tokenPrefix,
      String reason,
      String remoteAddress,
      String origin,
      Instant at) {
    append(
        AuditEvent.connectionRefused(
            tenant, computerId, ticket, tokenPrefix, reason, remoteAddress, origin, at));
  }

  /** Inserts a record with its MAC: the id comes from the sequence at persist, before the insert. */
  private void append(AuditEvent event) {
    em.persist(event);
    if (event.getId() == null) {
      throw new IllegalStateException("No id was assigned to the audit record at persist");
    }
    event.sealRow(integrity.recordMac(event));
  }

  /** Returns the tenant's records about a computer, oldest first. */
  public List<AuditEvent> findByComputer(String tenant, String computerId) {
    return em.createQuery(
            "SELECT e FROM AuditEvent e WHERE e.tenant = :tenant AND e.computerId = :computerId"
                + " ORDER BY e.id",
            AuditEvent.class)
        .setParameter("tenant", tenant)
        .setParameter("computerId", computerId)
        .getResultList();
  }

  /** Returns the tenant's records for a ticket, oldest first. */
  public List<AuditEvent> findByTicket(String tenant, String ticketId) {
    return em.createQuery(
            "SELECT e FROM AuditEvent e WHERE e.tenant = :tenant AND e.ticketId = :ticketId"
                + " ORDER BY e.id",
            AuditEvent.class)
        .setParameter("tenant", tenant)
        .setParameter("ticketId", ticketId)
        .getResultList();
  }
}
