package app.miosa.gateway.stream.rfb;

import app.miosa.gateway.stream.rfb.ClientMessageFraming.Header;
import app.miosa.gateway.stream.rfb.ServerMessageFraming.Layout;

/**
 * Wire layout of the rectangles of a FramebufferUpdate, for the encodings that the gateway lets a
 * viewer request.
 *
 * <p>Each rectangle has a 12-byte header, then data in its encoding. Sections are those of {@code
 * rfbproto.rst} (github.com/rfbproto/rfbproto). {@code bpp} is bytes per PIXEL:
 *
 * <pre>
 * x:u16 y:u16 width:u16 height:u16 encoding:s32, then:
 *
 * encoding                    data after the rectangle header
 *    0 Raw                    width * height * bpp
 *    1 CopyRect               src-x:u16 src-y:u16
 *    2 RRE                    n:u32 background:bpp, then n x (pixel:bpp x,y,w,h:u16)
 *    5 Hextile                16x16 tiles, each framed by {@link #hextileTileLayout}
 *    7 Tight, -260 TightPNG   see {@link TightFraming}
 *   16 ZRLE                   n:u32, then n bytes of zlib data
 * -239 Cursor                 width * height * bpp, then floor((width + 7) / 8) * height
 * -223 DesktopSize            -
 * -224 LastRect               - (ends the update)
 * -258 QEMU Extended Key      -
 * -259 QEMU Audio             -
 * -307 DesktopName            n:u32, then n bytes of UTF-8
 * -308 ExtendedDesktopSize    screens:u8 pad:3, then screens x 16
 * -316 ExtendedMouseButtons   -
 *
 * Hextile tile: subencoding:u8, then
 *   Raw (1) set:        tile-width * tile-height * bpp
 *   otherwise:          [background:bpp if 2] [foreground:bpp if 4] [n:u8 if 8],
 *                       then n subrectangles of [pixel:bpp if 16] xy:u8 wh:u8
 * </pre>
 */
final class RectangleFraming {
  /** rfbproto.rst "FramebufferUpdate": U16 x, y, width, height and S32 encoding-type. */
  static final int RECTANGLE_HEADER_LENGTH = 12;

  // Encodings and pseudo-encodings sent as rectangles, from rfbproto.rst "Encodings".
  static final int RAW = 0;
  static final int COPY_RECT = 1;
  static final int RRE = 2;
  static final int HEXTILE = 5;
  static final int TIGHT = 7;
  static final int ZRLE = 16;
  static final int DESKTOP_SIZE = -223;
  static final int LAST_RECT = -224;
  static final int CURSOR = -239;
  static final int QEMU_EXTENDED_KEY_EVENT = -258;
  static final int QEMU_AUDIO = -259;
  static final int TIGHT_PNG = -260;
  static final int DESKTOP_NAME = -307;
  static final int EXTENDED_DESKTOP_SIZE = -308;
  static final int EXTENDED_MOUSE_BUTTONS = -316;

  // Pseudo-encodings that a client only announces in SetEncodings and a server never sends as a
  // rectangle, from rfbproto.rst "Encodings".
  static final int XVP = -309;
  static final int FENCE = -312;
  static final int CONTINUOUS_UPDATES = -313;
  static final int EXTENDED_CLIPBOARD = 0xC0A1E5CE;
  static final int JPEG_QUALITY_LOW = -32;
  static final int JPEG_QUALITY_HIGH = -23;
  static final int COMPRESSION_LEVEL_LOW = -256;
  static final int COMPRESSION_LEVEL_HIGH = -247;
  static final int FINE_QUALITY_LOW = -512;
  static final int FINE_QUALITY_HIGH = -412;
  static final int SUBSAMPLING_FIRST = -768;
  static final int SUBSAMPLING_LAST = -763;

  /** rfbproto.rst "RRE Encoding": U32 number-of-subrectangles, background pixel. */
  static final int RRE_HEADER_LENGTH = 4;

  /** rfbproto.rst "RRE Encoding": U16 x, y, width, height after each subrectangle's pixel. */
  static final int RRE_SUBRECTANGLE_GEOMETRY_LENGTH = 8;

  /** rfbproto.rst "ZRLE Encoding": the U32 length of the zlib data. */
  static final int ZRLE_HEADER_LENGTH = 4;

  /** Largest ZRLE length accepted. The specification gives no limit. */
  // NOTE: a chosen limit, above a 4096x4096 rectangle of 32-bit pixels before compression.
  static final long MAX_ZRLE_LENGTH = 64L * 1024 * 1024;

  /** rfbproto.rst "DesktopName Pseudo-encoding": U32 name-length, then the name. */
  static final int DESKTOP_NAME_HEADER_LENGTH = 4;

