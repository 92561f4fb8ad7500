package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.demo.DemoSite;
import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.Chromium;
import app.miosa.gateway.testing.Desktop;
import app.miosa.gateway.testing.EmbeddingPage;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.GatewayDeployment;
import app.miosa.gateway.testing.StreamProbe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The stream side on Payara Micro against a real Xvnc: the WebSocket relay, its close codes, and
 * the viewer in headless Chromium, embedded in a customer page on another origin.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StreamIT {
  private static final ApiTokens TOKENS = ApiTokens.generate();
  private static final Path OUTPUT = Path.of("target", "stream-it");

  /** RFB 3.8 ProtocolVersion message: 12 ASCII bytes (RFC 6143, section 7.1.1). */
  private static final byte[] RFB_3_8 = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);

  @ArquillianResource private URL deploymentUrl;

  private GatewayClient gateway;
  private String apiToken;
  private String computerId;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return GatewayDeployment.war(TOKENS, "stream");
  }

  @BeforeEach
  void createClient() {
    gateway = new GatewayClient(deploymentUrl);
    apiToken = TOKENS.token("key_stream_test", "acme", ApiTokens.ALL_ROLES);
    computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void streamRelaysRfbBothWays() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT)) {
      gateway.registerComputer(apiToken, computerId, desktop.vncUrl());
      StreamProbe stream = openStream("{}").get();

      assertEquals("binary", stream.socket().getSubprotocol());
      assertArrayEquals(RFB_3_8, stream.awaitBytes(12, Duration.ofSeconds(10)));

      stream.send(RFB_3_8);
      byte[] received = stream.awaitBytes(14, Duration.ofSeconds(10));
      // After the version: number-of-security-types (1 byte), then the types; Xvnc offers None (1).
      assertEquals(1, received[12], "security type count");
      assertEquals(1, received[13], "security type None");
    }
  }

  @Test
  void upgradeWithBadTicketIsRejected() {
    URI url =
        websocketUrl(
            gateway.resolve("computer/" + computerId + "/websockify?ticket=miosa_term_forged"));

    ExecutionException failure =
        assertThrows(
            ExecutionException.class, () -> StreamProbe.open(gateway.http(), url).get());

    WebSocketHandshakeException handshake =
        assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
    assertEquals(401, handshake.getResponse().statusCode());
  }

  @Test
  void upgradeFromForeignOriginIsRejected() throws Exception {
    gateway.registerComputer(apiToken, computerId, "tcp://127.0.0.1:5999");
    String token = gateway.mintTicket(apiToken, computerId, "{}").getString("token");
    URI url =
        websocketUrl(gateway.resolve("computer/" + computerId + "/websockify?ticket=" + token));

    ExecutionException failure =
        assertThrows(
            ExecutionException.class,
            () ->
                gateway
                    .http()
                    .newWebSocketBuilder()
                    .header("Origin", "https://evil.example")
                    .buildAsync(url, new StreamProbe())
                    .get());

    WebSocketHandshakeException handshake =
        assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
    assertEquals(403, handshake.getResponse().statusCode());
  }

  @Test
  void upgradeFromOwnOriginIsAccepted() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT)) {
      gateway.registerComputer(apiToken, computerId, desktop.vncUrl());
      String token = gateway.mintTicket(apiToken, computerId, "{}").getString("token");
      URI url =
          websocketUrl(gateway.resolve("computer/" + computerId + "/websockify?ticket=" + token));
      String ownOrigin = "http://127.0.0.1:" + url.getPort();

      StreamProbe stream = new StreamProbe();
      gateway.http().newWebSocketBuilder().header("Origin", ownOrigin).subprotocols("binary")
          .buildAsync(url, stream).get();

      assertArrayEquals(RFB_3_8, stream.awaitBytes(12, Duration.ofSeconds(10)));
    }
  }

  @Test
  void unreachableComputerClosesWith4004() throws Exception {
    gateway.registerComputer(apiToken, computerId, "tcp://127.0.0.1:" + unusedPort());

    StreamProbe stream = openStream("{}").get();

    assertEquals(4004, stream.awaitCloseCode(Duration.ofSeconds(15)));
  }

  @Test
  void streamClosesAtTicketExpiryWith4001() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT)) {
      gateway.registerComputer(apiToken, computerId, desktop.vncUrl());

      StreamProbe stream = openStream("{\"ttl_seconds\": 3}").get();

      assertArrayEquals(RFB_3_8, stream.awaitBytes(12, Duration.ofSeconds(10)));
      assertEquals(4001, stream.awaitCloseCode(Duration.ofSeconds(15)));
    }
  }

  @Test
  void revocationClosesStreamsOfThatComputerOnly() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT)) {
      String otherComputer = computerId + "_b";
      gateway.registerComputer(apiToken, computerId, desktop.vncUrl());
      gateway.registerComputer(apiToken, otherComputer, desktop.vncUrl());
      String oldTicket = gateway.mintTicket(apiToken, computerId, "{}").getString("url");
      StreamProbe first = openStream("{}").get();
      StreamProbe second = openStream("{\"read_only\": true}").get();
      StreamProbe elsewhere = openStream(otherComputer, "{}").get();
      assertArrayEquals(RFB_3_8, first.awaitBytes(12, Duration.ofSeconds(10)));
      assertArrayEquals(RFB_3_8, elsewhere.awaitBytes(12, Duration.ofSeconds(10)));

      long start = System.nanoTime();
      HttpResponse<String> revoked =
          gateway.delete("api/v1/computers/" + computerId + "/terminal-tickets", apiToken);

      assertEquals(200, revoked.statusCode(), revoked.body());
      assertEquals(2, GatewayClient.json(revoked).getInt("streams_closed"));
      assertEquals(4003, first.awaitCloseCode(Duration.ofSeconds(5)));
      assertEquals(4003, second.awaitCloseCode(Duration.ofSeconds(5)));
      System.out.printf(
          "Revocation: both streams closed %d ms after the DELETE was sent%n",
          (System.nanoTime() - start) / 1_000_000);
      assertThrows(TimeoutException.class, () -> elsewhere.awaitCloseCode(Duration.ofSeconds(1)));
      assertEquals(403, gateway.get(viewerUrl(oldTicket)).statusCode());
      String newTicket = gateway.mintTicket(apiToken, computerId, "{}").getString("url");
      assertEquals(200, gateway.get(viewerUrl(newTicket)).statusCode());
    }
  }

  @Test
  void revocationWithoutRevokeRoleIsForbidden() {
    gateway.registerComputer(apiToken, computerId, "tcp://127.0.0.1:5999");
    String issueOnly = TOKENS.token("key_issue_only", "acme", java.util.List.of("tickets:issue"));

    HttpResponse<String> response =
        gateway.delete("api/v1/computers/" + computerId + "/terminal-tickets", issueOnly);

    assertEquals(403, response.statusCode());
  }

  @Test
  void embeddedViewerShowsDesktopInChromium() throws IOException {
    try (Desktop desktop = Desktop.start(OUTPUT)) {
      gateway.registerComputer(apiToken, computerId, desktop.vncUrl());
      try (DemoSite site =
          DemoSite.start(
              new InetSocketAddress("127.0.0.1", 0), gateway.base(), apiToken, computerId, "{}")) {
        ChromeDriver browser = Chromium.start(OUTPUT);
        try {
          long start = System.nanoTime();
          browser.get(site.pageUrl().toString());
          awaitStreamState(browser, "connected");

          WebElement frame = EmbeddingPage.enterShownFrame(browser);
          long[] canvas = EmbeddingPage.canvasSizeAndColours(browser);
          System.out.printf(
              "Embedded viewer: first desktop pixels %d ms after the page load began%n",
              (System.nanoTime() - start) / 1_000_000);
          browser.switchTo().defaultContent();
          EmbeddingPage.saveScreenshot(browser, OUTPUT.resolve("embedded-viewer.png"));

          assertEquals(Desktop.WIDTH, canvas[0], "canvas width");
          assertEquals(Desktop.HEIGHT, canvas[1], "canvas height");
          assertTrue(canvas[2] >= 3, "distinct colours on the canvas: " + canvas[2]);
          String allow = frame.getAttribute("allow");
          assertEquals("clipboard-read; clipboard-write", allow);
        } finally {
          browser.quit();
        }
      }
    }
  }

  @Test
  void readOnlyAndInteractiveBrowsersSeeSamePixels() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT)) {
      gateway.registerComputer(apiToken, computerId, desktop.vncUrl());
      InetSocketAddress anyPort = new InetSocketAddress("127.0.0.1", 0);
      try (DemoSite readOnly =
              DemoSite.start(anyPort, gateway.base(), apiToken, computerId, "{\"read_only\": true}");
          DemoSite interactive =
              DemoSite.start(anyPort, gateway.base(), apiToken, computerId, "{}")) {
        ChromeDriver browser = Chromium.start(OUTPUT);
        try {
          browser.get(readOnly.pageUrl().toString());
          awaitStreamState(browser, "connected");
          String readOnlyTab = browser.getWindowHandle();
          browser.switchTo().newWindow(WindowType.TAB);
          browser.get(interactive.pageUrl().toString());
          awaitStreamState(browser, "connected");
          String interactiveTab = browser.getWindowHandle();

          // The terminal's area is static, unlike the clock, so both viewers must match there.
          String interactivePixels = awaitRegionDigest(browser, interactiveTab);
          String readOnlyPixels = awaitRegionDigest(browser, readOnlyTab);

          assertEquals(interactivePixels, readOnlyPixels);
          browser.switchTo().window(readOnlyTab);
          assertEquals(
              "connected",
              EmbeddingPage.streamState(browser),
              "the read-only viewer stays connected");
        } finally {
          browser.quit();
        }
      }
    }
  }

  /** Returns a digest of the terminal's pixels in the viewer of a tab, once they are drawn. */
  private static String awaitRegionDigest(ChromeDriver browser, String tab) {
    browser.switchTo().window(tab);
    EmbeddingPage.enterShownFrame(browser);
    String script =
        """
        const canvas = document.querySelector('#screen canvas');
        if (!canvas || canvas.width < 600) return null;
        const pixels = canvas.getContext('2d').getImageData(20, 20, 560, 380).data;
        let hash = 0, colours = new Set();
        for (let i = 0; i < pixels.length; i += 4) {
          const rgb = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
          colours.add(rgb);
          hash = (Math.imul(hash, 31) + rgb) | 0;
        }
        return colours.size > 1 ? String(hash) : null;
        """;
    Object digest =
        new WebDriverWait(browser, Duration.ofSeconds(20))
            .withMessage("the terminal never appeared in the viewer")
            .until(driver -> ((JavascriptExecutor) driver).executeScript(script));
    browser.switchTo().defaultContent();
    return digest.toString();
  }

  private java.util.concurrent.CompletableFuture<StreamProbe> openStream(String ticketRequest) {
    return openStream(computerId, ticketRequest);
  }

  private java.util.concurrent.CompletableFuture<StreamProbe> openStream(
      String computer, String ticketRequest) {
    String token = gateway.mintTicket(apiToken, computer, ticketRequest).getString("token");
    URI url = gateway.resolve("computer/" + computer + "/websockify?ticket=" + token);
    return StreamProbe.open(gateway.http(), websocketUrl(url));
  }

  /** Returns a ticket's viewer URL on 127.0.0.1, like every call of these tests. */
  private URI viewerUrl(String ticketUrl) {
    URI url = URI.create(ticketUrl);
    return gateway.resolve(
        url.getRawPath().substring(gateway.base().getRawPath().length()) + "?" + url.getRawQuery());
  }

  private static URI websocketUrl(URI httpUrl) {
    return URI.create("ws" + httpUrl.toString().substring("http".length()));
  }

  private static void awaitStreamState(ChromeDriver browser, String state) {
    EmbeddingPage.awaitStreamState(browser, state, Duration.ofSeconds(30));
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }
}
