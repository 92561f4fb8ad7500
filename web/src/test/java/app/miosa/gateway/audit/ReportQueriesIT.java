package app.miosa.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.PsqlScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report queries of {@code sql/reports/} and the retention script of {@code sql/retention/},
 * run as psql would run them (see {@link PsqlScript}) against a known set of audit records in
 * PostgreSQL. The schema is the one the gateway applies with Flyway, from this checkout's
 * {@code sql/}, in a schema of the test's own that is dropped afterwards.
 *
 * <p>Needs PostgreSQL on 127.0.0.1:5432 with database {@code test}, user {@code postgres} and
 * trust authentication.
 */
class ReportQueriesIT {
  private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final Path SQL = Path.of("..", "sql");
  private static final Path REPORTS = SQL.resolve("reports");
  private static final Path RETENTION_SCRIPT = SQL.resolve("retention/archive_and_delete.sql");
  private static final DateTimeFormatter POSTGRES_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** Digests of the seals the retention tests create, under a fixed test key. */
  private static final AuditIntegrity INTEGRITY =
      new AuditIntegrity("report-queries-test-key-of-32-bytes".getBytes(StandardCharsets.UTF_8));

  private final String schema = "report_it_" + UUID.randomUUID().toString().replace("-", "");
  private Connection db;
  private long nextId = 1;

