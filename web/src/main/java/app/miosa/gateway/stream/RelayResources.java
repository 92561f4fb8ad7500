package app.miosa.gateway.stream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;

/**
 * What every relay shares: one asynchronous channel group whose few container-managed threads
 * serve all upstream sockets, and the container's scheduler for ticket expiry. No thread is held
 * per stream.
 */
@ApplicationScoped
public class RelayResources {
  /** Threads serving every upstream socket's completions; they never block. */
  private static final int IO_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  @Resource ManagedThreadFactory threadFactory;
  @Resource ManagedScheduledExecutorService scheduler;

  private AsynchronousChannelGroup group;

  @PostConstruct
  void start() {
    try {
      group = AsynchronousChannelGroup.withFixedThreadPool(IO_THREADS, threadFactory);
    } catch (IOException e) {
      throw new UncheckedIOException("Creating the relay's channel group failed", e);
    }
  }

  @PreDestroy
  void stop() {
    group.shutdown();
  }

  AsynchronousSocketChannel openChannel() throws IOException {
    return AsynchronousSocketChannel.open(group);
  }

  ManagedScheduledExecutorService scheduler() {
    return scheduler;
  }
}
