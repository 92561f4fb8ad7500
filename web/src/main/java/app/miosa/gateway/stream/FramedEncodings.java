package app.miosa.gateway.stream;

import app.miosa.gateway.stream.rfb.ServerMessageFramer;
import java.nio.ByteBuffer;

/**
 * Rewrites a viewer's SetEncodings so that it lists only encodings whose rectangles {@link
 * ServerMessageFramer} can delimit. The VNC server then never sends a rectangle the gateway cannot
 * skip over, so the gateway can find every ServerCutText in the stream.
 *
 * <pre>
 * SetEncodings: u8 type 2, u8 padding, u16 number-of-encodings, then that many s32 encodings
 * </pre>
 */
final class FramedEncodings {
  private static final int HEADER_LENGTH = 4;

  private FramedEncodings() {}

  /** Returns the message with the encodings the gateway cannot frame left out, order kept. */
  static ByteBuffer keepFramed(ByteBuffer setEncodings) {
    ByteBuffer source = setEncodings.duplicate();
    int count = source.getShort(source.position() + 2) & 0xFFFF;
    ByteBuffer kept = ByteBuffer.allocate(HEADER_LENGTH + 4 * count);
    kept.put(source.get(source.position())).put((byte) 0).putShort((short) 0);

    int keptCount = 0;
    for (int i = 0; i < count; i++) {
      int encoding = source.getInt(source.position() + HEADER_LENGTH + 4 * i);
      if (ServerMessageFramer.canFrame(encoding)) {
        kept.putInt(encoding);
        keptCount++;
      }
    }
    kept.putShort(2, (short) keptCount);
    return kept.flip();
  }
}
