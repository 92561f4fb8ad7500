package app.miosa.gateway.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code server-config/run-gateway.sh} run as an operator runs it, on a free loopback port that
 * stays the same across restarts. Its output goes to {@code gateway-PORT.log} in the output folder,
 * and the embedded database, when used, to {@code data/} there.
 */
public final class GatewayScript {
  /** How long Payara Micro may take to start and deploy the gateway. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);

  private final Path output;
  private final int port;
  private Process process;

  public GatewayScript(Path output) throws IOException {
    this.output = output;
    this.port = unusedPort();
  }

  public int port() {
    return port;
  }

  /** Returns the gateway's base URL, {@code http://127.0.0.1:PORT/}. */
  public URL url() {
    try {
      return new URL("http://127.0.0.1:" + port + "/");
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts the script with these environment variables besides the port and data folder, and waits
   * until the gateway serves its static files.
   */
  public void start(Map<String, String> environment) throws IOException, InterruptedException {
    Files.createDirectories(output);
    ProcessBuilder builder =
        new ProcessBuilder("bash", "../server-config/run-gateway.sh")
            .redirectErrorStream(true)
            .redirectOutput(output.resolve("gateway-" + port + ".log").toFile());
    builder.environment().putAll(environment);
    builder.environment().put("GATEWAY_HTTP_PORT", String.valueOf(port));
    builder
        .environment()
        .put("GATEWAY_DATA_DIR", output.resolve("data").toAbsolutePath().toString());
    process = builder.start();
    awaitReady();
  }

  /** Stops the gateway if it runs, forcibly after 30 seconds. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private void awaitReady() throws InterruptedException {
    GatewayClient probe = new GatewayClient(url());
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("run-gateway.sh exited; see " + output);
      }
      try {
        if (probe.get(URI.create("http://127.0.0.1:" + port + "/static/viewer.js")).statusCode()
            == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("The gateway was not ready within " + READY_TIMEOUT);
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }
}
