package app.miosa.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.RawHttp;
import app.miosa.gateway.testing.RecordingVncServer;
import app.miosa.gateway.testing.StreamProbe;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit trail through {@code GET /api/v1/audit-events}: every kind of record, every filter,
 * keyset pages, CSV, and tenant isolation. Subclasses run it on the embedded H2 database and on
 * PostgreSQL.
 */
abstract class AuditTrailSuite {
  static final ApiTokens TOKENS = ApiTokens.generate();
  static final String TENANT = "acme";

  /** Columns of the CSV export and fields of the JSON records, in order. */
  static final List<String> COLUMNS =
      List.of(
          "id", "kind", "occurred_at", "computer_id", "api_key", "ticket_id", "token_prefix",
          "attribution", "read_only", "expires_at", "reason", "remote_address", "user_agent",
          "origin", "streams_closed", "duration_ms", "bytes_to_viewer", "bytes_from_viewer",
          "input_dropped", "close_code");

  private GatewayClient gateway;
  private String auditor;
  private String computerId;

  /** Returns the base URL of the gateway under test, ending in '/'. */
  abstract URL gatewayUrl();

  @BeforeEach
  void createClient() {
    gateway = new GatewayClient(gatewayUrl());
    auditor = TOKENS.token("key_auditor", TENANT, ApiTokens.ALL_ROLES);
    computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
    gateway.registerComputer(auditor, computerId, "tcp://127.0.0.1:5999");
  }

  @Test
  void issuedTicketIsRecorded() {
    String issuer = TOKENS.token("key_issuer", TENANT, List.of("tickets:issue"));
    JsonObject ticket =
        gateway.mintTicket(
            issuer, computerId, "{\"read_only\": true, \"attribution\": \"end-user 8812\"}");

    JsonObject record = only(events("computer_id=" + computerId + "&kind=TICKET_ISSUED"));

    assertEquals("key_issuer", record.getString("api_key"));
    assertEquals("end-user 8812", record.getString("attribution"));
    assertTrue(record.getBoolean("read_only"));
    assertEquals(ticket.getString("expires_at"), record.getString("expires_at"));
    String token = ticket.getString("token");
    String shown = record.getString("token_prefix");
    assertTrue(shown.startsWith("miosa_term_..."), shown);
    assertTrue(token.substring(token.lastIndexOf('.') + 1).startsWith(shown.substring(14)), shown);
    assertTrue(shown.length() < 24, record.toString());
    assertFalse(record.containsKey("tenant"), record.toString());
  }

  @Test
  void streamOpenedAndClosedAreRecorded() throws Exception {
    try (RecordingVncServer desktop = RecordingVncServer.start()) {
      gateway.registerComputer(auditor, computerId, desktop.vncUrl());
      String token = gateway.mintTicket(auditor, computerId, "{}").getString("token");
      String origin = "http://127.0.0.1:" + gatewayUrl().getPort();
      StreamProbe stream =
          StreamProbe.open(gateway.http(), websocketUrl(token), origin).get();
      assertEquals(12, stream.awaitBytes(12, Duration.ofSeconds(10)).length);

      stream.socket().sendClose(1000, "done").join();
      JsonObject closed = awaitOne("computer_id=" + computerId + "&kind=STREAM_CLOSED");
      JsonObject opened = only(events("computer_id=" + computerId + "&kind=STREAM_OPENED"));

      for (JsonObject record : List.of(opened, closed)) {
        assertEquals("127.0.0.1", record.getString("remote_address"), record.toString());
        assertEquals(origin, record.getString("origin"), record.toString());
        assertNotNull(record.getString("user_agent", null), record.toString());
        assertFalse(record.getBoolean("read_only"), record.toString());
      }
      assertEquals(opened.getString("ticket_id"), closed.getString("ticket_id"));
      assertEquals(1000, closed.getInt("close_code"));
      assertTrue(closed.getJsonNumber("duration_ms").longValue() >= 0, closed.toString());
      assertTrue(closed.getJsonNumber("bytes_to_viewer").longValue() >= 12, closed.toString());
      assertTrue(closed.getJsonNumber("bytes_from_viewer").longValue() >= 0, closed.toString());
      assertEquals(0, closed.getJsonNumber("input_dropped").longValue());
    }
  }

