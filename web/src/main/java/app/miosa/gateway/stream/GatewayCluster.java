package app.miosa.gateway.stream;

import app.miosa.gateway.audit.AuditLog;
import app.miosa.gateway.audit.StreamFacts;
import app.miosa.gateway.audit.StreamTotals;
import app.miosa.gateway.ticket.TicketClaims;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The gateway nodes that share Payara's data grid (Hazelcast, found at {@code payara/Hazelcast}).
 *
 * <p>Revocations travel on a topic, so that each node closes the streams it holds. The revocation
 * itself is in the database, which every node reads when it checks a ticket; the grid carries
 * only the news.
 *
 * <p>Every open stream is also listed in a distributed map under its node. When a node leaves the
 * grid without closing its streams, as when it dies, the oldest remaining node records their end
 * in the audit trail, so that no stream stays open there for ever.
 *
 * <p>A node without the grid, such as one started with {@code --nohazelcast}, works alone.
 */
@ApplicationScoped
public class GatewayCluster {
  static final String TOPIC = "stream-gateway-revocations";
  static final String OPEN_STREAMS = "stream-gateway-open-streams";

  /** Close code recorded for a stream whose node left the grid: the connection just dropped. */
  static final int NODE_LOST_CLOSE_CODE = 1006;

  private static final Logger LOG = Logger.getLogger(GatewayCluster.class.getName());

  @Inject LiveStreams liveStreams;
  @EJB AuditLog audit;
  @Resource ManagedExecutorService executor;

  private final JsonProvider json = JsonProvider.provider();
  private HazelcastInstance grid;
  private UUID listener;
  private UUID membershipListener;

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
      membershipListener =
          grid.getCluster()
              .addMembershipListener(
                  new MembershipListener() {
                    @Override
                    public void memberAdded(MembershipEvent event) {
                      LOG.info(() -> "Gateway node joined the cluster: " + event.getMember());
                    }

                    @Override
                    public void memberRemoved(MembershipEvent event) {
                      LOG.info(() -> "Gateway node left the cluster: " + event.getMember());
                      executor.execute(() -> recordStreamsOf(event.getMember().getUuid()));
                    }
                  });
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
      grid.getCluster().removeMembershipListener(membershipListener);
    }
  }

  /**
   * Lists an open stream under this node, and returns its key for {@link #streamEnded}, or null
   * without the grid.
   */
  String streamOpened(StreamFacts facts, Instant openedAt) {
    if (grid == null) {
      return null;
    }
    String key = grid.getCluster().getLocalMember().getUuid() + "/" + UUID.randomUUID();
    try {
      openStreams().putAsync(key, encode(facts, openedAt));
      return key;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Listing a stream in the data grid failed", e);
      return null;
    }
  }

  /** Removes a stream that ended here from the grid's list. */
  void streamEnded(String key) {
    if (grid == null || key == null) {
      return;
    }
    try {
      openStreams().removeAsync(key);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Removing a stream from the data grid's list failed", e);
    }
  }

  /**
   * Records the end of every stream listed under a node that left the grid. Only the oldest node
   * left does it, so that each stream's end is recorded once.
   */
  private void recordStreamsOf(UUID lostNode) {
    if (grid == null || !grid.getLifecycleService().isRunning()) {
      return;
    }
    Member oldest = grid.getCluster().getMembers().iterator().next();
    if (!oldest.localMember()) {
      return;
    }
    String prefix = lostNode + "/";
    int recorded = 0;
    for (String key : openStreams().keySet()) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      String value = openStreams().remove(key);
      if (value == null) {
        continue;
      }
      try {
        recordLost(value);
        recorded++;
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "Recording the end of a stream of a lost node failed: " + value, e);
      }
    }
    int count = recorded;
    LOG.info(() -> "Recorded the end of " + count + " streams of the lost gateway node " + lostNode);
  }

  private void recordLost(String value) {
    JsonObject stream = json.createReader(new StringReader(value)).readObject();
    TicketClaims ticket =
        new TicketClaims(
            stream.getString("ticket_id"),
            stream.getString("tenant"),
            stream.getString("computer_id"),
            stream.getBoolean("read_only"),
            stream.getBoolean("audio"),
            Instant.parse(stream.getString("issued_at")),
            Instant.parse(stream.getString("expires_at")),
            stream.getJsonNumber("generation").longValue());
    StreamFacts facts =
        new StreamFacts(
            ticket,
            stream.getString("remote_address", null),
            stream.getString("user_agent", null),
            stream.getString("origin", null),
            stream.getBoolean("audio_stream"));
    Instant openedAt = Instant.parse(stream.getString("opened_at"));
    Instant now = Instant.now();
    // The lost node's byte counts went with it.
    audit.streamClosed(
        facts,
        new StreamTotals(
            Duration.between(openedAt, now),
            0,
            0,
            0,
            NODE_LOST_CLOSE_CODE,
            "The gateway node of the stream left the cluster"),
        now);
  }

  private String encode(StreamFacts facts, Instant openedAt) {
    TicketClaims ticket = facts.ticket();
    JsonObjectBuilder stream =
        json.createObjectBuilder()
            .add("ticket_id", ticket.ticketId())
            .add("tenant", ticket.tenant())
            .add("computer_id", ticket.computerId())
            .add("read_only", ticket.readOnly())
            .add("audio", ticket.audio())
            .add("issued_at", ticket.issuedAt().toString())
            .add("expires_at", ticket.expiresAt().toString())
            .add("generation", ticket.generation())
            .add("audio_stream", facts.audio())
            .add("opened_at", openedAt.toString());
    addIfPresent(stream, "remote_address", facts.remoteAddress());
    addIfPresent(stream, "user_agent", facts.userAgent());
    addIfPresent(stream, "origin", facts.origin());
    return stream.build().toString();
  }

  private static void addIfPresent(JsonObjectBuilder object, String name, String value) {
    if (value != null) {
      object.add(name, value);
    }
  }

  private IMap<String, String> openStreams() {
    return grid.getMap(OPEN_STREAMS);
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
