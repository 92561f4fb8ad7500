package app.miosa.gateway.ear;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.Desktop;
import app.miosa.gateway.testing.PostgresSchema;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deploys the EAR on a real Payara Server 6 domain, configured by the operator's script in {@code
 * server-config/payara-server/}, and streams a real Xvnc desktop through it.
 *
 * <p>Needs the system properties that the failsafe configuration in {@code ear/pom.xml} sets:
 * {@code payara.home}, {@code gateway.ear}, {@code gateway.serverConfig} and {@code
 * gateway.workDirectory}.
 */
class EarOnPayaraServerIT {
  private static final String TENANT = "acme";
  private static final String API_KEY = "key_ear_it";

  /** The RFB 3.8 ProtocolVersion message, which a VNC server sends first (RFC 6143, 7.1.1). */
  private static final byte[] RFB_VERSION = "RFB 003.008\n".getBytes(US_ASCII);

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CONFIGURE_TIMEOUT = Duration.ofMinutes(10);

  private static Desktop desktop;
  private static PayaraServerDomain domain;
  private static ApiTokens apiTokens;
  private static HttpClient http;
  private static PostgresSchema schema;

  @BeforeAll
  static void deployEar() {
    Path workDirectory = Path.of(DomainSettings.required("gateway.workDirectory"));
    Path serverConfig = DomainSettings.serverConfig();
    apiTokens = ApiTokens.generate();
    Path publicKey = apiTokens.writePublicKey(workDirectory.resolve("api-public-key.pem"));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    desktop = Desktop.start(workDirectory.resolve("logs"));
    schema = createSchema();
    domain =
        PayaraServerDomain.create(Path.of(DomainSettings.required("payara.home")), workDirectory);
    domain.start(serverConfig.resolve("loopback.asadmin"));
    configureAndDeploy(serverConfig, publicKey);
  }

  @AfterAll
  static void stopEverything() {
    if (domain != null) {
      domain.close();
    }
    if (desktop != null) {
      desktop.close();
    }
    if (schema != null) {
      try {
        schema.close();
      } catch (SQLException e) {
        System.err.println("Dropping the test schema " + schema.name() + " failed: " + e);
      }
    }
  }

  private static PostgresSchema createSchema() {
    try {
      return PostgresSchema.create("gateway_ear_it");
    } catch (SQLException e) {
      throw new IllegalStateException("Creating a PostgreSQL schema on 127.0.0.1:5432 failed", e);
    }
  }

