package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A relay in its own process on 127.0.0.1: socat or Debian's websockify. */
final class RelayProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final int port;

  private RelayProcess(String name, Process process, int port) {
    this.name = name;
    this.process = process;
    this.port = port;
  }

  /**
   * Starts socat as a TCP relay to {@code targetPort}, forking per connection, tuned as the
   * comparison needs: Nagle's algorithm off on both sides and a 64 KiB data buffer ({@code -b
   * 65536}, 8 KiB by default). Socket buffers keep the kernel's sizes, as the gateway's do.
   */
  static RelayProcess socat(int targetPort, Path logDirectory) throws InterruptedException {
    int port = freePort();
    return start(
        "socat",
        port,
        logDirectory,
        List.of(
            "socat",
            "-b",
            "65536",
            "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork,nodelay",
            "TCP:127.0.0.1:" + targetPort + ",nodelay"));
  }

  /** Starts websockify, relaying binary WebSocket messages to TCP {@code targetPort}. */
  static RelayProcess websockify(int targetPort, Path logDirectory) throws InterruptedException {
    int port = freePort();
    return start(
        "websockify",
        port,
        logDirectory,
        List.of("websockify", "127.0.0.1:" + port, "127.0.0.1:" + targetPort));
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Stops the relay and every process it forked. */
  @Override
  public void close() {
    List<ProcessHandle> children = new ArrayList<>();
    process.descendants().forEach(children::add);
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static RelayProcess start(String name, int port, Path logDirectory, List<String> command)
      throws InterruptedException {
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(logDirectory.resolve(name + "-" + port + ".log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Starting " + name + " failed; is it installed?", e);
    }
    RelayProcess relay = new RelayProcess(name, process, port);
    relay.awaitPort();
    return relay;
  }

  private void awaitPort() throws InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start, with status "
            + process.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException(name + " did not listen on port " + port + " within 10 s");
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on 127.0.0.1", e);
    }
  }
}
