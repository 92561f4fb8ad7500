package app.miosa.gateway.api;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.tenant.Caller;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the {@link Caller} from a verified bearer token. */
final class CallerTokens {
  /** Claim that names the caller's tenant. */
  static final String TENANT_CLAIM = "tenant";

  private CallerTokens() {}

  /**
   * Returns the caller named by the token's {@code sub} and {@code tenant} claims.
   *
   * @throws GatewayException {@link Failure#FORBIDDEN} when either claim is missing or blank
   */
  static Caller callerOf(JsonWebToken token) {
    String apiKey = token.getSubject();
    Object tenantClaim = token.getClaim(TENANT_CLAIM);
    String tenant = tenantClaim == null ? null : tenantClaim.toString().replaceAll("^\"|\"$", "");
    if (apiKey == null || apiKey.isBlank() || tenant == null || tenant.isBlank()) {
      throw new GatewayException(
          Failure.FORBIDDEN, "The bearer token needs a 'sub' and a 'tenant' claim");
    }
    return new Caller(apiKey, tenant);
  }
}
