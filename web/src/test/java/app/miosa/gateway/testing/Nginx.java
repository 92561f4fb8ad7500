package app.miosa.gateway.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx on 127.0.0.1 in front of gateway nodes, with {@code
 * server-config/cluster/nginx.conf} as the operator would use it: the example's listener and
 * node addresses are replaced with the test's ports.
 */
public final class Nginx implements AutoCloseable {
  private static final Path EXAMPLE = Path.of("..", "server-config", "cluster", "nginx.conf");
  private static final List<String> EXAMPLE_NODES =
      List.of("127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083");

  private final Process process;
  private final int port;

  private Nginx(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts nginx on {@code port} in front of the gateway nodes on {@code nodePorts}. */
  public static Nginx start(Path directory, int port, List<Integer> nodePorts)
      throws IOException, InterruptedException {
    if (nodePorts.size() != EXAMPLE_NODES.size()) {
      throw new IllegalArgumentException("The example has " + EXAMPLE_NODES.size() + " nodes");
    }
    Path root = Files.createDirectories(directory.toAbsolutePath());
    String site = Files.readString(EXAMPLE).replace("listen 127.0.0.1:8080;", "listen 127.0.0.1:" + port + ";");
    for (int i = 0; i < nodePorts.size(); i++) {
      site = site.replace(EXAMPLE_NODES.get(i), "127.0.0.1:" + nodePorts.get(i));
    }
    Files.writeString(root.resolve("stream-gateway.conf"), site);
    Files.writeString(
        root.resolve("nginx.conf"),
        String.join(
            "\n",
            "daemon off;",
            "worker_processes 1;",
            "pid " + root.resolve("nginx.pid") + ";",
            "error_log " + root.resolve("error.log") + " info;",
            "events {}",
            "http {",
            "  access_log " + root.resolve("access.log") + ";",
            "  include " + root.resolve("stream-gateway.conf") + ";",
            "}",
            ""));
    Process process =
        new ProcessBuilder("nginx", "-p", root.toString(), "-c", root.resolve("nginx.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("nginx.out").toFile())
            .start();
    Nginx nginx = new Nginx(process, port);
    nginx.awaitListening();
    return nginx;
  }

  /** Returns the load balancer's base URL, ending in '/'. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  private void awaitListening() throws InterruptedException {
    Ports.awaitListening(process, port, "nginx");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

}
