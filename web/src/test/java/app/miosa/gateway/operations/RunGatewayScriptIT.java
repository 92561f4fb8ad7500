package app.miosa.gateway.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.PostgresSchema;
import app.miosa.gateway.testing.ScriptedGateway;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code server-config/run-gateway.sh} as an operator runs it: configured from environment
 * variables and an operator's config file, storing its data in PostgreSQL (in a schema of its own,
 * which the gateway fills itself), and keeping tickets valid across a restart with the same
 * signing key.
 *
 * <p>Needs PostgreSQL on 127.0.0.1:5432 with database {@code test} and trust authentication.
 */
class RunGatewayScriptIT {
  private static final Path OUTPUT = Path.of("target", "run-gateway-it");

  private final ApiTokens tokens = ApiTokens.generate();
  private PostgresSchema schema;

  @BeforeEach
  void createSchema() throws SQLException {
    schema = PostgresSchema.create("gateway_it");
  }

  @AfterEach
  void dropSchema() throws SQLException {
    schema.close();
  }

  @Test
  void ticketsAndRevocationSurviveRestartWithPostgreSql() throws Exception {
    String apiToken = tokens.token("key_operator", "acme", ApiTokens.ALL_ROLES);
    try (ScriptedGateway gateway =
        ScriptedGateway.start(
            OUTPUT,
            tokens,
            Map.of(
                "GATEWAY_DB_URL", schema.jdbcUrl(),
                "GATEWAY_DB_USER", PostgresSchema.USER,
                "GATEWAY_CONFIG_FILE", "../server-config/gateway.example.properties",
                "GATEWAY_PLAN_TRIAL_MAX_TTL_SECONDS", "1800"))) {
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

      gateway.restart();
      HttpResponse<String> viewer = client.get(URI.create(ticket.getString("url")));
      assertEquals(200, viewer.statusCode(), viewer.body());
      assertTrue(viewer.body().contains("viewer.js"));
      assertEquals(403, client.get(URI.create(revokedTicket.getString("url"))).statusCode());
    }
  }

  private int auditRowsWithAttribution(String attribution) throws SQLException {
    try (Connection db = schema.connect();
        PreparedStatement statement =
            db.prepareStatement(
                "SELECT count(*) FROM audit_event WHERE kind = 'TICKET_ISSUED'"
                    + " AND computer_id = 'cmp_ops' AND api_key = 'key_operator'"
                    + " AND attribution = ?")) {
      statement.setString(1, attribution);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }
}