  @Test
  void revocationRecordsStreamsClosed() throws Exception {
    try (RecordingVncServer desktop = RecordingVncServer.start()) {
      gateway.registerComputer(auditor, computerId, desktop.vncUrl());
      String token = gateway.mintTicket(auditor, computerId, "{}").getString("token");
      StreamProbe stream = StreamProbe.open(gateway.http(), websocketUrl(token)).get();
      stream.awaitBytes(12, Duration.ofSeconds(10));

      HttpResponse<String> revoked =
          gateway.delete("api/v1/computers/" + computerId + "/terminal-tickets", auditor);

      assertEquals(200, revoked.statusCode(), revoked.body());
      assertEquals(4003, stream.awaitCloseCode(Duration.ofSeconds(5)));
      JsonObject record = only(events("computer_id=" + computerId + "&kind=TICKETS_REVOKED"));
      assertEquals(1, record.getInt("streams_closed"));
      assertEquals("key_auditor", record.getString("api_key"));
    }
  }

  @Test
  void refusedConnectionsAreRecorded() {
    String token = gateway.mintTicket(auditor, computerId, "{}").getString("token");
    int port = gatewayUrl().getPort();
    String path = gatewayUrl().getPath() + "computer/" + computerId + "/websockify?ticket=" + token;

    RawHttp.Response foreign =
        RawHttp.get(port, "127.0.0.1:" + port, path, RawHttp.upgradeHeaders("https://evil.test"));
    gateway.delete("api/v1/computers/" + computerId + "/terminal-tickets", auditor);
    HttpResponse<String> revoked =
        gateway.get("computer/" + computerId + "?ticket=" + token, null);

    assertEquals(403, foreign.status());
    assertEquals(403, revoked.statusCode());
    JsonArray records = events("computer_id=" + computerId + "&kind=CONNECTION_REFUSED");
    assertEquals(2, records.size(), records.toString());
    JsonObject origin = records.getJsonObject(0);
    assertEquals("ORIGIN_NOT_ALLOWED", origin.getString("reason"));
    assertEquals("https://evil.test", origin.getString("origin"));
    assertEquals("127.0.0.1", origin.getString("remote_address"));
    assertEquals("TICKET_REVOKED", records.getJsonObject(1).getString("reason"));
    assertEquals(origin.getString("ticket_id"), records.getJsonObject(1).getString("ticket_id"));
  }

  @Test
  void streamToStoppedComputerIsRecordedAsRefused() throws Exception {
    String token = gateway.mintTicket(auditor, computerId, "{}").getString("token");
    gateway.put(
        "api/v1/computers/" + computerId,
        auditor,
        "{\"vnc_url\": \"tcp://127.0.0.1:5999\", \"state\": \"stopped\"}");
    String origin = "http://127.0.0.1:" + gatewayUrl().getPort();

    StreamProbe stream = StreamProbe.open(gateway.http(), websocketUrl(token), origin).get();

    assertEquals(4004, stream.awaitCloseCode(Duration.ofSeconds(10)));
    JsonObject record = awaitOne("computer_id=" + computerId + "&kind=CONNECTION_REFUSED");
    assertEquals("COMPUTER_NOT_RUNNING", record.getString("reason"));
    assertEquals("127.0.0.1", record.getString("remote_address"));
    assertEquals(origin, record.getString("origin"));
    assertNotNull(record.getString("ticket_id", null), record.toString());
    assertTrue(events("computer_id=" + computerId + "&kind=STREAM_OPENED").isEmpty());
  }

