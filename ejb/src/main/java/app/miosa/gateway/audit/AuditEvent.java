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

  /** Maximum stored length of a request's {@code Origin}; longer values are cut. */
  public static final int MAX_ORIGIN_LENGTH = 256;

  private static final int MAX_REMOTE_ADDRESS_LENGTH = 64;

  @Id
  @SequenceGenerator(name = "audit_event_seq", sequenceName = "audit_event_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_event_seq")
  private Long id;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, updatable = false, length = 32)
  private AuditKind kind;

  @Column(name = "occurred_at", nullable = false, updatable = false)
  private OffsetDateTime occurredAt;

  /** Null on a refused connection whose ticket names no tenant the gateway can trust. */
  @Column(updatable = false, length = 64)
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

  /** The failed check of a refused connection: a {@code Failure} name. */
  @Column(updatable = false, length = 64)
  private String reason;

  @Column(name = "remote_address", updatable = false, length = MAX_REMOTE_ADDRESS_LENGTH)
  private String remoteAddress;

  @Column(updatable = false, length = MAX_ORIGIN_LENGTH)
  private String origin;

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
      String tenant, String computerId, String apiKey, Instant at) {
    AuditEvent event = new AuditEvent();
    event.kind = AuditKind.TICKETS_REVOKED;
    event.occurredAt = at.atOffset(ZoneOffset.UTC);
    event.tenant = tenant;
    event.computerId = computerId;
    event.apiKey = apiKey;
    return event;
  }

  /**
   * Returns the record of a viewer page or stream request that a check rejected.
   *
   * @param ticket the ticket's verified claims, or null when its signature or format failed
   * @param tenant the tenant the request is attributed to, or null when unknown
   */
  static AuditEvent connectionRefused(
      String tenant,
      String computerId,
      TicketClaims ticket,
      String tokenPrefix,
      String reason,
      String remoteAddress,
      String origin,
      Instant at) {
    AuditEvent event = new AuditEvent();
    event.kind = AuditKind.CONNECTION_REFUSED;
    event.occurredAt = at.atOffset(ZoneOffset.UTC);
    event.tenant = tenant;
    event.computerId = cut(computerId, 64);
    event.tokenPrefix = tokenPrefix;
    event.reason = reason;
    event.remoteAddress = cut(remoteAddress, MAX_REMOTE_ADDRESS_LENGTH);
    event.origin = cut(origin, MAX_ORIGIN_LENGTH);
    if (ticket != null) {
      event.ticketId = ticket.ticketId();
      event.readOnly = ticket.readOnly();
      event.expiresAt = ticket.expiresAt().atOffset(ZoneOffset.UTC);
    }
    return event;
  }

  private static String cut(String value, int length) {
    return value == null || value.length() <= length ? value : value.substring(0, length);
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

  public String getReason() {
    return reason;
  }

  public String getRemoteAddress() {
    return remoteAddress;
  }

  public String getOrigin() {
    return origin;
  }

  public Instant getExpiresAt() {
    return expiresAt == null ? null : expiresAt.toInstant();
  }
}
