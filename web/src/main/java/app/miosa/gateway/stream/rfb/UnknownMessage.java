package app.miosa.gateway.stream.rfb;

import java.nio.ByteBuffer;

/**
 * The start of a client message that {@link ClientMessageParser} cannot frame: an unknown
 * message-type byte, an unknown QEMU subtype or an unknown QEMU audio operation. Nothing after it
 * can be framed, so a read-only stream must end here.
 *
 * <p>{@link #bytes()} contains the bytes that identified the message (1 byte for an unknown type, 2
 * for a QEMU subtype, 4 for a QEMU audio operation). The parser consumed exactly these, so a caller
 * that relays without filtering sends them and then the rest of the input unchanged.
 */
public final class UnknownMessage {
  /** Value of {@link #subtype()} and {@link #operation()} when the message has no such field. */
  public static final int NONE = -1;

  private final byte[] bytes;

  UnknownMessage(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  /** Returns the message-type byte, 0 to 255. */
  public int messageType() {
    return bytes[0] & 0xFF;
  }

  /** Returns the QEMU submessage type, or {@link #NONE} when the type byte alone was unknown. */
  public int subtype() {
    return bytes.length > 1 ? bytes[1] & 0xFF : NONE;
  }

  /** Returns the QEMU audio operation, or {@link #NONE} unless that operation was unknown. */
  public int operation() {
    return bytes.length > 3 ? (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF : NONE;
  }

  /** Returns a read-only buffer over the bytes that identified the message. */
  public ByteBuffer bytes() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    if (operation() != NONE) {
      return "unknown QEMU audio operation " + operation();
    }
    if (subtype() != NONE) {
      return "unknown QEMU client message subtype " + subtype();
    }
    return "unknown client message type " + messageType();
  }
}