  /** Largest DesktopName length accepted. The specification gives no limit. */
  // NOTE: a chosen limit; a window title of this size is already useless to a viewer.
  static final long MAX_DESKTOP_NAME_LENGTH = 64 * 1024;

  /** rfbproto.rst "ExtendedDesktopSize Pseudo-encoding": U8 number-of-screens, 3 padding. */
  static final int EXTENDED_DESKTOP_SIZE_HEADER_LENGTH = 4;

  /** rfbproto.rst "ExtendedDesktopSize Pseudo-encoding": the SCREEN structure. */
  static final int SCREEN_LENGTH = 16;

  /** rfbproto.rst "Hextile Encoding": tiles are 16x16, smaller at the right and bottom edge. */
  static final int HEXTILE_TILE_SIZE = 16;

  // Bits of the Hextile subencoding-mask, from rfbproto.rst "Hextile Encoding".
  static final int HEXTILE_RAW = 1;
  static final int HEXTILE_BACKGROUND_SPECIFIED = 2;
  static final int HEXTILE_FOREGROUND_SPECIFIED = 4;
  static final int HEXTILE_ANY_SUBRECTS = 8;
  static final int HEXTILE_SUBRECTS_COLOURED = 16;

  /**
   * Bits that Hextile defines. zlibhex adds 32 and 64 to the mask, with their own framing, so a
   * Hextile tile with any higher bit cannot be framed.
   */
  static final int HEXTILE_KNOWN_BITS = 0x1F;

  /** rfbproto.rst "Hextile Encoding": U8 x-and-y-position and U8 width-and-height. */
  static final int HEXTILE_SUBRECTANGLE_GEOMETRY_LENGTH = 2;

  private RectangleFraming() {}

  /** Returns whether {@link ServerMessageFramer} can frame a rectangle of {@code encoding}. */
  static boolean canFrame(int encoding) {
    return isSentAsRectangle(encoding) || isOnlyAnnounced(encoding);
  }

  private static boolean isSentAsRectangle(int encoding) {
    return switch (encoding) {
      case RAW,
          COPY_RECT,
          RRE,
          HEXTILE,
          TIGHT,
          ZRLE,
          DESKTOP_SIZE,
          LAST_RECT,
          CURSOR,
          QEMU_EXTENDED_KEY_EVENT,
          QEMU_AUDIO,
          TIGHT_PNG,
          DESKTOP_NAME,
          EXTENDED_DESKTOP_SIZE,
          EXTENDED_MOUSE_BUTTONS ->
          true;
      default -> false;
    };
  }

  /** Returns whether a client announces {@code encoding} but a server never sends it. */
  static boolean isOnlyAnnounced(int encoding) {
    return encoding == XVP
        || encoding == FENCE
        || encoding == CONTINUOUS_UPDATES
        || encoding == EXTENDED_CLIPBOARD
        || (encoding >= JPEG_QUALITY_LOW && encoding <= JPEG_QUALITY_HIGH)
        || (encoding >= COMPRESSION_LEVEL_LOW && encoding <= COMPRESSION_LEVEL_HIGH)
        || (encoding >= FINE_QUALITY_LOW && encoding <= FINE_QUALITY_HIGH)
        || (encoding >= SUBSAMPLING_FIRST && encoding <= SUBSAMPLING_LAST);
  }

  /**
   * Returns the layout of the rectangle whose first bytes are present. For Hextile it covers the
   * rectangle header only, because its tiles are framed one by one.
   *
   * @throws RfbProtocolException when the encoding cannot be framed or a field is invalid
   */
  static Layout rectangleLayout(Header header, PixelFormat format) throws RfbProtocolException {
    if (header.available() < RECTANGLE_HEADER_LENGTH) {
      return Layout.needs(RECTANGLE_HEADER_LENGTH);
    }

    long width = header.u16(4);
    long height = header.u16(6);
    int encoding = (int) header.u32(8);
    return switch (encoding) {
      case RAW -> Layout.of(RECTANGLE_HEADER_LENGTH, width * height * format.bytesPerPixel());
      case COPY_RECT -> Layout.of(RECTANGLE_HEADER_LENGTH, 4);
      case RRE -> rre(header, format.bytesPerPixel());
      case HEXTILE,
          DESKTOP_SIZE,
          LAST_RECT,
          QEMU_EXTENDED_KEY_EVENT,
          QEMU_AUDIO,
          EXTENDED_MOUSE_BUTTONS ->
          Layout.of(RECTANGLE_HEADER_LENGTH, 0);
      case TIGHT -> TightFraming.layout(header, format, false);
      case TIGHT_PNG -> TightFraming.layout(header, format, true);
      case ZRLE -> zrle(header);
      case CURSOR -> Layout.of(RECTANGLE_HEADER_LENGTH, cursorLength(width, height, format));
      case DESKTOP_NAME -> desktopName(header);
      case EXTENDED_DESKTOP_SIZE -> extendedDesktopSize(header);
      default -> throw unframable(encoding);
    };
  }

