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
import java.time.temporal.ChronoUnit;

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
  private static final int MAX_USER_AGENT_LENGTH = 512;
  private static final int MAX_REASON_LENGTH = 64;

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

  @Column(name = "streams_closed", updatable = false)
  private Integer streamsClosed;

  @Column(name = "user_agent", updatable = false, length = MAX_USER_AGENT_LENGTH)
  private String userAgent;

  @Column(name = "duration_ms", updatable = false)
  private Long durationMs;

  @Column(name = "bytes_to_viewer", updatable = false)
  private Long bytesToViewer;

  @Column(name = "bytes_from_viewer", updatable = false)
  private Long bytesFromViewer;

  @Column(name = "input_dropped", updatable = false)
  private Long inputDropped;

  @Column(name = "close_code", updatable = false)
  private Integer closeCode;

  /** HMAC of the other fields under the audit key: see {@link AuditIntegrity}. */
  @Column(name = "row_mac", updatable = false, length = 64)
  private String rowMac;

  protected AuditEvent() {}

  /** Returns the record of a ticket issued by an API key. */
  static AuditEvent ticketIssued(
      TicketClaims ticket, String tokenPrefix, String apiKey, String attribution) {
    AuditEvent event = new AuditEvent();
    event.kind = AuditKind.TICKET_ISSUED;
    event.occurredAt = utc(ticket.issuedAt());
    event.tenant = ticket.tenant();
    event.computerId = ticket.computerId();
    event.apiKey = apiKey;
    event.ticketId = ticket.ticketId();
    event.tokenPrefix = tokenPrefix;
    event.attribution = attribution;
    event.readOnly = ticket.readOnly();
    event.expiresAt = utc(ticket.expiresAt());
    return event;
  }

  /**
   * Returns the record of a revocation of every ticket of a computer by an API key.
   *
   * @param streamsClosed the live streams the revocation closed
   */
  static AuditEvent ticketsRevoked(
      String tenant, String computerId, String apiKey, int streamsClosed, Instant at) {
    AuditEvent event = new AuditEvent();
    event.kind = AuditKind.TICKETS_REVOKED;
    event.occurredAt = utc(at);
    event.tenant = tenant;
    event.computerId = computerId;
    event.apiKey = apiKey;
    event.streamsClosed = streamsClosed;
    return event;
  }

  /** Returns the record of a desktop or audio stream a viewer opened with a ticket. */
  static AuditEvent streamOpened(StreamFacts stream, Instant at) {
    return ofStream(
        stream.audio() ? AuditKind.AUDIO_STREAM_OPENED : AuditKind.STREAM_OPENED, stream, at);
  }

  /** Returns the record of a stream that ended, with its totals and close code. */
  static AuditEvent streamClosed(StreamFacts stream, StreamTotals totals, Instant at) {
    AuditEvent event =
        ofStream(
            stream.audio() ? AuditKind.AUDIO_STREAM_CLOSED : AuditKind.STREAM_CLOSED, stream, at);
    event.durationMs = totals.duration().toMillis();
    event.bytesToViewer = totals.bytesToViewer();
    event.bytesFromViewer = totals.bytesFromViewer();
    event.inputDropped = totals.inputDropped();
    event.closeCode = totals.closeCode();
    event.reason = cut(totals.closeReason(), MAX_REASON_LENGTH);
    return event;
  }

  private static AuditEvent ofStream(AuditKind kind, StreamFacts stream, Instant at) {
    AuditEvent event = new AuditEvent();
    event.kind = kind;
    event.occurredAt = utc(at);
    event.tenant = stream.ticket().tenant();
    event.computerId = stream.ticket().computerId();
    event.ticketId = stream.ticket().ticketId();
    event.readOnly = stream.ticket().readOnly();
    event.expiresAt = utc(stream.ticket().expiresAt());
    event.remoteAddress = cut(stream.remoteAddress(), MAX_REMOTE_ADDRESS_LENGTH);
    event.userAgent = cut(stream.userAgent(), MAX_USER_AGENT_LENGTH);
    event.origin = cut(stream.origin(), MAX_ORIGIN_LENGTH);
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
    event.occurredAt = utc(at);
    event.tenant = tenant;
    event.computerId = cut(computerId, 64);
    event.tokenPrefix = cut(tokenPrefix, 32);
    event.reason = cut(reason, MAX_REASON_LENGTH);
    event.remoteAddress = cut(remoteAddress, MAX_REMOTE_ADDRESS_LENGTH);
    event.origin = cut(origin, MAX_ORIGIN_LENGTH);
    if (ticket != null) {
      event.ticketId = ticket.ticketId();
      event.readOnly = ticket.readOnly();
      event.expiresAt = utc(ticket.expiresAt());
    }
    return event;
  }

  /** Returns a time as stored: UTC, to the millisecond, which H2 and PostgreSQL both keep. */
  private static OffsetDateTime utc(Instant time) {
    return time.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
  }

  /**
   * Returns a request value as stored: NUL characters, which PostgreSQL cannot store, replaced
   * by U+FFFD, and cut to the column's length.
   */
  private static String cut(String value, int length) {
    if (value == null) {
      return null;
    }
    String storable = value.replace('\0', '\uFFFD');
    return storable.length() <= length ? storable : storable.substring(0, length);
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

  public Integer getStreamsClosed() {
    return streamsClosed;
  }

  public String getUserAgent() {
    return userAgent;
  }

  public Long getDurationMs() {
    return durationMs;
  }

  public Long getBytesToViewer() {
    return bytesToViewer;
  }

  public Long getBytesFromViewer() {
    return bytesFromViewer;
  }

  public Long getInputDropped() {
    return inputDropped;
  }

  public Integer getCloseCode() {
    return closeCode;
  }

  public String getRowMac() {
    return rowMac;
  }

  /** Sets the record's MAC once, after the id is assigned and before the insert. */
  void sealRow(String mac) {
    if (rowMac != null) {
      throw new IllegalStateException("Audit record " + id + " already has its MAC");
    }
    rowMac = mac;
  }

  public Instant getExpiresAt() {
    return expiresAt == null ? null : expiresAt.toInstant();
  }
}
