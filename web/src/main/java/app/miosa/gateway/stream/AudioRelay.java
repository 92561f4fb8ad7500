package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Relays a computer's audio source to one viewer's WebSocket without holding a thread. The
 * bytes pass as they arrive, each read as one binary message; the gateway does not look into
 * the encoded audio. One buffer is read, sent, and only then reused, so a slow viewer slows the
 * reads instead of filling memory. The viewer sends nothing on this stream.
 */
final class AudioRelay extends ViewerRelay {
  /** Size of the read buffer, and so of the largest binary message sent. */
  static final int READ_BUFFER_BYTES = 16 * 1024;

  private final ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
  private final SendHandler afterSend = result -> afterSend(result.isOK(), result.getException());
  private final AtomicLong bytesToViewer = new AtomicLong();

  /** @param onClose called once, with the reason the stream ended, after both sides are closed */
  AudioRelay(Session session, UpstreamChannel channel, Consumer<CloseReason> onClose) {
    super(session, channel, onClose);
  }

  /** Connects to the audio source and relays what it sends until either side closes. */
  void connect() {
    connect(Failure.AUDIO_SOURCE_UNREACHABLE);
  }

  @Override
  void onConnected() {
    read();
  }

  long bytesToViewer() {
    return bytesToViewer.get();
  }

  private void read() {
    buffer.clear();
    channel.read(
        buffer,
        new CompletionHandler<Integer, Void>() {
          @Override
          public void completed(Integer read, Void attachment) {
            if (read < 0) {
              close(
                  new CloseReason(
                      CloseReason.CloseCodes.NORMAL_CLOSURE, "The audio source ended the stream"),
                  "The audio source " + channel.describe() + " closed the connection");
              return;
            }
            buffer.flip();
            bytesToViewer.addAndGet(read);
            RelayClassLoader.send(session, buffer, afterSend);
          }

          @Override
          public void failed(Throwable e, Void attachment) {
            close(
                Failure.AUDIO_SOURCE_UNREACHABLE,
                "Reading from the audio source " + channel.describe() + " failed: " + cause(e));
          }
        });
  }

  private void afterSend(boolean ok, Throwable error) {
    if (!ok) {
      viewerSendFailed(error);
      return;
    }
    if (!isClosed()) {
      read();
    }
  }
}
