package app.miosa.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AuditIntegrityTest {
  private static final byte[] KEY =
      "audit-integrity-test-key-32bytes".getBytes(StandardCharsets.US_ASCII);

  private final AuditIntegrity integrity = new AuditIntegrity(KEY.clone());

  @Test
  void sealDigestIsHmacOfLengthPrefixedMacs() throws Exception {
    String digest = integrity.sealDigest("prev", List.of("mac-1", "mac-22"));

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    byte[] expected = mac.doFinal("4:prev;5:mac-1;6:mac-22;".getBytes(StandardCharsets.UTF_8));
    assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(expected), digest);
  }

  @Test
  void firstSealDigestMarksMissingPrevious() throws Exception {
    String digest = integrity.sealDigest(null, List.of("mac-1"));

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    byte[] expected = mac.doFinal("-;5:mac-1;".getBytes(StandardCharsets.UTF_8));
    assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(expected), digest);
  }

  @Test
  void streamedDigestEqualsListDigest() {
    List<String> macs = List.of("a", "bb", "ccc", "dddd");
    AuditIntegrity.SealDigest streamed = integrity.startSealDigest("previous");
    macs.forEach(streamed::add);

    assertEquals(4, streamed.count());
    assertEquals(integrity.sealDigest("previous", macs), streamed.finish());
  }

  @Test
  void digestDependsOnOrderAndPrevious() {
    String digest = integrity.sealDigest("previous", List.of("a", "b"));

    assertNotEquals(digest, integrity.sealDigest("previous", List.of("b", "a")));
    assertNotEquals(digest, integrity.sealDigest("other", List.of("a", "b")));
    assertNotEquals(digest, integrity.sealDigest("previous", List.of("ab")));
  }

  @Test
  void digestDependsOnKey() {
    AuditIntegrity otherKey =
        new AuditIntegrity("another-audit-integrity-test-key".getBytes(StandardCharsets.US_ASCII));

    assertNotEquals(
        integrity.sealDigest(null, List.of("a")), otherKey.sealDigest(null, List.of("a")));
  }
}
