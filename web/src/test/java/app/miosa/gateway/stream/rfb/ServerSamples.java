package app.miosa.gateway.stream.rfb;

import static app.miosa.gateway.stream.rfb.Wire.bytes;
import static app.miosa.gateway.stream.rfb.Wire.concat;

import java.util.Arrays;
import java.util.List;

/** Valid server-to-client messages, annotated field by field, with the pixel format they use. */
final class ServerSamples {
  private ServerSamples() {}

  record Sample(String name, byte[] pixelFormat, byte[] bytes) {
    @Override
    public String toString() {
      return name + " (" + bytes.length + " bytes)";
    }
  }

  /** 32 bits per pixel, depth 24, 8-bit channels: a Tight TPIXEL is 3 bytes. */
  static final byte[] TRUE_COLOUR_32 =
      bytes(
          32, // bits-per-pixel
          24, // depth
          0, // big-endian-flag
          1, // true-colour-flag
          0x00, 0xFF, // red-max
          0x00, 0xFF, // green-max
          0x00, 0xFF, // blue-max
          16, 8, 0, // red-shift, green-shift, blue-shift
          0, 0, 0); // padding

  /** RGB565: 2 bytes per pixel, and a Tight TPIXEL is a 2-byte PIXEL. */
  static final byte[] RGB_565 =
      bytes(
          16, // bits-per-pixel
          16, // depth
          0, // big-endian-flag
          1, // true-colour-flag
          0x00, 0x1F, // red-max 31
          0x00, 0x3F, // green-max 63
          0x00, 0x1F, // blue-max 31
          11, 5, 0, // red-shift, green-shift, blue-shift
          0, 0, 0); // padding

  /** 8 bits per pixel with a colour map. */
  static final byte[] COLOUR_MAP_8 =
      bytes(8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); // bpp 8, depth 8, colour map

  static final byte[] BELL = bytes(2); // message-type Bell

