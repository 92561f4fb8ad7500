package app.miosa.gateway.stream;

import app.miosa.gateway.audit.AuditLog;
import app.miosa.gateway.audit.StreamFacts;
import app.miosa.gateway.audit.StreamTotals;
import app.miosa.gateway.computer.Computer;
import app.miosa.gateway.computer.ComputerService;
import app.miosa.gateway.computer.ComputerState;
import app.miosa.gateway.computer.VncAddress;
import app.miosa.gateway.config.GatewaySettings;
import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.operations.GatewayMetrics;
import app.miosa.gateway.stream.handshake.ServerHandshake;
import app.miosa.gateway.ticket.TicketClaims;
import app.miosa.gateway.ticket.TicketService;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The viewer's WebSocket, {@code /computer/{cid}/websockify?ticket=T}, relayed to the computer's
 * VNC server.
 *
 * <p>{@link TicketCheckFilter} has rejected a bad ticket before the upgrade; the endpoint verifies
 * it again because its claims decide the stream. It then runs both RFB handshakes itself (the
 * VNC password stays in the gateway, the shared flag is always set), filters what the viewer
 * sends ({@link StreamSession}), and closes the stream at the ticket's expiry with code 4001.
 */
@ServerEndpoint(
    value = "/computer/{cid}/websockify",
    subprotocols = "binary",
    configurator = ViewerFacts.class)
public class StreamEndpoint {
  private static final Logger LOG = Logger.getLogger(StreamEndpoint.class.getName());

  @Inject RelayResources resources;
  @Inject GatewaySettings settings;
  @EJB ComputerService computers;
  @EJB TicketService tickets;
  @Inject LiveStreams liveStreams;
  @EJB AuditLog audit;
  @Inject GatewayMetrics metrics;
  @Inject StreamRejections rejections;

  private DesktopRelay relay;
  private StreamSession stream;
  private ScheduledFuture<?> expiry;
  private LiveStreams.LiveStream live;

  @OnOpen
  public void open(Session session, @PathParam("cid") String computerId) throws IOException {
    TicketClaims verified = null;
    VncAddress address;
    Optional<String> password;
    try {
      verified = tickets.verifyCurrent(ticketOf(session), computerId);
      Computer computer = runningComputer(verified);
      address = computer.vncAddress();
      password = computers.vncPassword(computer);
    } catch (GatewayException e) {
      refuse(session, computerId, verified, e);
      return;
    }
    TicketClaims ticket = verified;

    StreamFacts facts = factsOf(session, ticket);
    Instant openedAt = Instant.now();
    try {
      audit.streamOpened(facts, openedAt);
    } catch (RuntimeException e) {
      // No stream without its audit record, as no ticket without one.
      LOG.warning(
          "Closed stream of ticket " + ticket.ticketId() + " to computer " + computerId
              + ": recording it in the audit log failed: " + e);
      session.close(closeReason(Failure.DATABASE_UNAVAILABLE));
      return;
    }

    RelayClassLoader.call(
        () -> {
          session.setMaxIdleTimeout(0);
          return null;
        });
    stream =
        new StreamSession(
            session,
            "ticket " + ticket.ticketId() + " to computer " + computerId,
            ticket.readOnly(),
            settings.clipboardLimitBytes());
    relay =
        new DesktopRelay(
            session,
            resources.openUpstream(address),
            new ServerHandshake(password.orElse(null)),
            stream::desktopReady,
            reason -> recordClosed(facts, openedAt, reason),
            settings.clipboardLimitBytes(),
            "ticket " + ticket.ticketId() + " to computer " + computerId);
    stream.attach(relay);
    expiry = scheduleExpiry(ticket);
    live = new LiveStreams.LiveStream(ticket.generation(), ticket.readOnly(), relay);
    liveStreams.add(ticket.tenant(), computerId, live);
    LOG.info(
        () ->
            "Opened stream of ticket "
                + ticket.ticketId()
                + " to computer "
                + computerId
                + (ticket.readOnly() ? " (read-only)" : " (interactive)"));
    stream.greet();
    relay.connect();
  }

  @OnMessage
  public void message(Session session, ByteBuffer data) {
    if (stream != null) {
      stream.fromViewer(data);
    }
  }

