package app.miosa.gateway.ticket;

import app.miosa.gateway.audit.AuditLog;
import app.miosa.gateway.computer.Computer;
import app.miosa.gateway.computer.ComputerService;
import app.miosa.gateway.computer.ComputerState;
import app.miosa.gateway.config.GatewaySettings;
import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.tenant.Caller;
import app.miosa.gateway.tenant.Plan;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.logging.Logger;

/** Issues terminal tickets for running computers and audits each one in the same transaction. */
@Stateless
public class TicketService {
  private static final Logger LOG = Logger.getLogger(TicketService.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Random bytes in a ticket id: 128 bits, 22 base64url characters. */
  private static final int TICKET_ID_BYTES = 16;

  @EJB private ComputerService computers;
  @EJB private AuditLog audit;
  @Inject private TicketKeys keys;
  @Inject private GatewaySettings settings;

  /**
   * Issues a ticket for the caller's computer.
   *
   * @throws GatewayException when the computer is unknown to the caller's tenant, not running, or
   *     the lifetime is out of range
   */
  public IssuedTicket issue(Caller caller, String computerId, TicketRequest request) {
    Computer computer = computers.get(caller.tenant(), computerId);
    if (computer.getState() != ComputerState.RUNNING) {
      throw new GatewayException(
          Failure.COMPUTER_NOT_RUNNING,
          "Computer '" + computerId + "' is " + computer.getState().apiName() + ", not running");
    }
    Plan plan = settings.tenant(caller.tenant()).plan();
    Duration ttl = checkTtl(plan, request.ttl().orElse(plan.defaultTtl()));

    Instant now = keys.now();
    TicketClaims claims =
        new TicketClaims(
            newTicketId(),
            caller.tenant(),
            computerId,
            request.readOnly(),
            request.audio(),
            now,
            now.plus(ttl),
            computer.getTicketGeneration());
    String token = keys.sign(claims);

    audit.ticketIssued(
        claims, TicketCodec.loggablePrefix(token), caller.apiKey(), request.attribution());
    // FINE: the audit record keeps every issuance, and a line each slowed minting down.
    LOG.fine(
        () ->
            "Issued ticket "
                + claims.ticketId()
                + " for computer "
                + computerId
                + " of tenant "
                + caller.tenant()
                + (claims.readOnly() ? ", read-only" : ", interactive")
                + ", expires "
                + claims.expiresAt());
    return new IssuedTicket(token, claims);
  }

  /**
   * Revokes every ticket of the caller's computer issued so far and records it.
   *
   * @param streamsToClose the live streams of the computer, which the caller closes after this
   * @return the generation of tickets issued from now on; live streams of older ones must close
   */
  public long revokeAll(Caller caller, String computerId, int streamsToClose) {
    Computer computer = computers.get(caller.tenant(), computerId);
    long generation = computer.revokeTickets();

    audit.ticketsRevoked(
        caller.tenant(), computerId, caller.apiKey(), streamsToClose, keys.now());
    LOG.info(
        () ->
            "Revoked the tickets of computer "
                + computerId
                + " of tenant "
                + caller.tenant()
                + " by API key "
                + caller.apiKey());
    return generation;
  }

  /**
   * Verifies a ticket for a stream: its signature and expiry, its computer, and that it was not
   * revoked since it was issued.
   *
   * @throws GatewayException {@link Failure#TICKET_REVOKED} for a revoked ticket, or the failure of
   *     {@link TicketKeys#verify}
   */
  public TicketClaims verifyCurrent(String token, String computerId) {
    TicketClaims claims = keys.verify(token, computerId);
    checkNotRevoked(claims);
    return claims;
  }

  /**
   * Checks that no revocation of the ticket's computer happened since the ticket was issued.
   *
   * @throws GatewayException {@link Failure#TICKET_REVOKED} for a revoked ticket
   */
  public void checkNotRevoked(TicketClaims claims) {
    Computer computer = computers.find(claims.tenant(), claims.computerId()).orElse(null);
    if (computer != null && computer.getTicketGeneration() != claims.generation()) {
      throw new GatewayException(
          Failure.TICKET_REVOKED,
          "The tickets of computer " + claims.computerId() + " were revoked");
    }
  }

  private static Duration checkTtl(Plan plan, Duration ttl) {
    Duration max = plan.maxTtl();
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(max) > 0) {
      throw new GatewayException(
          Failure.MALFORMED_REQUEST,
          "ttl_seconds is "
              + ttl.toSeconds()
              + "; the "
              + plan.name()
              + " plan allows 1 to "
              + max.toSeconds()
              + " seconds");
    }
    return ttl;
  }

  private static String newTicketId() {
    byte[] bytes = new byte[TICKET_ID_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
