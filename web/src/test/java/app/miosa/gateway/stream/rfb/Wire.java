package app.miosa.gateway.stream.rfb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Builds protocol bytes for tests from unsigned values, so that a byte array reads as a table. */
final class Wire {
  private Wire() {}

  /** Returns the given values, each 0 to 255, as bytes. */
  static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > 0xFF) {
        throw new IllegalArgumentException("Not a byte value: " + values[i]);
      }
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Returns {@code length} bytes of {@code bytes} from {@code offset} as a buffer to feed. */
  static ByteBuffer chunk(byte[] bytes, int offset, int length) {
    return ByteBuffer.wrap(bytes, offset, length).slice();
  }
}
