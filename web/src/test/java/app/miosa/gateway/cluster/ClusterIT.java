package app.miosa.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.demo.DemoSite;
import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.Chromium;
import app.miosa.gateway.testing.Desktop;
import app.miosa.gateway.testing.EmbeddingPage;
import app.miosa.gateway.testing.Nginx;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.Ports;
import app.miosa.gateway.testing.PostgresSchema;
import app.miosa.gateway.testing.RecordingVncServer;
import app.miosa.gateway.testing.ScriptedGateway;
import app.miosa.gateway.testing.StreamProbe;
import jakarta.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Three gateway nodes on Payara Micro, started by {@code server-config/run-gateway.sh} on
 * loopback, sharing one PostgreSQL database and Payara's data grid, behind Debian's nginx with
 * {@code server-config/cluster/nginx.conf}. The test that kills a node runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final Path OUTPUT = Path.of("target", "cluster-it");
  private static final int NODES = 3;
  private static final byte[] RFB_3_8 = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);

  private static final ApiTokens TOKENS = ApiTokens.generate();
  private static PostgresSchema schema;
  private static final List<ScriptedGateway> nodes = new ArrayList<>();
  private static RecordingVncServer desktop;
  private static int balancerPort;
  private static Nginx balancer;

  private final String apiToken = TOKENS.token("key_cluster", "acme", ApiTokens.ALL_ROLES);

  @BeforeAll
  static void startCluster() throws Exception {
    schema = PostgresSchema.create("gateway_cluster");
    desktop = RecordingVncServer.start();
    List<Integer> gridPorts = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      gridPorts.add(Ports.free());
    }
    String members =
        String.join(",", gridPorts.stream().map(port -> "127.0.0.1:" + port).toList());
    balancerPort = Ports.free();
    for (int i = 0; i < NODES; i++) {
      nodes.add(
          ScriptedGateway.start(
              OUTPUT.resolve("node-" + i),
              TOKENS,
              Map.of(
                  "GATEWAY_DB_URL", schema.jdbcUrl(),
                  "GATEWAY_DB_USER", PostgresSchema.USER,
                  "GATEWAY_CLUSTER_MEMBERS", members,
                  "GATEWAY_CLUSTER_PORT", String.valueOf(gridPorts.get(i)),
                  "GATEWAY_CLUSTER_NAME", "cluster-it-" + schema.name(),
                  // Ticket URLs and the viewer's origin are the load balancer's.
                  "GATEWAY_PUBLIC_URL", "http://127.0.0.1:" + balancerPort,
                  "GATEWAY_CSP_FRAME_ANCESTORS", "localhost:*")));
    }
    balancer =
        Nginx.start(
            OUTPUT.resolve("nginx"),
            balancerPort,
            nodes.stream().map(ScriptedGateway::port).toList());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (balancer != null) {
      balancer.close();
    }
    for (ScriptedGateway node : nodes) {
      node.close();
    }
    if (desktop != null) {
      desktop.close();
    }
    if (schema != null) {
      schema.close();
    }
  }

  @Test
  void everyNodeReportsTheClustersMembers() throws Exception {
    for (ScriptedGateway node : nodes) {
      JsonObject cluster = awaitMembers(node, NODES);
      assertEquals(NODES, GatewayClient.clusterMembers(cluster), cluster.toString());
      assertEquals(
          NODES, new GatewayClient(node.url()).metric("gateway_cluster_members", ""), 0.0);
    }
  }

  @Test
  void anyNodeServesAnyTicket() throws Exception {
    String computerId = "cmp_any_node";
    String token = registerAndMint(computerId);

    for (ScriptedGateway node : nodes.subList(1, NODES)) {
      StreamProbe stream = open(node, computerId, token);
      assertArrayEquals(RFB_3_8, stream.awaitBytes(12, Duration.ofSeconds(10)));
      stream.socket().sendClose(1000, "done").join();
    }
  }

  @Test
  void revocationClosesStreamsOnEveryNode() throws Exception {
    String computerId = "cmp_revoked";
    String token = registerAndMint(computerId);
    List<StreamProbe> streams = new ArrayList<>();
    for (ScriptedGateway node : nodes) {
      StreamProbe stream = open(node, computerId, token);
      assertArrayEquals(RFB_3_8, stream.awaitBytes(12, Duration.ofSeconds(10)));
      streams.add(stream);
    }

    long start = System.nanoTime();
    HttpResponse<String> revoked =
        client(0).delete("api/v1/computers/" + computerId + "/terminal-tickets", apiToken);
    assertEquals(200, revoked.statusCode(), revoked.body());
    List<Long> closedAfterMillis = new ArrayList<>();
    for (StreamProbe stream : streams) {
      assertEquals(4003, stream.awaitCloseCode(Duration.ofSeconds(10)));
      closedAfterMillis.add((System.nanoTime() - start) / 1_000_000);
    }

    System.out.printf(
        "Cluster revocation: streams on nodes 1, 2 and 3 closed %s ms after the DELETE on node 1"
            + " was sent%n",
        closedAfterMillis);
    for (long millis : closedAfterMillis) {
      assertTrue(millis < 1000, "closed after " + closedAfterMillis + " ms");
    }
    URI viewer = client(2).resolve("computer/" + computerId + "?ticket=" + token);
    assertEquals(403, client(2).get(viewer).statusCode());

    // A node that starts after the revocation refuses the ticket too: the state is in the database.
    nodes.get(1).restart();
    awaitMembers(nodes.get(1), NODES);
    URI viewerOnRestarted = client(1).resolve("computer/" + computerId + "?ticket=" + token);
    assertEquals(403, client(1).get(viewerOnRestarted).statusCode());
    String fresh = client(1).mintTicket(apiToken, computerId, "{}").getString("token");
    URI freshViewer = client(2).resolve("computer/" + computerId + "?ticket=" + fresh);
    assertEquals(200, client(2).get(freshViewer).statusCode());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void viewerOfDeadNodeReconnectsThroughLoadBalancer() throws Exception {
    String computerId = "cmp_failover";
    GatewayClient throughBalancer = new GatewayClient(balancer.url().toURL());
    try (Desktop screen = Desktop.start(OUTPUT);
        DemoSite site =
            DemoSite.start(
                new InetSocketAddress("127.0.0.1", 0),
                balancer.url(),
                apiToken,
                computerId,
                "{}")) {
      HttpResponse<String> registered =
          throughBalancer.registerComputer(apiToken, computerId, screen.vncUrl());
      assertTrue(registered.statusCode() / 100 == 2, registered.body());
      ChromeDriver browser = Chromium.start(OUTPUT);
      try {
        browser.get(site.pageUrl().toString());
        EmbeddingPage.awaitStreamState(browser, "connected", Duration.ofSeconds(30));
        int serving = servingNode(-1);

        long start = System.nanoTime();
        nodes.get(serving).kill();
        new WebDriverWait(browser, Duration.ofSeconds(60))
            .withMessage(() -> "page events: " + events(browser))
            .until(driver -> events(browser).matches(".*reconnecting.*connected.*"));
        long reconnectedMillis = (System.nanoTime() - start) / 1_000_000;
        int newServing = servingNode(serving);

        System.out.printf(
            "Failover: node %d killed, the viewer showed the desktop again through node %d"
                + " %d ms later%n",
            serving + 1, newServing + 1, reconnectedMillis);
        assertTrue(newServing != serving, "serving node " + newServing);
        assertEquals(2, auditCount(computerId, "STREAM_OPENED"));
        // The oldest node left records the end of the dead node's stream.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (auditCount(computerId, "STREAM_CLOSED") == 0 && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertEquals(1, auditCount(computerId, "STREAM_CLOSED"));
        assertEquals(1, auditCount(computerId, "STREAM_CLOSED", 1006));
      } finally {
        browser.quit();
      }
    }
  }

  /** Returns the index of the node, other than {@code except}, with one live desktop stream. */
  private static int servingNode(int except) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < nodes.size(); i++) {
        if (i != except && client(i).metric("gateway_streams_live", "") >= 1) {
          return i;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("No node has a live stream");
  }

  private static String events(ChromeDriver browser) {
    Object events =
        browser.executeScript(
            "return (window.streamEvents || []).map(event => event.state).join(' ');");
    return String.valueOf(events);
  }

  private int auditCount(String computerId, String kind) throws java.sql.SQLException {
    return auditCount(computerId, kind, null);
  }

  /** Counts the computer's audit records of a kind, and of a close code unless it is null. */
  private int auditCount(String computerId, String kind, Integer closeCode)
      throws java.sql.SQLException {
    try (java.sql.Connection db = schema.connect();
        java.sql.PreparedStatement statement =
            db.prepareStatement(
                "SELECT count(*) FROM audit_event WHERE computer_id = ? AND kind = ?"
                    + (closeCode == null ? "" : " AND close_code = " + closeCode))) {
      statement.setString(1, computerId);
      statement.setString(2, kind);
      try (java.sql.ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private String registerAndMint(String computerId) {
    HttpResponse<String> registered =
        client(0).registerComputer(apiToken, computerId, desktop.vncUrl());
    assertTrue(registered.statusCode() / 100 == 2, registered.body());
    return client(0).mintTicket(apiToken, computerId, "{}").getString("token");
  }

  private static StreamProbe open(ScriptedGateway node, String computerId, String token)
      throws Exception {
    URI url =
        URI.create(
            "ws://127.0.0.1:" + node.port() + "/computer/" + computerId
                + "/websockify?ticket=" + token);
    return StreamProbe.open(new GatewayClient(node.url()).http(), url).get();
  }

  private static GatewayClient client(int node) {
    return new GatewayClient(nodes.get(node).url());
  }

  /** Returns the node's cluster readiness check once it counts {@code members}, or the last. */
  private static JsonObject awaitMembers(ScriptedGateway node, int members)
      throws InterruptedException {
    GatewayClient client = new GatewayClient(node.url());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonObject cluster = null;
    while (System.nanoTime() < deadline) {
      cluster =
          client
              .readinessCheck("cluster")
              .orElseThrow(() -> new AssertionError("no cluster check on " + node.url()));
      if (GatewayClient.clusterMembers(cluster) == members) {
        return cluster;
      }
      Thread.sleep(250);
    }
    return cluster;
  }
}
