package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Added latency: each viewer sends an incremental FramebufferUpdateRequest for a 1x1 region and
 * waits for the whole 20-byte update the fake server sends back, in a loop. The round trip is
 * the time from the request's send to the update's last byte.
 */
final class RoundTrip {
  /**
   * Figures of one route.
   *
   * @param p50Millis median round trip
   * @param p99Millis 99th percentile round trip
   * @param roundTripsPerSecond round trips completed per second by all viewers together
   * @param failures viewers whose loop failed during the run
   */
  record Result(
      double p50Millis,
      double p99Millis,
      double roundTripsPerSecond,
      int failures,
      String firstFailure) {}

  private RoundTrip() {}

  static Result measure(Route route, int streams, Duration warmUp, Duration duration)
      throws IOException, InterruptedException {
    List<RfbClient> clients = route.connectAll(streams, 8);
    List<Samples> perViewer = new ArrayList<>();
    ViewerThreads threads = new ViewerThreads();
    long windowStart = System.nanoTime() + warmUp.toNanos();
    long windowEnd = windowStart + duration.toNanos();
    try {
      for (int i = 0; i < clients.size(); i++) {
        RfbClient client = clients.get(i);
        Samples samples = new Samples();
        perViewer.add(samples);
        threads.start(
            "round-trip-" + route.name() + "-" + i,
            loop -> {
              client.setEncodingsRaw();
              while (loop.running()) {
                long sent = System.nanoTime();
                client.requestUpdate(true, 0, 0, 1, 1);
                client.readUpdate();
                long received = System.nanoTime();
                if (sent >= windowStart && received <= windowEnd) {
                  samples.add(received - sent);
                }
                if (received > windowEnd) {
                  return;
                }
              }
            });
      }
      Thread.sleep(Math.max(0, (windowEnd - System.nanoTime()) / 1_000_000) + 100);
    } finally {
      threads.stop();
      clients.forEach(RfbClient::close);
      threads.join();
    }
    Samples all = new Samples();
    perViewer.forEach(all::addAll);
    return new Result(
        all.percentileMillis(50),
        all.percentileMillis(99),
        all.size() / (duration.toNanos() / 1e9),
        threads.failures(),
        threads.firstFailure());
  }
}
