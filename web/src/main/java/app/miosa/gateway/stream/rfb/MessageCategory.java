package app.miosa.gateway.stream.rfb;

/**
 * What a client-to-server message does to the desktop, which decides its fate on a read-only
 * stream.
 */
public enum MessageCategory {
  /**
   * Acts on the desktop as a user would: keys, pointer, clipboard, desktop size and power control.
   * A read-only stream drops these.
   */
  INPUT,

  /**
   * Shapes only what this viewer receives (pixel format, encodings, update requests, fences,
   * audio), so a read-only stream forwards these.
   */
  CONTROL
}
