package app.miosa.gateway.stream.rfb;

import java.nio.ByteBuffer;

/**
 * Wire lengths of the client-to-server RFB messages, read from their headers.
 *
 * <p>Lengths follow the community RFB specification, {@code rfbproto.rst} in
 * github.com/rfbproto/rfbproto, which extends RFC 6143. Each constant names its section there.
 * Integers are big-endian. Layout after the message-type byte, and the total length:
 *
 * <pre>
 * type name                      fields after the type byte                        total bytes
 *    0 SetPixelFormat            pad:3 pixel-format:16                             20
 *    2 SetEncodings              pad:1 n:u16, then n encodings of s32              4 + 4n
 *    3 FramebufferUpdateRequest  incremental:u8 x:u16 y:u16 width:u16 height:u16   10
 *    4 KeyEvent                  down:u8 pad:2 keysym:u32                          8
 *    5 PointerEvent              mask:u8 x:u16 y:u16 [mask-high:u8]                6, or 7
 *    6 ClientCutText             pad:3 n:u32 (or -n:s32), then n bytes of text     8 + n
 *  150 EnableContinuousUpdates   enable:u8 x:u16 y:u16 width:u16 height:u16        10
 *  248 ClientFence               pad:3 flags:u32 n:u8, then n bytes (n up to 64)   9 + n
 *  250 xvp                       pad:1 version:u8 code:u8                          4
 *  251 SetDesktopSize            pad:1 width:u16 height:u16 n:u8 pad:1, n screens  8 + 16n
 *  255 QEMU extended key event   subtype=0:u8 down:u16 keysym:u32 keycode:u32      12
 *  255 QEMU audio                subtype=1:u8 operation:u16 (0 enable, 1 disable)  4
 *                                subtype=1:u8 operation=2:u16 format:u8 channels:u8
 *                                frequency:u32                                     10
 * </pre>
 */
final class ClientMessageFraming {
  // Message-type bytes, from rfbproto.rst "Client to Server Messages".
  static final int SET_PIXEL_FORMAT = 0;
  static final int SET_ENCODINGS = 2;
  static final int FRAMEBUFFER_UPDATE_REQUEST = 3;
  static final int KEY_EVENT = 4;
  static final int POINTER_EVENT = 5;
  static final int CLIENT_CUT_TEXT = 6;
  static final int ENABLE_CONTINUOUS_UPDATES = 150;
  static final int CLIENT_FENCE = 248;
  static final int XVP = 250;
  static final int SET_DESKTOP_SIZE = 251;
  static final int QEMU = 255;

  /** rfbproto.rst "SetPixelFormat": type, 3 padding, 16-byte PIXEL_FORMAT. */
  static final int SET_PIXEL_FORMAT_LENGTH = 20;

  /** rfbproto.rst "SetEncodings": type, padding, U16 number-of-encodings. */
  static final int SET_ENCODINGS_HEADER_LENGTH = 4;

  /** rfbproto.rst "SetEncodings": each encoding-type is an S32. */
  static final int ENCODING_LENGTH = 4;

  /**
   * Largest number-of-encodings accepted, so a SetEncodings buffers at most 4 + 4 * 1024 bytes
   * instead of the 262,144 bytes that the U16 field allows.
   */
  // NOTE: 1024 is a chosen limit, not a specified one. noVNC 1.7.0 lists 27 or fewer encodings.
  static final int MAX_ENCODINGS = 1024;

  /** rfbproto.rst "FramebufferUpdateRequest": type, incremental, x, y, width, height. */
  static final int FRAMEBUFFER_UPDATE_REQUEST_LENGTH = 10;

  /** rfbproto.rst "KeyEvent": type, down-flag, 2 padding, U32 key. */
  static final int KEY_EVENT_LENGTH = 8;

  /** rfbproto.rst "PointerEvent": type, U8 button-mask, U16 x-position, U16 y-position. */
  static final int POINTER_EVENT_LENGTH = 6;

