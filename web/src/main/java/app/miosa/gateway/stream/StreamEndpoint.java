package app.miosa.gateway.stream;

import app.miosa.gateway.audit.StreamFacts;
import app.miosa.gateway.audit.StreamTotals;
import app.miosa.gateway.computer.Computer;
import app.miosa.gateway.computer.ComputerService;
import app.miosa.gateway.computer.VncAddress;
import app.miosa.gateway.config.GatewaySettings;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.operations.GatewayMetrics;
import app.miosa.gateway.stream.handshake.ServerHandshake;
import app.miosa.gateway.ticket.TicketClaims;
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
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The viewer's WebSocket, {@code /computer/{cid}/websockify?ticket=T}, relayed to the computer's
 * VNC server.
 *
 * <p>{@link TicketCheckFilter} has rejected a bad ticket before the upgrade; the endpoint verifies
 * it again because its claims decide the stream. It then runs both RFB handshakes itself (the
 * VNC password stays in the gateway, the shared flag is always set), filters what the viewer
 * sends ({@link StreamSession}), and closes the stream at the ticket's expiry with code 4001
 * ({@link StreamLifecycle}).
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
  @Inject GatewayMetrics metrics;
  @Inject StreamLifecycle lifecycle;

  private DesktopRelay relay;
  private StreamSession stream;
  private StreamLifecycle.Registration registration;
  private volatile boolean viewerClosed;

  @OnOpen
  public void open(Session session, @PathParam("cid") String computerId) throws IOException {
    Optional<StreamLifecycle.Admission> admission =
        lifecycle.admit(session, computerId, StreamPath.Kind.DESKTOP);
    if (admission.isEmpty()) {
      return;
    }
    TicketClaims ticket = admission.get().ticket();
    Computer computer = admission.get().computer();
    VncAddress address;
    Optional<String> password;
    try {
      address = computer.vncAddress();
      password = computers.vncPassword(computer);
    } catch (GatewayException e) {
      lifecycle.refuse(session, computerId, ticket, StreamPath.Kind.DESKTOP, e.failure());
      return;
    }

    String streamName = "ticket " + ticket.ticketId() + " to computer " + computerId;
    StreamFacts facts = StreamLifecycle.factsOf(session, ticket, false);
    Instant openedAt = Instant.now();
    if (!lifecycle.recordOpened(session, facts, openedAt, "stream of " + streamName)) {
      return;
    }

    StreamLifecycle.keepOpenWhileIdle(session);
    stream =
        new StreamSession(session, streamName, ticket.readOnly(), settings.clipboardLimitBytes());
    relay =
        new DesktopRelay(
            session,
            resources.openUpstream(address),
            new ServerHandshake(password.orElse(null)),
            stream::desktopReady,
            reason -> recordClosed(facts, openedAt, reason),
            settings.clipboardLimitBytes(),
            streamName);
    stream.attach(relay);
    registration = lifecycle.register(facts, openedAt, relay);
    LOG.info(
        () ->
            "Opened stream of "
                + streamName
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
      // The container also calls this when the gateway closes the session itself, from inside
      // the relay's close, which has marked the relay closed by then.
      viewerClosed = !relay.isClosed();
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

  private void recordClosed(StreamFacts facts, Instant openedAt, CloseReason reason) {
    TicketClaims ticket = facts.ticket();
    Duration duration = Duration.between(openedAt, Instant.now());
    StreamTotals totals =
        new StreamTotals(
            duration,
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
    if (registration != null) {
      lifecycle.ended(registration, facts, totals, !viewerClosed);
    }
    LOG.info(
        () ->
            "Closed stream of ticket "
                + ticket.ticketId()
                + " to computer "
                + ticket.computerId()
                + " after "
                + duration.toMillis()
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
}