  @OnMessage
  public void text(Session session, String text) throws IOException {
    session.close(
        new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "RFB travels in binary messages"));
  }

  @OnClose
  public void closed(Session session, CloseReason reason) {
    if (relay != null) {
      relay.close(reason, "The viewer closed the stream: " + reason.getCloseCode().getCode());
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    LOG.log(Level.FINE, "WebSocket error on stream " + session.getId(), error);
    if (relay != null) {
      relay.close(
          new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "Stream error"),
          "WebSocket error: " + error);
    }
  }

  /**
   * Closes a stream that passed {@link TicketCheckFilter} but fails here, as when its computer
   * stopped in between, and records the rejection as the filter does.
   */
  private void refuse(
      Session session, String computerId, TicketClaims ticket, GatewayException failure)
      throws IOException {
    Map<String, Object> viewer = session.getUserProperties();
    rejections.record(
        "stream",
        computerId,
        ticket,
        ticketOf(session),
        failure.failure(),
        (String) viewer.get(ViewerFacts.ADDRESS),
        (String) viewer.get(ViewerFacts.ORIGIN));
    session.close(closeReason(failure.failure()));
  }

  private static String ticketOf(Session session) {
    List<String> values = session.getRequestParameterMap().get("ticket");
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private Computer runningComputer(TicketClaims ticket) {
    Optional<Computer> computer = computers.find(ticket.tenant(), ticket.computerId());
    if (computer.isEmpty() || computer.get().getState() != ComputerState.RUNNING) {
      throw new GatewayException(
          Failure.COMPUTER_UNREACHABLE,
          "Computer " + ticket.computerId() + " is not registered or not running");
    }
    return computer.get();
  }

  private ScheduledFuture<?> scheduleExpiry(TicketClaims ticket) {
    long delayMillis = Duration.between(Instant.now(), ticket.expiresAt()).toMillis();
    return RelayClassLoader.call(
        () ->
            resources
                .scheduler()
                .schedule(
                    () ->
                        relay.close(
                            Failure.TICKET_EXPIRED, "The ticket expired at " + ticket.expiresAt()),
                    Math.max(0, delayMillis),
                    TimeUnit.MILLISECONDS));
  }

  private void recordClosed(StreamFacts facts, Instant openedAt, CloseReason reason) {
    TicketClaims ticket = facts.ticket();
    if (expiry != null) {
      expiry.cancel(false);
    }
    if (live != null) {
      liveStreams.remove(ticket.tenant(), ticket.computerId(), live);
    }
    Instant closedAt = Instant.now();
    StreamTotals totals =
        new StreamTotals(
            Duration.between(openedAt, closedAt),
            stream.handshakeBytesToViewer() + relay.bytesToViewer(),
            stream.bytesFromViewer(),
            stream.droppedInput(),
            reason.getCloseCode().getCode(),
            reason.getReasonPhrase());
    metrics.streamClosed(
        ticket.readOnly(),
        totals.bytesToViewer(),
        totals.bytesFromViewer(),
        totals.inputDropped(),
        totals.duration());
    try {
      audit.streamClosed(facts, totals, closedAt);
    } catch (RuntimeException e) {
      // The log line below keeps every figure of the lost record.
      LOG.severe(
          "Recording the end of the stream of ticket " + ticket.ticketId() + " to computer "
              + ticket.computerId() + " in the audit log failed: " + e);
    }
    LOG.info(
        () ->
            "Closed stream of ticket "
                + ticket.ticketId()
                + " to computer "
                + ticket.computerId()
                + " after "
                + Duration.between(openedAt, Instant.now()).toMillis()
                + " ms: code "
                + reason.getCloseCode().getCode()
                + ", "
                + reason.getReasonPhrase()
                + "; bytes to viewer "
                + totals.bytesToViewer()
                + ", from viewer "
                + totals.bytesFromViewer()
                + ", to desktop "
                + relay.bytesToDesktop()
                + ", input messages dropped "
                + totals.inputDropped());
  }

  private static StreamFacts factsOf(Session session, TicketClaims ticket) {
    Map<String, Object> properties = session.getUserProperties();
    return new StreamFacts(
        ticket,
        (String) properties.get(ViewerFacts.ADDRESS),
        (String) properties.get(ViewerFacts.USER_AGENT),
        (String) properties.get(ViewerFacts.ORIGIN));
  }

  private static CloseReason closeReason(Failure failure) {
    return new CloseReason(
        CloseReason.CloseCodes.getCloseCode(failure.closeCode()), failure.title());
  }
}
