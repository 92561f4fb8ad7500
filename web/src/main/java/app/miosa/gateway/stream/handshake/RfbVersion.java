package app.miosa.gateway.stream.handshake;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ProtocolVersion message: 12 ASCII bytes {@code "RFB xxx.yyy\n"} (RFC 6143, section 7.1.1).
 * The gateway speaks 3.3, 3.7 and 3.8; other 3.x minors are treated as 3.3, as the RFC advises.
 */
final class RfbVersion {
  static final int LENGTH = 12;

  private static final Pattern FORMAT = Pattern.compile("RFB (\\d{3})\\.(\\d{3})\n");

  private RfbVersion() {}

  /**
   * Returns the minor version the gateway uses with a peer that sent {@code message}: 8, 7 or 3.
   *
   * @throws HandshakeException when the message is not an RFB 3.x version
   */
  static int negotiate(byte[] message) throws HandshakeException {
    String text = new String(message, StandardCharsets.US_ASCII);
    Matcher matcher = FORMAT.matcher(text);
    if (!matcher.matches() || Integer.parseInt(matcher.group(1)) != 3) {
      throw new HandshakeException(
          "Expected an RFB 3.x ProtocolVersion, got '" + text.strip() + "'");
    }
    int minor = Integer.parseInt(matcher.group(2));
    if (minor >= 8) {
      return 8;
    }
    return minor == 7 ? 7 : 3;
  }

  static byte[] message(int minor) {
    return String.format("RFB 003.%03d\n", minor).getBytes(StandardCharsets.US_ASCII);
  }
}
