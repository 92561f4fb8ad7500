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
