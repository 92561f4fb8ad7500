package app.miosa.gateway.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Bearer tokens for the REST API, as a customer's identity provider would issue them: RS256 JWTs
 * with {@code sub} (the API key), {@code tenant} and {@code groups}. The gateway verifies them
 * with the public key this class writes out.
 */
public final class ApiTokens {
  /** Issuer the gateway is configured to accept in the demo and the tests. */
  public static final String ISSUER = "https://dev-issuer.miosa.local";

  public static final List<String> ALL_ROLES =
      List.of("tickets:issue", "tickets:revoke", "computers:manage", "audit:read");

  private final KeyPair keyPair;

  private ApiTokens(KeyPair keyPair) {
    this.keyPair = keyPair;
  }

  /** Creates a new 2048-bit RSA key pair. */
  public static ApiTokens generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new ApiTokens(generator.generateKeyPair());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JDK cannot generate RSA keys", e);
    }
  }

  /** Writes the public key as PEM, the form {@code mp.jwt.verify.publickey.location} reads. */
  public Path writePublicKey(Path file) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keyPair.getPublic().getEncoded());
    String pem = "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, pem);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing the public key to " + file + " failed", e);
    }
    return file;
  }

  /** Returns a token valid for an hour. */
  public String token(String apiKey, String tenant, List<String> groups) {
    return token(apiKey, tenant, groups, Duration.ofHours(1));
  }

  public String token(String apiKey, String tenant, List<String> groups, Duration lifetime) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(apiKey)
            .claim("upn", apiKey)
            .claim("groups", groups)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(Long.toHexString(Double.doubleToLongBits(Math.random())));
    if (tenant != null) {
      claims.claim("tenant", tenant);
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
            claims.build());
    try {
      jwt.sign(new RSASSASigner(keyPair.getPrivate()));
    } catch (JOSEException e) {
      throw new IllegalStateException("Signing an API token failed", e);
    }
    return jwt.serialize();
  }
}
