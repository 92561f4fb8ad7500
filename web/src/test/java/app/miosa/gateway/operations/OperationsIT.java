package app.miosa.gateway.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.GatewayDeployment;
import app.miosa.gateway.testing.RecordingVncServer;
import app.miosa.gateway.testing.StreamProbe;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What an operator watches on Payara Micro: health, Prometheus metrics and the OpenAPI document. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OperationsIT {
  private static final ApiTokens TOKENS = ApiTokens.generate();

  @ArquillianResource private URL deploymentUrl;

  private GatewayClient gateway;
  private String apiToken;
  private String computerId;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return GatewayDeployment.war(TOKENS, "operations");
  }

  @BeforeEach
  void createClient() {
    gateway = new GatewayClient(deploymentUrl);
    apiToken = TOKENS.token("key_operations", "acme", ApiTokens.ALL_ROLES);
    computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void livenessAndReadinessAreUp() {
    JsonObject live = json(server("health/live", "application/json"));
    JsonObject ready = json(server("health/ready", "application/json"));

    assertEquals("UP", live.getString("status"), live.toString());
    assertEquals("UP", ready.getString("status"), ready.toString());
    assertTrue(ready.toString().contains("\"audit-database\""), ready.toString());
    assertTrue(live.toString().contains("\"stream-gateway\""), live.toString());
  }

  @Test
  void metricsCountTicketsStreamsAndRefusals() throws Exception {
    try (RecordingVncServer desktop = RecordingVncServer.start()) {
      gateway.registerComputer(apiToken, computerId, desktop.vncUrl());
      double issuedBefore = metric("gateway_tickets_issued_total", "read_only=\"true\"");
      double refusedBefore = metric("gateway_tickets_refused_total", "reason=\"TICKET_INVALID\"");
      double revocationsBefore = metric("gateway_revocations_total", "");
      double bytesBefore = metric("gateway_relayed_bytes_total", "direction=\"to_viewer\"");

      String token = gateway.mintTicket(apiToken, computerId, "{\"read_only\": true}")
          .getString("token");
      gateway.get("computer/" + computerId + "?ticket=miosa_term_forged", null);
      StreamProbe stream = StreamProbe.open(gateway.http(), websocketUrl(token)).get();
      stream.awaitBytes(12, Duration.ofSeconds(10));
      double liveWhileOpen = metric("gateway_streams_live", "read_only=\"true\"");
      gateway.delete("api/v1/computers/" + computerId + "/terminal-tickets", apiToken);
      stream.awaitCloseCode(Duration.ofSeconds(5));

      assertEquals(issuedBefore + 1, metric("gateway_tickets_issued_total", "read_only=\"true\""));
      assertEquals(
          refusedBefore + 1, metric("gateway_tickets_refused_total", "reason=\"TICKET_INVALID\""));
      assertEquals(revocationsBefore + 1, metric("gateway_revocations_total", ""));
      assertTrue(liveWhileOpen >= 1, "live read-only streams: " + liveWhileOpen);
      // The totals are added when the stream's end has been handled, just after the close.
      awaitMetric("gateway_relayed_bytes_total", "direction=\"to_viewer\"", bytesBefore + 12);
      awaitMetric("gateway_stream_duration_seconds_count", "read_only=\"true\"", 1);
    }
  }

  @Test
  void openApiDescribesEveryEndpointWithProblems() {
    JsonObject document = json(openApi());

    JsonObject paths = document.getJsonObject("paths");
    for (String path :
        List.of(
            "/api/v1/computers/{cid}",
            "/api/v1/computers/{cid}/terminal-tickets",
            "/api/v1/audit-events",
            "/api/v1/audit-integrity")) {
      assertTrue(paths.containsKey(path), path + " in " + paths.keySet());
    }
    JsonObject mint =
        paths.getJsonObject("/api/v1/computers/{cid}/terminal-tickets")
            .getJsonObject("post");
    assertEquals("Mint a terminal ticket", mint.getString("summary"));
    JsonObject badRequest = mint.getJsonObject("responses").getJsonObject("400");
    assertTrue(
        badRequest.getJsonObject("content").containsKey("application/problem+json"),
        badRequest.toString());
    assertTrue(
        document.getJsonObject("components").getJsonObject("schemas").containsKey("Problem"));
  }

  private void awaitMetric(String name, String label, double atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (metric(name, label) < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    String gatewayLines =
        server("metrics", "text/plain").body().lines()
            .filter(line -> line.startsWith("gateway_"))
            .toList()
            .toString();
    assertTrue(metric(name, label) >= atLeast, name + " " + label + " in " + gatewayLines);
  }

  /**
   * Returns the OpenAPI document. Payara Micro 6.2025.10 answered the first request with a 500
   * (a NullPointerException in Grizzly) once in a full test run, so a 500 is tried again twice.
   */
  private HttpResponse<String> openApi() {
    URI uri = URI.create("http://127.0.0.1:" + deploymentUrl.getPort() + "/openapi");
    HttpResponse<String> response = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      response = get(uri, "application/json");
      if (response.statusCode() != 500) {
        break;
      }
    }
    assertEquals(200, response.statusCode(), response.body());
    return response;
  }

  private double metric(String name, String label) {
    return gateway.metric(name, label);
  }

  /** Sends a GET to a path of the server's root, where Payara serves health, metrics and OpenAPI. */
  private HttpResponse<String> server(String path, String accept) {
    URI uri = URI.create("http://127.0.0.1:" + deploymentUrl.getPort() + "/" + path);
    HttpResponse<String> response = get(uri, accept);
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return response;
  }

  private HttpResponse<String> get(URI uri, String accept) {
    HttpRequest request =
        HttpRequest.newBuilder(uri).header("Accept", accept).timeout(Duration.ofSeconds(30)).build();
    try {
      return gateway.http().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + uri + " failed", e);
    }
  }

  private static JsonObject json(HttpResponse<String> response) {
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  private URI websocketUrl(String token) {
    URI http = gateway.resolve("computer/" + computerId + "/websockify?ticket=" + token);
    return URI.create("ws" + http.toString().substring("http".length()));
  }
}
