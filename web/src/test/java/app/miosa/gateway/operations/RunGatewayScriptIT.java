package app.miosa.gateway.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.GatewayDeployment;
import app.miosa.gateway.testing.GatewayScript;
import app.miosa.gateway.testing.PostgreSqlSchema;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code server-config/run-gateway.sh} as an operator runs it: configured from environment
 * variables, storing its data in PostgreSQL (the schema from {@code sql/}, in a schema of its
 * own), and keeping tickets valid across a restart with the same signing key.
 *
 * <p>Needs PostgreSQL on 127.0.0.1:5432 with database {@code test} and trust authentication.
 */
class RunGatewayScriptIT {
  private final ApiTokens tokens = ApiTokens.generate();
  private PostgreSqlSchema schema;
  private GatewayScript gateway;

  @BeforeEach
  void createSchema() throws Exception {
    // An empty schema: the gateway creates its tables itself.
    schema = PostgreSqlSchema.create("gateway_it_");
    gateway = new GatewayScript(Path.of("target", "run-gateway-it"));
  }

  @AfterEach
  void dropSchema() throws Exception {
    gateway.stop();
    schema.drop();
  }

  @Test
  void ticketsAndRevocationSurviveRestartWithPostgreSql() throws Exception {
    String apiToken = tokens.token("key_operator", "acme", ApiTokens.ALL_ROLES);
    startGateway();
    GatewayClient client = new GatewayClient(gateway.url());
    assertEquals(201, client.registerComputer(apiToken, "cmp_ops", "tcp://127.0.0.1:5999")
        .statusCode());
    JsonObject revokedTicket = client.mintTicket(apiToken, "cmp_ops", "{}");
    client.delete("api/v1/computers/cmp_ops/terminal-tickets", apiToken);
    JsonObject ticket = client.mintTicket(apiToken, "cmp_ops", "{\"attribution\": \"ops\"}");

    assertEquals(1, auditRowsWithAttribution("ops"));
    // acme is on the example file's trial plan, whose maximum the environment lowers to 1800 s.
    HttpResponse<String> tooLong =
        client.post(
            "api/v1/computers/cmp_ops/terminal-tickets", apiToken, "{\"ttl_seconds\": 1801}");
    assertEquals(400, tooLong.statusCode(), tooLong.body());
    assertTrue(tooLong.body().contains("trial plan allows 1 to 1800 seconds"), tooLong.body());

    gateway.stop();
    startGateway();
    HttpResponse<String> viewer = client.get(URI.create(ticket.getString("url")));
    assertEquals(200, viewer.statusCode(), viewer.body());
    assertTrue(viewer.body().contains("viewer.js"));
    assertEquals(403, client.get(URI.create(revokedTicket.getString("url"))).statusCode());
  }

  private void startGateway() throws Exception {
    Path publicKey =
        tokens.writePublicKey(Path.of("target", "run-gateway-it", "api-public-key.pem"));
    gateway.start(Map.of(
        "GATEWAY_DB_URL", schema.jdbcUrl(),
        "GATEWAY_DB_USER", PostgreSqlSchema.USER,
        "MP_JWT_VERIFY_ISSUER", ApiTokens.ISSUER,
        "MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toAbsolutePath().toUri().toString(),
        "GATEWAY_TICKET_SIGNING_KEYS", GatewayDeployment.SIGNING_KEYS,
        "GATEWAY_PUBLIC_URL", "http://127.0.0.1:" + gateway.port(),
        "GATEWAY_CONFIG_FILE", "../server-config/gateway.example.properties",
        "GATEWAY_PLAN_TRIAL_MAX_TTL_SECONDS", "1800"));
  }

  private int auditRowsWithAttribution(String attribution) throws SQLException {
    try (Connection db = schema.connect();
        Statement statement = db.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM audit_event WHERE kind = 'TICKET_ISSUED'"
                    + " AND computer_id = 'cmp_ops' AND api_key = 'key_operator'"
                    + " AND attribution = '" + attribution + "'")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
