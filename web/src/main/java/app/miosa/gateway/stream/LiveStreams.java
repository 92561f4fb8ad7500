package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.CloseReason;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The desktop and audio streams open on this gateway node, by tenant and computer, so that a
 * revocation can close those opened with a revoked ticket at once.
 */
// The registry is per node: GatewayCluster has the other nodes close their streams.
@ApplicationScoped
public class LiveStreams {
  private final Map<String, Set<LiveStream>> byComputer = new ConcurrentHashMap<>();

  /**
   * An open stream: the ticket and ticket generation it was opened with, its mode, whether it
   * carries audio rather than the desktop, and how to close it.
   */
  record LiveStream(
      String ticketId, long generation, boolean readOnly, boolean audio, Relay relay) {
    boolean isOpen() {
      return !relay.isClosed();
    }
  }

  void add(String tenant, String computerId, LiveStream stream) {
    byComputer.computeIfAbsent(key(tenant, computerId), k -> ConcurrentHashMap.newKeySet())
        .add(stream);
  }

  void remove(String tenant, String computerId, LiveStream stream) {
    byComputer.computeIfPresent(
        key(tenant, computerId),
        (k, streams) -> {
          streams.remove(stream);
          return streams.isEmpty() ? null : streams;
        });
  }

  /** Returns how many desktop streams of every computer are open on this node, read-only or not. */
  public long countAll(boolean readOnly) {
    long count = 0;
    for (Set<LiveStream> streams : byComputer.values()) {
      for (LiveStream stream : streams) {
        if (!stream.audio() && stream.readOnly() == readOnly && stream.isOpen()) {
          count++;
        }
      }
    }
    return count;
  }

  /** Returns how many audio streams of every computer are open on this node. */
  public long countAudio() {
    long count = 0;
    for (Set<LiveStream> streams : byComputer.values()) {
      for (LiveStream stream : streams) {
        if (stream.audio() && stream.isOpen()) {
          count++;
        }
      }
    }
    return count;
  }

  /** Returns how many desktop streams of the computer are open on this node. */
  public int countOpen(String tenant, String computerId) {
    Set<LiveStream> streams = byComputer.get(key(tenant, computerId));
    if (streams == null) {
      return 0;
    }
    return (int) streams.stream().filter(stream -> !stream.audio() && stream.isOpen()).count();
  }

  /**
   * Closes, with code 4003, every desktop and audio stream of the computer opened with a ticket
   * of a generation before {@code currentGeneration}. Audio streams close first, so that each
   * one's record names the revocation rather than the end of its desktop stream.
   *
   * @return how many desktop streams were closed
   */
  public int closeRevoked(String tenant, String computerId, long currentGeneration) {
    Set<LiveStream> streams = byComputer.get(key(tenant, computerId));
    if (streams == null) {
      return 0;
    }
    int closed = 0;
    for (boolean audio : new boolean[] {true, false}) {
      for (LiveStream stream : streams) {
        if (stream.audio() == audio
            && stream.generation() < currentGeneration
            && stream.isOpen()) {
          stream.relay().close(Failure.TICKET_REVOKED, "The ticket was revoked");
          closed += audio ? 0 : 1;
        }
      }
    }
    return closed;
  }

  /** Returns whether a desktop stream opened with the ticket is open on this node. */
  boolean desktopOpen(String tenant, String computerId, String ticketId) {
    Set<LiveStream> streams = byComputer.get(key(tenant, computerId));
    return streams != null
        && streams.stream()
            .anyMatch(s -> !s.audio() && s.isOpen() && s.ticketId().equals(ticketId));
  }

  /**
   * Closes the audio streams of a ticket once no desktop stream of that ticket is open on this
   * node any more, because the viewer that listened has gone. They take {@code closeCode} when it
   * is one of the gateway's own (4001 expired, 4003 revoked, ...), and 1000 otherwise.
   *
   * @param desktopDetail why the desktop stream closed, for the audio stream's record
   */
  void closeAudioWithoutDesktop(
      String tenant, String computerId, String ticketId, int closeCode, String desktopDetail) {
    Set<LiveStream> streams = byComputer.get(key(tenant, computerId));
    if (streams == null || desktopOpen(tenant, computerId, ticketId)) {
      return;
    }
    CloseReason reason =
        new CloseReason(
            closeCode >= 4000 && closeCode < 5000
                ? CloseReason.CloseCodes.getCloseCode(closeCode)
                : CloseReason.CloseCodes.NORMAL_CLOSURE,
            "The desktop stream closed");
    for (LiveStream stream : streams) {
      if (stream.audio() && stream.isOpen() && stream.ticketId().equals(ticketId)) {
        stream.relay().close(reason, "The desktop stream closed: " + desktopDetail);
      }
    }
  }

  private static String key(String tenant, String computerId) {
    return tenant + "/" + computerId;
  }
}
