package app.miosa.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.audit.IntegrityProblem.RecordMacMismatch;
import app.miosa.gateway.audit.IntegrityProblem.SealMismatch;
import app.miosa.gateway.computer.ComputerService;
import app.miosa.gateway.computer.ComputerState;
import app.miosa.gateway.config.GatewaySettings;
import app.miosa.gateway.tenant.Caller;
import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayDeployment;
import app.miosa.gateway.ticket.TicketRequest;
import app.miosa.gateway.ticket.TicketService;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sealing and verification inside Payara Micro on the embedded H2 database, which has no
 * append-only trigger, so the tests tamper with rows by plain SQL.
 *
 * <p>Verification covers the whole trail, so every test writes records of its own, waits until a
 * seal covers them, and compares the problems found before and after its tampering. The untouched
 * trail is verified first.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIntegrityIT {
  /** Generous, because sealing runs every second but Payara may be slow on a loaded machine. */
  private static final Duration SEAL_TIMEOUT = Duration.ofSeconds(60);

  @EJB TicketService tickets;
  @EJB ComputerService computers;
  @EJB AuditLog audit;
  @EJB AuditVerifier verifier;

  @Resource(lookup = "java:comp/DefaultDataSource")
  DataSource database;

  /**
   * Seals every second. The delay is 2 s, not 1, because a ticket record carries the ticket's issue
   * time in whole seconds, up to a second before its transaction commits.
   */
  @Deployment
  static WebArchive deployment() {
    return GatewayDeployment.war(
        ApiTokens.generate(),
        "audit-integrity",
        GatewaySettings.AUDIT_SEAL_INTERVAL + "=1",
        GatewaySettings.AUDIT_SEAL_DELAY + "=2");
  }

  @Test
  @Order(1)
  void untouchedTrailVerifies() throws Exception {
    List<AuditEvent> records = sealedRecords(3);

    AuditVerification result = verifier.verifyTrail();

    assertEquals(List.of(), result.problems());
    assertTrue(result.verified());
    assertTrue(result.recordsChecked() >= 3, "records checked: " + result.recordsChecked());
    assertTrue(result.sealsChecked() >= 1, "seals checked: " + result.sealsChecked());
    Instant lastRecordAt = records.get(records.size() - 1).getOccurredAt();
    assertTrue(
        !result.sealedUntil().orElseThrow().isBefore(lastRecordAt),
        "sealed until " + result.sealedUntil() + ", last record at " + lastRecordAt);
  }

  @Test
  @Order(2)
  void changedRecordFailsMacAndSeal() throws Exception {
    AuditEvent record = sealedRecords(3).get(1);
    StoredSeal seal = sealCovering(record.getId());
    Set<IntegrityProblem> before = problems();

    update("UPDATE audit_event SET attribution = 'changed' WHERE id = ?", record.getId());

    Set<IntegrityProblem> added = problemsAddedSince(before);
    assertEquals(2, added.size(), "problems added: " + added);
    assertTrue(added.contains(new RecordMacMismatch(record.getId())), "problems added: " + added);
    assertSealMismatch(added, seal, record, seal.eventCount());
  }

  @Test
  @Order(3)
  void removedRecordFailsSealCount() throws Exception {
    AuditEvent record = sealedRecords(3).get(1);
    StoredSeal seal = sealCovering(record.getId());
    Set<IntegrityProblem> before = problems();

    update("DELETE FROM audit_event WHERE id = ?", record.getId());

    Set<IntegrityProblem> added = problemsAddedSince(before);
    assertEquals(1, added.size(), "problems added: " + added);
    assertSealMismatch(added, seal, record, seal.eventCount() - 1);
  }

  @Test
  @Order(4)
  void insertedRecordFailsMacAndSeal() throws Exception {
    AuditEvent record = sealedRecords(3).get(1);
    StoredSeal seal = sealCovering(record.getId());
    long forgedId = unusedRecordId();
    Set<IntegrityProblem> before = problems();

    // A copy of a sealed record under a new id, with a made-up MAC, in the same period.
    update(
        "INSERT INTO audit_event (id, kind, occurred_at, tenant, computer_id, row_mac)"
            + " SELECT ?, kind, occurred_at, tenant, computer_id, 'forged' FROM audit_event"
            + " WHERE id = ?",
        forgedId,
        record.getId());

    Set<IntegrityProblem> added = problemsAddedSince(before);
    assertEquals(2, added.size(), "problems added: " + added);
    assertTrue(added.contains(new RecordMacMismatch(forgedId)), "problems added: " + added);
    assertSealMismatch(added, seal, record, seal.eventCount() + 1);
  }

  @Test
  @Order(5)
  void recordOfUnknownKindFailsMacAndSeal() throws Exception {
    AuditEvent record = sealedRecords(3).get(1);
    StoredSeal seal = sealCovering(record.getId());
    long forgedId = unusedRecordId();
    Set<IntegrityProblem> before = problems();

    // A kind the gateway never writes, which JPA cannot read into an AuditEvent.
    update(
        "INSERT INTO audit_event (id, kind, occurred_at, tenant, row_mac)"
            + " SELECT ?, 'FORGED_KIND', occurred_at, tenant, row_mac FROM audit_event"
            + " WHERE id = ?",
        forgedId,
        record.getId());

    Set<IntegrityProblem> added = problemsAddedSince(before);
    assertEquals(2, added.size(), "problems added: " + added);
    assertTrue(added.contains(new RecordMacMismatch(forgedId)), "problems added: " + added);
    assertSealMismatch(added, seal, record, seal.eventCount() + 1);
  }

  /** Issues tickets on a new computer and returns their records once a seal covers them all. */
  private List<AuditEvent> sealedRecords(int count) throws Exception {
    String computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
    computers.register("acme", computerId, "tcp://127.0.0.1:5999", ComputerState.RUNNING);
    Caller caller = new Caller("key_audit_integrity", "acme");
    for (int i = 0; i < count; i++) {
      tickets.issue(
          caller, computerId, new TicketRequest(false, Optional.empty(), false, "ticket " + i));
    }
    List<AuditEvent> records = audit.findByComputer("acme", computerId);
    assertEquals(count, records.size());

    long deadline = System.nanoTime() + SEAL_TIMEOUT.toNanos();
    for (AuditEvent record : records) {
      while (sealCoveringOrNull(record.getId()) == null) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "No seal covered audit record " + record.getId() + " within " + SEAL_TIMEOUT);
        }
        Thread.sleep(200);
      }
    }
    return records;
  }

  private Set<IntegrityProblem> problems() {
    return new HashSet<>(verifier.verifyTrail().problems());
  }

  /** Returns the problems found now that were not found before, checking none went away. */
  private Set<IntegrityProblem> problemsAddedSince(Set<IntegrityProblem> before) {
    Set<IntegrityProblem> now = problems();
    assertTrue(now.containsAll(before), "before: " + before + ", now: " + now);
    now.removeAll(before);
    return now;
  }

  private static void assertSealMismatch(
      Set<IntegrityProblem> problems, StoredSeal seal, AuditEvent record, long foundCount) {
    SealMismatch mismatch =
        problems.stream()
            .filter(SealMismatch.class::isInstance)
            .map(SealMismatch.class::cast)
            .findFirst()
            .orElseThrow(() -> new AssertionError("No seal mismatch among " + problems));
    assertEquals(seal.id(), mismatch.sealId());
    assertEquals(seal.eventCount(), mismatch.expectedCount());
    assertEquals(foundCount, mismatch.foundCount());
    assertTrue(
        mismatch.coversFrom().isBefore(record.getOccurredAt())
            && !mismatch.coversUntil().isBefore(record.getOccurredAt()),
        "record at " + record.getOccurredAt() + ", seal " + mismatch);
  }

  private record StoredSeal(long id, long eventCount) {}

  private StoredSeal sealCovering(long recordId) throws SQLException {
    StoredSeal seal = sealCoveringOrNull(recordId);
    if (seal == null) {
      throw new AssertionError("No seal covers audit record " + recordId);
    }
    return seal;
  }

  private StoredSeal sealCoveringOrNull(long recordId) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT s.id, s.event_count FROM audit_seal s, audit_event e WHERE e.id = ?"
                    + " AND s.covers_from < e.occurred_at AND s.covers_until >= e.occurred_at")) {
      query.setLong(1, recordId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? new StoredSeal(rows.getLong(1), rows.getLong(2)) : null;
      }
    }
  }

  private long unusedRecordId() throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement query =
            connection.prepareStatement("SELECT MAX(id) + 1000000 FROM audit_event");
        ResultSet rows = query.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private void update(String sql, long... parameters) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      connection.setAutoCommit(true);
      for (int i = 0; i < parameters.length; i++) {
        statement.setLong(i + 1, parameters[i]);
      }
      assertEquals(1, statement.executeUpdate(), sql);
    }
  }
}
