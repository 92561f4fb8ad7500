package app.miosa.gateway.stream;

import app.miosa.gateway.audit.StreamFacts;
import app.miosa.gateway.audit.StreamTotals;
import app.miosa.gateway.computer.VncAddress;
import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.operations.GatewayMetrics;
import app.miosa.gateway.ticket.TicketClaims;
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
 * The viewer's audio WebSocket, {@code /computer/{cid}/audio?ticket=T}, relayed from the
 * computer's audio source. The viewer page opens it only when its URL carries {@code audio=1} and
 * the computer has a source.
 *
 * <p>{@link TicketCheckFilter} checks the ticket, domain and origin as for the desktop stream.
 * The stream closes with the desktop stream: at the ticket's expiry (4001), on revocation (4003),
 * and when the desktop stream of its ticket closes on this node. It opens only while a desktop
 * stream of the same ticket is open on this node (else 1008), and for a computer without an
 * audio source it closes with 4004.
 */
@ServerEndpoint(value = "/computer/{cid}/audio", configurator = ViewerFacts.class)
public class AudioEndpoint {
  private static final Logger LOG = Logger.getLogger(AudioEndpoint.class.getName());

  @Inject RelayResources resources;
  @Inject GatewayMetrics metrics;
  @Inject StreamLifecycle lifecycle;

  private AudioRelay relay;
  private StreamLifecycle.Registration registration;

  @OnOpen
  public void open(Session session, @PathParam("cid") String computerId) throws IOException {
    Optional<StreamLifecycle.Admission> admission =
        lifecycle.admit(session, computerId, StreamPath.Kind.AUDIO);
    if (admission.isEmpty()) {
      return;
    }
    TicketClaims ticket = admission.get().ticket();
    Optional<VncAddress> source = admission.get().computer().audioAddress();
    if (source.isEmpty()) {
      lifecycle.refuse(session, computerId, ticket, StreamPath.Kind.AUDIO, Failure.NO_AUDIO_SOURCE);
      return;
    }

    if (!lifecycle.desktopOpen(ticket)) {
      lifecycle.refuse(
          session, computerId, ticket, StreamPath.Kind.AUDIO, Failure.NO_DESKTOP_STREAM);
      return;
    }

    String streamName = "audio stream of ticket " + ticket.ticketId() + " to computer " + computerId;
    StreamFacts facts = StreamLifecycle.factsOf(session, ticket, true);
    Instant openedAt = Instant.now();
    if (!lifecycle.recordOpened(session, facts, openedAt, streamName)) {
      return;
    }

    StreamLifecycle.keepOpenWhileIdle(session);
    relay =
        new AudioRelay(
            session,
            resources.openUpstream(source.get()),
            reason -> recordClosed(streamName, facts, openedAt, reason));
    registration = lifecycle.register(facts, openedAt, relay);
    LOG.info(() -> "Opened " + streamName);
    relay.connect();
  }

  @OnMessage
  public void message(Session session, ByteBuffer data) throws IOException {
    closeOnMessage(session);
  }

  @OnMessage
  public void text(Session session, String text) throws IOException {
    closeOnMessage(session);
  }

  @OnClose
  public void closed(Session session, CloseReason reason) {
    if (relay != null) {
      relay.close(reason, "The viewer closed the audio stream: " + reason.getCloseCode().getCode());
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    LOG.log(Level.FINE, "WebSocket error on audio stream " + session.getId(), error);
    if (relay != null) {
      relay.close(
          new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "Stream error"),
          "WebSocket error: " + error);
    }
  }

  private void closeOnMessage(Session session) throws IOException {
    CloseReason reason =
        new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "The audio stream takes no messages");
    if (relay != null) {
      relay.close(reason, "The viewer sent a message on the audio stream");
    } else {
      session.close(reason);
    }
  }

  private void recordClosed(
      String streamName, StreamFacts facts, Instant openedAt, CloseReason reason) {
    Duration duration = Duration.between(openedAt, Instant.now());
    StreamTotals totals =
        new StreamTotals(
            duration,
            relay.bytesToViewer(),
            0,
            0,
            reason.getCloseCode().getCode(),
            reason.getReasonPhrase());
    metrics.audioStreamClosed(totals.bytesToViewer());
    if (registration != null) {
      lifecycle.ended(registration, facts, totals, true);
    }
    LOG.info(
        () ->
            "Closed "
                + streamName
                + " after "
                + duration.toMillis()
                + " ms: code "
                + reason.getCloseCode().getCode()
                + ", "
                + reason.getReasonPhrase()
                + "; bytes to viewer "
                + totals.bytesToViewer());
  }
}
