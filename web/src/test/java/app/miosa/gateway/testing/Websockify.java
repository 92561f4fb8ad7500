package app.miosa.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's websockify on 127.0.0.1, in front of a VNC server: RFB in binary WebSocket messages,
 * the way a computer behind websockify or KasmVNC is reached.
 */
public final class Websockify implements AutoCloseable {
  private final Process process;
  private final int port;

  private Websockify(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static Websockify start(int vncPort, Path logDirectory) throws InterruptedException {
    int port = freePort();
    try {
      Process process =
          new ProcessBuilder("websockify", "127.0.0.1:" + port, "127.0.0.1:" + vncPort)
              .redirectErrorStream(true)
              .redirectOutput(logDirectory.resolve("websockify-" + port + ".log").toFile())
              .start();
      Websockify websockify = new Websockify(process, port);
      websockify.awaitPort();
      return websockify;
    } catch (IOException e) {
      throw new UncheckedIOException("Starting websockify failed; is it installed?", e);
    }
  }

  /** Returns the address a computer registration names: {@code ws://127.0.0.1:port/}. */
  public String url() {
    return "ws://127.0.0.1:" + port + "/";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private void awaitPort() throws InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      if (!process.isAlive()) {
        throw new IllegalStateException("websockify exited at start");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("websockify did not listen on port " + port);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
