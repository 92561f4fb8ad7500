package app.miosa.gateway.csp;

import app.miosa.gateway.config.GatewaySettings;
import app.miosa.gateway.tenant.Tenant;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The viewer's {@code Content-Security-Policy}. {@code frame-ancestors} decides which pages may
 * embed the viewer: the gateway's defaults plus the tenant's own origins. The rest keeps the
 * viewer to its own origin: scripts, styles and the WebSocket come from the gateway.
 */
public final class ContentSecurityPolicy {
  public static final String HEADER = "Content-Security-Policy";

  private ContentSecurityPolicy() {}

  /** Sets the policy that admits the default frame ancestors and, if given, a tenant's. */
  public static void apply(HttpServletResponse response, GatewaySettings settings, Tenant tenant) {
    Set<String> ancestors = new LinkedHashSet<>(settings.frameAncestors());
    if (tenant != null) {
      ancestors.addAll(tenant.frameAncestors());
    }
    response.setHeader(
        HEADER,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " media-src blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
            + (ancestors.isEmpty() ? "'none'" : String.join(" ", ancestors)));
  }
}
