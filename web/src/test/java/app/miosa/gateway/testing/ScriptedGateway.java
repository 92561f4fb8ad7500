package app.miosa.gateway.testing;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway started by {@code server-config/run-gateway.sh} as an operator starts it, on a free
 * loopback port, with the tests' API token issuer and signing key. Closing it stops the process.
 */
public final class ScriptedGateway implements AutoCloseable {
  private final Path output;
  private final ApiTokens tokens;
  private final int port;
  private final Map<String, String> environment;
  private Process process;
  private Thread stopAtExit;

  private ScriptedGateway(Path output, ApiTokens tokens, Map<String, String> environment)
      throws IOException {
    this.output = output;
    this.tokens = tokens;
    this.port = Ports.free();
    this.environment = Map.copyOf(environment);
  }

  /**
   * Starts the gateway and waits until it serves requests.
   *
   * @param environment further variables, such as {@code GATEWAY_DB_URL}
   */
  public static ScriptedGateway start(Path output, ApiTokens tokens, Map<String, String> environment)
      throws IOException, InterruptedException {
    ScriptedGateway gateway = new ScriptedGateway(output, tokens, environment);
    gateway.restart();
    return gateway;
  }

  /** Returns the gateway's base URL, ending in '/'. */
  public URL url() {
    try {
      return new URL("http://127.0.0.1:" + port + "/");
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  /** Stops the gateway if it runs, then starts it again with the same settings and port. */
  public void restart() throws IOException, InterruptedException {
    stop();
    Files.createDirectories(output);
    Path publicKey = tokens.writePublicKey(output.resolve("api-public-key.pem"));
    ProcessBuilder builder =
        new ProcessBuilder("bash", "../server-config/run-gateway.sh")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(output.resolve("gateway-" + port + ".log").toFile()));
    Map<String, String> variables = new HashMap<>();
    variables.put("GATEWAY_HTTP_PORT", String.valueOf(port));
    variables.put("GATEWAY_DATA_DIR", output.resolve("data").toAbsolutePath().toString());
    variables.put("MP_JWT_VERIFY_ISSUER", ApiTokens.ISSUER);
    variables.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toAbsolutePath().toUri().toString());
    variables.put("GATEWAY_TICKET_SIGNING_KEYS", GatewayDeployment.SIGNING_KEYS);
    variables.put("GATEWAY_AUDIT_KEY", GatewayDeployment.AUDIT_KEY);
    variables.put("GATEWAY_PUBLIC_URL", "http://127.0.0.1:" + port);
    variables.putAll(environment);
    builder.environment().putAll(variables);
    process = builder.start();
    // A JVM stopped while the gateway starts would otherwise leave Payara Micro running.
    stopAtExit = new Thread(this::stopQuietly, "scripted-gateway-stop");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
    try {
      awaitReady(Duration.ofSeconds(150));
    } catch (InterruptedException | RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Stops the gateway and waits for its process to end. */
  public void stop() throws InterruptedException {
    if (stopAtExit != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopAtExit);
      } catch (IllegalStateException e) {
        // The JVM is exiting, and the hook is what stops the gateway now.
      }
      stopAtExit = null;
    }
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Kills the gateway's JVM at once, as a node that dies, and waits for it to end. */
  public void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    GatewayClient probe = new GatewayClient(url());
    URI script = URI.create("http://127.0.0.1:" + port + "/static/viewer.js");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("run-gateway.sh exited; see the log in " + output);
      }
      try {
        if (probe.get(script).statusCode() == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("The gateway was not ready within " + timeout);
  }

}
