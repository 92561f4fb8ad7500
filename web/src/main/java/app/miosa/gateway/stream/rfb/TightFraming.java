package app.miosa.gateway.stream.rfb;

import static app.miosa.gateway.stream.rfb.RectangleFraming.RECTANGLE_HEADER_LENGTH;

import app.miosa.gateway.stream.rfb.ClientMessageFraming.Header;
import app.miosa.gateway.stream.rfb.ServerMessageFraming.Layout;

/**
 * Wire layout of a Tight (7) or TightPNG (-260) rectangle, from rfbproto.rst "Tight Encoding".
 *
 * <pre>
 * compression-control:u8, then by its top four bits:
 *   1000 fill        one TPIXEL
 *   1001 jpeg        compact length, then that many bytes of JFIF
 *   1010 png         compact length, then that many bytes of PNG (TightPNG only)
 *   0xxx basic       [filter-id:u8 if bit 6 (0x40) is set, else copy]
 *                    palette filter: (colours - 1):u8, then colours TPIXELs
 *                    pixel data of D bytes: sent as is when D &lt; 12,
 *                    else compact length, then that many bytes of zlib data
 *
 * compact length, 1 to 3 bytes of 7, 7 and 8 bits, least significant first:
 *   0xxxxxxx | 1xxxxxxx 0yyyyyyy | 1xxxxxxx 1yyyyyyy zzzzzzzz
 *
 * D = width * height * TPIXEL                 copy and gradient filters
 *   = floor((width + 7) / 8) * height          palette of 2 colours, 1 bit per pixel
 *   = width * height                           palette of other sizes, 1 byte per pixel
 * </pre>
 *
 * <p>A TPIXEL is 3 bytes in a true-colour 32-bit format of depth 24 with 8-bit channels, else a
 * PIXEL ({@link PixelFormat#tightPixelLength}). The compression-control byte, filter id, palette
 * and compact length are the header: at most 1,030 bytes after the rectangle header.
 */
final class TightFraming {
  /** Top four bits of compression-control, from rfbproto.rst "Tight Encoding". */
  static final int FILL = 0x8;

  static final int JPEG = 0x9;

  /** TightPNG's PNG method. rfbproto.rst lists 1010 as invalid for Tight itself. */
  static final int PNG = 0xA;

  /** compression-control bit 7: clear for BasicCompression. */
  static final int NOT_BASIC = 0x80;

  /** compression-control bit 6: a filter-id byte follows. */
  static final int READ_FILTER_ID = 0x40;

  static final int COPY_FILTER = 0;
  static final int PALETTE_FILTER = 1;
  static final int GRADIENT_FILTER = 2;

  /** rfbproto.rst "Tight Encoding": pixel data shorter than this is sent uncompressed. */
  static final int MIN_TO_COMPRESS = 12;

  /** The largest value that the 22 bits of a compact length can hold. */
  static final int MAX_COMPACT_LENGTH = (1 << 22) - 1;

  /** rfbproto.rst "Tight Encoding": a palette has 2 to 256 colours. */
  static final int MAX_PALETTE_COLOURS = 256;

  private static final int CONTROL = RECTANGLE_HEADER_LENGTH;

  private TightFraming() {}

  /**
   * Returns the layout of the Tight rectangle whose first bytes, its rectangle header included, are
   * present.
   *
   * @param png whether the rectangle is TightPNG, which adds the PNG method
   * @throws RfbProtocolException when the compression method or filter id is invalid
   */
  static Layout layout(Header header, PixelFormat format, boolean png) throws RfbProtocolException {
    if (header.available() <= CONTROL) {
      return Layout.needs(CONTROL + 1);
    }

    int control = header.u8(CONTROL);
    int method = control >> 4;
    if (method == FILL) {
      return Layout.of(CONTROL + 1, format.tightPixelLength());
    }
    if (method == JPEG || (png && method == PNG)) {
      return compactLengthData(header, CONTROL + 1);
    }
    if ((control & NOT_BASIC) != 0) {
      throw new RfbProtocolException(
          "Tight compression-control is 0x"
              + Integer.toHexString(control)
              + ", which names no compression method of "
              + (png ? "TightPNG" : "Tight"));
    }
    return basic(header, format, control);
  }

  private static Layout basic(Header header, PixelFormat format, int control)
      throws RfbProtocolException {
    int offset = CONTROL + 1;
    int filter = COPY_FILTER;
    if ((control & READ_FILTER_ID) != 0) {
      if (header.available() <= offset) {
        return Layout.needs(offset + 1);
      }
      filter = header.u8(offset);
      offset++;
    }

    long width = header.u16(4);
    long height = header.u16(6);
    long dataLength;
    switch (filter) {
      case COPY_FILTER, GRADIENT_FILTER -> dataLength = width * height * format.tightPixelLength();
      case PALETTE_FILTER -> {
        if (header.available() <= offset) {
          return Layout.needs(offset + 1);
        }
        int colours = header.u8(offset) + 1;
        offset += 1 + colours * format.tightPixelLength();
        dataLength = colours == 2 ? (width + 7) / 8 * height : width * height;
      }
      default ->
          throw new RfbProtocolException("Tight filter-id is " + filter + ", expected 0 to 2");
    }

    if (dataLength < MIN_TO_COMPRESS) {
      return Layout.of(offset, dataLength);
    }
    return compactLengthData(header, offset);
  }

  /** Returns the layout of a compact length at {@code offset} and the data that it counts. */
  private static Layout compactLengthData(Header header, int offset) {
    int length = 0;
    for (int i = 0; i < 3; i++) {
      if (header.available() <= offset + i) {
        return Layout.needs(offset + i + 1);
      }
      int value = header.u8(offset + i);
      boolean last = i == 2 || (value & 0x80) == 0;
      length |= (last ? value : value & 0x7F) << (7 * i);
      if (last) {
        return Layout.of(offset + i + 1, length);
      }
    }
    throw new AssertionError("A compact length ends by its third byte");
  }
}
