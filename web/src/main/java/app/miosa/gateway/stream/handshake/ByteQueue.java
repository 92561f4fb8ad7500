package app.miosa.gateway.stream.handshake;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Bytes received but not yet consumed by a handshake. Reads take from the front; a read of more
 * than {@link #available()} is a caller bug, so callers check first.
 */
final class ByteQueue {
  /**
   * Most bytes a peer may send ahead of the handshake. The largest field is a 4 KiB reason or
   * name; a viewer's first messages after ClientInit are well under this.
   */
  static final int MAX_BYTES = 256 * 1024;

  private byte[] bytes = new byte[64];
  private int start;
  private int end;

  void append(ByteBuffer data) throws HandshakeException {
    int length = data.remaining();
    if (available() + length > MAX_BYTES) {
      throw new HandshakeException(
          "The peer sent over " + MAX_BYTES + " bytes before the handshake completed");
    }
    if (end + length > bytes.length) {
      compactFor(length);
    }
    data.get(bytes, end, length);
    end += length;
  }

  int available() {
    return end - start;
  }

  int peekU8(int offset) {
    return bytes[start + offset] & 0xFF;
  }

  /** Reads an unsigned 32-bit big-endian integer at {@code offset} without consuming it. */
  long peekU32(int offset) {
    return ((long) peekU8(offset) << 24)
        | (peekU8(offset + 1) << 16)
        | (peekU8(offset + 2) << 8)
        | peekU8(offset + 3);
  }

  int peekU16(int offset) {
    return (peekU8(offset) << 8) | peekU8(offset + 1);
  }

  byte[] take(int count) {
    byte[] taken = Arrays.copyOfRange(bytes, start, start + count);
    start += count;
    return taken;
  }

  /** Removes and returns everything left, as the first bytes of the relayed stream. */
  ByteBuffer drain() {
    ByteBuffer rest = ByteBuffer.wrap(take(available()));
    start = 0;
    end = 0;
    return rest;
  }

  private void compactFor(int length) {
    int size = available();
    byte[] target = bytes;
    if (size + length > bytes.length) {
      target = new byte[Math.max(bytes.length * 2, size + length)];
    }
    System.arraycopy(bytes, start, target, 0, size);
    bytes = target;
    start = 0;
    end = size;
  }
}
