package app.miosa.gateway.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TicketCodecTest {
  private static final Instant ISSUED_AT = Instant.parse("2026-05-14T18:30:00Z");
  private static final Instant EXPIRES_AT = ISSUED_AT.plusSeconds(3600);
  private static final Instant DURING_TICKET = ISSUED_AT.plusSeconds(60);
  private static final String COMPUTER = "cmp_7f3a";

  private static final TicketClaims CLAIMS =
      new TicketClaims("tkt_0001", "acme", COMPUTER, true, false, ISSUED_AT, EXPIRES_AT, 0);

  private static final byte[] KEY_1 = key(1);
  private static final byte[] KEY_2 = key(2);

  // KEY_1 alone, under id k1, both signs and verifies.
  private static final SigningKeys KEYS_1 = keys("k1", KEY_1);

  @Test
  void ticketRoundTripsAllClaims() {
    TicketCodec codec = codec(KEYS_1, DURING_TICKET);

    TicketClaims decoded = codec.decode(codec.encode(CLAIMS), COMPUTER);

    assertEquals(CLAIMS, decoded);
  }

  @Test
  void ticketRoundTripsWithInputAndAudio() {
    TicketClaims claims =
        new TicketClaims("tkt_0002", "acme", COMPUTER, false, true, ISSUED_AT, EXPIRES_AT, 3);
    TicketCodec codec = codec(KEYS_1, DURING_TICKET);

    TicketClaims decoded = codec.decode(codec.encode(claims), COMPUTER);

    assertEquals(claims, decoded);
  }

  @Test
  void tokenIsPrefixedHs256Jws() throws Exception {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);

    assertTrue(token.startsWith("miosa_term_"), token);
    JWSHeader header = SignedJWT.parse(token.substring("miosa_term_".length())).getHeader();
    assertEquals(JWSAlgorithm.HS256, header.getAlgorithm());
  }

  @Test
  void tokenHeaderNamesActiveKeyId() throws Exception {
    SigningKeys keys = new SigningKeys(orderedKeys("k1", KEY_1, "k2", KEY_2), "k2");

    String token = codec(keys, DURING_TICKET).encode(CLAIMS);

    JWSHeader header = SignedJWT.parse(token.substring("miosa_term_".length())).getHeader();
    assertEquals("k2", header.getKeyID());
  }

  @Test
  void activeKeySignsNewTickets() {
    SigningKeys signer = new SigningKeys(orderedKeys("k1", KEY_1, "k2", KEY_2), "k2");
    String token = codec(signer, DURING_TICKET).encode(CLAIMS);

    TicketClaims decoded = codec(keys("k2", KEY_2), DURING_TICKET).decode(token, COMPUTER);

    assertEquals(CLAIMS, decoded);
  }

  @Test
  void tamperedPayloadIsRejected() {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);
    String[] parts = jwsParts(token);
    // Points the ticket at another computer and grants input, keeping the original signature.
    String payload =
        decodeBase64Url(parts[1])
            .replace("\"" + COMPUTER + "\"", "\"cmp_other\"")
            .replace("\"ro\":true", "\"ro\":false");
    assertTrue(payload.contains("\"cmp_other\""), payload);
    assertTrue(payload.contains("\"ro\":false"), payload);
    String tampered = prefixed(parts[0] + "." + base64Url(payload) + "." + parts[2]);

    GatewayException e = assertRejected(tampered, "cmp_other", Failure.TICKET_INVALID);

    assertEquals("The ticket signature does not match", e.getMessage());
  }

  @Test
  void tamperedSignatureIsRejected() {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);
    String[] parts = jwsParts(token);
    // Changes the first character, because the last one of a 32-byte HMAC carries 2 unused bits
    // and a change there can leave the decoded signature as it was.
    char first = parts[2].charAt(0);
    String signature = (first == 'A' ? 'B' : 'A') + parts[2].substring(1);
    String tampered = prefixed(parts[0] + "." + parts[1] + "." + signature);

    GatewayException e = assertRejected(tampered, COMPUTER, Failure.TICKET_INVALID);

    assertEquals("The ticket signature does not match", e.getMessage());
  }

  @Test
  void expiredTicketIsRejected() {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);

    GatewayException e =
        assertThrows(
            GatewayException.class,
            () -> codec(KEYS_1, EXPIRES_AT.plusSeconds(1)).decode(token, COMPUTER));

    assertEquals(Failure.TICKET_EXPIRED, e.failure());
    assertTrue(e.getMessage().contains(EXPIRES_AT.toString()), e.getMessage());
  }

  @Test
  void ticketIsRejectedAtItsExpiryInstant() {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);

    GatewayException e =
        assertThrows(
            GatewayException.class, () -> codec(KEYS_1, EXPIRES_AT).decode(token, COMPUTER));

    assertEquals(Failure.TICKET_EXPIRED, e.failure());
  }

  @Test
  void ticketIsAcceptedOneSecondBeforeExpiry() {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);

    TicketClaims decoded = codec(KEYS_1, EXPIRES_AT.minusSeconds(1)).decode(token, COMPUTER);

    assertEquals(CLAIMS, decoded);
  }

  @Test
  void signatureIsCheckedBeforeExpiry() {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);
    String[] parts = jwsParts(token);
    String tampered = prefixed(parts[0] + "." + parts[1] + "." + base64Url("not the hmac"));

    GatewayException e =
        assertThrows(
            GatewayException.class,
            () -> codec(KEYS_1, EXPIRES_AT.plusSeconds(1)).decode(tampered, COMPUTER));

    assertEquals(Failure.TICKET_INVALID, e.failure());
  }

  @Test
  void ticketForAnotherComputerIsRejected() {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);

    GatewayException e = assertRejected(token, "cmp_other", Failure.TICKET_WRONG_COMPUTER);

    assertTrue(e.getMessage().contains("cmp_other"), e.getMessage());
  }

  @Test
  void ticketWithUnknownKeyIdIsRejected() {
    String token = codec(keys("k9", KEY_2), DURING_TICKET).encode(CLAIMS);

    GatewayException e = assertRejected(token, COMPUTER, Failure.TICKET_INVALID);

    assertEquals("The ticket is signed with a key this gateway does not hold", e.getMessage());
  }

  @Test
  void otherKeyUnderListedIdIsRejected() {
    String token = codec(keys("k1", KEY_2), DURING_TICKET).encode(CLAIMS);

    GatewayException e = assertRejected(token, COMPUTER, Failure.TICKET_INVALID);

    assertEquals("The ticket signature does not match", e.getMessage());
  }

  @Test
  void ticketWithoutKeyIdIsRejected() {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).build();
    String token = prefixed(sign(header, validClaims().build(), macSigner(KEY_1)));

    GatewayException e = assertRejected(token, COMPUTER, Failure.TICKET_INVALID);

    assertEquals("The ticket is signed with a key this gateway does not hold", e.getMessage());
  }

  @Test
  void retiredListedKeyStillVerifies() {
    String oldToken = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);
    // After rotation k2 signs new tickets and k1 is still listed for tickets already out.
    SigningKeys rotated = new SigningKeys(orderedKeys("k2", KEY_2, "k1", KEY_1), "k2");

    TicketClaims decoded = codec(rotated, DURING_TICKET).decode(oldToken, COMPUTER);

    assertEquals(CLAIMS, decoded);
  }

  @Test
  void removedKeyIsRejected() {
    String oldToken = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);
    TicketCodec rotated = codec(keys("k2", KEY_2), DURING_TICKET);

    GatewayException e =
        assertThrows(GatewayException.class, () -> rotated.decode(oldToken, COMPUTER));

    assertEquals(Failure.TICKET_INVALID, e.failure());
  }

  @Test
  void algNoneTokenIsRejected() {
    // An unsecured JWT has the header {"alg":"none"} and an empty signature part.
    String header = base64Url("{\"alg\":\"none\",\"kid\":\"k1\"}");
    String payload = base64Url(validClaims().build().toString());
    String token = prefixed(header + "." + payload + ".");

    assertRejected(token, COMPUTER, Failure.TICKET_INVALID);
  }

  @Test
  void algNoneWithValidHmacIsRejected() {
    String signed = sign(hs256Header("k1"), validClaims().build(), macSigner(KEY_1));
    String[] parts = signed.split("\\.");
    String header = base64Url("{\"alg\":\"none\",\"kid\":\"k1\"}");
    String token = prefixed(header + "." + parts[1] + "." + parts[2]);

    assertRejected(token, COMPUTER, Failure.TICKET_INVALID);
  }

  @Test
  void rs256TokenIsRejected() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    RSASSASigner signer = new RSASSASigner(generator.generateKeyPair().getPrivate());
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build();
    String token = prefixed(sign(header, validClaims().build(), signer));

    GatewayException e = assertRejected(token, COMPUTER, Failure.TICKET_INVALID);

    assertEquals("The ticket is not signed with HS256", e.getMessage());
  }

  @Test
  void hs512TokenIsRejected() throws Exception {
    // Nimbus requires a 512-bit key for HS512. This 64-byte key is listed, so the HMAC verifies.
    byte[] longKey = new byte[64];
    System.arraycopy(KEY_1, 0, longKey, 0, 32);
    System.arraycopy(KEY_2, 0, longKey, 32, 32);
    SigningKeys keys = keys("k1", longKey);
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS512).keyID("k1").build();
    String token = prefixed(sign(header, validClaims().build(), macSigner(longKey)));

    GatewayException e =
        assertThrows(
            GatewayException.class, () -> codec(keys, DURING_TICKET).decode(token, COMPUTER));

    assertEquals(Failure.TICKET_INVALID, e.failure());
    assertEquals("The ticket is not signed with HS256", e.getMessage());
  }

  @ParameterizedTest
  @NullAndEmptySource
  void absentTokenIsMissing(String token) {
    assertRejected(token, COMPUTER, Failure.TICKET_MISSING);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "miosa_tok_", "MIOSA_TERM_", "Bearer miosa_term_"})
  void tokenWithoutPrefixIsRejected(String prefix) {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);
    String jws = token.substring("miosa_term_".length());

    GatewayException e = assertRejected(prefix + jws, COMPUTER, Failure.TICKET_INVALID);

    assertTrue(e.getMessage().contains("miosa_term_"), e.getMessage());
  }

  @Test
  void tokenOverLengthLimitIsRejected() {
    String token = prefixed("a".repeat(TicketCodec.MAX_TOKEN_LENGTH));

    assertRejected(token, COMPUTER, Failure.TICKET_INVALID);
  }

  @Test
  void signedTokenOverLimitIsRejected() {
    String token = signedTokenOfLength(TicketCodec.MAX_TOKEN_LENGTH + 1);

    assertRejected(token, COMPUTER, Failure.TICKET_INVALID);
  }

  @Test
  void signedTokenAtLimitIsAccepted() {
    String token = signedTokenOfLength(TicketCodec.MAX_TOKEN_LENGTH);

    TicketClaims decoded = codec(KEYS_1, DURING_TICKET).decode(token, COMPUTER);

    assertEquals(CLAIMS, decoded);
  }

  @ParameterizedTest
  @MethodSource("garbageAfterPrefix")
  void garbageAfterPrefixIsRejected(String garbage) {
    assertRejected(prefixed(garbage), COMPUTER, Failure.TICKET_INVALID);
  }

  static Stream<String> garbageAfterPrefix() {
    Stream<String> notCompactJws =
        Stream.of(
            "",
            "not-a-jwt",
            "a.b",
            "..",
            "...",
            "a.b.c.d.e",
            "!!!.@@@.###",
            "\u00e9\u00e9.\u00e9\u00e9.\u00e9\u00e9");
    Stream<String> malformedHeaders =
        Stream.of(
                "{",
                "[]",
                "\"HS256\"",
                "{}",
                "{\"alg\":5}",
                "{\"alg\":\"HS256\",\"kid\":7}",
                "{\"alg\":\"HS256\",\"crit\":\"kid\"}",
                "{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\"}}",
                "[".repeat(1500))
            .map(header -> base64Url(header) + "." + base64Url("{}") + "." + base64Url("sig"));
    // Header bytes 0xff 0xfe are not UTF-8.
    String notUtf8 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {-1, -2});
    Stream<String> headerNotUtf8 =
        Stream.of(notUtf8 + "." + base64Url("{}") + "." + base64Url("sig"));
    return Stream.of(notCompactJws, malformedHeaders, headerNotUtf8).flatMap(cases -> cases);
  }

  @Test
  void headerOfJsonNullIsRejected() {
    String token = base64Url("null") + "." + base64Url("{}") + "." + base64Url("signature");

    assertRejected(prefixed(token), COMPUTER, Failure.TICKET_INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"iss", "sub", "jti", "iat", "exp", "tenant", "ro", "audio", "gen"})
  void missingClaimIsRejected(String claim) {
    Map<String, Object> payload = validClaims().build().toJSONObject();
    payload.remove(claim);
    String token = prefixed(signPayload(new Payload(payload)));

    GatewayException e = assertRejected(token, COMPUTER, Failure.TICKET_INVALID);

    assertEquals("The ticket lacks required claims", e.getMessage());
  }

  @Test
  void otherIssuerIsRejected() {
    JWTClaimsSet claims = validClaims().issuer("someone-else").build();
    String token = prefixed(sign(hs256Header("k1"), claims, macSigner(KEY_1)));

    assertRejected(token, COMPUTER, Failure.TICKET_INVALID);
  }

  @ParameterizedTest
  @MethodSource("mistypedClaims")
  void mistypedClaimIsRejected(String claim, Object value) {
    Map<String, Object> payload = validClaims().build().toJSONObject();
    payload.put(claim, value);
    String token = prefixed(signPayload(new Payload(payload)));

    assertRejected(token, COMPUTER, Failure.TICKET_INVALID);
  }

  static Stream<Arguments> mistypedClaims() {
    return Stream.of(
        Arguments.of("ro", "false"),
        Arguments.of("audio", 1),
        Arguments.of("tenant", List.of("acme")),
        Arguments.of("sub", List.of(COMPUTER)),
        Arguments.of("jti", Map.of("id", 1)),
        Arguments.of("iat", "2026-05-14T18:30:00Z"),
        Arguments.of("exp", "2026-05-14T19:30:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "null", "\"text\"", "not json"})
  void nonObjectPayloadIsRejected(String payload) {
    String token = prefixed(signPayload(new Payload(payload)));

    assertRejected(token, COMPUTER, Failure.TICKET_INVALID);
  }

  @Test
  void loggablePrefixShowsSignatureStart() {
    String token = codec(KEYS_1, DURING_TICKET).encode(CLAIMS);
    String signature = token.substring(token.lastIndexOf('.') + 1);

    String loggable = TicketCodec.loggablePrefix(token);

    assertEquals("miosa_term_..." + signature.substring(0, 8), loggable);
  }

  @Test
  void loggablePrefixDiffersPerTicket() {
    TicketCodec codec = codec(KEYS_1, DURING_TICKET);
    String first = codec.encode(CLAIMS);
    String second =
        codec.encode(
            new TicketClaims(
                "other-ticket-id",
                CLAIMS.tenant(),
                CLAIMS.computerId(),
                CLAIMS.readOnly(),
                CLAIMS.audio(),
                CLAIMS.issuedAt(),
                CLAIMS.expiresAt(),
                CLAIMS.generation()));

    assertNotEquals(TicketCodec.loggablePrefix(first), TicketCodec.loggablePrefix(second));
  }

  @Test
  void loggablePrefixWithoutSignature() {
    assertEquals("miosa_term_...ab", TicketCodec.loggablePrefix("miosa_term_ab"));
    assertEquals("forged-t", TicketCodec.loggablePrefix("forged-token"));
  }

  @Test
  void loggablePrefixOfNullIsEmpty() {
    assertEquals("", TicketCodec.loggablePrefix(null));
  }

  @Test
  void nowDropsFractionOfSecond() {
    TicketCodec codec = codec(KEYS_1, ISSUED_AT.plusMillis(1_500));

    assertEquals(ISSUED_AT.plusSeconds(1), codec.now());
  }

  /**
   * Decodes a token with {@link #KEYS_1} while a ticket is valid, and checks that it fails with
   * {@code expected} and that the message does not repeat the token.
   */
  private static GatewayException assertRejected(
      String token, String computerId, Failure expected) {
    TicketCodec codec = codec(KEYS_1, DURING_TICKET);

    GatewayException e =
        assertThrows(GatewayException.class, () -> codec.decode(token, computerId));

    assertEquals(expected, e.failure());
    if (token != null && token.length() > "miosa_term_".length()) {
      assertFalse(e.getMessage().contains(token), e.getMessage());
    }
    return e;
  }

  /**
   * Returns a token signed with {@link #KEY_1} for {@link #CLAIMS} whose length is exactly
   * {@code length}, padded by a header parameter and a claim that the codec ignores.
   */
  private static String signedTokenOfLength(int length) {
    // Unpadded base64url never has a length of 4n + 1, so padding the payload alone skips some
    // totals, and the header padding covers them.
    for (int headerPadding = 0; headerPadding < 3; headerPadding++) {
      JWSHeader header =
          new JWSHeader.Builder(JWSAlgorithm.HS256)
              .keyID("k1")
              .customParam("padding", "p".repeat(headerPadding))
              .build();
      // Each padding character adds about 4/3 characters, so start a few steps short of the goal.
      int firstPadding = Math.max(0, (length - tokenWithPadding(header, 0).length()) * 3 / 4 - 4);
      for (int padding = firstPadding; padding < length; padding++) {
        String token = tokenWithPadding(header, padding);
        if (token.length() == length) {
          return token;
        }
        if (token.length() > length) {
          break;
        }
      }
    }
    throw new IllegalStateException("No padding gives a token of " + length + " characters");
  }

  private static String tokenWithPadding(JWSHeader header, int padding) {
    JWTClaimsSet claims = validClaims().claim("padding", "p".repeat(padding)).build();
    return prefixed(sign(header, claims, macSigner(KEY_1)));
  }

  /** Claims as {@link TicketCodec#encode} writes them for {@link #CLAIMS}. */
  private static JWTClaimsSet.Builder validClaims() {
    // Claim names are literals rather than the codec's constants, because they are the token
    // format that every gateway instance must read.
    return new JWTClaimsSet.Builder()
        .issuer("miosa-stream-gateway")
        .subject(COMPUTER)
        .jwtID("tkt_0001")
        .issueTime(Date.from(ISSUED_AT))
        .expirationTime(Date.from(EXPIRES_AT))
        .claim("tenant", "acme")
        .claim("ro", true)
        .claim("audio", false)
        .claim("gen", 0L);
  }

  private static JWSHeader hs256Header(String keyId) {
    return new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keyId).build();
  }

  private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("Signing a test token failed", e);
    }
    return jwt.serialize();
  }

  private static String signPayload(Payload payload) {
    JWSObject jws = new JWSObject(hs256Header("k1"), payload);
    try {
      jws.sign(macSigner(KEY_1));
    } catch (JOSEException e) {
      throw new IllegalStateException("Signing a test payload failed", e);
    }
    return jws.serialize();
  }

  private static MACSigner macSigner(byte[] key) {
    try {
      return new MACSigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("A test key is shorter than HS256 allows", e);
    }
  }

  private static TicketCodec codec(SigningKeys keys, Instant now) {
    return new TicketCodec(keys, Clock.fixed(now, ZoneOffset.UTC));
  }

  private static SigningKeys keys(String keyId, byte[] key) {
    return new SigningKeys(Map.of(keyId, key), keyId);
  }

  private static Map<String, byte[]> orderedKeys(
      String firstId, byte[] firstKey, String secondId, byte[] secondKey) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    keys.put(firstId, firstKey);
    keys.put(secondId, secondKey);
    return keys;
  }

  /** Returns a 32-byte key whose bytes all differ from those of other seeds. */
  private static byte[] key(int seed) {
    byte[] key = new byte[SigningKeys.MIN_KEY_BYTES];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (seed * 64 + i);
    }
    return key;
  }

  private static String prefixed(String jws) {
    return "miosa_term_" + jws;
  }

  /** Splits a ticket into the header, payload and signature of its compact JWS. */
  private static String[] jwsParts(String token) {
    return token.substring("miosa_term_".length()).split("\\.");
  }

  private static String base64Url(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeBase64Url(String text) {
    return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
  }
}
