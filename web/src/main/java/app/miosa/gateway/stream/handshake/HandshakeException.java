package app.miosa.gateway.stream.handshake;

/** A handshake that cannot complete; the message says why, for the viewer and the log. */
public final class HandshakeException extends Exception {
  private static final long serialVersionUID = 1L;

  public HandshakeException(String message) {
    super(message);
  }
}
