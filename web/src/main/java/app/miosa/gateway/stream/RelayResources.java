package app.miosa.gateway.stream;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import app.miosa.gateway.computer.VncAddress;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;

/**
 * Resources every relay shares: one asynchronous channel group whose few container-managed threads
 * serve all upstream sockets, a WebSocket client on the container's executor for VNC servers
 * behind a WebSocket, and the container's scheduler for ticket expiry. No thread is held per
 * stream.
 */
@ApplicationScoped
public class RelayResources {
  /** Threads serving every upstream socket's completions; the relay's handlers do not block. */
  private static final int IO_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  @Resource ManagedThreadFactory threadFactory;
  @Resource ManagedScheduledExecutorService scheduler;
  @Resource ManagedExecutorService executor;

  private AsynchronousChannelGroup group;
  private HttpClient webSocketClient;

  @PostConstruct
  void start() {
    try {
      group = AsynchronousChannelGroup.withFixedThreadPool(IO_THREADS, threadFactory);
      webSocketClient = HttpClient.newBuilder().executor(executor).build();
    } catch (IOException e) {
      throw new UncheckedIOException("Creating the relay's channel group failed", e);
    }
  }

  @PreDestroy
  void stop() {
    group.shutdown();
  }

  /** Returns an unconnected channel to the VNC server at {@code address}. */
  UpstreamChannel openUpstream(VncAddress address) throws IOException {
    if (address.isWebSocket()) {
      return new WebSocketUpstream(webSocketClient, address.webSocketUrl());
    }
    return new TcpUpstream(
        AsynchronousSocketChannel.open(group),
        new InetSocketAddress(address.host(), address.port()));
  }

  ManagedScheduledExecutorService scheduler() {
    return scheduler;
  }
}
