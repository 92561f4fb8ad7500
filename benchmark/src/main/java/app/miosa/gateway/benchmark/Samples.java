package app.miosa.gateway.benchmark;

import java.util.Arrays;

/** A growable list of durations in nanoseconds, with nearest-rank percentiles. */
final class Samples {
  private long[] values = new long[1024];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  void addAll(Samples other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  void clear() {
    size = 0;
  }

  int size() {
    return size;
  }

  /**
   * Returns the {@code percent} percentile in milliseconds (nearest rank), or NaN when empty.
   */
  double percentileMillis(double percent) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percent / 100 * size);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }
}