  @Test
  void filtersSelectComputerKeyKindAndTime() throws Exception {
    String otherComputer = computerId + "_b";
    gateway.registerComputer(auditor, otherComputer, "tcp://127.0.0.1:5999");
    String issuer = TOKENS.token("key_issuer_" + computerId, TENANT, List.of("tickets:issue"));
    gateway.mintTicket(auditor, computerId, "{}");
    gateway.mintTicket(issuer, otherComputer, "{}");
    Thread.sleep(1100);
    Instant middle = Instant.now();
    Thread.sleep(1100);
    gateway.mintTicket(issuer, computerId, "{}");
    gateway.delete("api/v1/computers/" + computerId + "/terminal-tickets", auditor);

    JsonArray byComputer = events("computer_id=" + computerId);
    JsonArray byKey = events("api_key=key_issuer_" + computerId);
    JsonArray byKind = events("computer_id=" + computerId + "&kind=TICKETS_REVOKED");
    JsonArray before = events("computer_id=" + computerId + "&until=" + middle);
    JsonArray after = events("computer_id=" + computerId + "&from=" + middle);

    assertEquals(List.of("TICKET_ISSUED", "TICKET_ISSUED", "TICKETS_REVOKED"), kinds(byComputer));
    assertEquals(List.of(otherComputer, computerId), field(byKey, "computer_id"));
    assertEquals(List.of("TICKETS_REVOKED"), kinds(byKind));
    assertEquals(List.of("TICKET_ISSUED"), kinds(before));
    assertEquals("key_auditor", before.getJsonObject(0).getString("api_key"));
    assertEquals(List.of("TICKET_ISSUED", "TICKETS_REVOKED"), kinds(after));
  }

  @Test
  void pagesFollowNextAfter() {
    for (int i = 0; i < 5; i++) {
      gateway.mintTicket(auditor, computerId, "{}");
    }
    JsonArray all = events("computer_id=" + computerId);

    List<String> paged = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String after = "0";
    while (after != null) {
      JsonObject page = page("computer_id=" + computerId + "&limit=2&after=" + after);
      JsonArray events = page.getJsonArray("events");
      sizes.add(events.size());
      paged.addAll(field(events, "id"));
      after = page.isNull("next_after") ? null : page.get("next_after").toString();
    }

    assertEquals(List.of(2, 2, 1), sizes);
    assertEquals(field(all, "id"), paged);
  }

