package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import jakarta.websocket.CloseReason;

/** A relay between one viewer's WebSocket and a computer, as far as closing it goes. */
interface Relay {
  /**
   * Closes both sides once. The viewer gets the failure's close code and a reason; {@code detail}
   * goes to the log.
   */
  default void close(Failure failure, String detail) {
    close(
        new CloseReason(CloseReason.CloseCodes.getCloseCode(failure.closeCode()), failure.title()),
        detail);
  }

  /** Closes both sides once, the viewer's with {@code reason}; {@code detail} goes to the log. */
  void close(CloseReason reason, String detail);

  boolean isClosed();
}
