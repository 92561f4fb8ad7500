package app.miosa.gateway.api;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.tenant.Caller;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the {@link Caller} from a verified bearer token. */
final class CallerTokens {
  /** Claim that names the caller's tenant. */
  static final String TENANT_CLAIM = "tenant";

  /** Maximum tenant length: the width of the tenant columns. */
  static final int MAX_TENANT_LENGTH = 64;

  /** Longest API key name, the width of the api_key audit column. */
  static final int MAX_API_KEY_LENGTH = 128;

  private CallerTokens() {}

  /**
   * Returns the caller named by the token's {@code sub} and {@code tenant} claims.
   *
   * @throws GatewayException {@link Failure#TOKEN_CLAIMS_INVALID} when a claim is missing, not a
   *     string, blank or too long
   */
  static Caller callerOf(JsonWebToken token) {
    String apiKey = token.getSubject();
    Object tenantClaim = token.getClaim(TENANT_CLAIM);
    String tenant = null;
    if (tenantClaim instanceof JsonString json) {
      tenant = json.getString();
    } else if (tenantClaim instanceof String text) {
      tenant = text;
    }

    checkClaim("sub", apiKey, MAX_API_KEY_LENGTH);
    checkClaim(TENANT_CLAIM, tenant, MAX_TENANT_LENGTH);
    return new Caller(apiKey, tenant);
  }

  private static void checkClaim(String name, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      throw new GatewayException(
          Failure.TOKEN_CLAIMS_INVALID, "The bearer token needs a string '" + name + "' claim");
    }
    if (value.length() > maxLength) {
      throw new GatewayException(
          Failure.TOKEN_CLAIMS_INVALID,
          "The bearer token's '"
              + name
              + "' claim has "
              + value.length()
              + " characters; the maximum is "
              + maxLength);
    }
  }
}
