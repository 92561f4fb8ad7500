package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.Desktop;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.GatewayDeployment;
import app.miosa.gateway.testing.RecordingVncServer;
import app.miosa.gateway.testing.RfbViewer;
import app.miosa.gateway.testing.Websockify;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The RFB-aware relay against a real Xvnc with a VNC password: the gateway authenticates itself,
 * forces the shared flag, and drops input on read-only tickets. Typing into the desktop's
 * terminal is observed through a file the typed command creates.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RfbFilterIT {
  private static final ApiTokens TOKENS = ApiTokens.generate();
  private static final Path OUTPUT = Path.of("target", "rfb-filter-it").toAbsolutePath();
  private static final String PASSWORD = "pa55word";

  /** A point inside the desktop's xterm, which takes keyboard focus from the pointer. */
  private static final int TERMINAL_X = 120;
  private static final int TERMINAL_Y = 120;

  @ArquillianResource private URL deploymentUrl;

  private GatewayClient gateway;
  private String apiToken;
  private String computerId;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return GatewayDeployment.war(TOKENS, "rfb-filter");
  }

  @BeforeEach
  void createClient() {
    gateway = new GatewayClient(deploymentUrl);
    apiToken = TOKENS.token("key_rfb_test", "acme", ApiTokens.ALL_ROLES);
    computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void passwordProtectedDesktopStreamsWithoutPasswordInBrowser() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, PASSWORD)) {
      HttpResponse<String> registered = register(desktop);

      RfbViewer viewer = connect("{}", true);

      assertEquals(Desktop.WIDTH, viewer.desktopSize()[0]);
      assertEquals(Desktop.HEIGHT, viewer.desktopSize()[1]);
      assertFalse(registered.body().contains(PASSWORD), registered.body());
      String fetched = gateway.get("api/v1/computers/" + computerId, apiToken).body();
      assertFalse(fetched.contains(PASSWORD), fetched);
      assertTrue(fetched.contains("\"has_vnc_password\":true"), fetched);
      String received = new String(viewer.received(), StandardCharsets.ISO_8859_1);
      assertFalse(received.contains(PASSWORD), "the viewer received the password");
    }
  }

  @Test
  void wrongStoredPasswordClosesWith4004() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, PASSWORD)) {
      gateway.put(
          "api/v1/computers/" + computerId,
          apiToken,
          "{\"vnc_url\": \"" + desktop.vncUrl() + "\", \"vnc_password\": \"wrong\"}");

      AssertionError handshake = assertThrows(AssertionError.class, () -> connect("{}", true));

      assertTrue(handshake.getMessage().contains("Expected"), handshake.getMessage());
    }
  }

  @Test
  void interactiveTicketTypesIntoDesktop() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, PASSWORD)) {
      register(desktop);
      Path marker = OUTPUT.resolve("typed-" + UUID.randomUUID());

      RfbViewer viewer = connect("{}", true);
      viewer.pointer(TERMINAL_X, TERMINAL_Y, 0);
      viewer.type("touch " + marker + "\n");

      assertTrue(awaitFile(marker, Duration.ofSeconds(20)), "typed command did not run");
    }
  }

  @Test
  void webSocketUpstreamBehindWebsockifyRelaysInput() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, PASSWORD);
        Websockify websockify = Websockify.start(desktop.port(), OUTPUT)) {
      register(websockify.url());
      Path marker = OUTPUT.resolve("typed-" + UUID.randomUUID());

      RfbViewer viewer = connect("{}", true);
      viewer.pointer(TERMINAL_X, TERMINAL_Y, 0);
      viewer.type("touch " + marker + "\n");

      assertEquals(Desktop.WIDTH, viewer.desktopSize()[0]);
      assertTrue(awaitFile(marker, Duration.ofSeconds(20)), "typed command did not run");
    }
  }

  @Test
  void oversizedClipboardFromDesktopIsDropped() throws Exception {
    try (RecordingVncServer server = RecordingVncServer.start()) {
      register(server.vncUrl());
      RfbViewer viewer = connect("{}", true);
      byte[] small = {
        3, 0, 0, 0, // ServerCutText, padding
        0, 0, 0, 2, // length 2
        'h', 'i'
      };
      byte[] large = new byte[8 + 300 * 1024]; // over the 256 KiB default limit
      large[0] = 3; // ServerCutText
      large[5] = (byte) ((300 * 1024) >>> 16); // length, big-endian
      large[6] = (byte) ((300 * 1024) >>> 8);
      byte[] bell = {2}; // Bell

      RecordingVncServer.Connection connection =
          server.awaitConnection(0, Duration.ofSeconds(10));
      connection.send(small);
      connection.send(large);
      connection.send(bell);

      assertArrayEquals(small, viewer.expect(small.length));
      assertArrayEquals(bell, viewer.expect(1));
    }
  }

  @Test
  void encodingsTheGatewayCannotFrameAreNotRequested() throws Exception {
    try (RecordingVncServer server = RecordingVncServer.start()) {
      register(server.vncUrl());
      RfbViewer viewer = connect("{}", true);
      viewer.stream().send(new byte[] {
        2, 0, 0, 4, // SetEncodings, padding, 4 encodings
        0, 0, 0, 7, // Tight
        0, 0, 0, 50, // H.264, which the gateway cannot delimit
        0, 0, 0x30, 0x39, // 12345, not an encoding at all
        0, 0, 0, 0 // Raw
      });

      RecordingVncServer.Connection connection =
          server.awaitConnection(0, Duration.ofSeconds(10));
      assertTrue(connection.awaitRecorded(12, Duration.ofSeconds(10)));
      assertArrayEquals(
          new byte[] {2, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 0},
          connection.recorded());
    }
  }

  @Test
  void readOnlyTicketDropsKeyAndPointerEvents() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, PASSWORD)) {
      register(desktop);
      Path marker = OUTPUT.resolve("typed-" + UUID.randomUUID());

      RfbViewer viewer = connect("{\"read_only\": true}", true);
      viewer.pointer(TERMINAL_X, TERMINAL_Y, 0);
      viewer.type("touch " + marker + "\n");
      // Control messages still pass, so the update request gets pixels back.
      viewer.requestUpdate(false);
      byte[] update = viewer.expect(4); // FramebufferUpdate: u8 type 0, padding, u16 rectangles

      assertEquals(0, update[0], "FramebufferUpdate message type");
      assertFalse(awaitFile(marker, Duration.ofSeconds(3)), "read-only input reached the desktop");
    }
  }

  @Test
  void unknownMessageEndsReadOnlyStreamWith4008() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, PASSWORD)) {
      register(desktop);

      RfbViewer viewer = connect("{\"read_only\": true}", true);
      viewer.stream().send(new byte[] {7, 0, 0, 0}); // message type 7 is not defined

      assertEquals(4008, viewer.stream().awaitCloseCode(Duration.ofSeconds(10)));
    }
  }

  @Test
  void exclusiveViewerCannotDisconnectOthers() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, PASSWORD)) {
      register(desktop);

      RfbViewer first = connect("{\"read_only\": true}", true);
      RfbViewer second = connect("{}", false); // requests exclusive access from the server
      first.requestUpdate(false);
      second.requestUpdate(false);

      assertEquals(0, first.expect(1)[0], "first viewer's FramebufferUpdate");
      assertEquals(0, second.expect(1)[0], "second viewer's FramebufferUpdate");
    }
  }

  private HttpResponse<String> register(Desktop desktop) {
    return register(desktop.vncUrl());
  }

  private HttpResponse<String> register(String vncUrl) {
    HttpResponse<String> response =
        gateway.put(
            "api/v1/computers/" + computerId,
            apiToken,
            "{\"vnc_url\": \""
                + vncUrl
                + "\", \"state\": \"running\", \"vnc_password\": \""
                + PASSWORD
                + "\"}");
    assertEquals(201, response.statusCode(), response.body());
    return response;
  }

  private RfbViewer connect(String ticketRequest, boolean shared) throws Exception {
    String token = gateway.mintTicket(apiToken, computerId, ticketRequest).getString("token");
    URI url = gateway.resolve("computer/" + computerId + "/websockify?ticket=" + token);
    return RfbViewer.connect(
        gateway.http(), URI.create("ws" + url.toString().substring("http".length())), shared);
  }

  private static boolean awaitFile(Path file, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        return true;
      }
      Thread.sleep(100);
    }
    return Files.exists(file);
  }
}
