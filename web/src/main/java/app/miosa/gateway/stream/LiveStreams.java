package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams open on this gateway node, by tenant and computer, so that a revocation can close
 * those opened with a revoked ticket at once.
 */
// NOTE: the registry is per node. With several gateway nodes, a revocation closes only the
// streams of the node that received the call; streams on other nodes stay open until expiry.
@ApplicationScoped
public class LiveStreams {
  private final Map<String, Set<LiveStream>> byComputer = new ConcurrentHashMap<>();

  /** An open stream: the ticket generation it was opened with, its mode, and how to close it. */
  record LiveStream(long generation, boolean readOnly, DesktopRelay relay) {}

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

  /** Returns how many streams of every computer are open on this node, read-only or not. */
  public long countAll(boolean readOnly) {
    long count = 0;
    for (Set<LiveStream> streams : byComputer.values()) {
      for (LiveStream stream : streams) {
        if (stream.readOnly() == readOnly && !stream.relay().isClosed()) {
          count++;
        }
      }
    }
    return count;
  }

  /** Returns how many streams of the computer are open on this node. */
  public int countOpen(String tenant, String computerId) {
    Set<LiveStream> streams = byComputer.get(key(tenant, computerId));
    if (streams == null) {
      return 0;
    }
    return (int) streams.stream().filter(stream -> !stream.relay().isClosed()).count();
  }

  /**
   * Closes, with code 4003, every stream of the computer opened with a ticket of a generation
   * before {@code currentGeneration}.
   *
   * @return how many streams were closed
   */
  public int closeRevoked(String tenant, String computerId, long currentGeneration) {
    Set<LiveStream> streams = byComputer.get(key(tenant, computerId));
    if (streams == null) {
      return 0;
    }
    int closed = 0;
    for (LiveStream stream : streams) {
      if (stream.generation() < currentGeneration && !stream.relay().isClosed()) {
        stream.relay().close(Failure.TICKET_REVOKED, "The ticket was revoked");
        closed++;
      }
    }
    return closed;
  }

  private static String key(String tenant, String computerId) {
    return tenant + "/" + computerId;
  }
}
