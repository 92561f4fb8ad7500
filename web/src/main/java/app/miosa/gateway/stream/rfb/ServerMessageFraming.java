package app.miosa.gateway.stream.rfb;

import app.miosa.gateway.stream.rfb.ClientMessageFraming.Header;

/**
 * Wire layout of the server-to-client RFB messages, read from their headers.
 *
 * <p>Lengths follow the community RFB specification, {@code rfbproto.rst} in
 * github.com/rfbproto/rfbproto, which extends RFC 6143. Each constant names its section there.
 * Integers are big-endian. Layout after the message-type byte:
 *
 * <pre>
 * type name                    fields after the type byte                       total bytes
 *    0 FramebufferUpdate       pad:1 n:u16, then n rectangles (RectangleFraming) 4 + rectangles
 *    1 SetColourMapEntries     pad:1 first:u16 n:u16, then n x red,green,blue:u16 6 + 6n
 *    2 Bell                    -                                                 1
 *    3 ServerCutText           pad:3 n:u32 (or -n:s32), then n bytes of text     8 + n
 *  150 EndOfContinuousUpdates  -                                                 1
 *  248 ServerFence             pad:3 flags:u32 n:u8, then n bytes (n up to 64)   9 + n
 *  250 xvp                     pad:1 version:u8 code:u8                          4
 *  255 QEMU audio              subtype=1:u8 operation:u16 (0 end, 1 begin)       4
 *                              subtype=1:u8 operation=2:u16 n:u32, n bytes       8 + n
 * </pre>
 *
 * <p>Every framing unit is a header that the framer reads and a payload that it passes on without
 * reading. The header length can grow as its bytes arrive, so each layout method is called again
 * with more bytes until {@link Layout#headerLength()} bytes are present.
 */
final class ServerMessageFraming {
  // Message-type bytes, from rfbproto.rst "Server to Client Messages".
  static final int FRAMEBUFFER_UPDATE = 0;
  static final int SET_COLOUR_MAP_ENTRIES = 1;
  static final int BELL = 2;
  static final int SERVER_CUT_TEXT = 3;
  static final int END_OF_CONTINUOUS_UPDATES = 150;
  static final int SERVER_FENCE = 248;
  static final int XVP = 250;
  static final int QEMU = 255;

  /** rfbproto.rst "FramebufferUpdate": type, padding, U16 number-of-rectangles. */
  static final int FRAMEBUFFER_UPDATE_HEADER_LENGTH = 4;

  /** rfbproto.rst "SetColourMapEntries": type, padding, U16 first-colour, U16 count. */
  static final int SET_COLOUR_MAP_ENTRIES_HEADER_LENGTH = 6;

  /** rfbproto.rst "SetColourMapEntries": U16 red, green and blue per colour. */
  static final int COLOUR_LENGTH = 6;

  /** rfbproto.rst "ServerCutText": type, 3 padding, U32 length, then the text. */
  static final int SERVER_CUT_TEXT_HEADER_LENGTH = 8;

  /** rfbproto.rst "ServerFence": type, 3 padding, U32 flags, U8 length, then the payload. */
  static final int SERVER_FENCE_HEADER_LENGTH = 9;

  /**
   * rfbproto.rst "ServerFence" has the format of "ClientFence", whose payload "is limited to 64
   * bytes".
   */
  static final int MAX_FENCE_PAYLOAD = 64;

  /** rfbproto.rst "xvp Server Message": type, padding, extension version, message code. */
  static final int XVP_LENGTH = 4;

  /** rfbproto.rst "QEMU Server Message": type, U8 submessage-type. */
  static final int QEMU_HEADER_LENGTH = 2;

  /** rfbproto.rst "QEMU Server Message": audio is the only server submessage-type. */
  static final int QEMU_AUDIO_SUBTYPE = 1;

  /** rfbproto.rst "QEMU Audio Server Message": type, subtype, U16 operation. */
  static final int QEMU_AUDIO_HEADER_LENGTH = 4;

  static final int QEMU_AUDIO_END = 0;
  static final int QEMU_AUDIO_BEGIN = 1;
  static final int QEMU_AUDIO_DATA = 2;

  /** rfbproto.rst "QEMU Audio Server Message", data: the header and U32 data-length. */
  static final int QEMU_AUDIO_DATA_HEADER_LENGTH = 8;

  /** Largest QEMU audio data-length accepted. The specification gives no limit. */
  // NOTE: a chosen limit, far above one audio buffer; the data streams through unbuffered.
  static final long MAX_QEMU_AUDIO_DATA_LENGTH = 64L * 1024 * 1024;

