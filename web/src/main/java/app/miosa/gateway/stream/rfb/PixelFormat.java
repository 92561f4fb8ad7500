package app.miosa.gateway.stream.rfb;

/**
 * The fields of an RFB PIXEL_FORMAT that fix how many bytes a pixel takes on the wire.
 *
 * <pre>
 * offset field             type   used here for
 *      0 bits-per-pixel    u8     bytesPerPixel = bits-per-pixel / 8 (8, 16 or 32)
 *      1 depth             u8     Tight TPIXEL size
 *      2 big-endian-flag   u8     -
 *      3 true-colour-flag  u8     Tight TPIXEL size
 *      4 red-max           u16    Tight TPIXEL size
 *      6 green-max         u16    Tight TPIXEL size
 *      8 blue-max          u16    Tight TPIXEL size
 *     10 shifts, 3 padding        -
 * </pre>
 *
 * <p>rfbproto.rst "ServerInit" and "SetPixelFormat" carry this 16-byte structure. An invalid
 * bits-per-pixel is kept and reported only when a rectangle needs the pixel size, because the value
 * comes from the peers and {@link ServerMessageFramer#setPixelFormat} cannot throw a checked
 * exception.
 */
final class PixelFormat {
  /** rfbproto.rst "ServerInit": PIXEL_FORMAT is 16 bytes. */
  static final int LENGTH = 16;

  /** Format before {@link ServerMessageFramer#setPixelFormat} is called. */
  static final PixelFormat UNSET = new PixelFormat(0, 0, false, 0, 0, 0);

  /** rfbproto.rst "Tight Encoding": a TPIXEL is 3 bytes for 8-bit red, green and blue. */
  static final int COMPACT_TIGHT_PIXEL_LENGTH = 3;

  private static final int EIGHT_BIT_MAX = 255;

  private final int bitsPerPixel;
  private final int depth;
  private final boolean trueColour;
  private final int redMax;
  private final int greenMax;
  private final int blueMax;

  private PixelFormat(
      int bitsPerPixel, int depth, boolean trueColour, int redMax, int greenMax, int blueMax) {
    this.bitsPerPixel = bitsPerPixel;
    this.depth = depth;
    this.trueColour = trueColour;
    this.redMax = redMax;
    this.greenMax = greenMax;
    this.blueMax = blueMax;
  }

  /**
   * Reads a PIXEL_FORMAT.
   *
   * @throws IllegalArgumentException when {@code bytes} is not 16 bytes long
   */
  static PixelFormat of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "PIXEL_FORMAT is " + bytes.length + " bytes long, expected " + LENGTH);
    }
    return new PixelFormat(
        bytes[0] & 0xFF,
        bytes[1] & 0xFF,
        bytes[3] != 0,
        u16(bytes, 4),
        u16(bytes, 6),
        u16(bytes, 8));
  }

  private static int u16(byte[] bytes, int index) {
    return (bytes[index] & 0xFF) << 8 | bytes[index + 1] & 0xFF;
  }

  /**
   * Returns the size of a PIXEL in bytes.
   *
   * @throws IllegalStateException when no pixel format was set
   * @throws RfbProtocolException when bits-per-pixel is not 8, 16 or 32, the values that
   *     rfbproto.rst "PIXEL_FORMAT" allows
   */
  int bytesPerPixel() throws RfbProtocolException {
    if (this == UNSET) {
      throw new IllegalStateException(
          "No pixel format: call setPixelFormat with the ServerInit pixel format first");
    }
    if (bitsPerPixel != 8 && bitsPerPixel != 16 && bitsPerPixel != 32) {
      throw new RfbProtocolException(
          "PIXEL_FORMAT bits-per-pixel is " + bitsPerPixel + ", expected 8, 16 or 32");
    }
    return bitsPerPixel / 8;
  }

  /** Returns the size of a Tight TPIXEL in bytes, from rfbproto.rst "Tight Encoding". */
  int tightPixelLength() throws RfbProtocolException {
    int bytesPerPixel = bytesPerPixel();
    boolean eightBitChannels =
        redMax == EIGHT_BIT_MAX && greenMax == EIGHT_BIT_MAX && blueMax == EIGHT_BIT_MAX;
    if (trueColour && bitsPerPixel == 32 && depth == 24 && eightBitChannels) {
      return COMPACT_TIGHT_PIXEL_LENGTH;
    }
    return bytesPerPixel;
  }
}
