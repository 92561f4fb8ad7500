package app.miosa.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.PostgresSchema;
import app.miosa.gateway.testing.ScriptedGateway;
import app.miosa.gateway.testing.TcpProxy;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit trail suite on PostgreSQL (127.0.0.1:5432, database {@code test}) through {@code
 * run-gateway.sh}, in a schema the test creates and drops; plus what only a real server shows: a
 * CSV export of a million records in a small heap, and minting while the database is unreachable.
 */
class AuditTrailPostgresIT extends AuditTrailSuite {
  private static final Path OUTPUT = Path.of("target", "audit-postgres-it");
  private static final int POSTGRES_PORT = 5432;
  private static final int BULK_RECORDS = 1_000_000;

  /** Heap of the gateway under test: far less than a million records would take in memory. */
  private static final String HEAP = "-Xmx256m";

  private static PostgresSchema schema;
  private static ScriptedGateway gateway;

  @BeforeAll
  static void startGateway() throws Exception {
    schema = PostgresSchema.create("audit_it");
    gateway =
        ScriptedGateway.start(
            OUTPUT.resolve("main"),
            TOKENS,
            Map.of(
                "GATEWAY_DB_URL", schema.jdbcUrl(),
                "GATEWAY_DB_USER", PostgresSchema.USER,
                "GATEWAY_JAVA_OPTS", HEAP));
  }

  @AfterAll
  static void stopGateway() throws Exception {
    try {
      if (gateway != null) {
        gateway.close();
      }
    } finally {
      if (schema != null) {
        schema.close();
      }
    }
  }

  @Override
  URL gatewayUrl() {
    return gateway.url();
  }

  @Test
  void csvOfMillionRecordsStreamsInSmallHeap() throws Exception {
    try (Connection db = schema.connect();
        Statement statement = db.createStatement()) {
      statement.execute(
          "INSERT INTO audit_event (id, kind, occurred_at, tenant, computer_id, api_key,"
              + " ticket_id, token_prefix, attribution, read_only, expires_at, row_mac)"
              + " SELECT 100000000 + g, 'TICKET_ISSUED',"
              + " timestamp '2026-01-01' + g * interval '1 millisecond', 'bulk', 'cmp_bulk',"
              + " 'key_bulk', 'ticket_' || g, 'miosa_term_abcdefgh', 'end-user ' || g,"
              + " g % 2 = 0, timestamp '2026-01-02', 'not-checked-here'"
              + " FROM generate_series(1, " + BULK_RECORDS + ") g");
    }
    String bulkAuditor = TOKENS.token("key_bulk_auditor", "bulk", ApiTokens.ALL_ROLES);
    HttpRequest request =
        HttpRequest.newBuilder(gateway().resolve("api/v1/audit-events?computer_id=cmp_bulk"))
            .header("Authorization", "Bearer " + bulkAuditor)
            .header("Accept", "text/csv")
            .timeout(Duration.ofMinutes(10))
            .GET()
            .build();

    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        gateway().http().send(request, HttpResponse.BodyHandlers.ofInputStream());
    long lines = 0;
    long characters = 0;
    String last = null;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines++;
        characters += line.length() + 2;
        last = line;
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "Audit CSV export: %d records, %.1f MB in %d ms with gateway heap %s%n",
        lines - 1, characters / 1e6, millis, HEAP);

    assertEquals(200, response.statusCode());
    assertEquals(BULK_RECORDS + 1, lines, "header and records");
    assertTrue(last.startsWith(String.valueOf(100_000_000 + BULK_RECORDS) + ","), last);
  }

  @Test
  void refusalOfTicketWithNulIsStored() throws Exception {
    ticketWithNulGetsErrorPage();

    try (Connection db = schema.connect();
        PreparedStatement statement =
            db.prepareStatement(
                "SELECT token_prefix FROM audit_event WHERE kind = 'CONNECTION_REFUSED'"
                    + " AND computer_id = ?")) {
      statement.setString(1, computerId());
      try (ResultSet rows = statement.executeQuery()) {
        assertTrue(rows.next(), "no refusal record");
        assertEquals("miosa_term_...\uFFFDforged", rows.getString(1));
      }
    }
  }

  @Test
  void mintingWithDatabaseDownGives503AndNoTicket() throws Exception {
    try (TcpProxy database = TcpProxy.start(POSTGRES_PORT);
        ScriptedGateway proxied =
            ScriptedGateway.start(
                OUTPUT.resolve("database-down"),
                TOKENS,
                Map.of(
                    "GATEWAY_DB_URL",
                        "jdbc:postgresql://127.0.0.1:" + database.port() + "/test?currentSchema="
                            + schema.name(),
                    "GATEWAY_DB_USER", PostgresSchema.USER))) {
      GatewayClient client = new GatewayClient(proxied.url());
      String computerId = "cmp_database_down";
      assertEquals(201, client.registerComputer(auditor(), computerId, "tcp://127.0.0.1:5999")
          .statusCode());
      client.mintTicket(auditor(), computerId, "{}");

      database.cut();
      HttpResponse<String> down = mint(client, computerId);

      assertEquals(503, down.statusCode(), down.body());
      assertTrue(down.body().contains("audit database is unavailable"), down.body());
      assertFalse(down.body().contains("miosa_term_"), down.body());
      assertEquals(1, issuedRecords(computerId), "records after the failed mint");
      HttpResponse<String> notReady = readiness(client, proxied);
      assertEquals(503, notReady.statusCode(), notReady.body());
      assertTrue(notReady.body().contains("\"audit-database\""), notReady.body());
      assertTrue(notReady.body().contains("\"DOWN\""), notReady.body());

      database.restore();
      HttpResponse<String> recovered = awaitMint(client, computerId, Duration.ofSeconds(60));
      assertEquals(201, recovered.statusCode(), recovered.body());
      assertEquals(2, issuedRecords(computerId), "records after recovery");
      assertEquals(200, readiness(client, proxied).statusCode());
    }
  }

  private static HttpResponse<String> readiness(GatewayClient client, ScriptedGateway node) {
    return client.get(URI.create("http://127.0.0.1:" + node.port() + "/health/ready"));
  }

  private HttpResponse<String> mint(GatewayClient client, String computerId) {
    return client.post("api/v1/computers/" + computerId + "/terminal-tickets", auditor(), "{}");
  }

  private HttpResponse<String> awaitMint(GatewayClient client, String computerId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> response = mint(client, computerId);
    while (response.statusCode() == 503 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      response = mint(client, computerId);
    }
    return response;
  }

  private static long issuedRecords(String computerId) throws SQLException {
    try (Connection db = schema.connect();
        PreparedStatement statement =
            db.prepareStatement(
                "SELECT count(*) FROM audit_event WHERE kind = 'TICKET_ISSUED' AND computer_id = ?")) {
      statement.setString(1, computerId);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