  @Test
  void requestWithoutAcceptGetsJson() {
    HttpResponse<String> response = gateway.get("api/v1/audit-events?limit=1", auditor);

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(
        "application/json", response.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void otherTenantSeesNoRecords() {
    gateway.mintTicket(auditor, computerId, "{}");
    String stranger = TOKENS.token("key_stranger", "initech", ApiTokens.ALL_ROLES);

    HttpResponse<String> response =
        gateway.get("api/v1/audit-events?computer_id=" + computerId, stranger);

    assertEquals(200, response.statusCode(), response.body());
    assertEquals(0, GatewayClient.json(response).getJsonArray("events").size());
  }

  @Test
  void csvExportHasHeaderAndEveryRecord() throws Exception {
    // JSON escapes: the attribution has quotes, a comma and a line break.
    String attribution = "user \\\"8812\\\", line one\\nline two";
    gateway.mintTicket(auditor, computerId, "{\"attribution\": \"" + attribution + "\"}");
    gateway.mintTicket(auditor, computerId, "{\"read_only\": true}");

    HttpResponse<String> response = csv("computer_id=" + computerId);

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"),
        response.headers().toString());
    assertFalse(
        response.headers().firstValue("Content-Type").orElse("").contains("qs="),
        response.headers().toString());
    CSVParser parser =
        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
            .parse(new StringReader(response.body()));
    List<CSVRecord> rows = parser.getRecords();
    assertEquals(COLUMNS, parser.getHeaderNames());
    assertEquals(2, rows.size());
    assertEquals("user \"8812\", line one\nline two", rows.get(0).get("attribution"));
    assertEquals("TICKET_ISSUED", rows.get(1).get("kind"));
    assertEquals("true", rows.get(1).get("read_only"));
    assertEquals("", rows.get(1).get("attribution"));
  }

  @Test
  void invalidFiltersAreRejected() {
    Map<String, String> cases =
        Map.of(
            "kind=BOGUS", "kind 'BOGUS' is unknown",
            "from=yesterday", "from 'yesterday' is not an ISO-8601",
            "until=2026-13-01T00:00:00Z", "until '2026-13-01T00:00:00Z'",
            "limit=0", "limit '0' must be",
            "limit=1001", "limit '1001' must be",
            "after=-1", "after '-1' must be",
            "computer_id=", "computer_id must be 1 to 128",
            "api_key=a%00b", "api_key contains a control character",
            "from=%2B100000-01-01T00:00:00Z", "must be from 1970-01-01T00:00:00Z");

    cases.forEach(
        (query, message) -> {
          HttpResponse<String> response = gateway.get("api/v1/audit-events?" + query, auditor);
          assertEquals(400, response.statusCode(), query + ": " + response.body());
          assertTrue(response.body().contains(message), query + ": " + response.body());
          assertTrue(
              response.headers().firstValue("Content-Type").orElse("").contains("problem+json"),
              query);
        });
  }

  @Test
  void nulInAttributionIsRejected() {
    HttpResponse<String> response =
        gateway.post(
            "api/v1/computers/" + computerId + "/terminal-tickets",
            auditor,
            "{\"attribution\": \"a\\u0000b\"}");

    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().contains("NUL"), response.body());
    assertEquals(0, events("computer_id=" + computerId + "&kind=TICKET_ISSUED").size());
  }

  @Test
  void ticketWithNulGetsErrorPage() {
    HttpResponse<String> response =
        gateway.get("computer/" + computerId + "?ticket=miosa_term_%00forged", null);

    assertEquals(401, response.statusCode(), response.body());
  }

  String computerId() {
    return computerId;
  }

  @Test
  void readingRequiresAuditRole() {
    String issuer = TOKENS.token("key_issuer", TENANT, List.of("tickets:issue"));

    HttpResponse<String> response = gateway.get("api/v1/audit-events", issuer);

    assertEquals(403, response.statusCode(), response.body());
  }

  GatewayClient gateway() {
    return gateway;
  }

  String auditor() {
    return auditor;
  }

  HttpResponse<String> csv(String query) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(gateway.resolve("api/v1/audit-events?" + query))
            .header("Authorization", "Bearer " + auditor)
            .header("Accept", "text/csv")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    return gateway.http().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject page(String query) {
    HttpResponse<String> response = gateway.get("api/v1/audit-events?" + query, auditor);
    assertEquals(200, response.statusCode(), response.body());
    return GatewayClient.json(response);
  }

  private JsonArray events(String query) {
    return page(query).getJsonArray("events");
  }

  private JsonObject awaitOne(String query) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      JsonArray records = events(query);
      if (!records.isEmpty()) {
        return only(records);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("No audit record for " + query + " within 10 s");
  }

  private static JsonObject only(JsonArray records) {
    assertEquals(1, records.size(), records.toString());
    return records.getJsonObject(0);
  }

  private static List<String> kinds(JsonArray records) {
    return field(records, "kind");
  }

  private static List<String> field(JsonArray records, String name) {
    return records.stream()
        .map(JsonObject.class::cast)
        .map(record -> record.get(name).toString().replace("\"", ""))
        .collect(Collectors.toList());
  }

  private URI websocketUrl(String token) {
    URI http = gateway.resolve("computer/" + computerId + "/websockify?ticket=" + token);
    return URI.create("ws" + http.toString().substring("http".length()));
  }
}
