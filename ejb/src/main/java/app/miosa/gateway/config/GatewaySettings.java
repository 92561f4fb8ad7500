package app.miosa.gateway.config;

import app.miosa.gateway.tenant.Tenant;
import app.miosa.gateway.tenant.TenantTable;
import app.miosa.gateway.ticket.SigningKeys;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's configuration, read once through MicroProfile Config.
 *
 * <p>Every key is a constant here with its default. MicroProfile Config lets an operator set each
 * one as a system property or as an environment variable ({@code gateway.ticket.signing-keys}
 * becomes {@code GATEWAY_TICKET_SIGNING_KEYS}). The effective values are logged once at start-up,
 * signing keys left out.
 */
@ApplicationScoped
public class GatewaySettings {
  /**
   * Base URL that ticket URLs start with, such as {@code https://stream.example.com}, for tenants
   * without a stream URL of their own. No default: when unset, the address and port the minting
   * request arrived on are used.
   */
  public static final String PUBLIC_URL = TenantTable.PUBLIC_URL;

  /** Ticket signing keys, {@code kid:base64,kid:base64}, each at least 32 bytes. */
  public static final String SIGNING_KEYS = "gateway.ticket.signing-keys";

  /** Key id that signs new tickets. Default: the first key listed. */
  public static final String ACTIVE_KEY_ID = "gateway.ticket.active-key-id";

  /**
   * Key that encrypts stored VNC passwords: base64 of 32 bytes (AES-256-GCM). Default: a random
   * key, so stored passwords stop working when the gateway restarts.
   */
  public static final String VNC_PASSWORD_KEY = "gateway.vnc-password-key";

  /**
   * Key of the audit trail's record MACs and seals: base64 of 32 bytes or more. Default: a random
   * key, so records written before a restart no longer verify.
   */
  public static final String AUDIT_KEY = "gateway.audit.key";

  /** Seconds between two seals of the audit trail on each gateway node. */
  public static final String AUDIT_SEAL_INTERVAL = "gateway.audit.seal-interval-seconds";

  public static final long AUDIT_SEAL_INTERVAL_DEFAULT = 60;

  /**
   * Seconds a record must be old before it is sealed, so that records whose transactions are
   * still open when a seal is written are not left out of it.
   */
  public static final String AUDIT_SEAL_DELAY = "gateway.audit.seal-delay-seconds";

  public static final long AUDIT_SEAL_DELAY_DEFAULT = 30;

  /** Largest clipboard text relayed in either direction, in bytes; longer text is dropped. */
  public static final String CLIPBOARD_LIMIT_BYTES = "gateway.clipboard.max-bytes";

  public static final long CLIPBOARD_LIMIT_BYTES_DEFAULT = 256 * 1024;

  /** Space-separated CSP source expressions allowed to embed the viewer. */
  public static final String FRAME_ANCESTORS = "gateway.csp.frame-ancestors";

  public static final String FRAME_ANCESTORS_DEFAULT = "*.miosa.app *.miosa.ai localhost:4000";

  private static final Logger LOG = Logger.getLogger(GatewaySettings.class.getName());

  @Inject Config config;

  @Inject
  @ConfigProperty(name = SIGNING_KEYS)
  Optional<String> signingKeyList;

  @Inject
  @ConfigProperty(name = ACTIVE_KEY_ID)
  Optional<String> activeKeyId;

  @Inject
  @ConfigProperty(name = FRAME_ANCESTORS, defaultValue = FRAME_ANCESTORS_DEFAULT)
  String frameAncestors;

  @Inject
  @ConfigProperty(name = VNC_PASSWORD_KEY)
  Optional<String> vncPasswordKeyValue;

  @Inject
  @ConfigProperty(name = AUDIT_KEY)
  Optional<String> auditKeyValue;

  @Inject
  @ConfigProperty(name = CLIPBOARD_LIMIT_BYTES, defaultValue = "262144")
  long clipboardLimitBytes;

  @Inject
  @ConfigProperty(name = AUDIT_SEAL_INTERVAL, defaultValue = "" + AUDIT_SEAL_INTERVAL_DEFAULT)
  long auditSealIntervalSeconds;

  @Inject
  @ConfigProperty(name = AUDIT_SEAL_DELAY, defaultValue = "" + AUDIT_SEAL_DELAY_DEFAULT)
  long auditSealDelaySeconds;

  private byte[] vncPasswordKey;
  private byte[] auditKey;

  private SigningKeys signingKeys;
  private List<String> defaultFrameAncestors;
  private TenantTable tenants;

  @PostConstruct
  void load() {
    try {
      readSettings();
    } catch (RuntimeException e) {
      // CDI reports a failed @PostConstruct without its cause, so the reason is logged here.
      LOG.severe("Invalid configuration, the gateway cannot start: " + e.getMessage());
      throw e;
    }
  }

  private void readSettings() {
    signingKeys = signingKeyList.filter(s -> !s.isBlank()).map(this::parseKeys).orElseGet(
        GatewaySettings::ephemeralKeys);
    defaultFrameAncestors = FrameAncestors.parse(FRAME_ANCESTORS, frameAncestors);
    tenants = TenantTable.read(key -> config.getOptionalValue(key, String.class));
    vncPasswordKey =
        vncPasswordKeyValue.filter(s -> !s.isBlank()).map(GatewaySettings::parsePasswordKey)
            .orElseGet(GatewaySettings::ephemeralPasswordKey);
    auditKey =
        auditKeyValue.filter(s -> !s.isBlank()).map(GatewaySettings::parseAuditKey)
            .orElseGet(GatewaySettings::ephemeralAuditKey);
    if (clipboardLimitBytes < 0) {
      throw new IllegalStateException(
          CLIPBOARD_LIMIT_BYTES + "=" + clipboardLimitBytes + " must not be negative");
    }
    requirePositive(AUDIT_SEAL_INTERVAL, auditSealIntervalSeconds);
    requirePositive(AUDIT_SEAL_DELAY, auditSealDelaySeconds);
  }

