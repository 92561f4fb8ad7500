package app.miosa.gateway.audit;

import app.miosa.gateway.ticket.TicketClaims;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One audit record. Times are stored as UTC {@code OffsetDateTime}, which JPA 3.1 maps to a
 * timestamp column; it would store an {@code Instant} as serialized bytes.
 *
 * <p>Written once and never updated or deleted by the application: every column is
 * {@code updatable = false} and the class has no setters.
 */
@Entity
@Table(name = "audit_event")
public class AuditEvent {
  /** Maximum length of the external attribution a caller may attach to a ticket. */
  public static final int MAX_ATTRIBUTION_LENGTH = 256;

  @Id
  @SequenceGenerator(name = "audit_event_seq", sequenceName = "audit_event_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_event_seq")
  private Long id;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, updatable = false, length = 32)
  private AuditKind kind;

  @Column(name = "occurred_at", nullable = false, updatable = false)
  private OffsetDateTime occurredAt;

  @Column(nullable = false, updatable = false, length = 64)
  private String tenant;

  @Column(name = "computer_id", updatable = false, length = 64)
  private String computerId;

  @Column(name = "api_key", updatable = false, length = 128)
  private String apiKey;

  @Column(name = "ticket_id", updatable = false, length = 32)
  private String ticketId;

  @Column(name = "token_prefix", updatable = false, length = 32)
  private String tokenPrefix;

  @Column(updatable = false, length = MAX_ATTRIBUTION_LENGTH)
  private String attribution;

  @Column(name = "read_only", updatable = false)
  private Boolean readOnly;

  @Column(name = "expires_at", updatable = false)
  private OffsetDateTime expiresAt;

  protected AuditEvent() {}

  /** Returns the record of a ticket issued by an API key. */
  static AuditEvent ticketIssued(
      TicketClaims ticket, String tokenPrefix, String apiKey, String attribution) {
    AuditEvent event = new AuditEvent();
    event.kind = AuditKind.TICKET_ISSUED;
    event.occurredAt = ticket.issuedAt().atOffset(ZoneOffset.UTC);
    event.tenant = ticket.tenant();
    event.computerId = ticket.computerId();
    event.apiKey = apiKey;
    event.ticketId = ticket.ticketId();
    event.tokenPrefix = tokenPrefix;
    event.attribution = attribution;
    event.readOnly = ticket.readOnly();
    event.expiresAt = ticket.expiresAt().atOffset(ZoneOffset.UTC);
    return event;
  }

  /** Returns the record of a revocation of every ticket of a computer by an API key. */
  static AuditEvent ticketsRevoked(
      String tenant, String computerId, String apiKey, java.time.Instant at) {
    AuditEvent event = new AuditEvent();
    event.kind = AuditKind.TICKETS_REVOKED;
    event.occurredAt = at.atOffset(ZoneOffset.UTC);
    event.tenant = tenant;
    event.computerId = computerId;
    event.apiKey = apiKey;
    return event;
  }

  public Long getId() {
    return id;
  }

  public AuditKind getKind() {
    return kind;
  }

  public Instant getOccurredAt() {
    return occurredAt.toInstant();
  }

  public String getTenant() {
    return tenant;
  }

  public String getComputerId() {
    return computerId;
  }

  public String getApiKey() {
    return apiKey;
  }

  public String getTicketId() {
    return ticketId;
  }

  public String getTokenPrefix() {
    return tokenPrefix;
  }

  public String getAttribution() {
    return attribution;
  }

  public Boolean getReadOnly() {
    return readOnly;
  }

  public Instant getExpiresAt() {
    return expiresAt == null ? null : expiresAt.toInstant();
  }
}
