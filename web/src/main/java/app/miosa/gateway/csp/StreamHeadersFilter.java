package app.miosa.gateway.csp;

import app.miosa.gateway.config.GatewaySettings;
import app.miosa.gateway.tenant.Tenant;
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
 * <p>The frame ancestors here are the defaults plus those of the tenant whose stream domain the
 * request arrived on. After verifying a ticket, the ticket check sets those of the ticket's tenant.
 */
public class StreamHeadersFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  @Inject transient GatewaySettings settings;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Tenant domainOwner =
        settings.tenants().ownerOfStreamHost(request.getServerName()).orElse(null);
    ContentSecurityPolicy.apply(response, settings, domainOwner);
    // The ticket is in the viewer's URL: no Referer may carry it elsewhere.
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Cache-Control", "no-store");
    chain.doFilter(request, response);
  }
}