  /** Checks a number of seconds: positive, and small enough to convert to milliseconds. */
  private static void requirePositive(String key, long seconds) {
    if (seconds <= 0 || seconds > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "Invalid " + key + ": " + seconds + "; it must be from 1 to " + Integer.MAX_VALUE);
    }
  }

  /** Logs the effective configuration once the application has started. */
  void logAtStartup(@Observes @Initialized(ApplicationScoped.class) Object event) {
    LOG.info(
        () ->
            "Stream gateway configuration: "
                + Map.ofEntries(
                    Map.entry(
                        PUBLIC_URL,
                        tenants.publicUrl().map(URI::toString).orElse("(the local address)")),
                    Map.entry(SIGNING_KEYS, "key ids " + List.copyOf(signingKeys.keyIds())),
                    Map.entry(ACTIVE_KEY_ID, signingKeys.activeKeyId()),
                    Map.entry(
                        VNC_PASSWORD_KEY, vncPasswordKeyValue.isPresent() ? "(set)" : "(random)"),
                    Map.entry(AUDIT_KEY, auditKeyValue.isPresent() ? "(set)" : "(random)"),
                    Map.entry(AUDIT_SEAL_INTERVAL, auditSealIntervalSeconds),
                    Map.entry(AUDIT_SEAL_DELAY, auditSealDelaySeconds),
                    Map.entry(CLIPBOARD_LIMIT_BYTES, clipboardLimitBytes),
                    Map.entry(FRAME_ANCESTORS, defaultFrameAncestors),
                    Map.entry(TenantTable.PLANS, tenants.plans().values()),
                    Map.entry(TenantTable.TENANTS, tenants.tenants().values())));
    if (!TimeZone.getDefault().hasSameRules(TimeZone.getTimeZone("UTC"))) {
      LOG.warning(
          "The JVM's time zone is "
              + TimeZone.getDefault().getID()
              + ", not UTC: audit and computer times are stored in it. Start the JVM with"
              + " -Duser.timezone=UTC, as run-gateway.sh and configure-domain.sh do");
    }
    if (tenants.publicUrl().isEmpty()) {
      LOG.warning(
          PUBLIC_URL
              + " is not set: ticket URLs start with the address and port each minting request"
              + " arrived on, which a browser elsewhere may not reach");
    }
  }

  public SigningKeys signingKeys() {
    return signingKeys;
  }

  /** Returns the plans, the tenants and their stream domains. */
  public TenantTable tenants() {
    return tenants;
  }

  /** Returns the settings of a tenant, the defaults for one that config does not name. */
  public Tenant tenant(String id) {
    return tenants.tenant(id);
  }

  /** Returns the CSP source expressions allowed to embed the viewers of every tenant. */
  public List<String> frameAncestors() {
    return defaultFrameAncestors;
  }

  /** Returns a copy of the AES-256 key that encrypts stored VNC passwords. */
  public byte[] vncPasswordKey() {
    return vncPasswordKey.clone();
  }

  /** Returns a copy of the key of the audit trail's record MACs and seals. */
  public byte[] auditKey() {
    return auditKey.clone();
  }

  /** Returns the time between two seals of the audit trail. */
  public Duration auditSealInterval() {
    return Duration.ofSeconds(auditSealIntervalSeconds);
  }

  /** Returns how old a record must be before it is sealed. */
  public Duration auditSealDelay() {
    return Duration.ofSeconds(auditSealDelaySeconds);
  }

  public long clipboardLimitBytes() {
    return clipboardLimitBytes;
  }

  private static byte[] parsePasswordKey(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Invalid " + VNC_PASSWORD_KEY + ": not valid base64");
    }
    if (key.length != 32) {
      throw new IllegalStateException(
          "Invalid " + VNC_PASSWORD_KEY + ": " + key.length + " bytes; AES-256 needs 32");
    }
    return key;
  }

  private static byte[] parseAuditKey(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Invalid " + AUDIT_KEY + ": not valid base64");
    }
    if (key.length < 32) {
      throw new IllegalStateException(
          "Invalid " + AUDIT_KEY + ": " + key.length + " bytes; 32 or more are needed");
    }
    return key;
  }

  private static byte[] ephemeralAuditKey() {
    LOG.warning(
        AUDIT_KEY
            + " is not set: audit records are signed with a random key, so records written before"
            + " a restart no longer verify");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static byte[] ephemeralPasswordKey() {
    LOG.warning(
        VNC_PASSWORD_KEY
            + " is not set: VNC passwords are encrypted with a random key and must be registered"
            + " again after the gateway restarts");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private SigningKeys parseKeys(String keyList) {
    try {
      return SigningKeys.parse(keyList, activeKeyId.orElse(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Invalid " + SIGNING_KEYS + ": " + e.getMessage());
    }
  }

  private static SigningKeys ephemeralKeys() {
    LOG.warning(
        SIGNING_KEYS
            + " is not set: tickets are signed with a random key and stop working when the"
            + " gateway restarts");
    byte[] key = new byte[SigningKeys.MIN_KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return SigningKeys.parse("ephemeral:" + Base64.getEncoder().encodeToString(key), "");
  }
}
