package app.miosa.gateway.benchmark;

import java.time.Duration;
import java.util.List;

/**
 * Gateway memory per idle stream, before and while {@code count} viewers are connected with the
 * handshake done and no update requested. It compares the used heap after a full GC (through
 * {@code jcmd}), the live direct buffers that the relay reads and sends through, and live threads
 * (both through JMX). A first batch of streams is opened and closed before the baseline, so that
 * class loading and compilation on the stream path are not counted.
 */
final class IdleStreams {
  /** Streams opened and closed before the baseline. */
  private static final int WARM_UP_STREAMS = 50;

  /**
   * @param heapBytesPerStream used heap after GC, per stream
   * @param directBytesPerStream live direct buffer bytes, per stream
   * @param threadsPerStream live threads, per stream
   */
  record Result(
      int streams, double heapBytesPerStream, double directBytesPerStream,
      double threadsPerStream) {}

  private IdleStreams() {}

  static Result measure(Route route, GatewayJvm gateway, int count, Duration settle)
      throws Exception {
    try (GatewayJmx jmx = GatewayJmx.attach(gateway.pid())) {
      route.connectAll(Math.min(count, WARM_UP_STREAMS), 16).forEach(RfbClient::close);
      Thread.sleep(settle.toMillis());
      long heapBefore = gateway.usedHeapAfterGc();
      long directBefore = jmx.directBufferBytes();
      int threadsBefore = jmx.liveThreads();

      List<RfbClient> clients = route.connectAll(count, 16);
      try {
        for (RfbClient client : clients) {
          client.setEncodingsRaw();
        }
        Thread.sleep(settle.toMillis());
        long heap = gateway.usedHeapAfterGc() - heapBefore;
        long direct = jmx.directBufferBytes() - directBefore;
        int threads = jmx.liveThreads() - threadsBefore;
        return new Result(
            count, (double) heap / count, (double) direct / count, (double) threads / count);
      } finally {
        clients.forEach(RfbClient::close);
      }
    }
  }
}