  @BeforeEach
  void createSchema(@TempDir Path migrations) throws Exception {
    try (Connection admin = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    Flyway.configure()
        .dataSource(POSTGRES_URL, "postgres", "")
        .schemas(schema)
        .defaultSchema(schema)
        .locations(migrationLocations(migrations))
        .load()
        .migrate();
    db = connect();
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (db != null) {
      db.close();
    }
    try (Connection admin = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement statement = admin.createStatement()) {
      statement.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  /**
   * Copies the migrations as the ejb module packages them: {@code sql/V*.sql} for every database
   * and {@code sql/postgresql/V*.sql} for PostgreSQL. A filesystem location on {@code sql/}
   * itself would be scanned recursively, into the folders of other databases too.
   */
  private static String[] migrationLocations(Path migrations) throws IOException {
    Path common = Files.createDirectories(migrations.resolve("common"));
    Path postgresql = Files.createDirectories(migrations.resolve("postgresql"));
    copyMigrations(SQL, common);
    copyMigrations(SQL.resolve("postgresql"), postgresql);
    return new String[] {
      "filesystem:" + common.toAbsolutePath(), "filesystem:" + postgresql.toAbsolutePath()
    };
  }

  private static void copyMigrations(Path from, Path to) throws IOException {
    try (DirectoryStream<Path> scripts = Files.newDirectoryStream(from, "V*.sql")) {
      for (Path script : scripts) {
        Files.copy(script, to.resolve(script.getFileName()));
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(
        POSTGRES_URL + "?currentSchema=" + schema, "postgres", "");
  }

  @Test
  void everyReportFileHasTest() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> reports = Files.list(REPORTS)) {
      reports.forEach(report -> files.add(report.getFileName().toString()));
    }
    assertEquals(
        new TreeSet<>(
            List.of(
                "tickets_per_api_key_per_day.sql",
                "viewing_time_per_computer.sql",
                "read_only_vs_interactive_streams.sql",
                "refused_connections_by_reason.sql",
                "viewers_of_computer.sql")),
        files,
        "each report in sql/reports/ needs a test in this class");
  }

  @Test
  void ticketsPerApiKeyPerDay() throws Exception {
    seedReportRecords();

    assertEquals(
        List.of(
            "acme|2026-03-01|key_a|2|1",
            "acme|2026-03-01|key_b|1|0",
            "acme|2026-03-02|key_a|1|1"),
        report("tickets_per_api_key_per_day.sql", period("acme")));
    assertEquals(
        List.of(
            "acme|2026-03-01|key_a|2|1",
            "acme|2026-03-01|key_b|1|0",
            "acme|2026-03-02|key_a|1|1",
            "globex|2026-03-01|key_g|1|1"),
        report("tickets_per_api_key_per_day.sql", period("")));
  }

  @Test
  void viewingTimePerComputer() throws Exception {
    seedReportRecords();

    // cmp_1: 1 800 000 + 300 500 + 600 000 + 300 000 ms, and 1 230 000 ms of a stream opened
    // the day before the period that ended in it.
    assertEquals(
        List.of(
            "acme|cmp_1|5|4230500|01:10:30.5",
            "acme|cmp_2|1|1800000|00:30:00"),
        report("viewing_time_per_computer.sql", period("acme")));
    assertEquals(
        List.of(
            "acme|cmp_1|5|4230500|01:10:30.5",
            "acme|cmp_2|1|1800000|00:30:00",
            "globex|cmp_1|1|1200000|00:20:00"),
        report("viewing_time_per_computer.sql", period("")));
  }

  @Test
  void readOnlyVersusInteractiveStreams() throws Exception {
    seedReportRecords();

    assertEquals(
        List.of(
            "acme|2026-03-01|cmp_1|2|0|2",
            "acme|2026-03-01|cmp_2|0|1|1",
            "acme|2026-03-01|(all computers)|2|1|3",
            "acme|2026-03-02|cmp_1|2|1|3",
            "acme|2026-03-02|(all computers)|2|1|3"),
        report("read_only_vs_interactive_streams.sql", period("acme")));
    List<String> everyTenant = report("read_only_vs_interactive_streams.sql", period(""));
    assertEquals(7, everyTenant.size(), String.join("\n", everyTenant));
    assertEquals("globex|2026-03-01|cmp_1|1|0|1", everyTenant.get(5));
    assertEquals("globex|2026-03-01|(all computers)|1|0|1", everyTenant.get(6));
  }

  @Test
  void refusedConnectionsByReason() throws Exception {
    seedReportRecords();

    // The unverified refusal on cmp_999 is on no computer of acme's, so only the report of every
    // tenant lists it.
    assertEquals(
        List.of(
            "2026-03-01|ORIGIN_NOT_ALLOWED|acme|t|1",
            "2026-03-01|TICKET_EXPIRED|acme|t|2",
            "2026-03-01|TICKET_INVALID|null|f|1"),
        report("refused_connections_by_reason.sql", period("acme")));
    assertEquals(
        List.of(
            "2026-03-01|ORIGIN_NOT_ALLOWED|acme|t|1",
            "2026-03-01|TICKET_EXPIRED|acme|t|2",
            "2026-03-01|TICKET_INVALID|null|f|1",
            "2026-03-02|TICKET_INVALID|null|f|1",
            "2026-03-02|TICKET_REVOKED|globex|t|1"),
        report("refused_connections_by_reason.sql", period("")));
  }

  @Test
  void viewersOfComputerInWindow() throws Exception {
    seedReportRecords();

    // The stream of viewer F opened before the window and ended in it. The stream of viewer G
    // ended before it. Viewer A's two streams of one ticket each get their own end.
    assertEquals(
        List.of(
            "2026-02-28 23:59:30|2026-03-01 00:20:00|1230000|t0|10.0.0.6|UA-F|https://app.acme.com"
                + "|t|key_a|run 0|4001|ticket expired",
            "2026-03-01 09:01:00|2026-03-01 09:31:00|1800000|t1|10.0.0.1|UA-A|https://app.acme.com"
                + "|t|key_a|run 1|1000|viewer closed",
            "2026-03-01 09:40:00|2026-03-01 09:45:00.5|300500|t1|10.0.0.1|UA-A"
                + "|https://app.acme.com|t|key_a|run 1|1000|viewer closed"),
        viewers("cmp_1", "2026-03-01", "2026-03-02"));

    // Viewer E's first stream has no end record: it is listed with empty end fields while its
    // ticket has not expired before the window, and the end of E's second stream is not taken
    // for it.
    String withoutEnd =
        "2026-03-02 08:00:00|null|null|t4|10.0.0.5|UA-E|https://app.acme.com|t|key_a|run 4"
            + "|null|null";
    String secondOfE =
        "2026-03-02 08:30:00|2026-03-02 08:35:00|300000|t4|10.0.0.5|UA-E|https://app.acme.com"
            + "|t|key_a|run 4|1000|viewer closed";
    assertEquals(
        List.of(
            "2026-03-02 00:00:10|2026-03-02 00:10:10|600000|t2|10.0.0.2|UA-B|https://app.acme.com"
                + "|f|key_a|run 2|1000|viewer closed",
            withoutEnd,
            secondOfE),
        viewers("cmp_1", "2026-03-02", "2026-03-03"));
    assertEquals(
        List.of(withoutEnd, secondOfE), viewers("cmp_1", "2026-03-02 08:30", "2026-03-02 10:00"));
    assertEquals(List.of(), viewers("cmp_1", "2026-03-02 09:00:01", "2026-03-02 10:00"));

    List<String> otherComputer = viewers("cmp_2", "2026-03-01", "2026-03-02");
    assertEquals(1, otherComputer.size(), String.join("\n", otherComputer));
    assertTrue(otherComputer.get(0).contains("|t3|10.0.0.3|"), otherComputer.get(0));
  }

  @Test
  void retentionArchivesWholeSealedPeriods() throws Exception {
    LocalDateTime now = databaseNow();
    long[] ids = seedSealedRecords(now);
    assertUpdateRejected();

    // Default 400 days: the last seal that ends before the cut-off ends 410 days ago.
    List<List<String>> output = retention(Map.of());
    assertEquals(
        timestamp(now.minusDays(410)), output.get(0).get(0).split("\\|")[2], "archived_up_to");
    assertEquals(List.of(ids[0], ids[1], ids[2], ids[3], ids[4]), idsOf("audit_event_archive"));
    assertEquals(List.of(ids[5], ids[6], ids[7], ids[8]), idsOf("audit_event"));
    assertEquals(List.of(1L, 2L), idsOf("audit_seal_archive"));
    assertEquals(List.of(3L, 4L), idsOf("audit_seal"));
    assertSealsVerify();
    assertTriggersEnabled();
    assertUpdateRejected();

    // A second run with the same period finds nothing more to move.
    retention(Map.of("retention_days", "400"));
    assertEquals(5, idsOf("audit_event_archive").size());
    assertEquals(List.of(3L, 4L), idsOf("audit_seal"));

    // 100 days moves the next sealed period, which ends 390 days ago.
    retention(Map.of("retention_days", "100"));
    assertEquals(
        List.of(ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6]),
        idsOf("audit_event_archive"));
    assertEquals(List.of(ids[7], ids[8]), idsOf("audit_event"));
    assertEquals(List.of(1L, 2L, 3L), idsOf("audit_seal_archive"));
    assertEquals(List.of(4L), idsOf("audit_seal"));
    assertSealsVerify();
    assertTriggersEnabled();
    assertUpdateRejected();
  }

  @Test
  void retentionRejectsZeroDays() throws Exception {
    seedSealedRecords(databaseNow());

    SQLException error =
        assertThrows(SQLException.class, () -> retention(Map.of("retention_days", "0")));

    assertTrue(error.getMessage().contains("retention_days_positive"), error.getMessage());
    // psql ends the session on the error, and so its transaction.
    db.close();
    db = connect();
    assertEquals(9, idsOf("audit_event").size());
    assertEquals(4, idsOf("audit_seal").size());
    assertFalse(tableExists("audit_event_archive"));
    assertTriggersEnabled();
  }

  // The report data set, in March 2026 (UTC): tenants acme and globex, both with a computer
  // cmp_1; acme also has cmp_2. Reports run for 1 and 2 March, unless a test gives other dates.

  private static final Viewer VIEWER_A = new Viewer("10.0.0.1", "UA-A", "https://app.acme.com");
  private static final Viewer VIEWER_B = new Viewer("10.0.0.2", "UA-B", "https://app.acme.com");
  private static final Viewer VIEWER_C = new Viewer("10.0.0.3", "UA-C", "https://app.acme.com");
  private static final Viewer VIEWER_D = new Viewer("10.0.0.4", "UA-D", "https://globex.example");
  private static final Viewer VIEWER_E = new Viewer("10.0.0.5", "UA-E", "https://app.acme.com");
  private static final Viewer VIEWER_F = new Viewer("10.0.0.6", "UA-F", "https://app.acme.com");
  private static final Viewer VIEWER_G = new Viewer("10.0.0.7", "UA-G", "https://app.acme.com");

  private void seedReportRecords() throws SQLException {
    insertComputer("acme", "cmp_1");
    insertComputer("acme", "cmp_2");
    insertComputer("globex", "cmp_1");

    // Tickets: t0 the day before the period, t6 at its exclusive end, t2 in the last
    // millisecond of 1 March.
    Ticket t0 = issued("acme", "cmp_1", "key_a", "t0", true, "2026-02-28 23:59:00", "run 0");
    Ticket t1 = issued("acme", "cmp_1", "key_a", "t1", true, "2026-03-01 09:00:00", "run 1");
    Ticket t2 = issued("acme", "cmp_1", "key_a", "t2", false, "2026-03-01 23:59:59.999", "run 2");
    Ticket t3 = issued("acme", "cmp_2", "key_b", "t3", false, "2026-03-01 10:00:00", "run 3");
    Ticket t4 = issued("acme", "cmp_1", "key_a", "t4", true, "2026-03-02 08:00:00", "run 4");
    Ticket t5 = issued("globex", "cmp_1", "key_g", "t5", true, "2026-03-01 12:00:00", "run 5");
    issued("acme", "cmp_1", "key_a", "t6", true, "2026-03-03 00:00:00", "run 6");

    stream(t0, VIEWER_F, "2026-02-28 23:59:30", 1_230_000, 4001, "ticket expired");
    stream(t0, VIEWER_G, "2026-02-28 23:59:40", 10_000, 1000, "viewer closed");
    stream(t1, VIEWER_A, "2026-03-01 09:01:00", 1_800_000, 1000, "viewer closed");
    stream(t1, VIEWER_A, "2026-03-01 09:40:00", 300_500, 1000, "viewer closed");
    stream(t3, VIEWER_C, "2026-03-01 10:05:00", 1_800_000, 1000, "viewer closed");
    stream(t5, VIEWER_D, "2026-03-01 12:01:00", 1_200_000, 1000, "viewer closed");
    stream(t2, VIEWER_B, "2026-03-02 00:00:10", 600_000, 1000, "viewer closed");
    opened(t4, VIEWER_E, "2026-03-02 08:00:00");
    stream(t4, VIEWER_E, "2026-03-02 08:30:00", 300_000, 1000, "viewer closed");

    refused("acme", "cmp_1", "TICKET_EXPIRED", "2026-03-01 01:00:00");
    refused("acme", "cmp_1", "TICKET_EXPIRED", "2026-03-01 02:00:00");
    refused("acme", "cmp_2", "ORIGIN_NOT_ALLOWED", "2026-03-01 03:00:00");
    refused(null, "cmp_1", "TICKET_INVALID", "2026-03-01 04:00:00");
    refused(null, "cmp_999", "TICKET_INVALID", "2026-03-02 05:00:00");
    refused("globex", "cmp_1", "TICKET_REVOKED", "2026-03-02 06:00:00");
    refused("acme", "cmp_1", "TICKET_EXPIRED", "2026-03-03 00:00:00");
  }

  /** A viewer's browser as the stream records name it. */
  private record Viewer(String remoteAddress, String userAgent, String origin) {}

  private record Ticket(
      String tenant, String computerId, String ticketId, boolean readOnly, LocalDateTime expiresAt) {}

  /** Inserts the issuance record of a ticket that is valid for one hour. */
  private Ticket issued(
      String tenant,
      String computerId,
      String apiKey,
      String ticketId,
      boolean readOnly,
      String at,
      String attribution)
      throws SQLException {
    Ticket ticket = new Ticket(tenant, computerId, ticketId, readOnly, time(at).plusHours(1));
    Map<String, Object> row = record("TICKET_ISSUED", time(at), tenant, computerId);
    row.put("api_key", apiKey);
    row.put("ticket_id", ticketId);
    row.put("token_prefix", "miosa_term_" + ticketId);
    row.put("attribution", attribution);
    row.put("read_only", readOnly);
    row.put("expires_at", ticket.expiresAt());
    insertEvent(row);
    return ticket;
  }

  private void opened(Ticket ticket, Viewer viewer, String at) throws SQLException {
    insertEvent(streamRecord("STREAM_OPENED", ticket, viewer, time(at)));
  }

  /** Inserts the records of a stream's opening and, after {@code durationMs}, its end. */
  private void stream(
      Ticket ticket, Viewer viewer, String openedAt, long durationMs, int closeCode,
      String reason) throws SQLException {
    opened(ticket, viewer, openedAt);
    LocalDateTime closedAt = time(openedAt).plusNanos(durationMs * 1_000_000);
    Map<String, Object> row = streamRecord("STREAM_CLOSED", ticket, viewer, closedAt);
    row.put("duration_ms", durationMs);
    row.put("bytes_to_viewer", 1000L);
    row.put("bytes_from_viewer", 100L);
    row.put("input_dropped", 0L);
    row.put("close_code", closeCode);
    row.put("reason", reason);
    insertEvent(row);
  }

  private Map<String, Object> streamRecord(
      String kind, Ticket ticket, Viewer viewer, LocalDateTime at) {
    Map<String, Object> row = record(kind, at, ticket.tenant(), ticket.computerId());
    row.put("ticket_id", ticket.ticketId());
    row.put("read_only", ticket.readOnly());
    row.put("expires_at", ticket.expiresAt());
    row.put("remote_address", viewer.remoteAddress());
    row.put("user_agent", viewer.userAgent());
    row.put("origin", viewer.origin());
    return row;
  }

  private void refused(String tenant, String computerId, String reason, String at)
      throws SQLException {
    Map<String, Object> row = record("CONNECTION_REFUSED", time(at), tenant, computerId);
    row.put("token_prefix", "miosa_term_x");
    row.put("reason", reason);
    row.put("remote_address", "192.0.2.1");
    row.put("origin", "https://elsewhere.example");
    insertEvent(row);
  }

  private static Map<String, Object> record(
      String kind, LocalDateTime at, String tenant, String computerId) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("kind", kind);
    row.put("occurred_at", at);
    row.put("tenant", tenant);
    row.put("computer_id", computerId);
    return row;
  }

  /** Inserts an audit record with the next id and a stand-in MAC, and returns the id. */
  private long insertEvent(Map<String, Object> columns) throws SQLException {
    long id = nextId++;
    Map<String, Object> row = new LinkedHashMap<>(columns);
    row.put("id", id);
    row.put("row_mac", "mac-" + id);
    String sql =
        "INSERT INTO audit_event (" + String.join(", ", row.keySet()) + ") VALUES ("
            + String.join(", ", row.keySet().stream().map(column -> "?").toList()) + ")";
    try (PreparedStatement insert = db.prepareStatement(sql)) {
      int index = 1;
      for (Object value : row.values()) {
        insert.setObject(index++, value);
      }
      insert.executeUpdate();
    }
    return id;
  }

  private void insertComputer(String tenant, String computerId) throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO computer (id, tenant, computer_id, vnc_url, state, created_at,"
                + " updated_at) VALUES (nextval('computer_seq'), ?, ?, 'tcp://127.0.0.1:5900',"
                + " 'running', now(), now())")) {
      insert.setString(1, tenant);
      insert.setString(2, computerId);
      insert.executeUpdate();
    }
  }

  /**
   * Inserts nine records between 650 days and half a day ago, and four chained seals: 600 to
   * 500, 500 to 410, 410 to 390 and 390 to 1 days ago. The first record predates every seal, and
   * the record 405 days ago lies in the seal that ends after a 400-day cut-off.
   *
   * @return the record ids, oldest first
   */
  private long[] seedSealedRecords(LocalDateTime now) throws SQLException {
    double[] daysAgo = {650, 550, 500, 450, 410, 405, 395, 10, 0.5};
    long[] ids = new long[daysAgo.length];
    for (int i = 0; i < daysAgo.length; i++) {
      LocalDateTime at = now.minusMinutes(Math.round(daysAgo[i] * 24 * 60));
      Map<String, Object> row = record("TICKET_ISSUED", at, "acme", "cmp_1");
      row.put("api_key", "key_a");
      row.put("ticket_id", "r" + i);
      ids[i] = insertEvent(row);
    }
    String previousDigest = null;
    int[][] seals = {{600, 500}, {500, 410}, {410, 390}, {390, 1}};
    for (int i = 0; i < seals.length; i++) {
      previousDigest =
          insertSeal(i + 1, now.minusDays(seals[i][0]), now.minusDays(seals[i][1]), previousDigest);
    }
    return ids;
  }

  /** Inserts a seal over the records after {@code from} up to {@code until} and returns its digest. */
  private String insertSeal(long id, LocalDateTime from, LocalDateTime until, String previous)
      throws SQLException {
    List<String> macs = recordMacs(from, until);
    String digest = INTEGRITY.sealDigest(previous, macs);
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO audit_seal (id, covers_from, covers_until, event_count, previous_digest,"
                + " digest, sealed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, id);
      insert.setObject(2, from);
      insert.setObject(3, until);
      insert.setLong(4, macs.size());
      insert.setString(5, previous);
      insert.setString(6, digest);
      insert.setObject(7, until);
      insert.executeUpdate();
    }
    return digest;
  }

  private List<String> recordMacs(LocalDateTime from, LocalDateTime until) throws SQLException {
    try (PreparedStatement select =
        db.prepareStatement(
            "SELECT row_mac FROM audit_event WHERE occurred_at > ? AND occurred_at <= ?"
                + " ORDER BY id")) {
      select.setObject(1, from);
      select.setObject(2, until);
      List<String> macs = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          macs.add(rows.getString(1));
        }
      }
      return macs;
    }
  }

  /**
   * Checks the remaining seals as a verifier does: each covers the count and digest of its
   * records, and each after the first chains to the digest before it. The first seal's
   * previous_digest is taken as given, and no record may remain before it.
   */
  private void assertSealsVerify() throws SQLException {
    List<Object[]> seals = new ArrayList<>();
    try (Statement select = db.createStatement();
        ResultSet rows =
            select.executeQuery(
                "SELECT id, covers_from, covers_until, event_count, previous_digest, digest"
                    + " FROM audit_seal ORDER BY covers_from")) {
      while (rows.next()) {
        seals.add(new Object[] {
          rows.getLong(1),
          rows.getObject(2, LocalDateTime.class),
          rows.getObject(3, LocalDateTime.class),
          rows.getLong(4),
          rows.getString(5),
          rows.getString(6)
        });
      }
    }
    assertFalse(seals.isEmpty(), "no seal remains");
    LocalDateTime firstFrom = (LocalDateTime) seals.get(0)[1];
    assertEquals(0, recordMacs(LocalDateTime.of(1970, 1, 1, 0, 0), firstFrom).size(),
        "records remain at or before the first seal's covers_from " + firstFrom);
    String previous = (String) seals.get(0)[4];
    for (Object[] seal : seals) {
      List<String> macs = recordMacs((LocalDateTime) seal[1], (LocalDateTime) seal[2]);
      assertEquals(seal[3], (long) macs.size(), "event_count of seal " + seal[0]);
      assertEquals(seal[4], previous, "previous_digest of seal " + seal[0]);
      assertEquals(seal[5], INTEGRITY.sealDigest(previous, macs), "digest of seal " + seal[0]);
      previous = (String) seal[5];
    }
  }

  private void assertTriggersEnabled() throws SQLException {
    try (Statement select = db.createStatement();
        ResultSet rows =
            select.executeQuery(
                "SELECT tgname, tgenabled FROM pg_trigger"
                    + " WHERE tgrelid IN ('audit_event'::regclass, 'audit_seal'::regclass)"
                    + " ORDER BY tgname")) {
      List<String> triggers = new ArrayList<>();
      while (rows.next()) {
        triggers.add(rows.getString(1) + "=" + rows.getString(2));
      }
      // "O": the trigger fires in the usual (origin) replication role.
      assertEquals(
          List.of(
              "audit_event_append_only=O",
              "audit_event_no_truncate=O",
              "audit_seal_append_only=O",
              "audit_seal_no_truncate=O"),
          triggers);
    }
  }

  private void assertUpdateRejected() throws SQLException {
    try (Statement update = db.createStatement()) {
      SQLException event =
          assertThrows(
              SQLException.class, () -> update.executeUpdate("UPDATE audit_event SET tenant = 'x'"));
      assertEquals("42501", event.getSQLState(), event.getMessage());
      SQLException seal =
          assertThrows(SQLException.class, () -> update.executeUpdate("DELETE FROM audit_seal"));
      assertEquals("42501", seal.getSQLState(), seal.getMessage());
    }
  }

  private List<Long> idsOf(String table) throws SQLException {
    try (Statement select = db.createStatement();
        ResultSet rows = select.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
      List<Long> ids = new ArrayList<>();
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
      return ids;
    }
  }

  private boolean tableExists(String table) throws SQLException {
    try (PreparedStatement select =
        db.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      select.setString(1, schema + "." + table);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  private LocalDateTime databaseNow() throws SQLException {
    try (Statement select = db.createStatement();
        ResultSet rows =
            select.executeQuery("SELECT date_trunc('second', now() AT TIME ZONE 'UTC')")) {
      rows.next();
      return rows.getObject(1, LocalDateTime.class);
    }
  }

  private static Map<String, String> period(String tenant) {
    return Map.of("from", "2026-03-01", "until", "2026-03-03", "tenant", tenant);
  }

  private List<String> viewers(String computerId, String from, String until) throws Exception {
    return report(
        "viewers_of_computer.sql",
        Map.of("tenant", "acme", "computer", computerId, "from", from, "until", until));
  }

  /** Runs a report file and returns the rows of its one result. */
  private List<String> report(String file, Map<String, String> variables) throws Exception {
    List<List<String>> results = PsqlScript.read(REPORTS.resolve(file)).run(db, variables);
    assertEquals(1, results.size(), file + " returned " + results.size() + " results");
    return results.get(0);
  }

  private List<List<String>> retention(Map<String, String> variables) throws Exception {
    return PsqlScript.read(RETENTION_SCRIPT).run(db, variables);
  }

  private static LocalDateTime time(String text) {
    return LocalDateTime.parse(text.replace(' ', 'T'));
  }

  private static String timestamp(LocalDateTime time) {
    return POSTGRES_TIMESTAMP.format(time);
  }
}
