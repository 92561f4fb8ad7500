package app.miosa.gateway.stream.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The response to a VNC authentication challenge (RFC 6143, section 7.2.2): the 16-byte challenge
 * encrypted with DES, keyed by the first 8 bytes of the password, zero-padded.
 *
 * <p>VNC servers reverse the bit order of each key byte, a quirk of the original implementation
 * that every server and client keeps; the JDK's DES then does the encryption.
 */
public final class VncAuthentication {
  /** Length of the challenge and of the response. */
  public static final int CHALLENGE_LENGTH = 16;

  /** DES uses 8 key bytes, so VNC passwords are cut to 8 characters. */
  private static final int KEY_LENGTH = 8;

  private VncAuthentication() {}

  public static byte[] response(byte[] challenge, String password) {
    if (challenge.length != CHALLENGE_LENGTH) {
      throw new IllegalArgumentException(
          "A VNC challenge has " + CHALLENGE_LENGTH + " bytes, not " + challenge.length);
    }
    byte[] key = new byte[KEY_LENGTH];
    byte[] passwordBytes = password.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < KEY_LENGTH && i < passwordBytes.length; i++) {
      key[i] = (byte) (Integer.reverse(passwordBytes[i] & 0xFF) >>> 24);
    }

    try {
      Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
      des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
      return des.doFinal(challenge);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JDK cannot encrypt with DES", e);
    }
  }
}
