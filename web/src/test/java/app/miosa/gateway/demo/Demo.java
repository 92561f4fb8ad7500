package app.miosa.gateway.demo;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.AudioSource;
import app.miosa.gateway.testing.Desktop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The demo: a real desktop, the gateway on Payara Micro (started by {@code
 * server-config/run-gateway.sh}) and a customer page on http://localhost:4000 that embeds the
 * desktop. Everything it starts stops when the JVM does, including on Ctrl-C.
 *
 * <p>Run by {@code server-config/demo.sh} from the web module's directory.
 */
public final class Demo {
  private static final String COMPUTER_ID = "cmp_demo";
  private static final Path WORK = Path.of("target", "demo");

  /** Ticket lifetime: short, so that a person watching the page notices the ticket switches. */
  private static final int TICKET_TTL_SECONDS = 60;

  /** Pitch of the beep the demo desktop plays every second. */
  private static final int DEMO_TONE_HERTZ = 660;

  private Demo() {}

  public static void main(String[] args) throws Exception {
    int gatewayPort = Integer.parseInt(env("GATEWAY_HTTP_PORT", "8080"));
    int sitePort = Integer.parseInt(env("DEMO_PORT", "4000"));
    long start = System.nanoTime();

    ApiTokens tokens = ApiTokens.generate();
    Path publicKey = tokens.writePublicKey(WORK.resolve("api-public-key.pem"));
    String apiToken = tokens.token("key_demo", "demo", ApiTokens.ALL_ROLES, Duration.ofDays(1));
    Files.writeString(WORK.resolve("dev-api-token.txt"), apiToken + "\n");

    Desktop desktop = Desktop.start(WORK);
    Runtime.getRuntime().addShutdownHook(new Thread(desktop::close));
    System.out.printf("Desktop: Xvnc on 127.0.0.1:%d%n", desktop.port());
    AudioSource sound = AudioSource.beep(DEMO_TONE_HERTZ, WORK);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(sound)));
    System.out.printf(
        "Desktop sound: a %d Hz beep every second on %s%n", DEMO_TONE_HERTZ, sound.url());

    Process gateway = startGateway(gatewayPort, sitePort, publicKey);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(gateway)));
    URI gatewayBase = URI.create("http://127.0.0.1:" + gatewayPort + "/");
    long ready = awaitGateway(gateway, gatewayBase);
    System.out.printf(
        "Gateway: Payara Micro ready %.1f s after start%n", (ready - start) / 1e9);

    register(gatewayBase, apiToken, desktop.vncUrl(), sound.url());
    DemoSite site =
        DemoSite.start(
            new InetSocketAddress("127.0.0.1", sitePort),
            gatewayBase,
            apiToken,
            COMPUTER_ID,
            "{\"attribution\": \"demo page visitor\", \"ttl_seconds\": "
                + TICKET_TTL_SECONDS
                + "}");
    Runtime.getRuntime().addShutdownHook(new Thread(site::close));

    printInstructions(sitePort, gatewayPort);
    gateway.waitFor();
    System.out.println("The gateway has stopped; see " + WORK.resolve("gateway.log"));
    System.exit(1);
  }

  private static Process startGateway(int port, int sitePort, Path publicKey) throws IOException {
    byte[] signingKey = new byte[32];
    new SecureRandom().nextBytes(signingKey);
    ProcessBuilder builder =
        // In a session of its own, so that Ctrl-C reaches only this JVM, whose hook stops it.
        new ProcessBuilder("setsid", "bash", "../server-config/run-gateway.sh")
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("gateway.log").toFile());
    builder.environment().put("GATEWAY_HTTP_PORT", String.valueOf(port));
    builder.environment().put("GATEWAY_DATA_DIR", WORK.resolve("gateway-data").toAbsolutePath().toString());
    builder.environment().put("MP_JWT_VERIFY_ISSUER", ApiTokens.ISSUER);
    builder.environment().put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toAbsolutePath().toUri().toString());
    builder.environment().put(
        "GATEWAY_TICKET_SIGNING_KEYS", "demo:" + Base64.getEncoder().encodeToString(signingKey));
    builder.environment().put("GATEWAY_PUBLIC_URL", "http://localhost:" + port);
    // The default frame ancestors admit localhost:4000 only; the page may be on another port.
    builder.environment().put(
        "GATEWAY_CSP_FRAME_ANCESTORS",
        "*.miosa.app *.miosa.ai localhost:4000 localhost:" + sitePort);
    return builder.start();
  }

  /** Waits until the gateway serves its viewer script and returns the time, in nanoseconds. */
  private static long awaitGateway(Process gateway, URI base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest probe = HttpRequest.newBuilder(base.resolve("static/viewer.js")).build();
    for (int attempt = 0; attempt < 600; attempt++) {
      if (!gateway.isAlive()) {
        throw new IllegalStateException(
            "The gateway exited at start; see " + WORK.resolve("gateway.log"));
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return System.nanoTime();
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("The gateway was not ready within 150 s");
  }

  private static void register(URI base, String apiToken, String vncUrl, String audioUrl)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("api/v1/computers/" + COMPUTER_ID))
            .header("Authorization", "Bearer " + apiToken)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(
                "{\"vnc_url\": \"" + vncUrl + "\", \"audio_url\": \"" + audioUrl
                    + "\", \"state\": \"running\"}"))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("Registering the desktop failed: " + response.body());
    }
  }

  private static void printInstructions(int sitePort, int gatewayPort) {
    Path tokenFile = WORK.resolve("dev-api-token.txt").toAbsolutePath();
    List<String> lines =
        List.of(
            "",
            "Open http://localhost:" + sitePort + "/ in a browser to see the live desktop,",
            "or http://localhost:" + sitePort + "/?audio=1 to hear its sound too.",
            "Its tickets last " + TICKET_TTL_SECONDS + " s: the page switches to a new one"
                + " before each expires.",
            "",
            "A dev API token (tenant 'demo', every role, valid 24 h) is in " + tokenFile + ":",
            "  TOKEN=$(cat " + tokenFile + ")",
            "  curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -d '{\"read_only\": true}' \\",
            "    http://localhost:" + gatewayPort + "/api/v1/computers/" + COMPUTER_ID
                + "/terminal-tickets",
            "",
            "Press Ctrl-C to stop the desktop, the gateway and the page.");
    lines.forEach(System.out::println);
  }

  private static void stopQuietly(AudioSource sound) {
    try {
      sound.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      process.waitFor(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
