package app.miosa.gateway.computer;

import app.miosa.gateway.config.GatewaySettings;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.util.Optional;

/**
 * Encrypts VNC passwords for storage and decrypts them for the handshake with the VNC server. A
 * stored password is a compact JWE (direct AES-256-GCM, Nimbus JOSE+JWT) under the key of {@link
 * GatewaySettings#VNC_PASSWORD_KEY}; it is bound to its tenant and computer id, so a value copied
 * to another row does not decrypt there.
 */
@ApplicationScoped
public class VncPasswords {
  /** JWE header parameter naming the tenant and computer a password belongs to. */
  private static final String BINDING_PARAM = "computer";
  @Inject GatewaySettings settings;

  private DirectEncrypter encrypter;
  private DirectDecrypter decrypter;

  @PostConstruct
  void load() {
    try {
      byte[] key = settings.vncPasswordKey();
      encrypter = new DirectEncrypter(key);
      decrypter = new DirectDecrypter(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("The VNC password key is unusable", e);
    }
  }

  String encrypt(String tenant, String computerId, String password) {
    JWEHeader header =
        new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
            .customParam(BINDING_PARAM, binding(tenant, computerId))
            .build();
    JWEObject jwe = new JWEObject(header, new Payload(password));
    try {
      jwe.encrypt(encrypter);
    } catch (JOSEException e) {
      throw new IllegalStateException("Encrypting a VNC password failed", e);
    }
    return jwe.serialize();
  }

  /**
   * Decrypts the stored password of a computer.
   *
   * @return the password, or empty when it cannot be decrypted: the key changed or the value was
   *     not written for this computer
   */
  Optional<String> decrypt(String tenant, String computerId, String stored) {
    try {
      JWEObject jwe = JWEObject.parse(stored);
      if (!binding(tenant, computerId).equals(jwe.getHeader().getCustomParam(BINDING_PARAM))) {
        return Optional.empty();
      }
      jwe.decrypt(decrypter);
      return Optional.of(jwe.getPayload().toString());
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }

  private static String binding(String tenant, String computerId) {
    return tenant + "/" + computerId;
  }
}
