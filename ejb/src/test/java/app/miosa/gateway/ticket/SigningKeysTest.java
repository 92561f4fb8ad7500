package app.miosa.gateway.ticket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SigningKeysTest {
  private static final byte[] KEY_1 = filledKey(0x11, SigningKeys.MIN_KEY_BYTES);
  private static final byte[] KEY_2 = filledKey(0x22, 48);
  private static final String BASE64_1 = Base64.getEncoder().encodeToString(KEY_1);
  private static final String BASE64_2 = Base64.getEncoder().encodeToString(KEY_2);

  @Test
  void parsesEveryListedKeyById() {
    SigningKeys keys = SigningKeys.parse("k1:" + BASE64_1 + ",k2:" + BASE64_2, "");

    assertEquals(List.of("k1", "k2"), List.copyOf(keys.keyIds()));
    assertArrayEquals(KEY_1, keys.key("k1"));
    assertArrayEquals(KEY_2, keys.key("k2"));
  }

  @Test
  void spacesAndEmptyEntriesAreIgnored() {
    SigningKeys keys = SigningKeys.parse(" k1:" + BASE64_1 + " , ,k2: " + BASE64_2 + ",", "");

    assertEquals(List.of("k1", "k2"), List.copyOf(keys.keyIds()));
    assertArrayEquals(KEY_2, keys.key("k2"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void firstListedKeyIsActiveByDefault(String activeKeyId) {
    SigningKeys keys = SigningKeys.parse("k2:" + BASE64_2 + ",k1:" + BASE64_1, activeKeyId);

    assertEquals("k2", keys.activeKeyId());
    assertArrayEquals(KEY_2, keys.activeKey());
  }

  @Test
  void explicitActiveKeyIdIsUsed() {
    SigningKeys keys = SigningKeys.parse("k1:" + BASE64_1 + ",k2:" + BASE64_2, "k2");

    assertEquals("k2", keys.activeKeyId());
    assertArrayEquals(KEY_2, keys.activeKey());
  }

  @Test
  void unknownKeyIdHasNoKey() {
    SigningKeys keys = SigningKeys.parse("k1:" + BASE64_1, "");

    assertNull(keys.key("k9"));
  }

  @Test
  void keyOfExactlyMinimumLengthIsAccepted() {
    SigningKeys keys = SigningKeys.parse("k1:" + BASE64_1, "");

    assertEquals(SigningKeys.MIN_KEY_BYTES, keys.activeKey().length);
  }

  @Test
  void keyUnder32BytesIsRejected() {
    String shortKey = Base64.getEncoder().encodeToString(filledKey(0x33, 31));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SigningKeys.parse("k1:" + BASE64_1 + ",short:" + shortKey, ""));

    assertNamesKeyIdWithoutMaterial(e, "short", shortKey);
    assertTrue(e.getMessage().contains("31"), e.getMessage());
    assertTrue(e.getMessage().contains("32"), e.getMessage());
  }

  @Test
  void invalidBase64IsRejected() {
    // '*' and '!' are outside the base64 alphabet.
    String material = "c2VjcmV0*c2VjcmV0!c2VjcmV0c2VjcmV0c2VjcmV0c2Vj";

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SigningKeys.parse("k1:" + material, ""));

    assertNamesKeyIdWithoutMaterial(e, "k1", material);
  }

  @Test
  void entryWithoutColonIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SigningKeys.parse("k1:" + BASE64_1 + "," + BASE64_2, ""));

    assertTrue(e.getMessage().contains("kid:base64"), e.getMessage());
    assertNoKeyMaterial(e, BASE64_2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "bad id", "k/1", "k\u00e9", "k+1"})
  void invalidKeyIdIsRejected(String keyId) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SigningKeys.parse(keyId + ":" + BASE64_1, ""));

    assertNoKeyMaterial(e, BASE64_1);
  }

  @Test
  void invalidKeyIdIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SigningKeys.parse("bad id:" + BASE64_1, ""));

    assertNamesKeyIdWithoutMaterial(e, "bad id", BASE64_1);
  }

  @Test
  void keyIdOver64CharactersIsRejected() {
    String keyId = "k".repeat(65);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SigningKeys.parse(keyId + ":" + BASE64_1, ""));

    assertNamesKeyIdWithoutMaterial(e, keyId, BASE64_1);
  }

  @Test
  void activeKeyIdNotListedIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SigningKeys.parse("k1:" + BASE64_1 + ",k2:" + BASE64_2, "k9"));

    assertNamesKeyIdWithoutMaterial(e, "k9", BASE64_1);
    assertNoKeyMaterial(e, BASE64_2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ",", " , "})
  void emptyKeyListIsRejected(String keyList) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.parse(keyList, ""));

    assertEquals("No ticket signing key is listed", e.getMessage());
  }

  @Test
  void duplicateKeyIdIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SigningKeys.parse("k1:" + BASE64_1 + ",k1:" + BASE64_2, ""));

    assertNamesKeyIdWithoutMaterial(e, "k1", BASE64_1);
    assertNoKeyMaterial(e, BASE64_2);
  }

  @Test
  void constructorRejectsUnknownActiveId() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new SigningKeys(Map.of("k1", KEY_1), "k2"));

    assertNamesKeyIdWithoutMaterial(e, "k2", BASE64_1);
  }

  @Test
  void keyIdsCannotBeChanged() {
    SigningKeys keys = SigningKeys.parse("k1:" + BASE64_1, "");

    assertThrows(UnsupportedOperationException.class, () -> keys.keyIds().remove("k1"));
  }

  private static void assertNamesKeyIdWithoutMaterial(
      IllegalArgumentException e, String keyId, String material) {
    assertTrue(e.getMessage().contains("'" + keyId + "'"), e.getMessage());
    assertNoKeyMaterial(e, material);
  }

  /** Checks that no 8-character run of the base64 key text appears in the message. */
  private static void assertNoKeyMaterial(IllegalArgumentException e, String material) {
    for (int start = 0; start + 8 <= material.length(); start++) {
      String run = material.substring(start, start + 8);
      assertFalse(e.getMessage().contains(run), "message repeats key material: " + e.getMessage());
    }
  }

  private static byte[] filledKey(int value, int length) {
    byte[] key = new byte[length];
    Arrays.fill(key, (byte) value);
    return key;
  }
}
