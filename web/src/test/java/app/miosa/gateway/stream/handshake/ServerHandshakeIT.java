package app.miosa.gateway.stream.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.Desktop;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The gateway's client handshake against a real Xvnc, with and without a VNC password. */
class ServerHandshakeIT {
  private static final Path OUTPUT = Path.of("target", "server-handshake-it");

  @Test
  void vncAuthenticationWithRightPasswordReachesServerInit() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, "s3cret!x")) {
      ServerHandshake handshake = new ServerHandshake("s3cret!x");

      byte[] serverInit = run(handshake, desktop.port());

      assertEquals(Desktop.WIDTH, ((serverInit[0] & 0xFF) << 8) | (serverInit[1] & 0xFF));
      assertEquals(Desktop.HEIGHT, ((serverInit[2] & 0xFF) << 8) | (serverInit[3] & 0xFF));
    }
  }

  @Test
  void vncAuthenticationWithWrongPasswordFails() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, "s3cret!x")) {
      ServerHandshake handshake = new ServerHandshake("wrong");

      HandshakeException failure =
          assertThrows(HandshakeException.class, () -> run(handshake, desktop.port()));

      assertTrue(failure.getMessage().startsWith("VNC authentication failed"), failure.getMessage());
    }
  }

  @Test
  void passwordProtectedServerWithoutStoredPasswordIsRejected() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT, "s3cret!x")) {
      ServerHandshake handshake = new ServerHandshake(null);

      HandshakeException failure =
          assertThrows(HandshakeException.class, () -> run(handshake, desktop.port()));

      assertTrue(failure.getMessage().contains("vnc_password"), failure.getMessage());
    }
  }

  @Test
  void securityNoneReachesServerInit() throws Exception {
    try (Desktop desktop = Desktop.start(OUTPUT)) {
      byte[] serverInit = run(new ServerHandshake(null), desktop.port());

      assertEquals(Desktop.WIDTH, ((serverInit[0] & 0xFF) << 8) | (serverInit[1] & 0xFF));
    }
  }

  /** Runs the handshake over a socket and returns ServerInit. */
  private static byte[] run(ServerHandshake handshake, int port)
      throws IOException, HandshakeException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      while (!handshake.isDone()) {
        int read = in.read(buffer);
        if (read < 0) {
          throw new IOException("Xvnc closed the connection during the handshake");
        }
        ByteBuffer reply = handshake.feed(ByteBuffer.wrap(Arrays.copyOf(buffer, read)));
        socket.getOutputStream().write(reply.array(), reply.position(), reply.remaining());
      }
      return handshake.serverInit();
    }
  }
}