  @Test
  void earServesViewerAndRelaysDesktop() throws Exception {
    String computerId = "cmp_ear_relay";
    HttpResponse<String> registered = registerRunningComputer(computerId);
    assertEquals(201, registered.statusCode(), registered.body());

    HttpResponse<String> minted =
        send(
            apiRequest("/api/v1/computers/" + computerId + "/terminal-tickets")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertEquals(201, minted.statusCode(), minted.body());
    JsonObject ticket = parseObject(minted.body());
    String token = ticket.getString("token");
    String viewerUrl = ticket.getString("url");
    Instant expiresAt = Instant.parse(ticket.getString("expires_at"));
    assertTrue(token.startsWith("miosa_term_"), token);
    assertEquals(
        domain.httpUrl() + "/computer/" + computerId + "?ticket=" + token,
        viewerUrl,
        "url must start with gateway.public-url");
    assertTrue(expiresAt.isAfter(Instant.now()), "expires_at " + expiresAt + " is past");
    // The example config file puts acme on the trial plan, whose tickets last 600 s by default.
    long lifetime = Duration.between(Instant.now(), expiresAt).toSeconds();
    assertTrue(lifetime > 540 && lifetime <= 600, "lifetime " + lifetime + " s");
    assertFalse(ticket.getBoolean("read_only"));

    HttpResponse<String> viewer = send(HttpRequest.newBuilder(URI.create(viewerUrl)).build());
    assertEquals(200, viewer.statusCode(), viewer.body());
    assertTrue(
        viewer.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
        "Content-Type: " + viewer.headers().firstValue("Content-Type"));
    assertTrue(viewer.body().contains("viewer.js"), viewer.body());
    String policy = viewer.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(policy.contains("frame-ancestors"), "Content-Security-Policy: " + policy);

    byte[] greeting = firstBytesFromStream(computerId, token, RFB_VERSION.length);
    assertEquals(new String(RFB_VERSION, US_ASCII), new String(greeting, US_ASCII));
  }

  @Test
  void viewerRejectsBadTicket() throws Exception {
    String computerId = "cmp_ear_rejected";
    HttpResponse<String> registered = registerRunningComputer(computerId);
    assertEquals(201, registered.statusCode(), registered.body());

    URI badTicket =
        URI.create(domain.httpUrl() + "/computer/" + computerId + "?ticket=miosa_term_x");
    HttpResponse<String> viewer = send(HttpRequest.newBuilder(badTicket).build());

    assertEquals(401, viewer.statusCode(), viewer.body());
    assertFalse(viewer.body().contains("viewer.js"), "a rejected ticket must not get the viewer");
    String policy = viewer.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(policy.contains("frame-ancestors"), "Content-Security-Policy: " + policy);
  }

  @Test
  void serverListensOnLoopbackOnly() throws Exception {
    ProcessHandle server =
        domain.serverProcess().orElseThrow(() -> new AssertionError("The server is not running"));
    List<String> addresses = Listeners.of(server.pid());

    String httpPort = domain.httpUrl().substring(domain.httpUrl().lastIndexOf(':'));
    assertTrue(
        addresses.stream().anyMatch(address -> address.endsWith(httpPort)),
        "ss shows no HTTP listener of pid " + server.pid() + ": " + addresses);
    assertEquals(
        List.of(),
        Listeners.outsideLoopback(addresses),
        "listeners outside loopback, of " + addresses);
  }

  @Test
  void configurationStartsNoOtherDomain() {
    List<String> others =
        domain.otherServersOfInstallation().stream()
            .map(process -> process.pid() + ": " + process.info().commandLine().orElse("?"))
            .toList();

    assertEquals(List.of(), others, "servers of other domains of this installation");
  }

  private static void configureAndDeploy(Path serverConfig, Path publicKey) {
    domain.runScript(
        serverConfig.resolve("configure-domain.sh"),
        List.of(DomainSettings.required("gateway.ear")),
        DomainSettings.gatewayEnvironment(domain.httpUrl(), publicKey, schema),
        CONFIGURE_TIMEOUT);
  }

  private static HttpResponse<String> registerRunningComputer(String computerId)
      throws IOException, InterruptedException {
    String body =
        Json.createObjectBuilder()
            .add("vnc_url", desktop.vncUrl())
            .add("state", "running")
            .build()
            .toString();
    return send(
        apiRequest("/api/v1/computers/" + computerId)
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpRequest.Builder apiRequest(String path) {
    String bearer = apiTokens.token(API_KEY, TENANT, ApiTokens.ALL_ROLES);
    return HttpRequest.newBuilder(URI.create(domain.httpUrl() + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + bearer)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json");
  }

  private static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject parseObject(String json) {
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }

  /** Opens the viewer's WebSocket and returns the first {@code count} bytes the desktop sent. */
  private static byte[] firstBytesFromStream(String computerId, String token, int count)
      throws Exception {
    URI uri =
        URI.create(
            domain.httpUrl().replaceFirst("^http", "ws")
                + "/computer/"
                + computerId
                + "/websockify?ticket="
                + token);
    BinaryCollector collector = new BinaryCollector(count);
    WebSocket socket =
        http.newWebSocketBuilder()
            .subprotocols("binary")
            .connectTimeout(REQUEST_TIMEOUT)
            .buildAsync(uri, collector)
            .get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    try {
      assertEquals("binary", socket.getSubprotocol());
      return collector.bytes.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
    }
  }

  /** Collects binary messages until {@code count} bytes have arrived. */
  private static final class BinaryCollector implements WebSocket.Listener {
    final CompletableFuture<byte[]> bytes = new CompletableFuture<>();
    private final int count;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    BinaryCollector(int count) {
      this.count = count;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      received.write(chunk, 0, chunk.length);
      if (received.size() >= count) {
        bytes.complete(Arrays.copyOf(received.toByteArray(), count));
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      bytes.completeExceptionally(new AssertionError("Unexpected text message: " + data));
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      bytes.completeExceptionally(
          new AssertionError(
              "Stream closed with code "
                  + statusCode
                  + " ("
                  + reason
                  + ") after "
                  + received.size()
                  + " bytes"));
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      bytes.completeExceptionally(error);
    }
  }
}
