package app.miosa.gateway.audit;

import app.miosa.gateway.config.GatewaySettings;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Seals the audit records of the next period, from the end of the last seal to {@code
 * gateway.audit.seal-delay-seconds} ago, in one transaction.
 *
 * <p>A period without records gets no seal. The next seal then starts where the last one ended, so
 * the seals still cover the time line without gaps.
 *
 * <p>NOTE: a record that commits more than the delay after its {@code occurred_at} lands in a
 * period already sealed, and verification then reports that seal as a mismatch.
 */
@Stateless
public class AuditSealer {
  /** Record MACs read per query, so that a period of any size is sealed in constant memory. */
  static final int BATCH_SIZE = 1000;

  @PersistenceContext private EntityManager em;
  @Inject private GatewaySettings settings;

  private AuditIntegrity integrity;

  @PostConstruct
  void createIntegrity() {
    integrity = new AuditIntegrity(settings.auditKey());
  }

  /**
   * Seals the next period and returns the seal, or empty when there is nothing to seal yet.
   *
   * @throws jakarta.persistence.PersistenceException when the database fails, or when another node
   *     sealed the same period first: a unique violation of {@code covers_from}
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public Optional<AuditSeal> sealNextPeriod() {
    AuditSeal last = lastSeal().orElse(null);
    Instant firstRecordAt = last == null ? firstRecordAt() : null;
    Instant now = Instant.now();
    Optional<SealPeriod> period =
        SealPeriod.next(
            last == null ? null : last.getCoversUntil(),
            firstRecordAt,
            now,
            settings.auditSealDelay());
    if (period.isEmpty()) {
      return Optional.empty();
    }

    String previousDigest = last == null ? null : last.getDigest();
    AuditIntegrity.SealDigest digest = integrity.startSealDigest(previousDigest);
    addRecordMacs(period.get(), digest);
    if (digest.count() == 0) {
      return Optional.empty();
    }
    AuditSeal seal =
        AuditSeal.of(period.get(), digest.count(), previousDigest, digest.finish(), now);
    em.persist(seal);
    // Flushing here raises a unique violation in this method rather than at commit.
    em.flush();
    return Optional.of(seal);
  }

  private Optional<AuditSeal> lastSeal() {
    return em.createQuery("SELECT s FROM AuditSeal s ORDER BY s.coversUntil DESC", AuditSeal.class)
        .setMaxResults(1)
        .getResultStream()
        .findFirst();
  }

  private Instant firstRecordAt() {
    OffsetDateTime first =
        em.createQuery("SELECT MIN(e.occurredAt) FROM AuditEvent e", OffsetDateTime.class)
            .getSingleResult();
    return first == null ? null : first.toInstant();
  }

  /** Adds the stored MACs of the period's records to the digest, in id order, page by page. */
  private void addRecordMacs(SealPeriod period, AuditIntegrity.SealDigest digest) {
    TypedQuery<Object[]> query =
        em.createQuery(
                "SELECT e.id, e.rowMac FROM AuditEvent e"
                    + " WHERE e.occurredAt > :from AND e.occurredAt <= :until AND e.id > :afterId"
                    + " ORDER BY e.id",
                Object[].class)
            .setParameter("from", period.coversFrom().atOffset(ZoneOffset.UTC))
            .setParameter("until", period.coversUntil().atOffset(ZoneOffset.UTC))
            .setMaxResults(BATCH_SIZE);
    long afterId = Long.MIN_VALUE;
    List<Object[]> rows;
    do {
      rows = query.setParameter("afterId", afterId).getResultList();
      for (Object[] row : rows) {
        afterId = (Long) row[0];
        digest.add((String) row[1]);
      }
    } while (rows.size() == BATCH_SIZE);
  }
}
