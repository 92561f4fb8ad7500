package app.miosa.gateway.benchmark;

import java.util.concurrent.Callable;

/**
 * Connect time: from holding the stream's URL (with its ticket, for the gateway) to the first
 * FramebufferUpdate. One connect is the TCP connection, the WebSocket upgrade, the RFB handshake,
 * SetEncodings and a non-incremental request for a 1x1 region, so the update itself is 20 bytes.
 * Connects run one after another; the first few warm up and are not counted.
 */
final class ConnectTime {
  /**
   * @param medianMillis median connect time
   * @param p90Millis 90th percentile connect time
   * @param connects connects counted
   */
  record Result(double medianMillis, double p90Millis, int connects) {}

  private ConnectTime() {}

  /**
   * Measures {@code count} connects after {@code warmUp} uncounted ones.
   *
   * @param prepare returns the connector of the next connect, untimed: it mints a fresh ticket
   *     for the gateway
   */
  static Result measure(Callable<Route.Connector> prepare, int warmUp, int count)
      throws Exception {
    Samples samples = new Samples();
    for (int i = 0; i < warmUp + count; i++) {
      Route.Connector connector = prepare.call();
      long start = System.nanoTime();
      try (RfbClient client = connector.connect()) {
        client.setEncodingsRaw();
        client.requestUpdate(false, 0, 0, 1, 1);
        client.readUpdate();
        if (i >= warmUp) {
          samples.add(System.nanoTime() - start);
        }
      }
    }
    return new Result(samples.percentileMillis(50), samples.percentileMillis(90), samples.size());
  }
}
