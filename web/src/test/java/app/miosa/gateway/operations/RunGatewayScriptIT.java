package app.miosa.gateway.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.GatewayDeployment;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
  private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final Path OUTPUT = Path.of("target", "run-gateway-it");

  private final ApiTokens tokens = ApiTokens.generate();
  private final String schema = "gateway_it_" + UUID.randomUUID().toString().replace("-", "");
  private int port;
  private Process gateway;

  @BeforeEach
  void createSchema() throws Exception {
    port = unusedPort();
    try (Connection db = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement statement = db.createStatement()) {
      // An empty schema: the gateway creates its tables itself.
      statement.execute("CREATE SCHEMA " + schema);
    }
  }

  @AfterEach
  void dropSchema() throws Exception {
    stopGateway();
    try (Connection db = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement statement = db.createStatement()) {
      statement.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Test
  void ticketsAndRevocationSurviveRestartWithPostgreSql() throws Exception {
    String apiToken = tokens.token("key_operator", "acme", ApiTokens.ALL_ROLES);
    startGateway();
    GatewayClient client = new GatewayClient(urlOf("http://127.0.0.1:" + port + "/"));
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

    stopGateway();
    startGateway();
    HttpResponse<String> viewer = client.get(URI.create(ticket.getString("url")));
    assertEquals(200, viewer.statusCode(), viewer.body());
    assertTrue(viewer.body().contains("viewer.js"));
    assertEquals(403, client.get(URI.create(revokedTicket.getString("url"))).statusCode());
  }

  private void startGateway() throws Exception {
    Files.createDirectories(OUTPUT);
    Path publicKey = tokens.writePublicKey(OUTPUT.resolve("api-public-key.pem"));
    ProcessBuilder builder =
        new ProcessBuilder("bash", "../server-config/run-gateway.sh")
            .redirectErrorStream(true)
            .redirectOutput(OUTPUT.resolve("gateway-" + port + ".log").toFile());
    builder.environment().putAll(Map.of(
        "GATEWAY_HTTP_PORT", String.valueOf(port),
        "GATEWAY_DATA_DIR", OUTPUT.resolve("data").toAbsolutePath().toString(),
        "GATEWAY_DB_URL", POSTGRES_URL + "?currentSchema=" + schema,
        "GATEWAY_DB_USER", "postgres",
        "MP_JWT_VERIFY_ISSUER", ApiTokens.ISSUER,
        "MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toAbsolutePath().toUri().toString(),
        "GATEWAY_TICKET_SIGNING_KEYS", GatewayDeployment.SIGNING_KEYS,
        "GATEWAY_PUBLIC_URL", "http://127.0.0.1:" + port,
        "GATEWAY_CONFIG_FILE", "../server-config/gateway.example.properties",
        "GATEWAY_PLAN_TRIAL_MAX_TTL_SECONDS", "1800"));
    gateway = builder.start();
    awaitReady(Duration.ofSeconds(150));
  }

  private void stopGateway() throws InterruptedException {
    if (gateway != null && gateway.isAlive()) {
      gateway.destroy();
      if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
        gateway.destroyForcibly();
      }
    }
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    GatewayClient probe = new GatewayClient(urlOf("http://127.0.0.1:" + port + "/"));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!gateway.isAlive()) {
        throw new IllegalStateException("run-gateway.sh exited; see " + OUTPUT);
      }
      try {
        if (probe.get(URI.create("http://127.0.0.1:" + port + "/static/viewer.js")).statusCode()
            == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("The gateway was not ready within " + timeout);
  }

  private int auditRowsWithAttribution(String attribution) throws SQLException {
    try (Connection db = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement statement = db.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM " + schema + ".audit_event WHERE kind = 'TICKET_ISSUED'"
                    + " AND computer_id = 'cmp_ops' AND api_key = 'key_operator'"
                    + " AND attribution = '" + attribution + "'")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static URL urlOf(String url) {
    try {
      return new URL(url);
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException(url, e);
    }
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }
}
