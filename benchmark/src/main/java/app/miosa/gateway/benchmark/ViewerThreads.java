package app.miosa.gateway.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One thread per viewer, each running a loop until {@link #stop()}. A loop that fails while the
 * threads run is counted and its first error kept; failures after {@code stop()} are the
 * connections being closed and are ignored.
 */
final class ViewerThreads {
  /** Stack size of viewer threads: their loops are shallow, and a run may start thousands. */
  private static final long STACK_BYTES = 256 * 1024;

  /** The body of one viewer's thread. */
  @FunctionalInterface
  interface Loop {
    void run(ViewerThreads threads) throws Exception;
  }

  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private volatile boolean running = true;

  /** Starts a thread running {@code loop}. */
  void start(String name, Loop loop) {
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                loop.run(this);
              } catch (Exception e) {
                if (running) {
                  failures.incrementAndGet();
                  firstFailure.compareAndSet(null, name + ": " + e);
                }
              }
            },
            name,
            STACK_BYTES);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  /** Returns whether the loops should go on. */
  boolean running() {
    return running;
  }

  int failures() {
    return failures.get();
  }

  /** Returns the first failure, naming its thread, or null. */
  String firstFailure() {
    return firstFailure.get();
  }

  /** Asks every loop to end. The caller then closes the connections the loops block on. */
  void stop() {
    running = false;
  }

  /** Waits for every thread to end, at most a few seconds in all. */
  void join() throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    for (Thread thread : threads) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      thread.join(left);
    }
  }
}
