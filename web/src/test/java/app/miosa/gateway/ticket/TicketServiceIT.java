package app.miosa.gateway.ticket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.audit.AuditEvent;
import app.miosa.gateway.audit.AuditKind;
import app.miosa.gateway.audit.AuditLog;
import app.miosa.gateway.computer.ComputerService;
import app.miosa.gateway.computer.ComputerState;
import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.tenant.Caller;
import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayDeployment;
import app.miosa.gateway.testing.RawHttp;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ticket service inside Payara Micro with its real datasource: each issued ticket leaves one
 * audit record written in the same transaction, and a rejected request leaves none.
 */
@ExtendWith(ArquillianExtension.class)
class TicketServiceIT {
  @EJB TicketService tickets;
  @EJB ComputerService computers;
  @EJB AuditLog audit;
  @Inject HttpServletRequest currentRequest;

  @Deployment
  static WebArchive deployment() {
    return GatewayDeployment.war(ApiTokens.generate(), "ticket-service")
        .addClasses(RawHttp.class, RawHttp.Response.class);
  }

  @Test
  void issuingTicketWritesAuditRecord() {
    String computerId = newComputer(ComputerState.RUNNING);
    Caller caller = new Caller("key_audit_test", "acme");

    IssuedTicket ticket =
        tickets.issue(
            caller,
            computerId,
            new TicketRequest(true, Optional.of(Duration.ofMinutes(5)), false, "end-user 8812"));

    List<AuditEvent> records = audit.findByTicket("acme", ticket.claims().ticketId());
    assertEquals(1, records.size());
    AuditEvent record = records.get(0);
    assertEquals(AuditKind.TICKET_ISSUED, record.getKind());
    assertEquals(computerId, record.getComputerId());
    assertEquals("key_audit_test", record.getApiKey());
    assertEquals("end-user 8812", record.getAttribution());
    assertEquals("acme", record.getTenant());
    assertTrue(record.getReadOnly());
    assertEquals(ticket.claims().expiresAt(), record.getExpiresAt());
    assertEquals(ticket.claims().issuedAt(), record.getOccurredAt());
    assertEquals(TicketCodec.loggablePrefix(ticket.token()), record.getTokenPrefix());
    assertTrue(record.getTokenPrefix().length() < 24, record.getTokenPrefix());
  }

  @Test
  void rejectedTicketWritesNoAuditRecord() {
    String computerId = newComputer(ComputerState.STOPPED);
    Caller caller = new Caller("key_audit_test", "acme");

    GatewayException rejected =
        assertThrows(
            GatewayException.class,
            () ->
                tickets.issue(
                    caller, computerId, new TicketRequest(false, Optional.empty(), false, null)));

    assertEquals(Failure.COMPUTER_NOT_RUNNING, rejected.failure());
    assertTrue(audit.findByComputer("acme", computerId).isEmpty());
  }

  @Test
  void ttlOutOfRangeIsNotAudited() {
    String computerId = newComputer(ComputerState.RUNNING);
    Caller caller = new Caller("key_audit_test", "acme");

    assertThrows(
        GatewayException.class,
        () ->
            tickets.issue(
                caller,
                computerId,
                new TicketRequest(false, Optional.of(Duration.ofDays(2)), false, null)));

    assertTrue(audit.findByComputer("acme", computerId).isEmpty());
  }

  @Test
  void revocationIsAuditedAndInvalidatesEarlierTickets() {
    String computerId = newComputer(ComputerState.RUNNING);
    Caller caller = new Caller("key_audit_test", "acme");
    TicketRequest request = new TicketRequest(false, Optional.empty(), false, null);
    IssuedTicket before = tickets.issue(caller, computerId, request);

    tickets.revokeAll(caller, computerId, 0);
    IssuedTicket after = tickets.issue(caller, computerId, request);

    GatewayException revoked =
        assertThrows(
            GatewayException.class, () -> tickets.verifyCurrent(before.token(), computerId));
    assertEquals(Failure.TICKET_REVOKED, revoked.failure());
    assertEquals(after.claims(), tickets.verifyCurrent(after.token(), computerId));
    List<AuditEvent> records = audit.findByComputer("acme", computerId);
    assertEquals(
        List.of(AuditKind.TICKET_ISSUED, AuditKind.TICKETS_REVOKED, AuditKind.TICKET_ISSUED),
        records.stream().map(AuditEvent::getKind).toList());
    assertEquals("key_audit_test", records.get(1).getApiKey());
  }

  @Test
  void anotherTenantsComputerIsNotFound() {
    String computerId = newComputer(ComputerState.RUNNING);

    GatewayException rejected =
        assertThrows(
            GatewayException.class,
            () ->
                tickets.issue(
                    new Caller("key_globex", "globex"),
                    computerId,
                    new TicketRequest(false, Optional.empty(), false, null)));

    assertEquals(Failure.COMPUTER_NOT_FOUND, rejected.failure());
    assertFalse(computers.find("globex", computerId).isPresent());
  }

  private String newComputer(ComputerState state) {
    String computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
    computers.register("acme", computerId, "tcp://127.0.0.1:5999", state);
    return computerId;
  }

  /** A WebSocket upgrade from another origin is rejected and leaves an audit record. */
  @Test
  void refusedUpgradeIsAudited() {
    String computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
    computers.register("acme", computerId, "tcp://127.0.0.1:5999", ComputerState.RUNNING);
    IssuedTicket ticket =
        tickets.issue(
            new Caller("key_audit_test", "acme"),
            computerId,
            new TicketRequest(false, Optional.empty(), false, null));
    int port = currentRequest.getLocalPort();
    String path =
        currentRequest.getContextPath()
            + "/computer/"
            + computerId
            + "/websockify?ticket="
            + ticket.token();

    RawHttp.Response response =
        RawHttp.get(port, "127.0.0.1:" + port, path, RawHttp.upgradeHeaders("https://evil.test"));

    assertEquals(403, response.status());
    List<AuditEvent> records = audit.findByComputer("acme", computerId);
    AuditEvent refusal = records.get(records.size() - 1);
    assertEquals(AuditKind.CONNECTION_REFUSED, refusal.getKind());
    assertEquals("ORIGIN_NOT_ALLOWED", refusal.getReason());
    assertEquals("https://evil.test", refusal.getOrigin());
    assertEquals(ticket.claims().ticketId(), refusal.getTicketId());
    assertEquals("127.0.0.1", refusal.getRemoteAddress());
    assertEquals(TicketCodec.loggablePrefix(ticket.token()), refusal.getTokenPrefix());
    assertFalse(refusal.getTokenPrefix().length() > 24, refusal.getTokenPrefix());
  }
}