  private static RfbProtocolException unframable(int encoding) {
    if (isOnlyAnnounced(encoding)) {
      return new RfbProtocolException(
          "Rectangle has encoding " + encoding + ", which a server never sends as a rectangle");
    }
    return new RfbProtocolException(
        "Rectangle has encoding " + encoding + ", which the gateway cannot frame");
  }

  private static Layout rre(Header header, int bytesPerPixel) {
    int headerLength = RECTANGLE_HEADER_LENGTH + RRE_HEADER_LENGTH + bytesPerPixel;
    if (header.available() < headerLength) {
      return Layout.needs(headerLength);
    }
    // The U32 count bounds the payload below 2^36 bytes, which streams through unbuffered.
    long subrectangles = header.u32(RECTANGLE_HEADER_LENGTH);
    return Layout.of(
        headerLength, subrectangles * (bytesPerPixel + RRE_SUBRECTANGLE_GEOMETRY_LENGTH));
  }

  private static Layout zrle(Header header) throws RfbProtocolException {
    int headerLength = RECTANGLE_HEADER_LENGTH + ZRLE_HEADER_LENGTH;
    if (header.available() < headerLength) {
      return Layout.needs(headerLength);
    }
    long length = header.u32(RECTANGLE_HEADER_LENGTH);
    if (length > MAX_ZRLE_LENGTH) {
      throw new RfbProtocolException(
          "ZRLE length is " + length + " bytes, more than the maximum of " + MAX_ZRLE_LENGTH);
    }
    return Layout.of(headerLength, length);
  }

  private static long cursorLength(long width, long height, PixelFormat format)
      throws RfbProtocolException {
    long pixels = width * height * format.bytesPerPixel();
    long bitmask = (width + 7) / 8 * height;
    return pixels + bitmask;
  }

  private static Layout desktopName(Header header) throws RfbProtocolException {
    int headerLength = RECTANGLE_HEADER_LENGTH + DESKTOP_NAME_HEADER_LENGTH;
    if (header.available() < headerLength) {
      return Layout.needs(headerLength);
    }
    long length = header.u32(RECTANGLE_HEADER_LENGTH);
    if (length > MAX_DESKTOP_NAME_LENGTH) {
      throw new RfbProtocolException(
          "DesktopName name-length is "
              + length
              + " bytes, more than the maximum of "
              + MAX_DESKTOP_NAME_LENGTH);
    }
    return Layout.of(headerLength, length);
  }

  private static Layout extendedDesktopSize(Header header) {
    int headerLength = RECTANGLE_HEADER_LENGTH + EXTENDED_DESKTOP_SIZE_HEADER_LENGTH;
    if (header.available() < headerLength) {
      return Layout.needs(headerLength);
    }
    int screens = header.u8(RECTANGLE_HEADER_LENGTH);
    return Layout.of(headerLength, (long) SCREEN_LENGTH * screens);
  }

  /**
   * Returns the layout of one Hextile tile whose first bytes are present.
   *
   * @throws RfbProtocolException when the subencoding-mask has a bit that Hextile does not define
   */
  static Layout hextileTileLayout(Header header, int tileWidth, int tileHeight, int bytesPerPixel)
      throws RfbProtocolException {
    int mask = header.u8(0);
    if ((mask & ~HEXTILE_KNOWN_BITS) != 0) {
      throw new RfbProtocolException(
          "Hextile subencoding-mask is " + mask + ", which sets bits above " + HEXTILE_KNOWN_BITS);
    }
    if ((mask & HEXTILE_RAW) != 0) {
      // The Raw bit makes every other bit irrelevant.
      return Layout.of(1, (long) tileWidth * tileHeight * bytesPerPixel);
    }

    int headerLength = 1;
    if ((mask & HEXTILE_BACKGROUND_SPECIFIED) != 0) {
      headerLength += bytesPerPixel;
    }
    if ((mask & HEXTILE_FOREGROUND_SPECIFIED) != 0) {
      headerLength += bytesPerPixel;
    }
    if ((mask & HEXTILE_ANY_SUBRECTS) == 0) {
      return Layout.of(headerLength, 0);
    }

    headerLength += 1;
    if (header.available() < headerLength) {
      return Layout.needs(headerLength);
    }
    int subrectangles = header.u8(headerLength - 1);
    int pixel = (mask & HEXTILE_SUBRECTS_COLOURED) != 0 ? bytesPerPixel : 0;
    return Layout.of(
        headerLength, (long) subrectangles * (pixel + HEXTILE_SUBRECTANGLE_GEOMETRY_LENGTH));
  }
}
