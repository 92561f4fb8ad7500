package app.miosa.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Ports on 127.0.0.1 for the processes the tests start. */
public final class Ports {
  private Ports() {}

  /** Returns a port on 127.0.0.1 that nothing listens on at the moment. */
  public static int free() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on 127.0.0.1", e);
    }
  }

  /**
   * Waits up to 10 s until {@code process} listens on {@code port} of 127.0.0.1.
   *
   * @param name what the process is, for the error
   * @throws IllegalStateException when the process exits or does not listen in time
   */
  public static void awaitListening(Process process, int port, String name)
      throws InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start; is it installed?");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(name + " did not listen on port " + port);
  }
}
