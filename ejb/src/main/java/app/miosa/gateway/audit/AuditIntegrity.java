package app.miosa.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of audit records under the audit key, so that a changed or inserted record no
 * longer matches its {@code row_mac} and a removed one breaks the digest of its seal.
 *
 * <p>A record's MAC covers its id and every field, each written with its length so that no two
 * different records encode alike. A seal's digest covers the previous seal's digest, then the
 * MACs of its records in id order.
 */
public final class AuditIntegrity {
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  /** Creates the MAC function for a key of at least 32 bytes. */
  public AuditIntegrity(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("The audit key has " + key.length + " bytes; 32 or more are needed");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    Arrays.fill(key, (byte) 0);
  }

  /** Returns the MAC of a record whose id is assigned, in base64url without padding. */
  public String recordMac(AuditEvent event) {
    return mac(canonical(event));
  }

  /**
   * Returns the digest of a seal.
   *
   * @param previousDigest the digest of the seal before, or null for the first seal
   * @param recordMacs the MACs of the sealed records in id order
   */
  public String sealDigest(String previousDigest, List<String> recordMacs) {
    SealDigest digest = startSealDigest(previousDigest);
    for (String recordMac : recordMacs) {
      digest.add(recordMac);
    }
    return digest.finish();
  }

  /**
   * Starts the digest of a seal whose record MACs arrive one at a time, so that a seal of any
   * size is computed in constant memory. It equals {@link #sealDigest} over the same MACs.
   *
   * @param previousDigest the digest of the seal before, or null for the first seal
   */
  public SealDigest startSealDigest(String previousDigest) {
    SealDigest digest = new SealDigest(newMac());
    digest.update(previousDigest);
    return digest;
  }

  /** Digest of one seal in progress: add the record MACs in id order, then finish it once. */
  public static final class SealDigest {
    private final Mac mac;
    private long count;

    private SealDigest(Mac mac) {
      this.mac = mac;
    }

    /** Adds the MAC of the next record in id order. */
    public void add(String recordMac) {
      update(recordMac);
      count++;
    }

    /** Returns the number of record MACs added. */
    public long count() {
      return count;
    }

    /** Returns the digest in base64url without padding; the object is spent afterwards. */
    public String finish() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    }

    private void update(String value) {
      mac.update(field(value).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Returns the text a record's MAC covers: every field, length-prefixed, in a fixed order. */
  static String canonical(AuditEvent event) {
    StringBuilder text = new StringBuilder();
    append(text, event.getId());
    append(text, event.getKind());
    append(text, event.getOccurredAt());
    append(text, event.getTenant());
    append(text, event.getComputerId());
    append(text, event.getApiKey());
    append(text, event.getTicketId());
    append(text, event.getTokenPrefix());
    append(text, event.getAttribution());
    append(text, event.getReadOnly());
    append(text, event.getExpiresAt());
    append(text, event.getReason());
    append(text, event.getRemoteAddress());
    append(text, event.getOrigin());
    append(text, event.getStreamsClosed());
    append(text, event.getUserAgent());
    append(text, event.getDurationMs());
    append(text, event.getBytesToViewer());
    append(text, event.getBytesFromViewer());
    append(text, event.getInputDropped());
    append(text, event.getCloseCode());
    return text.toString();
  }

  private static void append(StringBuilder text, Object value) {
    text.append(field(value));
  }

  /** Returns one field as the MACs encode it: {@code length:value;}, or {@code -;} for null. */
  private static String field(Object value) {
    if (value == null) {
      return "-;";
    }
    String string = value instanceof Instant instant ? instant.toString() : value.toString();
    return string.length() + ":" + string + ";";
  }

  private String mac(String text) {
    byte[] digest = newMac().doFinal(text.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
    }
  }
}
