package app.miosa.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    int port = Ports.free();
    try {
      Process process =
          new ProcessBuilder("websockify", "127.0.0.1:" + port, "127.0.0.1:" + vncPort)
              .redirectErrorStream(true)
              .redirectOutput(logDirectory.resolve("websockify-" + port + ".log").toFile())
              .start();
      Websockify websockify = new Websockify(process, port);
      websockify.awaitListening();
      return websockify;
    } catch (IOException e) {
      throw new UncheckedIOException("Starting websockify failed; is it installed?", e);
    }
  }

  /** Returns the address a computer registration names: {@code ws://127.0.0.1:port/}. */
  public String url() {
    return "ws://127.0.0.1:" + port + "/";
  }

  private void awaitListening() throws InterruptedException {
    Ports.awaitListening(process, port, "websockify");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

}
