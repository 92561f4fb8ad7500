package app.miosa.gateway.ear;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.PostgresSchema;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings that the Payara Server tests pass on: the system properties from the failsafe
 * configuration in {@code ear/pom.xml}, and the environment of {@code configure-domain.sh}.
 */
final class DomainSettings {
  private DomainSettings() {}

  /**
   * Returns a system property that {@code ear/pom.xml} sets: {@code payara.home}, {@code
   * gateway.ear}, {@code gateway.serverConfig}, {@code gateway.workDirectory} or {@code
   * gateway.postgresqlDriver}.
   */
  static String required(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "System property " + name + " is missing; run this test with mvn verify in ear/");
    }
    return value;
  }

  static Path serverConfig() {
    return Path.of(required("gateway.serverConfig"));
  }

  /**
   * Returns the environment of {@code configure-domain.sh}: a new ticket signing key, API tokens
   * of {@link ApiTokens#ISSUER} verified with {@code publicKey}, the example config file (tenant
   * acme on the trial plan) and the PostgreSQL schema.
   */
  static Map<String, String> gatewayEnvironment(
      String publicUrl, Path publicKey, PostgresSchema schema) {
    byte[] signingKey = new byte[32];
    new SecureRandom().nextBytes(signingKey);
    Map<String, String> environment = new HashMap<>();
    environment.put("GATEWAY_PUBLIC_URL", publicUrl);
    environment.put(
        "GATEWAY_TICKET_SIGNING_KEYS", "k1:" + Base64.getEncoder().encodeToString(signingKey));
    environment.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toUri().toString());
    environment.put("MP_JWT_VERIFY_ISSUER", ApiTokens.ISSUER);
    environment.put(
        "GATEWAY_CONFIG_FILE",
        serverConfig().resolveSibling("gateway.example.properties").toAbsolutePath().toString());
    environment.put("GATEWAY_DB_URL", schema.jdbcUrl());
    environment.put("GATEWAY_DB_USER", PostgresSchema.USER);
    environment.put("GATEWAY_DB_DRIVER", required("gateway.postgresqlDriver"));
    return environment;
  }
}