  /**
   * A PointerEvent of the ExtendedMouseButtons extension: one more byte of button mask, present
   * when the marker bit of the first mask byte is set. noVNC 1.7.0 ({@code core/rfb.js}, {@code
   * extendedPointerEvent}) sends it only after the server acknowledged the extension.
   */
  static final int EXTENDED_POINTER_EVENT_LENGTH = 7;

  /** Bit of the first button-mask byte that announces the extra mask byte. */
  static final int EXTENDED_POINTER_MARKER = 0x80;

  /** Pseudo-encoding by which a client requests the ExtendedMouseButtons extension. */
  static final int EXTENDED_MOUSE_BUTTONS_ENCODING = -316;

  /** rfbproto.rst "ClientCutText": type, 3 padding, U32 length, then the text. */
  static final int CLIENT_CUT_TEXT_HEADER_LENGTH = 8;

  /** rfbproto.rst "EnableContinuousUpdates": type, enable-flag, x, y, width, height. */
  static final int ENABLE_CONTINUOUS_UPDATES_LENGTH = 10;

  /** rfbproto.rst "ClientFence": type, 3 padding, U32 flags, U8 length, then the payload. */
  static final int CLIENT_FENCE_HEADER_LENGTH = 9;

  /** rfbproto.rst "ClientFence": "The size of this data is limited to 64 bytes". */
  static final int MAX_FENCE_PAYLOAD = 64;

  /** rfbproto.rst "xvp Client Message": type, padding, extension version, message code. */
  static final int XVP_LENGTH = 4;

  /**
   * rfbproto.rst "SetDesktopSize": type, padding, U16 width, U16 height, U8 number-of-screens,
   * padding. noVNC 1.7.0 and KasmVNC's copy of rfbproto.rst have one padding byte after the type.
   * An older rfbproto.rst revision lists two, but noVNC 1.7.0 sends an 8-byte header.
   */
  static final int SET_DESKTOP_SIZE_HEADER_LENGTH = 8;

  /** rfbproto.rst "SetDesktopSize", SCREEN: U32 id, 4 x U16 position and size, U32 flags. */
  static final int SCREEN_LENGTH = 16;

  /**
   * Largest number-of-screens, fixed by its U8 field, so a SetDesktopSize is at most 4,088 bytes.
   */
  static final int MAX_SCREENS = 255;

  /** rfbproto.rst "QEMU Client Message": every one starts with type and U8 submessage-type. */
  static final int QEMU_HEADER_LENGTH = 2;

  static final int QEMU_EXTENDED_KEY_EVENT_SUBTYPE = 0;
  static final int QEMU_AUDIO_SUBTYPE = 1;

  /**
   * rfbproto.rst "QEMU Extended Key Event Message": type, subtype, U16 down, U32 keysym, U32
   * keycode.
   */
  static final int QEMU_EXTENDED_KEY_EVENT_LENGTH = 12;

  /** rfbproto.rst "QEMU Audio Client Message": type, subtype, U16 operation. */
  static final int QEMU_AUDIO_HEADER_LENGTH = 4;

  static final int QEMU_AUDIO_ENABLE = 0;
  static final int QEMU_AUDIO_DISABLE = 1;
  static final int QEMU_AUDIO_SET_FORMAT = 2;

  /** rfbproto.rst "QEMU Audio Client Message", enable and disable: the header alone. */
  static final int QEMU_AUDIO_ENABLE_DISABLE_LENGTH = 4;

  /**
   * rfbproto.rst "QEMU Audio Client Message", set format: U8 sample-format, U8 nchannels, U32
   * frequency.
   */
  static final int QEMU_AUDIO_SET_FORMAT_LENGTH = 10;

  /** The first bytes of the message being assembled, possibly spread over two buffers. */
  interface Header {
    /** Returns how many bytes of the message are present. */
    int available();

    /** Returns the unsigned byte at {@code index}, which is below {@link #available()}. */
    int u8(int index);

    default int u16(int index) {
      return u8(index) << 8 | u8(index + 1);
    }

    default long u32(int index) {
      return (long) u16(index) << 16 | u16(index + 2);
    }
  }

