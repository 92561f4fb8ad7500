package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The part the desktop and the audio relay share: one viewer's session, one upstream, and a
 * close that happens once.
 */
abstract class ViewerRelay implements Relay {
  final Session session;
  final UpstreamChannel channel;
  private final Consumer<CloseReason> onClose;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** @param onClose called once, with the reason the stream ended, after both sides are closed */
  ViewerRelay(Session session, UpstreamChannel channel, Consumer<CloseReason> onClose) {
    this.session = session;
    this.channel = channel;
    this.onClose = onClose;
  }

  /**
   * Connects to the upstream and calls {@link #onConnected}; a failed connection closes the
   * stream with {@code unreachable}.
   */
  final void connect(Failure unreachable) {
    channel.connect(
        new CompletionHandler<Void, Void>() {
          @Override
          public void completed(Void result, Void attachment) {
            onConnected();
          }

          @Override
          public void failed(Throwable error, Void attachment) {
            close(unreachable, "Connecting to " + channel.describe() + " failed: " + cause(error));
          }
        });
  }

  /** Starts relaying once the upstream connection is open. */
  abstract void onConnected();

  @Override
  public final void close(CloseReason reason, String detail) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    channel.close();
    try {
      if (session.isOpen()) {
        session.close(reason);
      }
    } catch (IOException | IllegalStateException e) {
      // The viewer has gone already.
    }
    onClose.accept(
        new CloseReason(reason.getCloseCode(), detail == null ? reason.getReasonPhrase() : detail));
  }

  @Override
  public final boolean isClosed() {
    return closed.get();
  }

  /**
   * Returns an error's message, or its class's simple name when it has none, for close reasons
   * that the audit trail keeps in 64 characters.
   */
  static String cause(Throwable error) {
    return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
  }

  /** Ends the stream after a send to the viewer failed. */
  final void viewerSendFailed(Throwable error) {
    close(
        new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "Sending to the viewer failed"),
        "Sending to the viewer failed: " + error);
  }
}
