package app.miosa.gateway.ticket;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;

/**
 * Turns {@link TicketClaims} into a token and back.
 *
 * <p>A token is {@code miosa_term_} followed by a compact JWS (HS256, Nimbus JOSE+JWT) whose
 * header names the signing key id. Verification checks, in this order, the format, the algorithm,
 * the key id, the signature, the claims, the expiry and the computer, so an unsigned token learns
 * nothing about expiry or computers.
 */
public final class TicketCodec {
  public static final String TOKEN_PREFIX = "miosa_term_";

  /**
   * Number of signature characters that may be logged or audited. The JWS header and the start of
   * the payload are the same for many tickets, so only the signature distinguishes them. 8 of its
   * characters (48 bits) reveal nothing about the key or the rest of the token.
   */
  static final int LOGGABLE_SIGNATURE_CHARACTERS = 8;

  static final String ISSUER = "miosa-stream-gateway";
  static final String CLAIM_TENANT = "tenant";
  static final String CLAIM_READ_ONLY = "ro";
  static final String CLAIM_AUDIO = "audio";
  static final String CLAIM_GENERATION = "gen";

  /** Tokens longer than this are rejected before parsing; real ones are about 400 characters. */
  static final int MAX_TOKEN_LENGTH = 4096;

  private final SigningKeys keys;
  private final Clock clock;

  public TicketCodec(SigningKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** Signs the claims with the active key and returns the prefixed token. */
  public String encode(TicketClaims claims) {
    JWTClaimsSet claimSet =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(claims.computerId())
            .jwtID(claims.ticketId())
            .issueTime(Date.from(claims.issuedAt()))
            .expirationTime(Date.from(claims.expiresAt()))
            .claim(CLAIM_TENANT, claims.tenant())
            .claim(CLAIM_READ_ONLY, claims.readOnly())
            .claim(CLAIM_AUDIO, claims.audio())
            .claim(CLAIM_GENERATION, claims.generation())
            .build();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.activeKeyId()).build();
    SignedJWT jwt = new SignedJWT(header, claimSet);

    try {
      jwt.sign(new MACSigner(keys.activeKey()));
    } catch (JOSEException e) {
      throw new IllegalStateException("Signing a ticket failed with key " + keys.activeKeyId(), e);
    }
    return TOKEN_PREFIX + jwt.serialize();
  }

  /**
   * Verifies a token for the given computer and returns its claims.
   *
   * @throws GatewayException with {@link Failure#TICKET_MISSING}, {@link Failure#TICKET_INVALID},
   *     {@link Failure#TICKET_EXPIRED} or {@link Failure#TICKET_WRONG_COMPUTER}
   */
  public TicketClaims decode(String token, String computerId) {
    SignedJWT jwt = parse(token);
    verifySignature(jwt);

    TicketClaims claims = readClaims(jwt);
    if (!claims.expiresAt().isAfter(clock.instant())) {
      throw new GatewayException(
          Failure.TICKET_EXPIRED, "The ticket expired at " + claims.expiresAt());
    }
    if (!claims.computerId().equals(computerId)) {
      throw new GatewayException(
          Failure.TICKET_WRONG_COMPUTER, "The ticket does not open computer " + computerId);
    }
    return claims;
  }

  /**
   * Returns what may appear of a token in logs and audit records: {@code miosa_term_...} and the
   * first 8 characters of its signature, such as {@code miosa_term_...Xq3k9ZpA}. A token with no
   * signature part shows its first 8 characters after {@code miosa_term_}, or after nothing.
   */
  public static String loggablePrefix(String token) {
    if (token == null) {
      return "";
    }
    int signature = token.lastIndexOf('.') + 1;
    if (signature == 0 && token.startsWith(TOKEN_PREFIX)) {
      signature = TOKEN_PREFIX.length();
    }
    String shown =
        token.substring(
            signature, Math.min(token.length(), signature + LOGGABLE_SIGNATURE_CHARACTERS));
    return signature == 0 ? shown : TOKEN_PREFIX + "..." + shown;
  }

  private static SignedJWT parse(String token) {
    if (token == null || token.isEmpty()) {
      throw new GatewayException(Failure.TICKET_MISSING, "The 'ticket' query parameter is missing");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new GatewayException(
          Failure.TICKET_INVALID,
          "The ticket has " + token.length() + " characters; the maximum is " + MAX_TOKEN_LENGTH);
    }
    if (!token.startsWith(TOKEN_PREFIX)) {
      throw new GatewayException(
          Failure.TICKET_INVALID, "A ticket starts with " + TOKEN_PREFIX + " and is a signed JWT");
    }
    try {
      return SignedJWT.parse(token.substring(TOKEN_PREFIX.length()));
    } catch (ParseException | RuntimeException e) {
      // Nimbus 10.10 throws NullPointerException for a header that decodes to JSON null.
      throw new GatewayException(Failure.TICKET_INVALID, "The ticket is not a signed JWT");
    }
  }

  private void verifySignature(SignedJWT jwt) {
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new GatewayException(Failure.TICKET_INVALID, "The ticket is not signed with HS256");
    }
    String keyId = jwt.getHeader().getKeyID();
    byte[] key = keyId == null ? null : keys.key(keyId);
    if (key == null) {
      throw new GatewayException(
          Failure.TICKET_INVALID, "The ticket is signed with a key this gateway does not hold");
    }

    boolean valid;
    try {
      valid = jwt.verify(new MACVerifier(key));
    } catch (JOSEException e) {
      valid = false;
    }
    if (!valid) {
      throw new GatewayException(Failure.TICKET_INVALID, "The ticket signature does not match");
    }
  }

  private static TicketClaims readClaims(SignedJWT jwt) {
    try {
      JWTClaimsSet set = jwt.getJWTClaimsSet();
      Boolean readOnly = set.getBooleanClaim(CLAIM_READ_ONLY);
      Boolean audio = set.getBooleanClaim(CLAIM_AUDIO);
      String tenant = set.getStringClaim(CLAIM_TENANT);
      Long generation = set.getLongClaim(CLAIM_GENERATION);
      if (!ISSUER.equals(set.getIssuer())
          || set.getSubject() == null
          || set.getJWTID() == null
          || set.getIssueTime() == null
          || set.getExpirationTime() == null
          || tenant == null
          || readOnly == null
          || audio == null
          || generation == null) {
        throw new GatewayException(Failure.TICKET_INVALID, "The ticket lacks required claims");
      }
      return new TicketClaims(
          set.getJWTID(),
          tenant,
          set.getSubject(),
          readOnly,
          audio,
          set.getIssueTime().toInstant(),
          set.getExpirationTime().toInstant(),
          generation);
    } catch (ParseException e) {
      throw new GatewayException(Failure.TICKET_INVALID, "The ticket claims are malformed");
    }
  }

  /** Returns the current time of this codec's clock, in whole seconds as JWT times are. */
  public Instant now() {
    return clock.instant().with(java.time.temporal.ChronoField.NANO_OF_SECOND, 0);
  }
}