  /**
   * Lengths of one framing unit: a header to read, then a payload to pass on unread.
   *
   * @param headerLength bytes of header needed so far. When fewer are present, the layout is
   *     computed again once they are.
   * @param payloadLength bytes after the header, or {@link #UNKNOWN} while the header is short
   */
  record Layout(int headerLength, long payloadLength) {
    static final long UNKNOWN = -1;

    static Layout needs(int headerLength) {
      return new Layout(headerLength, UNKNOWN);
    }

    static Layout of(int headerLength, long payloadLength) {
      return new Layout(headerLength, payloadLength);
    }
  }

  private ServerMessageFraming() {}

  /**
   * Returns the layout of the message whose first bytes are present. A FramebufferUpdate's layout
   * covers its 4-byte header only, because its rectangles are framed one by one.
   *
   * @throws RfbProtocolException when the type, QEMU subtype or operation is unknown, or a length
   *     field exceeds its limit
   */
  static Layout messageLayout(Header header) throws RfbProtocolException {
    int type = header.u8(0);
    return switch (type) {
      case FRAMEBUFFER_UPDATE -> Layout.of(FRAMEBUFFER_UPDATE_HEADER_LENGTH, 0);
      case SET_COLOUR_MAP_ENTRIES -> setColourMapEntries(header);
      case BELL, END_OF_CONTINUOUS_UPDATES -> Layout.of(1, 0);
      case SERVER_CUT_TEXT -> serverCutText(header);
      case SERVER_FENCE -> serverFence(header);
      case XVP -> Layout.of(XVP_LENGTH, 0);
      case QEMU -> qemu(header);
      default -> throw new RfbProtocolException("Unknown server message type " + type);
    };
  }

  private static Layout setColourMapEntries(Header header) {
    if (header.available() < SET_COLOUR_MAP_ENTRIES_HEADER_LENGTH) {
      return Layout.needs(SET_COLOUR_MAP_ENTRIES_HEADER_LENGTH);
    }
    // The U16 count bounds the payload at 393,210 bytes, which streams through unbuffered.
    return Layout.of(SET_COLOUR_MAP_ENTRIES_HEADER_LENGTH, (long) COLOUR_LENGTH * header.u16(4));
  }

  private static Layout serverCutText(Header header) {
    if (header.available() < SERVER_CUT_TEXT_HEADER_LENGTH) {
      return Layout.needs(SERVER_CUT_TEXT_HEADER_LENGTH);
    }
    // The client's ClientCutText and the server's ServerCutText share the Extended Clipboard
    // convention for a negative length.
    return Layout.of(SERVER_CUT_TEXT_HEADER_LENGTH, ClientMessageFraming.cutTextLength(header));
  }

  private static Layout serverFence(Header header) throws RfbProtocolException {
    if (header.available() < SERVER_FENCE_HEADER_LENGTH) {
      return Layout.needs(SERVER_FENCE_HEADER_LENGTH);
    }
    int payload = header.u8(8);
    if (payload > MAX_FENCE_PAYLOAD) {
      throw new RfbProtocolException(
          "ServerFence payload length is "
              + payload
              + " bytes, more than the maximum of "
              + MAX_FENCE_PAYLOAD);
    }
    return Layout.of(SERVER_FENCE_HEADER_LENGTH, payload);
  }

  private static Layout qemu(Header header) throws RfbProtocolException {
    if (header.available() < QEMU_HEADER_LENGTH) {
      return Layout.needs(QEMU_HEADER_LENGTH);
    }
    int subtype = header.u8(1);
    if (subtype != QEMU_AUDIO_SUBTYPE) {
      throw new RfbProtocolException("Unknown QEMU server message subtype " + subtype);
    }
    if (header.available() < QEMU_AUDIO_HEADER_LENGTH) {
      return Layout.needs(QEMU_AUDIO_HEADER_LENGTH);
    }

    int operation = header.u16(2);
    return switch (operation) {
      case QEMU_AUDIO_END, QEMU_AUDIO_BEGIN -> Layout.of(QEMU_AUDIO_HEADER_LENGTH, 0);
      case QEMU_AUDIO_DATA -> qemuAudioData(header);
      default -> throw new RfbProtocolException("Unknown QEMU audio operation " + operation);
    };
  }

  private static Layout qemuAudioData(Header header) throws RfbProtocolException {
    if (header.available() < QEMU_AUDIO_DATA_HEADER_LENGTH) {
      return Layout.needs(QEMU_AUDIO_DATA_HEADER_LENGTH);
    }
    long length = header.u32(4);
    if (length > MAX_QEMU_AUDIO_DATA_LENGTH) {
      throw new RfbProtocolException(
          "QEMU audio data-length is "
              + length
              + " bytes, more than the maximum of "
              + MAX_QEMU_AUDIO_DATA_LENGTH);
    }
    return Layout.of(QEMU_AUDIO_DATA_HEADER_LENGTH, length);
  }
}