  /** Returns {@code length} bytes of opaque payload, each 0xA5. */
  static byte[] payload(int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) 0xA5);
    return bytes;
  }

  /** Returns a FramebufferUpdate header announcing {@code rectangles} rectangles. */
  static byte[] update(int rectangles) {
    return bytes(
        0, // message-type FramebufferUpdate
        0, // padding
        rectangles >> 8, rectangles & 0xFF); // number-of-rectangles
  }

  /** Returns a rectangle header at 0,0. */
  static byte[] rectangle(int width, int height, int encoding) {
    return bytes(
        0, 0, // x-position
        0, 0, // y-position
        width >> 8, width & 0xFF, // width
        height >> 8, height & 0xFF, // height
        encoding >>> 24, encoding >> 16 & 0xFF, encoding >> 8 & 0xFF, encoding & 0xFF); // encoding
  }

  /** Returns a FramebufferUpdate of one rectangle followed by its data. */
  static byte[] oneRectangle(int width, int height, int encoding, byte[]... data) {
    return concat(update(1), rectangle(width, height, encoding), concat(data));
  }

  static List<Sample> all() {
    return List.of(
        new Sample(
            "FramebufferUpdate with no rectangles", TRUE_COLOUR_32, update(0)),
        new Sample(
            "Raw 2x1",
            TRUE_COLOUR_32,
            oneRectangle(2, 1, 0, payload(8))), // 2 pixels of 4 bytes
        new Sample(
            "Raw 3x1 at 16 bits per pixel",
            RGB_565,
            oneRectangle(3, 1, 0, payload(6))), // 3 pixels of 2 bytes
        new Sample(
            "CopyRect",
            TRUE_COLOUR_32,
            oneRectangle(
                8, 8, 1,
                bytes(0x00, 0x10, 0x00, 0x20))), // src-x-position 16, src-y-position 32
        new Sample(
            "RRE with two subrectangles",
            TRUE_COLOUR_32,
            oneRectangle(
                8, 8, 2,
                bytes(0, 0, 0, 2), // number-of-subrectangles
                payload(4), // background-pixel-value
                payload(4), bytes(0, 1, 0, 1, 0, 2, 0, 2), // pixel, x, y, width, height
                payload(4), bytes(0, 3, 0, 3, 0, 1, 0, 1))),
        new Sample(
            "Hextile Raw tile",
            TRUE_COLOUR_32,
            oneRectangle(
                2, 2, 5,
                bytes(1), // subencoding-mask Raw
                payload(16))), // 2x2 pixels of 4 bytes
        new Sample(
            "Hextile BackgroundSpecified tile",
            TRUE_COLOUR_32,
            oneRectangle(
                4, 4, 5,
                bytes(2), // subencoding-mask BackgroundSpecified
                payload(4))), // background-pixel-value
        new Sample(
            "Hextile ForegroundSpecified and AnySubrects tile",
            TRUE_COLOUR_32,
            oneRectangle(
                4, 4, 5,
                bytes(2 | 4 | 8), // BackgroundSpecified, ForegroundSpecified, AnySubrects
                payload(4), // background-pixel-value
                payload(4), // foreground-pixel-value
                bytes(2), // number-of-subrectangles
                bytes(0x00, 0x11), // x-and-y 0,0; width-and-height 2x2
                bytes(0x22, 0x00))), // x-and-y 2,2; width-and-height 1x1
        new Sample(
            "Hextile SubrectsColoured tile",
            TRUE_COLOUR_32,
            oneRectangle(
                4, 4, 5,
                bytes(2 | 8 | 16), // BackgroundSpecified, AnySubrects, SubrectsColoured
                payload(4), // background-pixel-value
                bytes(2), // number-of-subrectangles
                payload(4), bytes(0x00, 0x11), // subrect-pixel-value, x-and-y, width-and-height
                payload(4), bytes(0x22, 0x00))),
        new Sample(
            "Hextile 17x17 in four tiles",
            RGB_565,
            oneRectangle(
                17, 17, 5,
                bytes(1), payload(16 * 16 * 2), // tile 16x16: Raw
                bytes(1), payload(1 * 16 * 2), // tile 1x16: Raw
                bytes(2), payload(2), // tile 16x1: BackgroundSpecified
                bytes(0))), // tile 1x1: background carried over
        new Sample(
            "Tight fill",
            TRUE_COLOUR_32,
            oneRectangle(
                64, 64, 7,
                bytes(0x80), // compression-control FillCompression
                payload(3))), // TPIXEL of 3 bytes
        new Sample(
            "Tight fill at 16 bits per pixel",
            RGB_565,
            oneRectangle(
                64, 64, 7,
                bytes(0x80), // compression-control FillCompression
                payload(2))), // TPIXEL: a 2-byte PIXEL
        new Sample(
            "Tight jpeg with a 2-byte compact length",
            TRUE_COLOUR_32,
            oneRectangle(
                64, 64, 7,
                bytes(0x90), // compression-control JpegCompression
                bytes(0xC8, 0x01), // compact length 200: 0x48 | 1 << 7
                payload(200))), // jpeg-data
        new Sample(
            "Tight basic copy",
            TRUE_COLOUR_32,
            oneRectangle(
                4, 1, 7,
                bytes(0x00), // compression-control BasicCompression, stream 0, no filter-id
                bytes(5), // compact length 5: 4 x 3 = 12 bytes of pixels are compressed
                payload(5))), // zlibData
        new Sample(
            "Tight basic copy with a filter-id",
            TRUE_COLOUR_32,
            oneRectangle(
                4, 1, 7,
                bytes(0x40 | 0x20), // BasicCompression, read-filter-id, stream 2
                bytes(0), // filter-id CopyFilter
                bytes(5), // compact length 5
                payload(5))), // zlibData
        new Sample(
            "Tight basic copy at 16 bits per pixel",
            RGB_565,
            oneRectangle(
                3, 2, 7,
                bytes(0x00), // BasicCompression, no filter-id
                bytes(7), // compact length 7: 3 x 2 x 2 = 12 bytes of pixels are compressed
                payload(7))), // zlibData
        new Sample(
            "Tight short raw",
            TRUE_COLOUR_32,
            oneRectangle(
                1, 3, 7,
                bytes(0x00), // BasicCompression, no filter-id
                payload(9))), // 1 x 3 x 3 = 9 bytes, under 12, sent uncompressed
        new Sample(
            "Tight palette of 2 colours",
            TRUE_COLOUR_32,
            oneRectangle(
                16, 2, 7,
                bytes(0x40 | 0x10), // BasicCompression, read-filter-id, stream 1
                bytes(1), // filter-id PaletteFilter
                bytes(1), // number of colours - 1
                payload(2 * 3), // palette of 2 TPIXELs
                payload(4))), // 1 bit per pixel: 2 bytes x 2 rows, under 12, uncompressed
        new Sample(
            "Tight palette of 2 colours at 16 bits per pixel",
            RGB_565,
            oneRectangle(
                16, 8, 7,
                bytes(0x40), // BasicCompression, read-filter-id
                bytes(1), // filter-id PaletteFilter
                bytes(1), // number of colours - 1
                payload(2 * 2), // palette of 2 TPIXELs of 2 bytes
                bytes(6), // compact length 6: 2 bytes x 8 rows = 16 bytes are compressed
                payload(6))), // zlibData
        new Sample(
            "Tight palette of 16 colours",
            TRUE_COLOUR_32,
            oneRectangle(
                4, 4, 7,
                bytes(0x40), // BasicCompression, read-filter-id
                bytes(1), // filter-id PaletteFilter
                bytes(15), // number of colours - 1
                payload(16 * 3), // palette of 16 TPIXELs
                bytes(10), // compact length 10: 4 x 4 = 16 one-byte indexes are compressed
                payload(10))), // zlibData
        new Sample(
            "Tight gradient",
            TRUE_COLOUR_32,
            oneRectangle(
                2, 2, 7,
                bytes(0x40), // BasicCompression, read-filter-id
                bytes(2), // filter-id GradientFilter
                bytes(7), // compact length 7: 2 x 2 x 3 = 12 bytes are compressed
                payload(7))), // zlibData
        new Sample(
            "TightPNG png with a 3-byte compact length",
            TRUE_COLOUR_32,
            oneRectangle(
                256, 256, -260,
                bytes(0xA0), // compression-control PNG
                bytes(0x80, 0x80, 0x01), // compact length 16384: 1 << 14
                payload(16384))), // PNG data
        new Sample(
            "TightPNG fill",
            TRUE_COLOUR_32,
            oneRectangle(
                8, 8, -260,
                bytes(0x80), // compression-control FillCompression
                payload(3))), // TPIXEL
        new Sample(
            "ZRLE",
            TRUE_COLOUR_32,
            oneRectangle(
                64, 64, 16,
                bytes(0, 0, 0, 5), // length
                payload(5))), // zlibData
        new Sample(
            "Cursor 9x2",
            TRUE_COLOUR_32,
            oneRectangle(
                9, 2, -239,
                payload(9 * 2 * 4), // cursor-pixels
                payload(2 * 2))), // bitmask: 2 bytes per row, 2 rows
        new Sample("DesktopSize", TRUE_COLOUR_32, oneRectangle(1920, 1080, -223)),
        new Sample("QEMU extended key event", TRUE_COLOUR_32, oneRectangle(0, 0, -258)),
        new Sample("QEMU audio", TRUE_COLOUR_32, oneRectangle(0, 0, -259)),
        new Sample("ExtendedMouseButtons", TRUE_COLOUR_32, oneRectangle(0, 0, -316)),
        new Sample(
            "ExtendedDesktopSize with one screen",
            TRUE_COLOUR_32,
            oneRectangle(
                1920, 1080, -308,
                bytes(1, 0, 0, 0), // number-of-screens, 3 padding
                bytes(0, 0, 0, 1), // id
                bytes(0, 0, 0, 0), // x-position, y-position
                bytes(0x07, 0x80, 0x04, 0x38), // width 1920, height 1080
                bytes(0, 0, 0, 0))), // flags
        new Sample(
            "DesktopName",
            TRUE_COLOUR_32,
            oneRectangle(
                0, 0, -307,
                bytes(0, 0, 0, 3), // name-length
                bytes('a', 'b', 'c'))), // name-string
        new Sample(
            "LastRect ends an update announced as 65535 rectangles",
            TRUE_COLOUR_32,
            concat(
                update(0xFFFF),
                rectangle(1, 1, 0), payload(4), // Raw 1x1
                rectangle(0, 0, -224))), // LastRect
        new Sample(
            "FramebufferUpdate with three rectangles",
            COLOUR_MAP_8,
            concat(
                update(3),
                rectangle(2, 2, 0), payload(4), // Raw 2x2 at 1 byte per pixel
                rectangle(2, 2, 1), payload(4), // CopyRect
                rectangle(2, 2, 5), bytes(1), payload(4))), // Hextile, one Raw tile
        new Sample(
            "SetColourMapEntries with two colours",
            COLOUR_MAP_8,
            concat(
                bytes(1, 0), // message-type SetColourMapEntries, padding
                bytes(0, 16), // first-colour
                bytes(0, 2), // number-of-colours
                payload(2 * 6))), // red, green, blue of each colour
        new Sample("Bell", TRUE_COLOUR_32, BELL),
        new Sample(
            "ServerCutText with text abc",
            TRUE_COLOUR_32,
            bytes(
                3, // message-type ServerCutText
                0, 0, 0, // padding
                0, 0, 0, 3, // length
                'a', 'b', 'c')), // text
        new Sample(
            "ServerCutText extended clipboard",
            TRUE_COLOUR_32,
            bytes(
                3, // message-type ServerCutText
                0, 0, 0, // padding
                0xFF, 0xFF, 0xFF, 0xFC, // length -4: 4 bytes of extended clipboard payload
                0x08, 0x00, 0x00, 0x01)), // flags: action notify, format text
        new Sample("EndOfContinuousUpdates", TRUE_COLOUR_32, bytes(150)),
        new Sample(
            "ServerFence",
            TRUE_COLOUR_32,
            bytes(
                248, // message-type ServerFence
                0, 0, 0, // padding
                0x80, 0x00, 0x00, 0x03, // flags: Request, BlockBefore, BlockAfter
                2, // length
                0xAB, 0xCD)), // payload
        new Sample(
            "xvp",
            TRUE_COLOUR_32,
            bytes(
                250, // message-type xvp
                0, // padding
                1, // xvp-extension-version
                1)), // xvp-message-code XVP_INIT
        new Sample(
            "QEMU audio begin",
            TRUE_COLOUR_32,
            bytes(255, 1, 0, 1)), // QEMU, submessage-type audio, operation begin
        new Sample(
            "QEMU audio end",
            TRUE_COLOUR_32,
            bytes(255, 1, 0, 0)), // QEMU, submessage-type audio, operation end
        new Sample(
            "QEMU audio data",
            TRUE_COLOUR_32,
            concat(
                bytes(255, 1, 0, 2), // QEMU, submessage-type audio, operation data
                bytes(0, 0, 0, 4), // data-length
                payload(4)))); // data
  }
}
