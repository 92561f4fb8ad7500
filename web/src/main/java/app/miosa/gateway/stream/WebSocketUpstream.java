package app.miosa.gateway.stream;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * RFB carried in binary WebSocket messages to a VNC server behind websockify or KasmVNC, through
 * the JDK's WebSocket client.
 *
 * <p>Flow control follows the relay: the next message is requested from the server only once the
 * previous one has been read completely, so a slow viewer slows the server instead of filling
 * memory.
 */
final class WebSocketUpstream implements UpstreamChannel, WebSocket.Listener {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final URI url;

  private WebSocket socket;
  private ByteBuffer pending;
  private ByteBuffer readTarget;
  private CompletionHandler<Integer, Void> readHandler;
  private boolean ended;

  WebSocketUpstream(HttpClient http, URI url) {
    this.http = http;
    this.url = url;
  }

  @Override
  public void connect(CompletionHandler<Void, Void> handler) {
    http.newWebSocketBuilder()
        .subprotocols("binary")
        .connectTimeout(CONNECT_TIMEOUT)
        .buildAsync(url, this)
        .whenComplete(
            (connected, error) -> {
              if (error != null) {
                handler.failed(error, null);
              } else {
                handler.completed(null, null);
              }
            });
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    synchronized (this) {
      socket = webSocket;
    }
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
    synchronized (this) {
      pending = copy;
    }
    deliver();
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    end(new IOException("The VNC server sent a text message; RFB travels in binary messages"));
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    end(null);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    end(error);
  }

  @Override
  public void read(ByteBuffer target, CompletionHandler<Integer, Void> handler) {
    synchronized (this) {
      readTarget = target;
      readHandler = handler;
    }
    deliver();
  }

  @Override
  public void write(ByteBuffer source, CompletionHandler<Integer, Void> handler) {
    int length = source.remaining();
    socket
        .sendBinary(source, true)
        .whenComplete(
            (sent, error) -> {
              if (error != null) {
                handler.failed(error, null);
              } else {
                handler.completed(length, null);
              }
            });
  }

  @Override
  public void close() {
    WebSocket current;
    synchronized (this) {
      current = socket;
    }
    if (current != null) {
      current.abort();
    }
  }

  @Override
  public String describe() {
    return url.getScheme() + "://" + url.getHost() + ":" + url.getPort() + url.getPath();
  }

  /** Completes the waiting read from the pending message, or with -1 once the stream ended. */
  private void deliver() {
    CompletionHandler<Integer, Void> handler;
    int copied;
    boolean requestMore = false;
    synchronized (this) {
      if (readHandler == null) {
        return;
      }
      if (pending == null) {
        if (!ended) {
          return;
        }
        copied = -1;
      } else {
        copied = Math.min(pending.remaining(), readTarget.remaining());
        ByteBuffer slice = pending.slice(pending.position(), copied);
        readTarget.put(slice);
        pending.position(pending.position() + copied);
        if (!pending.hasRemaining()) {
          pending = null;
          requestMore = !ended;
        }
      }
      handler = readHandler;
      readHandler = null;
      readTarget = null;
    }
    if (requestMore) {
      socket.request(1);
    }
    handler.completed(copied, null);
  }

  private void end(Throwable error) {
    CompletionHandler<Integer, Void> handler;
    synchronized (this) {
      ended = true;
      if (error == null || readHandler == null) {
        handler = null;
      } else {
        handler = readHandler;
        readHandler = null;
      }
    }
    if (handler != null) {
      handler.failed(error, null);
    } else {
      deliver();
    }
  }
}
