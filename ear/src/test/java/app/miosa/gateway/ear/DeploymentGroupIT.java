package app.miosa.gateway.ear;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.Desktop;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.PostgresSchema;
import app.miosa.gateway.testing.StreamProbe;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the EAR on a Payara Server deployment group of two instances, formed by {@code
 * server-config/payara-server/create-deployment-group.sh} on a domain that {@code
 * configure-domain.sh} configured, with PostgreSQL and a real Xvnc desktop.
 */
class DeploymentGroupIT {
  private static final String TENANT = "acme";
  private static final String INSTANCES = "gw-1, gw-2";
  private static final byte[] RFB_3_8 = "RFB 003.008\n".getBytes(US_ASCII);
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10);

  private static Desktop desktop;
  private static PostgresSchema schema;
  private static PayaraServerDomain domain;
  private static String apiToken;
  private static Map<String, String> environment;
  private static final List<GatewayClient> instances = new ArrayList<>();

  @BeforeAll
  static void formDeploymentGroup() throws Exception {
    Path workDirectory =
        Path.of(DomainSettings.required("gateway.workDirectory")).resolveSibling("payara-group-it");
    Path serverConfig = DomainSettings.serverConfig();
    ApiTokens tokens = ApiTokens.generate();
    apiToken = tokens.token("key_group_it", TENANT, ApiTokens.ALL_ROLES);
    Path publicKey = tokens.writePublicKey(workDirectory.resolve("api-public-key.pem"));

    desktop = Desktop.start(workDirectory.resolve("logs"));
    schema = PostgresSchema.create("gateway_group_it");
    domain =
        PayaraServerDomain.create(Path.of(DomainSettings.required("payara.home")), workDirectory);
    domain.start(serverConfig.resolve("loopback.asadmin"));

    int firstBase = PayaraServerDomain.freePortBase();
    int secondBase = PayaraServerDomain.freePortBase(firstBase);
    String publicUrl = "http://127.0.0.1:" + (firstBase + 80);
    environment = DomainSettings.gatewayEnvironment(publicUrl, publicKey, schema);
    domain.runScript(
        serverConfig.resolve("configure-domain.sh"),
        List.of(DomainSettings.required("gateway.ear")),
        environment,
        SCRIPT_TIMEOUT);
    domain.runScript(
        serverConfig.resolve("create-deployment-group.sh"),
        List.of("gw-1:" + firstBase, "gw-2:" + secondBase),
        Map.of(),
        SCRIPT_TIMEOUT);
    for (int base : new int[] {firstBase, secondBase}) {
      instances.add(new GatewayClient(URI.create("http://127.0.0.1:" + (base + 80) + "/").toURL()));
    }
    for (GatewayClient instance : instances) {
      awaitMembers(instance, 2);
    }
  }

  @AfterAll
  static void stopEverything() throws SQLException {
    if (domain != null) {
      domain.close();
    }
    if (desktop != null) {
      desktop.close();
    }
    if (schema != null) {
      schema.close();
    }
  }

  @Test
  void instancesFormOneDataGrid() throws Exception {
    for (GatewayClient instance : instances) {
      JsonObject cluster = awaitMembers(instance, 2);
      String clustered = cluster.getJsonObject("data").getString("clustered");
      assertEquals("true", clustered, cluster.toString());
      assertEquals(2.0, instance.metric("gateway_cluster_members", ""), 0.0);
    }
  }

  @Test
  void ticketOfOneInstanceStreamsOnBoth() throws Exception {
    String computerId = "cmp_group_any";
    String token = registerAndMint(instances.get(0), computerId);

    for (GatewayClient instance : instances) {
      StreamProbe stream = open(instance, computerId, token);
      assertArrayEquals(RFB_3_8, stream.awaitBytes(12, Duration.ofSeconds(10)));
      stream.socket().sendClose(1000, "done").join();
    }
  }

  @Test
  void revocationOnOneInstanceClosesBoth() throws Exception {
    String computerId = "cmp_group_revoked";
    String token = registerAndMint(instances.get(0), computerId);
    List<StreamProbe> streams = new ArrayList<>();
    for (GatewayClient instance : instances) {
      StreamProbe stream = open(instance, computerId, token);
      assertArrayEquals(RFB_3_8, stream.awaitBytes(12, Duration.ofSeconds(10)));
      streams.add(stream);
    }

    long start = System.nanoTime();
    HttpResponse<String> revoked =
        instances.get(1).delete("api/v1/computers/" + computerId + "/terminal-tickets", apiToken);
    assertEquals(200, revoked.statusCode(), revoked.body());
    List<Long> closedAfterMillis = new ArrayList<>();
    for (StreamProbe stream : streams) {
      assertEquals(4003, stream.awaitCloseCode(Duration.ofSeconds(10)));
      closedAfterMillis.add((System.nanoTime() - start) / 1_000_000);
    }

    System.out.printf(
        "Deployment group revocation: streams on %s closed %s ms after the DELETE on gw-2 was"
            + " sent%n",
        INSTANCES, closedAfterMillis);
    for (long millis : closedAfterMillis) {
      assertTrue(millis < 1000, "closed after " + closedAfterMillis + " ms");
    }
    URI viewer = instances.get(0).resolve("computer/" + computerId + "?ticket=" + token);
    assertEquals(403, instances.get(0).get(viewer).statusCode());
  }

  @Test
  void configureAgainReachesEveryInstance() throws Exception {
    Map<String, String> changed = new HashMap<>(environment);
    String newPublicUrl = instances.get(1).base().toString().replaceFirst("/$", "");
    changed.put("GATEWAY_PUBLIC_URL", newPublicUrl);

    domain.runScript(
        DomainSettings.serverConfig().resolve("configure-domain.sh"),
        List.of(DomainSettings.required("gateway.ear")),
        changed,
        SCRIPT_TIMEOUT);

    for (GatewayClient instance : instances) {
      awaitMembers(instance, 2);
    }
    String computerId = "cmp_group_configured";
    HttpResponse<String> registered =
        instances.get(0).registerComputer(apiToken, computerId, desktop.vncUrl());
    assertTrue(registered.statusCode() / 100 == 2, registered.body());
    for (GatewayClient instance : instances) {
      JsonObject ticket = instance.mintTicket(apiToken, computerId, "{}");
      assertTrue(
          ticket.getString("url").startsWith(newPublicUrl + "/computer/" + computerId),
          instance.base() + " minted " + ticket.getString("url"));
    }
  }

  @Test
  void adminServerNoLongerServesGateway() throws Exception {
    GatewayClient adminServer = new GatewayClient(URI.create(domain.httpUrl() + "/").toURL());

    HttpResponse<String> computers = adminServer.get("api/v1/computers/cmp_group_any", apiToken);

    assertEquals(404, computers.statusCode(), computers.body());
  }

  @Test
  void instancesListenOnLoopbackOnly() throws Exception {
    for (String name : List.of("gw-1", "gw-2")) {
      ProcessHandle instance =
          domain
              .instanceProcess(name)
              .orElseThrow(() -> new AssertionError("Instance " + name + " is not running"));
      List<String> addresses = Listeners.of(instance.pid());

      assertTrue(addresses.size() >= 3, name + " listens on " + addresses);
      assertEquals(
          List.of(),
          Listeners.outsideLoopback(addresses),
          name + " listens outside loopback, of " + addresses);
    }
  }

  @Test
  void scriptRejectsBadPortBase() throws Exception {
    Path serverConfig = DomainSettings.serverConfig();
    IllegalStateException failure =
        assertThrows(
            IllegalStateException.class,
            () ->
                domain.runScript(
                    serverConfig.resolve("create-deployment-group.sh"),
                    List.of("gw-3:80"),
                    Map.of(),
                    SCRIPT_TIMEOUT));

    assertTrue(failure.getMessage().contains("exit code 2"), failure.getMessage());
    assertTrue(
        failure.getMessage().contains("port base in 'gw-3:80' must be from 1024 to 65400"),
        failure.getMessage());
    assertTrue(domain.instanceProcess("gw-3").isEmpty(), "an instance gw-3 was started");
    awaitMembers(instances.get(0), 2);
  }

  private static String registerAndMint(GatewayClient instance, String computerId) {
    HttpResponse<String> registered =
        instance.registerComputer(apiToken, computerId, desktop.vncUrl());
    assertTrue(registered.statusCode() / 100 == 2, registered.body());
    return instance.mintTicket(apiToken, computerId, "{}").getString("token");
  }

  private static StreamProbe open(GatewayClient instance, String computerId, String token)
      throws Exception {
    URI url =
        URI.create(
            instance.base().toString().replaceFirst("^http", "ws")
                + "computer/"
                + computerId
                + "/websockify?ticket="
                + token);
    return StreamProbe.open(instance.http(), url).get();
  }

  /**
   * Waits up to 2 minutes until the instance's readiness reports {@code members} members of the
   * data grid, and returns its cluster check.
   */
  private static JsonObject awaitMembers(GatewayClient instance, int members)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Optional<JsonObject> cluster = Optional.empty();
    while (System.nanoTime() < deadline) {
      cluster = instance.readinessCheck("cluster");
      if (cluster.isPresent() && GatewayClient.clusterMembers(cluster.get()) == members) {
        return cluster.get();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        instance.base() + " did not report " + members + " grid members; last check: " + cluster);
  }
}
