package app.miosa.gateway.ticket;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HMAC keys that sign and verify tickets, by key id, with the one that signs new tickets.
 *
 * <p>Parsed from the configuration value {@code kid:base64,kid:base64}. Tickets signed with any
 * listed key verify, so an operator rotates by adding a key, making it active, and removing the old
 * one once its tickets have expired. Error messages name the key id, never the key.
 */
public final class SigningKeys {
  /** HS256 needs a key of at least 256 bits (RFC 7518, section 3.2). */
  public static final int MIN_KEY_BYTES = 32;

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Map<String, byte[]> keysById;
  private final String activeKeyId;

  public SigningKeys(Map<String, byte[]> keysById, String activeKeyId) {
    if (!keysById.containsKey(activeKeyId)) {
      throw new IllegalArgumentException(
          "Active ticket key id '" + activeKeyId + "' is not among the keys " + keysById.keySet());
    }
    this.keysById = Collections.unmodifiableMap(new LinkedHashMap<>(keysById));
    this.activeKeyId = activeKeyId;
  }

  /**
   * Parses {@code kid:base64,kid:base64}. The active key is {@code activeKeyId}, or the first
   * listed when that is empty.
   *
   * @throws IllegalArgumentException naming the entry at fault
   */
  public static SigningKeys parse(String keyList, String activeKeyId) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    String[] entries = keyList.split(",");
    for (int i = 0; i < entries.length; i++) {
      String trimmed = entries[i].trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "Ticket key entry " + (i + 1) + " has no key id: expected 'kid:base64'");
      }
      String keyId = trimmed.substring(0, colon).trim();
      if (keys.containsKey(keyId)) {
        throw new IllegalArgumentException("Ticket key id '" + keyId + "' is listed twice");
      }
      keys.put(keyId, decodeKey(keyId, trimmed.substring(colon + 1)));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("No ticket signing key is listed");
    }

    String active =
        activeKeyId == null || activeKeyId.isBlank() ? keys.keySet().iterator().next() : activeKeyId;
    return new SigningKeys(keys, active);
  }

  private static byte[] decodeKey(String keyId, String base64) {
    if (!KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException(
          "Invalid ticket key id '" + keyId + "': use 1 to 64 letters, digits, '.', '_' or '-'");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Ticket key '" + keyId + "' is not valid base64");
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "Ticket key '"
              + keyId
              + "' has "
              + key.length
              + " bytes; HS256 needs at least "
              + MIN_KEY_BYTES);
    }
    return key;
  }

  public String activeKeyId() {
    return activeKeyId;
  }

  public byte[] activeKey() {
    return keysById.get(activeKeyId);
  }

  /** Returns the key with this id, or null when no such key is configured. */
  public byte[] key(String keyId) {
    return keysById.get(keyId);
  }

  public java.util.Set<String> keyIds() {
    return keysById.keySet();
  }
}
