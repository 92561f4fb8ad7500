package app.miosa.gateway.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.Base64;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WAR the build produced, as Payara Micro runs it, plus the configuration a test needs: the
 * API token issuer and public key, a fixed ticket signing key, and frame ancestors that admit an
 * embedding page on any localhost port.
 */
public final class GatewayDeployment {
  /** Ticket signing key of the tests: 32 bytes, so tickets survive a redeploy. */
  public static final String SIGNING_KEYS =
      "test:" + Base64.getEncoder().encodeToString("stream-gateway-test-signing-key!".getBytes());

  /** Key of the audit trail's record MACs in the tests: 32 bytes. */
  public static final String AUDIT_KEY =
      Base64.getEncoder().encodeToString("stream-gateway-test-audit-key-32".getBytes());

  /** Key that encrypts stored VNC passwords in the tests: 32 bytes. */
  public static final String VNC_PASSWORD_KEY =
      Base64.getEncoder().encodeToString("stream-gateway-test-password-key".getBytes());

  private GatewayDeployment() {}

  /**
   * Returns the built WAR, configured to accept tokens of {@code tokens}.
   *
   * @param extraConfig further {@code key=value} lines of MicroProfile Config, such as tenants
   */
  public static WebArchive war(ApiTokens tokens, String name, String... extraConfig) {
    Path publicKey = tokens.writePublicKey(Path.of("target", "test-keys", name + ".pem"));
    String config =
        String.join(
            "\n",
            "config_ordinal=500",
            "mp.jwt.verify.issuer=" + ApiTokens.ISSUER,
            "mp.jwt.verify.publickey.location=" + publicKey.toAbsolutePath().toUri(),
            "gateway.ticket.signing-keys=" + SIGNING_KEYS,
            "gateway.vnc-password-key=" + VNC_PASSWORD_KEY,
            "gateway.audit.key=" + AUDIT_KEY,
            "gateway.csp.frame-ancestors=*.miosa.app *.miosa.ai localhost:4000 localhost:*",
            String.join("\n", extraConfig),
            "");

    File built = new File(System.getProperty("gateway.war", "target/stream-gateway.war"));
    return ShrinkWrap.create(ZipImporter.class, "stream-gateway.war")
        .importFrom(built)
        .as(WebArchive.class)
        .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
  }
}
