package app.miosa.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket viewer without a browser: it records every byte the gateway relays and the close
 * code the stream ends with.
 */
public final class StreamProbe implements WebSocket.Listener {
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private WebSocket socket;

  /** Opens a stream; the future fails with the handshake's error when the upgrade is rejected. */
  public static CompletableFuture<StreamProbe> open(HttpClient http, URI websocketUrl) {
    return open(http, websocketUrl, null);
  }

  /**
   * Opens a stream as a browser page of {@code origin} would.
   *
   * @param origin the {@code Origin} header, or null to send none
   */
  public static CompletableFuture<StreamProbe> open(
      HttpClient http, URI websocketUrl, String origin) {
    StreamProbe probe = new StreamProbe();
    WebSocket.Builder builder = http.newWebSocketBuilder();
    if (origin != null) {
      builder.header("Origin", origin);
    }
    return builder
        .subprotocols("binary")
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(websocketUrl, probe)
        .thenApply(
            socket -> {
              probe.socket = socket;
              return probe;
            });
  }

  public WebSocket socket() {
    return socket;
  }

  /** Waits until at least {@code count} bytes have arrived and returns all received so far. */
  public byte[] awaitBytes(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (received.size() < count && System.nanoTime() < deadline && !closeCode.isDone()) {
        received.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      return received.toByteArray();
    }
  }

  /** Waits for the stream to close and returns its close code. */
  public int awaitCloseCode(Duration timeout) throws Exception {
    return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void send(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    synchronized (received) {
      received.writeBytes(bytes);
      received.notifyAll();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeCode.complete(statusCode);
    synchronized (received) {
      received.notifyAll();
    }
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeCode.completeExceptionally(error);
    synchronized (received) {
      received.notifyAll();
    }
  }
}
