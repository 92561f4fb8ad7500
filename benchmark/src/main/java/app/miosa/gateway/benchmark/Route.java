package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.DoubleSupplier;

/**
 * One way from the benchmark's viewers to the fake VNC server: through the gateway, websockify
 * or socat, or directly.
 *
 * @param name the column heading
 * @param relayCpuSeconds the relay's CPU seconds so far, or null when there is no relay
 * @param connector opens a connection and runs the viewer's RFB handshake over it
 */
record Route(String name, DoubleSupplier relayCpuSeconds, Connector connector) {
  /** Opens one viewer connection, handshake done. */
  @FunctionalInterface
  interface Connector {
    RfbClient connect() throws IOException;
  }

  boolean hasRelay() {
    return relayCpuSeconds != null;
  }

  double relayCpu() {
    return relayCpuSeconds == null ? Double.NaN : relayCpuSeconds.getAsDouble();
  }

  /**
   * Opens {@code count} viewers, {@code parallelism} at a time. When one fails, the others are
   * closed and the first failure is thrown.
   */
  List<RfbClient> connectAll(int count, int parallelism) throws IOException, InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    List<Future<RfbClient>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(pool.submit(connector::connect));
    }
    pool.shutdown();
    List<RfbClient> clients = new ArrayList<>();
    IOException failure = null;
    for (Future<RfbClient> future : futures) {
      try {
        clients.add(future.get());
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = new IOException("Connecting a viewer through " + name + " failed: "
              + e.getCause(), e.getCause());
        }
      }
    }
    if (failure != null) {
      clients.forEach(RfbClient::close);
      throw failure;
    }
    return clients;
  }
}
