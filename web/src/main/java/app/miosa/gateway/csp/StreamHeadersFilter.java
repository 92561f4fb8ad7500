package app.miosa.gateway.csp;

import app.miosa.gateway.config.GatewaySettings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Sets the security headers of every stream-side response: the viewer page, its error pages, its
 * scripts and the WebSocket upgrade. Mapped in {@code web.xml} ahead of the ticket check, so
 * rejections carry the headers too.
 *
 * <p>{@code frame-ancestors} decides which pages may embed the viewer. The rest of the policy
 * keeps the viewer to its own origin: scripts, styles and the WebSocket come from the gateway.
 */
public class StreamHeadersFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject transient GatewaySettings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("Content-Security-Policy", contentSecurityPolicy());
    // The ticket is in the viewer's URL: no Referer may carry it elsewhere.
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Cache-Control", "no-store");
    chain.doFilter(request, response);
  }

  private String contentSecurityPolicy() {
    // TODO: add each tenant's own origins from server config to frame-ancestors.
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
        + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors "
        + settings.frameAncestors();
  }
}
