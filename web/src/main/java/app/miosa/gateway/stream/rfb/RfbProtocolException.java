package app.miosa.gateway.stream.rfb;

/**
 * A client message that breaks the RFB specification or exceeds one of this package's limits. The
 * message names the field, the value seen and the limit. The stream cannot continue after it,
 * because the byte where the next message starts is no longer known.
 */
public final class RfbProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public RfbProtocolException(String message) {
    super(message);
  }
}
