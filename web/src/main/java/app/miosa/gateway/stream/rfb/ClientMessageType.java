package app.miosa.gateway.stream.rfb;

/**
 * The client-to-server RFB messages that {@link ClientMessageParser} can frame, each with its
 * {@link MessageCategory}. The QEMU client message (type 255) appears twice because its subtype
 * decides whether it is input.
 */
public enum ClientMessageType {
  SET_PIXEL_FORMAT(
      ClientMessageFraming.SET_PIXEL_FORMAT, "SetPixelFormat", MessageCategory.CONTROL),
  SET_ENCODINGS(ClientMessageFraming.SET_ENCODINGS, "SetEncodings", MessageCategory.CONTROL),
  FRAMEBUFFER_UPDATE_REQUEST(
      ClientMessageFraming.FRAMEBUFFER_UPDATE_REQUEST,
      "FramebufferUpdateRequest",
      MessageCategory.CONTROL),
  KEY_EVENT(ClientMessageFraming.KEY_EVENT, "KeyEvent", MessageCategory.INPUT),
  POINTER_EVENT(ClientMessageFraming.POINTER_EVENT, "PointerEvent", MessageCategory.INPUT),
  CLIENT_CUT_TEXT(ClientMessageFraming.CLIENT_CUT_TEXT, "ClientCutText", MessageCategory.INPUT),
  ENABLE_CONTINUOUS_UPDATES(
      ClientMessageFraming.ENABLE_CONTINUOUS_UPDATES,
      "EnableContinuousUpdates",
      MessageCategory.CONTROL),
  CLIENT_FENCE(ClientMessageFraming.CLIENT_FENCE, "ClientFence", MessageCategory.CONTROL),
  /** Asks the server to shut down, reboot or reset the machine behind the desktop. */
  XVP(ClientMessageFraming.XVP, "xvp", MessageCategory.INPUT),
  SET_DESKTOP_SIZE(ClientMessageFraming.SET_DESKTOP_SIZE, "SetDesktopSize", MessageCategory.INPUT),
  /** A key event that carries an XT scancode besides the keysym. */
  QEMU_EXTENDED_KEY_EVENT(
      ClientMessageFraming.QEMU, "QEMU extended key event", MessageCategory.INPUT),
  /** Enables, disables or configures the audio stream from the server. */
  QEMU_AUDIO(ClientMessageFraming.QEMU, "QEMU audio", MessageCategory.CONTROL);

  private final int code;
  private final String specName;
  private final MessageCategory category;

  ClientMessageType(int code, String specName, MessageCategory category) {
    this.code = code;
    this.specName = specName;
    this.category = category;
  }

  /** Returns the message-type byte that starts this message on the wire. */
  public int code() {
    return code;
  }

  public MessageCategory category() {
    return category;
  }

  /** Returns the message name as the RFB specification writes it, for logs and errors. */
  public String specName() {
    return specName;
  }
}
