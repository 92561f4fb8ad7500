package app.miosa.gateway.benchmark;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Many viewers at about 1 Mbit/s each: the paced fake server sends every connection a 64x48 Raw
 * rectangle (12,304 bytes with headers) every 100 ms, 123 KB/s, stamped with its send time. Each
 * viewer requests an incremental update after every update it receives, as noVNC does, and
 * records the relay delay: its receipt time minus the stamp. The run adds viewers step by step
 * and measures each step over a window after a settling time. It goes on past a step that misses
 * the p99 target, to show how delay grows, but stops when the p99 is over {@link
 * #GIVE_UP_FACTOR} times the target, updates go missing or viewers fail, and when its time is up.
 */
final class PacedViewers {
  static final int INTERVAL_MILLIS = 100;
  static final int WIDTH = 64;
  static final int HEIGHT = 48;

  /** The ramp ends after a step whose p99 delay is over this multiple of the target. */
  static final double GIVE_UP_FACTOR = 10;

  /** A step passes only if viewers receive at least this share of the updates sent for them. */
  static final double MIN_DELIVERED_PERCENT = 90;

  /**
   * Figures of one step.
   *
   * @param viewers viewers connected during the step
   * @param deliveredPercent updates received in the window over updates due in it
   * @param relayCpuPercent relay CPU time over wall time in the window, 100 for one core
   * @param failures viewers whose loop failed so far
   */
  record Step(
      int viewers,
      double p50Millis,
      double p99Millis,
      double deliveredPercent,
      double relayCpuPercent,
      int failures) {
    boolean passes(double targetP99Millis) {
      return p99Millis < targetP99Millis
          && deliveredPercent >= MIN_DELIVERED_PERCENT
          && failures == 0;
    }
  }

  /**
   * The ramp's outcome.
   *
   * @param maxPassing the largest viewer count of a passing step, 0 if none passed
   * @param stopReason why the ramp ended before its last step, or null when it ran them all
   */
  record Result(List<Step> steps, int maxPassing, String stopReason) {}

  private PacedViewers() {}

  /**
   * Ramps viewers through {@code route} up to each count of {@code counts} in turn.
   *
   * @param timeLimit no new step starts after this time from the start of the ramp
   */
  static Result ramp(
      Route route,
      int[] counts,
      Duration settle,
      Duration window,
      Duration timeLimit,
      double targetP99Millis)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeLimit.toNanos();
    List<Viewer> viewers = new ArrayList<>();
    ViewerThreads threads = new ViewerThreads();
    List<Step> steps = new ArrayList<>();
    int maxPassing = 0;
    String stopReason = null;
    try {
      for (int count : counts) {
        if (System.nanoTime() > deadline) {
          stopReason = "time limit of " + timeLimit.toSeconds() + " s reached before "
              + count + " viewers";
          break;
        }
        try {
          addViewers(route, count - viewers.size(), viewers, threads);
        } catch (IOException e) {
          stopReason = "connecting viewer " + (viewers.size() + 1) + " failed: " + e.getMessage();
          break;
        }
        Step step = measureStep(route::relayCpu, viewers, threads, settle, window);
        steps.add(step);
        System.err.printf(
            "Paced viewers, %s, %d: delay p50 %s ms, p99 %s ms, %s%% of updates, relay CPU"
                + " %s%n",
            route.name(),
            step.viewers(),
            Report.number(step.p50Millis()),
            Report.number(step.p99Millis()),
            Report.number(step.deliveredPercent()),
            route.hasRelay() ? Report.number(step.relayCpuPercent()) + "%" : "n/a");
        if (step.passes(targetP99Millis)) {
          maxPassing = count;
        } else if (step.failures() > 0
            || step.deliveredPercent() < MIN_DELIVERED_PERCENT
            || step.p99Millis() > GIVE_UP_FACTOR * targetP99Millis) {
          stopReason = describeMiss(step, targetP99Millis, threads.firstFailure());
          break;
        }
      }
    } finally {
      threads.stop();
      viewers.forEach(viewer -> viewer.client.close());
      threads.join();
    }
    return new Result(steps, maxPassing, stopReason);
  }

  private static String describeMiss(Step step, double targetP99Millis, String failure) {
    if (step.failures() > 0) {
      return step.failures() + " viewers failed at " + step.viewers() + ", first: " + failure;
    }
    if (step.deliveredPercent() < MIN_DELIVERED_PERCENT) {
      return String.format(
          "only %.0f%% of updates arrived at %d viewers", step.deliveredPercent(), step.viewers());
    }
    return String.format(
        "p99 delay %.1f ms at %d viewers is over %.0f ms",
        step.p99Millis(), step.viewers(), GIVE_UP_FACTOR * targetP99Millis);
  }

  private static void addViewers(
      Route route, int count, List<Viewer> viewers, ViewerThreads threads)
      throws IOException, InterruptedException {
    if (count <= 0) {
      return;
    }
    for (RfbClient client : route.connectAll(count, 16)) {
      Viewer viewer = new Viewer(client);
      viewers.add(viewer);
      threads.start("paced-" + route.name() + "-" + viewers.size(), viewer::run);
    }
  }

  private static Step measureStep(
      DoubleSupplier relayCpu,
      List<Viewer> viewers,
      ViewerThreads threads,
      Duration settle,
      Duration window)
      throws InterruptedException {
    Thread.sleep(settle.toMillis());
    for (Viewer viewer : viewers) {
      viewer.reset();
    }
    double cpuBefore = relayCpu.getAsDouble();
    long start = System.nanoTime();
    Thread.sleep(window.toMillis());
    Samples delays = new Samples();
    for (Viewer viewer : viewers) {
      viewer.drainInto(delays);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuPercent = (relayCpu.getAsDouble() - cpuBefore) / seconds * 100;
    double due = viewers.size() * seconds * 1000 / INTERVAL_MILLIS;
    return new Step(
        viewers.size(),
        delays.percentileMillis(50),
        delays.percentileMillis(99),
        delays.size() / due * 100,
        cpuPercent,
        threads.failures());
  }

  /** One viewer's connection and the delays it measured since the last drain. */
  private static final class Viewer {
    private final RfbClient client;
    private final Samples delays = new Samples();

    Viewer(RfbClient client) {
      this.client = client;
    }

    void run(ViewerThreads threads) throws IOException {
      client.setEncodingsRaw();
      client.requestFullUpdate(false);
      while (threads.running()) {
        client.readUpdate();
        long delay = System.nanoTime() - client.lastStamp();
        synchronized (delays) {
          delays.add(delay);
        }
        client.requestFullUpdate(true);
      }
    }

    void reset() {
      synchronized (delays) {
        delays.clear();
      }
    }

    void drainInto(Samples all) {
      synchronized (delays) {
        all.addAll(delays);
        delays.clear();
      }
    }
  }
}
