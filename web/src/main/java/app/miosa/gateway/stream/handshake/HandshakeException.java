package app.miosa.gateway.stream.handshake;

/** A handshake that cannot complete. Its message gives the reason, for the viewer and the log. */
public final class HandshakeException extends Exception {
  private static final long serialVersionUID = 1L;

  public HandshakeException(String message) {
    super(message);
  }
}