  private ClientMessageFraming() {}

  /**
   * Returns how many leading bytes identify the message and fix its length. The result can grow as
   * bytes arrive: a QEMU message needs its subtype to tell whether it has an operation field.
   *
   * @param extendedPointerEvents whether the client requested ExtendedMouseButtons
   */
  static int headerLength(Header header, boolean extendedPointerEvents) {
    return switch (header.u8(0)) {
      case SET_ENCODINGS -> SET_ENCODINGS_HEADER_LENGTH;
      case POINTER_EVENT -> extendedPointerEvents ? 2 : 1;
      case CLIENT_CUT_TEXT -> CLIENT_CUT_TEXT_HEADER_LENGTH;
      case CLIENT_FENCE -> CLIENT_FENCE_HEADER_LENGTH;
      case SET_DESKTOP_SIZE -> SET_DESKTOP_SIZE_HEADER_LENGTH;
      case QEMU -> qemuHeaderLength(header);
      default -> 1; // The type byte fixes the length of every other known message.
    };
  }

  private static int qemuHeaderLength(Header header) {
    if (header.available() < QEMU_HEADER_LENGTH || header.u8(1) != QEMU_AUDIO_SUBTYPE) {
      return QEMU_HEADER_LENGTH;
    }
    return QEMU_AUDIO_HEADER_LENGTH;
  }

  /**
   * Returns the type of the message whose {@link #headerLength} bytes are present, or null when its
   * type, QEMU subtype or QEMU audio operation is unknown.
   *
   * <p>gii (type 253) is unknown on purpose, because the specification does not fix its framing.
   * Its length field is an EU16 whose byte order a flag bit selects. rfbproto.rst gives the gii
   * Version message a length value of 4 (KasmVNC's copy gives 2) although its body is 2 bytes.
   */
  static ClientMessageType type(Header header) {
    return switch (header.u8(0)) {
      case SET_PIXEL_FORMAT -> ClientMessageType.SET_PIXEL_FORMAT;
      case SET_ENCODINGS -> ClientMessageType.SET_ENCODINGS;
      case FRAMEBUFFER_UPDATE_REQUEST -> ClientMessageType.FRAMEBUFFER_UPDATE_REQUEST;
      case KEY_EVENT -> ClientMessageType.KEY_EVENT;
      case POINTER_EVENT -> ClientMessageType.POINTER_EVENT;
      case CLIENT_CUT_TEXT -> ClientMessageType.CLIENT_CUT_TEXT;
      case ENABLE_CONTINUOUS_UPDATES -> ClientMessageType.ENABLE_CONTINUOUS_UPDATES;
      case CLIENT_FENCE -> ClientMessageType.CLIENT_FENCE;
      case XVP -> ClientMessageType.XVP;
      case SET_DESKTOP_SIZE -> ClientMessageType.SET_DESKTOP_SIZE;
      case QEMU -> qemuType(header);
      default -> null;
    };
  }

  private static ClientMessageType qemuType(Header header) {
    return switch (header.u8(1)) {
      case QEMU_EXTENDED_KEY_EVENT_SUBTYPE -> ClientMessageType.QEMU_EXTENDED_KEY_EVENT;
      case QEMU_AUDIO_SUBTYPE ->
          isAudioOperation(header.u16(2)) ? ClientMessageType.QEMU_AUDIO : null;
      default -> null;
    };
  }

  private static boolean isAudioOperation(int operation) {
    return operation == QEMU_AUDIO_ENABLE
        || operation == QEMU_AUDIO_DISABLE
        || operation == QEMU_AUDIO_SET_FORMAT;
  }

