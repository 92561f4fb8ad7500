package app.miosa.gateway.tenant;

/**
 * The authenticated caller of the REST API.
 *
 * @param apiKey the API key that signed in (the bearer token's {@code sub})
 * @param tenant the tenant the key belongs to (the token's {@code tenant} claim)
 */
public record Caller(String apiKey, String tenant) {}
