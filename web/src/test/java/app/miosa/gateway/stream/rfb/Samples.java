package app.miosa.gateway.stream.rfb;

import static app.miosa.gateway.stream.rfb.Wire.bytes;

import java.util.List;

/** One valid message of each kind the parser frames, annotated field by field. */
final class Samples {
  private Samples() {}

  record Sample(String name, ClientMessageType type, byte[] bytes) {
    @Override
    public String toString() {
      return name + " (" + bytes.length + " bytes)";
    }
  }

  static final byte[] KEY_EVENT =
      bytes(
          4, // message-type KeyEvent
          1, // down-flag: pressed
          0, 0, // padding
          0x00, 0x00, 0xFF, 0x0D); // key: keysym Return

  static final byte[] POINTER_EVENT =
      bytes(
          5, // message-type PointerEvent
          0x01, // button-mask: button 1 down
          0x01, 0x00, // x-position 256
          0x00, 0x80); // y-position 128

  static final byte[] SET_DESKTOP_SIZE_1920_1080 =
      bytes(
          251, // message-type SetDesktopSize
          0, // padding
          0x07, 0x80, // width 1920
          0x04, 0x38, // height 1080
          1, // number-of-screens
          0, // padding
          0x00, 0x00, 0x00, 0x01, // screen id 1
          0x00, 0x00, // screen x-position 0
          0x00, 0x00, // screen y-position 0
          0x07, 0x80, // screen width 1920
          0x04, 0x38, // screen height 1080
          0x00, 0x00, 0x00, 0x00); // screen flags

  static List<Sample> all() {
    return List.of(
        new Sample(
            "SetPixelFormat",
            ClientMessageType.SET_PIXEL_FORMAT,
            bytes(
                0, // message-type SetPixelFormat
                0, 0, 0, // padding
                32, // bits-per-pixel
                24, // depth
                0, // big-endian-flag
                1, // true-colour-flag
                0x00, 0xFF, // red-max
                0x00, 0xFF, // green-max
                0x00, 0xFF, // blue-max
                16, // red-shift
                8, // green-shift
                0, // blue-shift
                0, 0, 0)), // padding
        new Sample(
            "SetEncodings with three encodings",
            ClientMessageType.SET_ENCODINGS,
            bytes(
                2, // message-type SetEncodings
                0, // padding
                0x00, 0x03, // number-of-encodings
                0x00, 0x00, 0x00, 0x07, // Tight
                0x00, 0x00, 0x00, 0x00, // Raw
                0xFF, 0xFF, 0xFF, 0x21)), // DesktopSize pseudo-encoding, -223
        new Sample(
            "SetEncodings with no encodings",
            ClientMessageType.SET_ENCODINGS,
            bytes(
                2, // message-type SetEncodings
                0, // padding
                0x00, 0x00)), // number-of-encodings
        new Sample(
            "FramebufferUpdateRequest",
            ClientMessageType.FRAMEBUFFER_UPDATE_REQUEST,
            bytes(
                3, // message-type FramebufferUpdateRequest
                1, // incremental
                0x00, 0x00, // x-position
                0x00, 0x00, // y-position
                0x07, 0x80, // width 1920
                0x04, 0x38)), // height 1080
        new Sample("KeyEvent", ClientMessageType.KEY_EVENT, KEY_EVENT),
        new Sample("PointerEvent", ClientMessageType.POINTER_EVENT, POINTER_EVENT),
        new Sample(
            "ClientCutText with text abc",
            ClientMessageType.CLIENT_CUT_TEXT,
            bytes(
                6, // message-type ClientCutText
                0, 0, 0, // padding
                0x00, 0x00, 0x00, 0x03, // length 3
                'a', 'b', 'c')), // text
        new Sample(
            "ClientCutText with no text",
            ClientMessageType.CLIENT_CUT_TEXT,
            bytes(
                6, // message-type ClientCutText
                0, 0, 0, // padding
                0x00, 0x00, 0x00, 0x00)), // length 0
        new Sample(
            "ClientCutText extended clipboard request",
            ClientMessageType.CLIENT_CUT_TEXT,
            bytes(
                6, // message-type ClientCutText
                0, 0, 0, // padding
                0xFF, 0xFF, 0xFF, 0xFC, // length -4: 4 bytes of extended clipboard payload
                0x02, 0x00, 0x00, 0x01)), // flags: action request, format text
        new Sample(
            "EnableContinuousUpdates",
            ClientMessageType.ENABLE_CONTINUOUS_UPDATES,
            bytes(
                150, // message-type EnableContinuousUpdates
                1, // enable-flag
                0x00, 0x00, // x-position
                0x00, 0x00, // y-position
                0x07, 0x80, // width 1920
                0x04, 0x38)), // height 1080
        new Sample(
            "ClientFence with two-byte payload",
            ClientMessageType.CLIENT_FENCE,
            bytes(
                248, // message-type ClientFence
                0, 0, 0, // padding
                0x80, 0x00, 0x00, 0x03, // flags: Request, BlockBefore, BlockAfter
                2, // length
                0xAB, 0xCD)), // payload
        new Sample(
            "ClientFence with no payload",
            ClientMessageType.CLIENT_FENCE,
            bytes(
                248, // message-type ClientFence
                0, 0, 0, // padding
                0x00, 0x00, 0x00, 0x00, // flags: a response
                0)), // length
        new Sample(
            "xvp",
            ClientMessageType.XVP,
            bytes(
                250, // message-type xvp
                0, // padding
                1, // xvp-extension-version
                3)), // xvp-message-code XVP_REBOOT
        new Sample(
            "SetDesktopSize with one 1920x1080 screen",
            ClientMessageType.SET_DESKTOP_SIZE,
            SET_DESKTOP_SIZE_1920_1080),
        new Sample(
            "QEMU extended key event",
            ClientMessageType.QEMU_EXTENDED_KEY_EVENT,
            bytes(
                255, // message-type QEMU
                0, // submessage-type extended key event
                0x00, 0x01, // down-flag
                0x00, 0x00, 0x00, 0x41, // keysym A
                0x00, 0x00, 0x00, 0x1E)), // keycode: XT scancode of A
        new Sample(
            "QEMU audio enable",
            ClientMessageType.QEMU_AUDIO,
            bytes(
                255, // message-type QEMU
                1, // submessage-type audio
                0x00, 0x00)), // operation enable
        new Sample(
            "QEMU audio disable",
            ClientMessageType.QEMU_AUDIO,
            bytes(
                255, // message-type QEMU
                1, // submessage-type audio
                0x00, 0x01)), // operation disable
        new Sample(
            "QEMU audio set format",
            ClientMessageType.QEMU_AUDIO,
            bytes(
                255, // message-type QEMU
                1, // submessage-type audio
                0x00, 0x02, // operation set format
                3, // sample-format S16
                2, // nchannels: stereo
                0x00, 0x00, 0xAC, 0x44))); // frequency 44100
  }
}
