package app.miosa.gateway.stream.rfb;

import java.nio.ByteBuffer;

/**
 * One whole client-to-server message, with exactly its wire bytes so that the relay can forward it
 * unchanged.
 *
 * <p>The bytes are a view of the parser's input or of its internal buffer, so they are valid only
 * until {@link ClientMessageParser.Listener#message} returns. A caller that keeps a message longer
 * copies it with {@link #toByteArray()} or copies the buffer that {@link #bytes()} returns.
 */
public final class ClientMessage {
  private final ClientMessageType type;
  private final ByteBuffer bytes;

  ClientMessage(ClientMessageType type, ByteBuffer bytes) {
    this.type = type;
    this.bytes = bytes.asReadOnlyBuffer();
  }

  public ClientMessageType type() {
    return type;
  }

  public MessageCategory category() {
    return type.category();
  }

  /** Returns the wire length in bytes, message-type byte included. */
  public int length() {
    return bytes.remaining();
  }

  /** Returns a new read-only buffer over the wire bytes, positioned at the message-type byte. */
  public ByteBuffer bytes() {
    return bytes.duplicate();
  }

  /** Returns a copy of the wire bytes that stays valid after the listener returns. */
  public byte[] toByteArray() {
    byte[] copy = new byte[bytes.remaining()];
    bytes.duplicate().get(copy);
    return copy;
  }

  @Override
  public String toString() {
    return type.specName() + " (" + length() + " bytes, " + category() + ")";
  }
}
