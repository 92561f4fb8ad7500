package app.miosa.gateway.stream;

import app.miosa.gateway.audit.AuditLog;
import app.miosa.gateway.audit.StreamFacts;
import app.miosa.gateway.audit.StreamTotals;
import app.miosa.gateway.computer.Computer;
import app.miosa.gateway.computer.ComputerService;
import app.miosa.gateway.computer.ComputerState;
import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.ticket.TicketClaims;
import app.miosa.gateway.ticket.TicketService;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The steps the desktop and the audio endpoint share when a stream opens and ends. They verify
 * the ticket again, find the running computer and record the stream in the audit trail. They
 * register it for revocation and close it at the ticket's expiry.
 */
@ApplicationScoped
class StreamLifecycle {
  private static final Logger LOG = Logger.getLogger(StreamLifecycle.class.getName());

  @EJB ComputerService computers;
  @EJB TicketService tickets;
  @EJB AuditLog audit;
  @Inject LiveStreams liveStreams;
  @Inject StreamRejections rejections;
  @Inject RelayResources resources;
  @Inject GatewayCluster cluster;

  /** A verified ticket and the running computer it opens. */
  record Admission(TicketClaims ticket, Computer computer) {}

  /**
   * Verifies the session's ticket for the computer, which must be registered and running. A
   * stream that fails is recorded as refused, as {@link TicketCheckFilter} records it, and closed
   * with the failure's code.
   *
   * @param kind the kind of stream, for the log
   * @return the admission, or empty when the session has been closed
   */
  Optional<Admission> admit(Session session, String computerId, StreamPath.Kind kind)
      throws IOException {
    TicketClaims verified = null;
    try {
      verified = tickets.verifyCurrent(ticketOf(session), computerId);
      return Optional.of(new Admission(verified, runningComputer(verified)));
    } catch (GatewayException e) {
      refuse(session, computerId, verified, kind, e.failure());
      return Optional.empty();
    }
  }

  /** Closes a stream that cannot start and records it as refused. */
  void refuse(
      Session session,
      String computerId,
      TicketClaims ticket,
      StreamPath.Kind kind,
      Failure failure)
      throws IOException {
    Map<String, Object> viewer = session.getUserProperties();
    rejections.record(
        kind.label(),
        computerId,
        ticket,
        ticketOf(session),
        failure,
        (String) viewer.get(ViewerFacts.ADDRESS),
        (String) viewer.get(ViewerFacts.ORIGIN));
    session.close(closeReason(failure));
  }

  /**
   * Records the opening of a stream. When the audit trail cannot take it, the session is closed
   * with code 1011, as no ticket is issued without its record either.
   *
   * @return whether the stream may go on
   */
  boolean recordOpened(Session session, StreamFacts facts, Instant openedAt, String streamName)
      throws IOException {
    try {
      audit.streamOpened(facts, openedAt);
      return true;
    } catch (RuntimeException e) {
      LOG.warning(
          "Closed " + streamName + ": recording it in the audit log failed: " + e);
      session.close(closeReason(Failure.DATABASE_UNAVAILABLE));
      return false;
    }
  }

  /**
   * Registers an open stream so that a revocation closes it, and schedules its close with code
   * 4001 at the ticket's expiry.
   *
   * @return the registration, to pass to {@link #ended} when the stream ends
   */
  Registration register(StreamFacts facts, Instant openedAt, Relay relay) {
    TicketClaims ticket = facts.ticket();
    boolean audio = facts.audio();
    LiveStreams.LiveStream live =
        new LiveStreams.LiveStream(
            ticket.ticketId(), ticket.generation(), ticket.readOnly(), audio, relay);
    long delayMillis = Duration.between(Instant.now(), ticket.expiresAt()).toMillis();
    ScheduledFuture<?> expiry =
        RelayClassLoader.call(
            () ->
                resources
                    .scheduler()
                    .schedule(
                        () ->
                            relay.close(
                                Failure.TICKET_EXPIRED,
                                "The ticket expired at " + ticket.expiresAt()),
                        Math.max(0, delayMillis),
                        TimeUnit.MILLISECONDS));
    liveStreams.add(ticket.tenant(), ticket.computerId(), live);
    return new Registration(ticket, live, expiry, cluster.streamOpened(facts, openedAt));
  }

  /**
   * An open stream's entry in the registry, its expiry task, and its key in the data grid's list
   * of open streams (null without the grid).
   */
  record Registration(
      TicketClaims ticket,
      LiveStreams.LiveStream live,
      ScheduledFuture<?> expiry,
      String clusterKey) {}

  /** Returns whether a desktop stream of the ticket is open on this node. */
  boolean desktopOpen(TicketClaims ticket) {
    return liveStreams.desktopOpen(ticket.tenant(), ticket.computerId(), ticket.ticketId());
  }

  /**
   * Ends a registered stream: cancels its expiry, removes it from the registry, closes the audio
   * of a viewer whose desktop stream this was, and records the end in the audit trail. A record
   * the database cannot take is logged with every figure instead.
   *
   * @param byGateway whether the gateway closed the stream, rather than the viewer
   */
  void ended(
      Registration registration, StreamFacts facts, StreamTotals totals, boolean byGateway) {
    TicketClaims ticket = registration.ticket();
    registration.expiry().cancel(false);
    liveStreams.remove(ticket.tenant(), ticket.computerId(), registration.live());
    cluster.streamEnded(registration.clusterKey());
    if (!facts.audio()) {
      liveStreams.closeAudioWithoutDesktop(
          ticket.tenant(),
          ticket.computerId(),
          ticket.ticketId(),
          byGateway ? totals.closeCode() : CloseReason.CloseCodes.NORMAL_CLOSURE.getCode(),
          totals.closeReason());
    }
    try {
      audit.streamClosed(facts, totals, Instant.now());
    } catch (RuntimeException e) {
      // The caller's log line keeps every figure of the lost record.
      LOG.severe(
          "Recording the end of the " + (facts.audio() ? "audio " : "") + "stream of ticket "
              + ticket.ticketId() + " to computer " + ticket.computerId()
              + " in the audit log failed: " + e);
    }
  }

  static StreamFacts factsOf(Session session, TicketClaims ticket, boolean audio) {
    Map<String, Object> properties = session.getUserProperties();
    return new StreamFacts(
        ticket,
        (String) properties.get(ViewerFacts.ADDRESS),
        (String) properties.get(ViewerFacts.USER_AGENT),
        (String) properties.get(ViewerFacts.ORIGIN),
        audio);
  }

  static CloseReason closeReason(Failure failure) {
    return new CloseReason(
        CloseReason.CloseCodes.getCloseCode(failure.closeCode()), failure.title());
  }

  /** Makes the container keep an idle stream open: the ticket's expiry ends it instead. */
  static void keepOpenWhileIdle(Session session) {
    RelayClassLoader.call(
        () -> {
          session.setMaxIdleTimeout(0);
          return null;
        });
  }

  private static String ticketOf(Session session) {
    List<String> values = session.getRequestParameterMap().get("ticket");
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private Computer runningComputer(TicketClaims ticket) {
    Computer computer =
        computers
            .find(ticket.tenant(), ticket.computerId())
            .orElseThrow(
                () ->
                    new GatewayException(
                        Failure.COMPUTER_NOT_FOUND,
                        "Computer " + ticket.computerId() + " is not registered"));
    if (computer.getState() != ComputerState.RUNNING) {
      throw new GatewayException(
          Failure.COMPUTER_NOT_RUNNING, "Computer " + ticket.computerId() + " is not running");
    }
    return computer;
  }
}
