package app.miosa.gateway.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A seal over the audit records that occurred after {@code coversFrom} and up to {@code
 * coversUntil}: their count, and a digest over their MACs in id order that starts with the digest
 * of the seal before. Times are stored as UTC {@code OffsetDateTime} to the millisecond, as in
 * {@link AuditEvent}.
 *
 * <p>Written once and never updated or deleted by the application.
 */
@Entity
@Table(name = "audit_seal")
public class AuditSeal {
  @Id
  @SequenceGenerator(name = "audit_seal_seq", sequenceName = "audit_seal_seq", allocationSize = 1)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_seal_seq")
  private Long id;

  /** Exclusive start of the period. It is unique, so two nodes cannot both seal one period. */
  @Column(name = "covers_from", nullable = false, updatable = false)
  private OffsetDateTime coversFrom;

  /** Inclusive end of the period. */
  @Column(name = "covers_until", nullable = false, updatable = false)
  private OffsetDateTime coversUntil;

  @Column(name = "event_count", nullable = false, updatable = false)
  private long eventCount;

  /** Digest of the seal before, or null for the first seal the gateway wrote. */
  @Column(name = "previous_digest", updatable = false, length = 64)
  private String previousDigest;

  @Column(nullable = false, updatable = false, length = 64)
  private String digest;

  @Column(name = "sealed_at", nullable = false, updatable = false)
  private OffsetDateTime sealedAt;

  protected AuditSeal() {}

  /** Returns a new seal of a period. Its id is assigned when it is persisted. */
  static AuditSeal of(
      SealPeriod period, long eventCount, String previousDigest, String digest, Instant sealedAt) {
    AuditSeal seal = new AuditSeal();
    seal.coversFrom = utc(period.coversFrom());
    seal.coversUntil = utc(period.coversUntil());
    seal.eventCount = eventCount;
    seal.previousDigest = previousDigest;
    seal.digest = digest;
    seal.sealedAt = utc(sealedAt);
    return seal;
  }

  private static OffsetDateTime utc(Instant time) {
    return time.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
  }

  public Long getId() {
    return id;
  }

  public Instant getCoversFrom() {
    return coversFrom.toInstant();
  }

  public Instant getCoversUntil() {
    return coversUntil.toInstant();
  }

  public long getEventCount() {
    return eventCount;
  }

  public String getPreviousDigest() {
    return previousDigest;
  }

  public String getDigest() {
    return digest;
  }

  public Instant getSealedAt() {
    return sealedAt.toInstant();
  }
}
