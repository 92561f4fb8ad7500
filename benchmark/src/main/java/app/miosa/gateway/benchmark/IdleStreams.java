package app.miosa.gateway.benchmark;

import java.time.Duration;
import java.util.List;

/**
 * Gateway memory per idle stream, before and while {@code count} viewers are connected with the
 * handshake done and no update requested. Heap is the used heap after a full GC. Memory outside
 * the heap (the relay's direct buffers, thread stacks, metaspace) is estimated as the resident
 * set size minus the committed heap, both read after the same GC. RSS alone is no measure,
 * because G1 gives heap back to the system after a full GC. A first batch of
 * streams is opened and closed before the baseline, so that class loading and compilation on
 * the stream path are not counted.
 */
final class IdleStreams {
  /**
   * @param heapBytesPerStream used heap after GC, per stream
   * @param offHeapBytesPerStream RSS minus committed heap, per stream: an estimate
   */
  record Result(int streams, double heapBytesPerStream, double offHeapBytesPerStream) {}

  /** Streams opened and closed before the baseline. */
  private static final int WARM_UP_STREAMS = 50;

  private IdleStreams() {}

  static Result measure(Route route, GatewayJvm gateway, int count, Duration settle)
      throws Exception {
    route.connectAll(Math.min(count, WARM_UP_STREAMS), 16).forEach(RfbClient::close);
    Thread.sleep(settle.toMillis());
    GatewayJvm.Heap heapBefore = gateway.heapAfterGc();
    long offHeapBefore = gateway.residentBytes() - heapBefore.committedBytes();
    List<RfbClient> clients = route.connectAll(count, 16);
    try {
      for (RfbClient client : clients) {
        client.setEncodingsRaw();
      }
      Thread.sleep(settle.toMillis());
      GatewayJvm.Heap heap = gateway.heapAfterGc();
      long offHeap = gateway.residentBytes() - heap.committedBytes();
      return new Result(
          count,
          (double) (heap.usedBytes() - heapBefore.usedBytes()) / count,
          (double) (offHeap - offHeapBefore) / count);
    } finally {
      clients.forEach(RfbClient::close);
    }
  }
}