  /**
   * Returns the total wire length of a message of the given type whose header is present. For a
   * ClientCutText the result can exceed any buffer, up to 8 + 2^31.
   *
   * @throws RfbProtocolException when a length field exceeds its limit
   */
  static long messageLength(ClientMessageType type, Header header, boolean extendedPointerEvents)
      throws RfbProtocolException {
    return switch (type) {
      case SET_PIXEL_FORMAT -> SET_PIXEL_FORMAT_LENGTH;
      case SET_ENCODINGS -> setEncodingsLength(header);
      case FRAMEBUFFER_UPDATE_REQUEST -> FRAMEBUFFER_UPDATE_REQUEST_LENGTH;
      case KEY_EVENT -> KEY_EVENT_LENGTH;
      case POINTER_EVENT -> pointerEventLength(header, extendedPointerEvents);
      case CLIENT_CUT_TEXT -> CLIENT_CUT_TEXT_HEADER_LENGTH + cutTextLength(header);
      case ENABLE_CONTINUOUS_UPDATES -> ENABLE_CONTINUOUS_UPDATES_LENGTH;
      case CLIENT_FENCE -> clientFenceLength(header);
      case XVP -> XVP_LENGTH;
      case SET_DESKTOP_SIZE -> setDesktopSizeLength(header);
      case QEMU_EXTENDED_KEY_EVENT -> QEMU_EXTENDED_KEY_EVENT_LENGTH;
      case QEMU_AUDIO -> qemuAudioLength(header);
    };
  }

  private static long setEncodingsLength(Header header) throws RfbProtocolException {
    int count = header.u16(2);
    if (count > MAX_ENCODINGS) {
      throw new RfbProtocolException(
          "SetEncodings lists " + count + " encodings, more than the maximum of " + MAX_ENCODINGS);
    }
    return SET_ENCODINGS_HEADER_LENGTH + (long) ENCODING_LENGTH * count;
  }

  /**
   * Without an ExtendedMouseButtons request the marker bit is the button 8 bit of rfbproto.rst
   * "PointerEvent", so the event stays 6 bytes.
   */
  private static long pointerEventLength(Header header, boolean extendedPointerEvents) {
    if (extendedPointerEvents && (header.u8(1) & EXTENDED_POINTER_MARKER) != 0) {
      return EXTENDED_POINTER_EVENT_LENGTH;
    }
    return POINTER_EVENT_LENGTH;
  }

  /**
   * Returns the text length of a ClientCutText. A length with the top bit set is the negative S32
   * of the Extended Clipboard pseudo-encoding, and its absolute value is the payload size: noVNC
   * 1.7.0 ({@code core/rfb.js}, {@code clientCutText}) writes {@code toUnsigned32bit(-length)}. The
   * result is at most 2^31, so the 0xFFFFFFFF of a legacy reading never occurs.
   */
  static long cutTextLength(Header header) {
    long length = header.u32(4);
    boolean extendedClipboard = length >= 1L << 31;
    return extendedClipboard ? (1L << 32) - length : length;
  }

  private static long clientFenceLength(Header header) throws RfbProtocolException {
    int payload = header.u8(8);
    if (payload > MAX_FENCE_PAYLOAD) {
      throw new RfbProtocolException(
          "ClientFence payload length is "
              + payload
              + " bytes, more than the maximum of "
              + MAX_FENCE_PAYLOAD);
    }
    return CLIENT_FENCE_HEADER_LENGTH + payload;
  }

  private static long setDesktopSizeLength(Header header) {
    int screens = header.u8(6);
    return SET_DESKTOP_SIZE_HEADER_LENGTH + (long) SCREEN_LENGTH * screens;
  }

  private static long qemuAudioLength(Header header) {
    return header.u16(2) == QEMU_AUDIO_SET_FORMAT
        ? QEMU_AUDIO_SET_FORMAT_LENGTH
        : QEMU_AUDIO_ENABLE_DISABLE_LENGTH;
  }

  /** Returns whether a whole SetEncodings message lists {@code encoding}. */
  static boolean listsEncoding(ByteBuffer setEncodings, int encoding) {
    int start = setEncodings.position() + SET_ENCODINGS_HEADER_LENGTH;
    for (int offset = start; offset < setEncodings.limit(); offset += ENCODING_LENGTH) {
      if (setEncodings.getInt(offset) == encoding) {
        return true;
      }
    }
    return false;
  }
}
