package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Relay throughput: each viewer keeps two full-screen update requests outstanding, so the fake
 * server always has an 8 MB Raw update to send, and reads every byte. Bytes and CPU time are
 * sampled after a warm-up and again after a fixed time.
 */
final class Throughput {
  /** Update requests each viewer keeps outstanding, so the pipe never drains between updates. */
  private static final int OUTSTANDING_REQUESTS = 2;

  /**
   * Figures of one route.
   *
   * @param megabytesPerSecond update bytes received per second by all viewers, in 10^6 bytes
   * @param relayCpuSecondsPerGigabyte relay CPU seconds per 10^9 bytes relayed; NaN without relay
   * @param relayCpuPercent relay CPU time over wall time, 100 for one core
   * @param clientCpuPercent the benchmark JVM's CPU time over wall time: viewers and fake server
   * @param failures viewers whose loop failed during the run
   */
  record Result(
      double megabytesPerSecond,
      double relayCpuSecondsPerGigabyte,
      double relayCpuPercent,
      double clientCpuPercent,
      int failures,
      String firstFailure) {}

  private Throughput() {}

  static Result measure(Route route, int streams, Duration warmUp, Duration duration)
      throws IOException, InterruptedException {
    List<RfbClient> clients = route.connectAll(streams, 8);
    ViewerThreads threads = new ViewerThreads();
    try {
      for (int i = 0; i < clients.size(); i++) {
        RfbClient client = clients.get(i);
        threads.start(
            "throughput-" + route.name() + "-" + i,
            loop -> {
              client.setEncodingsRaw();
              for (int r = 0; r < OUTSTANDING_REQUESTS; r++) {
                client.requestFullUpdate(false);
              }
              while (loop.running()) {
                client.readUpdate();
                client.requestFullUpdate(true);
              }
            });
      }
      Thread.sleep(warmUp.toMillis());
      long bytesBefore = totalBytes(clients);
      double relayBefore = route.relayCpu();
      double clientBefore = ProcessCpu.seconds(ProcessHandle.current().pid());
      long start = System.nanoTime();

      Thread.sleep(duration.toMillis());
      long bytes = totalBytes(clients) - bytesBefore;
      double relay = route.relayCpu() - relayBefore;
      double client = ProcessCpu.seconds(ProcessHandle.current().pid()) - clientBefore;
      double seconds = (System.nanoTime() - start) / 1e9;

      return new Result(
          bytes / seconds / 1e6,
          relay / (bytes / 1e9),
          relay / seconds * 100,
          client / seconds * 100,
          threads.failures(),
          threads.firstFailure());
    } finally {
      threads.stop();
      clients.forEach(RfbClient::close);
      threads.join();
    }
  }

  private static long totalBytes(List<RfbClient> clients) {
    long total = 0;
    for (RfbClient client : clients) {
      total += client.updateBytes();
    }
    return total;
  }
}
