package app.miosa.gateway.stream;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Carries revocations to the other gateway nodes over the data grid that Payara runs (Hazelcast,
 * found at {@code payara/Hazelcast}), so that each node closes the streams it holds. The
 * revocation itself is in the database, which every node reads when a ticket is checked; the
 * grid carries only the news. A node without the grid, such as one started with {@code
 * --nohazelcast}, works alone.
 */
@ApplicationScoped
public class ClusterRevocations {
  static final String TOPIC = "stream-gateway-revocations";

  private static final Logger LOG = Logger.getLogger(ClusterRevocations.class.getName());

  @Inject LiveStreams liveStreams;
  @Resource ManagedExecutorService executor;

  private HazelcastInstance grid;
  private UUID listener;

  /** Joins the topic when the application starts, not at the first revocation. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
    // The observer only makes CDI create the bean, whose @PostConstruct subscribes.
  }

  @PostConstruct
  void subscribe() {
    try {
      HazelcastInstance found = (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
      if (found == null || !found.getLifecycleService().isRunning()) {
        LOG.info("The data grid is off: revocations close the streams of this node only");
        return;
      }
      grid = found;
      ITopic<String> topic = grid.getTopic(TOPIC);
      listener = topic.addMessageListener(this::received);
      LOG.info(
          () ->
              "Revocations reach every node of the data grid, "
                  + grid.getCluster().getMembers().size()
                  + " members now");
    } catch (NamingException | RuntimeException e) {
      LOG.info("The data grid is not available (" + e + "): revocations close the streams of"
          + " this node only");
    }
  }

  @PreDestroy
  void unsubscribe() {
    if (grid != null && listener != null && grid.getLifecycleService().isRunning()) {
      grid.<String>getTopic(TOPIC).removeMessageListener(listener);
    }
  }

  /** Tells the other nodes that the computer's tickets before {@code generation} are revoked. */
  public void publish(String tenant, String computerId, long generation) {
    if (grid == null) {
      return;
    }
    try {
      grid.<String>getTopic(TOPIC).publish(new Revocation(tenant, computerId, generation).encode());
    } catch (RuntimeException e) {
      // Other nodes still refuse the tickets at their next check; their open streams stay until
      // expiry.
      LOG.log(Level.WARNING, "Publishing the revocation of computer " + computerId
          + " to the other nodes failed", e);
    }
  }

  /** Returns how many gateway nodes are in the data grid, 1 without it. */
  public int members() {
    return grid == null || !grid.getLifecycleService().isRunning()
        ? 1
        : grid.getCluster().getMembers().size();
  }

  /** Returns whether this node is in a data grid. */
  public boolean clustered() {
    return grid != null;
  }

  private void received(Message<String> message) {
    if (message.getPublishingMember() != null && message.getPublishingMember().localMember()) {
      return;
    }
    Revocation revocation;
    try {
      revocation = Revocation.decode(message.getMessageObject());
    } catch (IllegalArgumentException e) {
      LOG.warning("Ignored a revocation message in an unknown format: " + e.getMessage());
      return;
    }
    // Off the grid's event thread: closing a stream sends a WebSocket close and writes its record.
    executor.execute(
        () -> {
          int closed =
              liveStreams.closeRevoked(
                  revocation.tenant(), revocation.computerId(), revocation.generation());
          LOG.info(
              () ->
                  "Revocation from another node closed "
                      + closed
                      + " streams of computer "
                      + revocation.computerId());
        });
  }

  /** A revocation as the grid carries it: tenant, computer and the new ticket generation. */
  record Revocation(String tenant, String computerId, long generation) {
    String encode() {
      return tenant + "\n" + computerId + "\n" + generation;
    }

    static Revocation decode(String text) {
      String[] parts = text == null ? new String[0] : text.split("\n", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException("expected 3 lines, got " + parts.length);
      }
      try {
        return new Revocation(parts[0], parts[1], Long.parseLong(parts[2]));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the generation is not a number");
      }
    }
  }
}
