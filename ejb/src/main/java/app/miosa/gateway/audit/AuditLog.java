package app.miosa.gateway.audit;

import app.miosa.gateway.ticket.TicketClaims;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;

/** Appends audit records and reads them back within a tenant. */
@Stateless
public class AuditLog {
  @PersistenceContext private EntityManager em;

  /**
   * Records a ticket issuance in the caller's transaction, so the ticket and its record commit or
   * roll back together.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void ticketIssued(
      TicketClaims ticket, String tokenPrefix, String apiKey, String attribution) {
    em.persist(AuditEvent.ticketIssued(ticket, tokenPrefix, apiKey, attribution));
  }

  /** Records a revocation in the caller's transaction, so it commits with the revocation. */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void ticketsRevoked(String tenant, String computerId, String apiKey, Instant at) {
    em.persist(AuditEvent.ticketsRevoked(tenant, computerId, apiKey, at));
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
    em.persist(
        AuditEvent.connectionRefused(
            tenant, computerId, ticket, tokenPrefix, reason, remoteAddress, origin, at));
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
