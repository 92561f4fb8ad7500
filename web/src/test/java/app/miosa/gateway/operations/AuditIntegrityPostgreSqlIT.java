package app.miosa.gateway.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.PostgresSchema;
import app.miosa.gateway.testing.ScriptedGateway;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sealing and {@code GET /api/v1/audit-integrity} on PostgreSQL, with the gateway started by {@code
 * server-config/run-gateway.sh}. The tests tamper with the trail as a database superuser would:
 * {@code session_replication_role = replica} skips the append-only triggers.
 *
 * <p>Verification covers the whole trail, so every test writes records of its own, waits until a
 * seal covers them, and compares the problems reported before and after its tampering. The
 * untouched trail is verified first.
 *
 * <p>Needs PostgreSQL on 127.0.0.1:5432 with database {@code test} and trust authentication.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIntegrityPostgreSqlIT {
  private static final Path OUTPUT = Path.of("target", "audit-integrity-it");
  private static final String PROBLEM_JSON = "application/problem+json";

  /** A fixed key of 32 bytes, as in production, where records must verify after a restart. */
  private static final String AUDIT_KEY =
      Base64.getEncoder()
          .encodeToString("stream-gateway-test-audit-key-32".getBytes(StandardCharsets.US_ASCII));

  /** Generous, because sealing runs every second but Payara may be slow on a loaded machine. */
  private static final Duration SEAL_TIMEOUT = Duration.ofSeconds(60);

  private final ApiTokens tokens = ApiTokens.generate();
  private final String auditor = tokens.token("key_auditor", "acme", List.of("audit:read"));
  private final String operator = tokens.token("key_operator", "acme", ApiTokens.ALL_ROLES);
  private PostgresSchema schema;
  private ScriptedGateway gateway;
  private GatewayClient client;

  /**
   * Starts the gateway sealing every second. The delay is 2 s, not 1, because a ticket record
   * carries the ticket's issue time in whole seconds, up to a second before its transaction
   * commits.
   */
  @BeforeAll
  void startGateway() throws Exception {
    schema = PostgresSchema.create("gateway_audit_it");
    gateway =
        ScriptedGateway.start(
            OUTPUT,
            tokens,
            Map.of(
                "GATEWAY_DB_URL", schema.jdbcUrl(),
                "GATEWAY_DB_USER", PostgresSchema.USER,
                "GATEWAY_AUDIT_KEY", AUDIT_KEY,
                "GATEWAY_AUDIT_SEAL_INTERVAL_SECONDS", "1",
                "GATEWAY_AUDIT_SEAL_DELAY_SECONDS", "2"));
    client = new GatewayClient(gateway.url());
  }

  @AfterAll
  void stopGateway() throws Exception {
    if (gateway != null) {
      gateway.stop();
    }
    if (schema != null) {
      schema.close();
    }
  }

  @Test
  @Order(1)
  void untouchedTrailVerifies() throws Exception {
    List<Long> records = sealedRecords(3);

    JsonObject result = verify();

    assertEquals(List.of(), result.getJsonArray("problems"));
    assertEquals(0, result.getJsonNumber("problem_count").longValue());
    assertTrue(result.getBoolean("verified"));
    assertTrue(
        result.getJsonNumber("records_checked").longValue() >= records.size(), result.toString());
    assertTrue(result.getJsonNumber("seals_checked").longValue() >= 1, result.toString());
    assertEquals(JsonValue.ValueType.STRING, result.get("sealed_until").getValueType());
  }

  @Test
  @Order(2)
  void triggerRejectsUpdateAndDelete() throws Exception {
    long record = sealedRecords(1).get(0);

    try (Connection db = schema.connect()) {
      SQLException update =
          assertThrows(
              SQLException.class,
              () ->
                  execute(
                      db, "UPDATE audit_event SET attribution = 'changed' WHERE id = ?", record));
      SQLException delete =
          assertThrows(
              SQLException.class,
              () -> execute(db, "DELETE FROM audit_event WHERE id = ?", record));

      assertTrue(
          update.getMessage().contains("append-only: UPDATE on audit_event"), update.getMessage());
      assertTrue(
          delete.getMessage().contains("append-only: DELETE on audit_event"), delete.getMessage());
    }
    assertTrue(verify().getBoolean("verified"));
  }

  @Test
  @Order(3)
  void changedRecordFailsMacAndSeal() throws Exception {
    long record = sealedRecords(3).get(1);
    JsonObject seal = sealCovering(record);
    Set<JsonValue> before = problems();

    asSuperuser("UPDATE audit_event SET attribution = 'changed' WHERE id = ?", record);

    assertEquals(
        Set.of(recordMacMismatch(record), sealMismatch(seal, seal.getInt("event_count"))),
        problemsAddedSince(before));
  }

  @Test
  @Order(4)
  void removedRecordFailsSealCount() throws Exception {
    long record = sealedRecords(3).get(1);
    JsonObject seal = sealCovering(record);
    Set<JsonValue> before = problems();

    asSuperuser("DELETE FROM audit_event WHERE id = ?", record);

    assertEquals(
        Set.of(sealMismatch(seal, seal.getInt("event_count") - 1)), problemsAddedSince(before));
  }

  @Test
  @Order(5)
  void insertedRecordFailsMacAndSeal() throws Exception {
    long record = sealedRecords(3).get(1);
    JsonObject seal = sealCovering(record);
    long forged = unusedRecordId();
    Set<JsonValue> before = problems();

    // The triggers allow inserts: a copy of a sealed record under a new id, with a made-up MAC.
    try (Connection db = schema.connect()) {
      execute(
          db,
          "INSERT INTO audit_event (id, kind, occurred_at, tenant, computer_id, row_mac)"
              + " SELECT ?, kind, occurred_at, tenant, computer_id, 'forged' FROM audit_event"
              + " WHERE id = ?",
          forged,
          record);
    }

    assertEquals(
        Set.of(recordMacMismatch(forged), sealMismatch(seal, seal.getInt("event_count") + 1)),
        problemsAddedSince(before));
  }

  @Test
  @Order(6)
  void verificationRequiresAuditRole() {
    String ticketsOnly = tokens.token("key_tickets", "acme", List.of("tickets:issue"));

    HttpResponse<String> forbidden = client.get("api/v1/audit-integrity", ticketsOnly);
    HttpResponse<String> anonymous = client.get("api/v1/audit-integrity", null);

    assertEquals(403, forbidden.statusCode(), forbidden.body());
    assertEquals(PROBLEM_JSON, forbidden.headers().firstValue("Content-Type").orElse(""));
    assertEquals(401, anonymous.statusCode(), anonymous.body());
  }

  @Test
  @Order(7)
  void databaseFailureAnswers503() throws Exception {
    try (Connection db = schema.connect();
        Statement statement = db.createStatement()) {
      statement.execute("ALTER TABLE audit_seal RENAME TO audit_seal_away");
      try {
        HttpResponse<String> response = client.get("api/v1/audit-integrity", auditor);

        assertEquals(503, response.statusCode(), response.body());
        assertEquals(PROBLEM_JSON, response.headers().firstValue("Content-Type").orElse(""));
        assertFalse(response.body().contains("audit_seal"), response.body());
      } finally {
        statement.execute("ALTER TABLE audit_seal_away RENAME TO audit_seal");
      }
    }
  }

  /** Mints tickets on a new computer and returns their record ids once a seal covers them all. */
  private List<Long> sealedRecords(int count) throws Exception {
    String computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(
        201, client.registerComputer(operator, computerId, "tcp://127.0.0.1:5999").statusCode());
    for (int i = 0; i < count; i++) {
      client.mintTicket(operator, computerId, "{\"attribution\": \"ticket " + i + "\"}");
    }
    List<Long> records = new ArrayList<>();
    try (Connection db = schema.connect();
        PreparedStatement query =
            db.prepareStatement("SELECT id FROM audit_event WHERE computer_id = ? ORDER BY id")) {
      query.setString(1, computerId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          records.add(rows.getLong(1));
        }
      }
    }
    assertEquals(count, records.size());

    long deadline = System.nanoTime() + SEAL_TIMEOUT.toNanos();
    for (long record : records) {
      while (sealCoveringOrNull(record) == null) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "No seal covered audit record " + record + " within " + SEAL_TIMEOUT);
        }
        Thread.sleep(200);
      }
    }
    return records;
  }

  private JsonObject verify() {
    HttpResponse<String> response = client.get("api/v1/audit-integrity", auditor);
    assertEquals(200, response.statusCode(), response.body());
    return GatewayClient.json(response);
  }

  private Set<JsonValue> problems() {
    return new HashSet<>(verify().getJsonArray("problems"));
  }

  /** Returns the problems reported now that were not reported before, checking none went away. */
  private Set<JsonValue> problemsAddedSince(Set<JsonValue> before) {
    Set<JsonValue> now = problems();
    assertTrue(now.containsAll(before), "before: " + before + ", now: " + now);
    now.removeAll(before);
    return now;
  }

  private static JsonObject recordMacMismatch(long record) {
    return Json.createObjectBuilder()
        .add("problem", "record_mac_mismatch")
        .add("record_id", record)
        .build();
  }

  private static JsonObject sealMismatch(JsonObject seal, long foundCount) {
    return Json.createObjectBuilder()
        .add("problem", "seal_mismatch")
        .add("seal_id", seal.getJsonNumber("id").longValue())
        .add("covers_from", seal.getString("covers_from"))
        .add("covers_until", seal.getString("covers_until"))
        .add("expected_count", seal.getInt("event_count"))
        .add("found_count", foundCount)
        .build();
  }

  private JsonObject sealCovering(long record) throws SQLException {
    JsonObject seal = sealCoveringOrNull(record);
    if (seal == null) {
      throw new AssertionError("No seal covers audit record " + record);
    }
    return seal;
  }

  /** Returns the seal covering a record with its period as ISO instants: stored times are UTC. */
  private JsonObject sealCoveringOrNull(long record) throws SQLException {
    try (Connection db = schema.connect();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT s.id, s.event_count, s.covers_from, s.covers_until"
                    + " FROM audit_seal s, audit_event e WHERE e.id = ?"
                    + " AND s.covers_from < e.occurred_at AND s.covers_until >= e.occurred_at")) {
      query.setLong(1, record);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        return Json.createObjectBuilder()
            .add("id", rows.getLong(1))
            .add("event_count", rows.getLong(2))
            .add("covers_from", utc(rows.getObject(3, LocalDateTime.class)))
            .add("covers_until", utc(rows.getObject(4, LocalDateTime.class)))
            .build();
      }
    }
  }

  private static String utc(LocalDateTime stored) {
    return stored.toInstant(ZoneOffset.UTC).toString();
  }

  private long unusedRecordId() throws SQLException {
    try (Connection db = schema.connect();
        Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery("SELECT max(id) + 1000000 FROM audit_event")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Runs a statement with the append-only triggers skipped, as only a superuser can. */
  private void asSuperuser(String sql, long parameter) throws SQLException {
    try (Connection db = schema.connect()) {
      try (Statement statement = db.createStatement()) {
        statement.execute("SET session_replication_role = replica");
      }
      execute(db, sql, parameter);
    }
  }

  private static void execute(Connection db, String sql, long... parameters) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setLong(i + 1, parameters[i]);
      }
      assertEquals(1, statement.executeUpdate(), sql);
    }
  }
}
