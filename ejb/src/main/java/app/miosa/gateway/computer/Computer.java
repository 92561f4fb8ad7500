package app.miosa.gateway.computer;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A desktop registered by a tenant. Times are UTC {@code OffsetDateTime}s, which JPA 3.1 maps to
 * timestamp columns. Computer ids are scoped to their tenant, so two tenants may
 * register the same id without seeing each other.
 */
@Entity
@Table(
    name = "computer",
    uniqueConstraints = @UniqueConstraint(columnNames = {"tenant", "computer_id"}))
@NamedQuery(
    name = Computer.FIND_BY_TENANT_AND_ID,
    query = "SELECT c FROM Computer c WHERE c.tenant = :tenant AND c.computerId = :computerId")
public class Computer {
  static final String FIND_BY_TENANT_AND_ID = "Computer.findByTenantAndId";

  @Id
  @SequenceGenerator(name = "computer_seq", sequenceName = "computer_seq", allocationSize = 20)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "computer_seq")
  private Long id;

  @Column(nullable = false, length = 64)
  private String tenant;

  @Column(name = "computer_id", nullable = false, length = 64)
  private String computerId;

  @Column(name = "vnc_url", nullable = false, length = 512)
  private String vncUrl;

  /** The address of the computer's audio source ({@code tcp://host:port}), or null. */
  @Column(name = "audio_url", length = 512)
  private String audioUrl;

  /** The VNC password as a compact JWE from {@link VncPasswords}, or null without a password. */
  @Column(name = "vnc_password", length = 1024)
  private String encryptedVncPassword;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private ComputerState state;

  @Column(name = "created_at", nullable = false)
  private OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  private OffsetDateTime updatedAt;

  /**
   * Generation of this computer's tickets: every ticket carries the value at its issue, and a
   * revocation increments it, so tickets issued before a revocation no longer match.
   */
  // Nullable, read as 0, so the column can be added to an existing embedded database's rows.
  @Column(name = "ticket_generation")
  private Long ticketGeneration;

  @Version private long version;

  protected Computer() {}

  Computer(String tenant, String computerId, Instant now) {
    this.tenant = tenant;
    this.computerId = computerId;
    this.ticketGeneration = 0L;
    this.createdAt = now.atOffset(ZoneOffset.UTC);
  }

  void update(String vncUrl, ComputerState state, Instant now) {
    this.vncUrl = vncUrl;
    this.state = state;
    this.updatedAt = now.atOffset(ZoneOffset.UTC);
  }

  void setAudioUrl(String audioUrl) {
    this.audioUrl = audioUrl;
  }

  void setEncryptedVncPassword(String encrypted) {
    this.encryptedVncPassword = encrypted;
  }

  String getEncryptedVncPassword() {
    return encryptedVncPassword;
  }

  public long getTicketGeneration() {
    return ticketGeneration == null ? 0 : ticketGeneration;
  }

  /** Invalidates every ticket issued so far and returns the generation of later tickets. */
  public long revokeTickets() {
    ticketGeneration = getTicketGeneration() + 1;
    return ticketGeneration;
  }

  public boolean hasVncPassword() {
    return encryptedVncPassword != null;
  }

  public String getTenant() {
    return tenant;
  }

  public String getComputerId() {
    return computerId;
  }

  public String getVncUrl() {
    return vncUrl;
  }

  public VncAddress vncAddress() {
    return VncAddress.parse(vncUrl);
  }

  /** Returns where the computer's audio stream is served, or empty when it has no audio source. */
  public Optional<String> getAudioUrl() {
    return Optional.ofNullable(audioUrl);
  }

  /** Returns the address of the computer's audio source, or empty when it has none. */
  public Optional<VncAddress> audioAddress() {
    return getAudioUrl().map(VncAddress::parse);
  }

  public ComputerState getState() {
    return state;
  }

  public Instant getCreatedAt() {
    return createdAt.toInstant();
  }

  public Instant getUpdatedAt() {
    return updatedAt.toInstant();
  }
}
