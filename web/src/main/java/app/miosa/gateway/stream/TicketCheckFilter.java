package app.miosa.gateway.stream;

import app.miosa.gateway.config.GatewaySettings;
import app.miosa.gateway.csp.ContentSecurityPolicy;
import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.tenant.Tenant;
import app.miosa.gateway.tenant.TenantTable;
import app.miosa.gateway.ticket.TicketClaims;
import app.miosa.gateway.ticket.TicketKeys;
import app.miosa.gateway.ticket.TicketService;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Lets a request to the viewer page or its WebSockets through only with a ticket that opens the
 * computer in its path, on its tenant's stream domain, and for a WebSocket only from the viewer
 * page's own origin. A rejected viewer request gets a small HTML page with the failure's status;
 * a rejected WebSocket upgrade gets the same status, before any upgrade happens. Every rejection
 * is logged, counted and audited by {@link StreamRejections}.
 */
public class TicketCheckFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  /** Request attribute holding the verified {@link TicketClaims}. */
  static final String CLAIMS_ATTRIBUTE = TicketClaims.class.getName();

  @EJB transient TicketService tickets;
  @Inject transient TicketKeys keys;
  @Inject transient GatewaySettings settings;
  @Inject transient StreamRejections rejections;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Optional<StreamPath> path = StreamPath.parse(request.getPathInfo());
    if (path.isEmpty()) {
      ErrorPages.send(response, Failure.NOT_FOUND, "There is nothing at this address.");
      return;
    }
    String computerId = path.get().computerId();
    String ticket = request.getParameter("ticket");

    TicketClaims claims;
    try {
      claims = keys.verify(ticket, computerId);
    } catch (GatewayException e) {
      reject(request, response, path.get(), null, e.failure(), e.detail());
      return;
    }
    try {
      tickets.checkNotRevoked(claims);
    } catch (GatewayException e) {
      reject(request, response, path.get(), claims, e.failure(), e.detail());
      return;
    }

    TenantTable tenants = settings.tenants();
    Tenant tenant = tenants.tenant(claims.tenant());
    if (!tenants.honoursHost(tenant, request.getServerName())) {
      reject(request, response, path.get(), claims, Failure.TICKET_WRONG_DOMAIN,
          "Open the ticket's URL as it was issued; this domain serves other tenants.");
      return;
    }
    // Past the checks, the ticket's tenant decides who may embed the page.
    ContentSecurityPolicy.apply(response, settings, tenant);

    if (path.get().websocket() && !isOwnOrigin(request, tenant)) {
      reject(request, response, path.get(), claims, Failure.ORIGIN_NOT_ALLOWED,
          "The stream may be opened from " + ownOrigin(request, tenant) + " only.");
      return;
    }

    request.setAttribute(CLAIMS_ATTRIBUTE, claims);
    chain.doFilter(path.get().websocket() ? ViewerFacts.withAddress(request) : request, response);
  }

  /**
   * Returns whether a WebSocket upgrade comes from the gateway's own viewer page. Browsers always
   * send {@code Origin} on a WebSocket upgrade; a request without one is not from a browser page,
   * and a page elsewhere cannot use a leaked ticket through a visitor's browser.
   */
  private boolean isOwnOrigin(HttpServletRequest request, Tenant tenant) {
    String origin = request.getHeader("Origin");
    return origin == null || origin.equalsIgnoreCase(ownOrigin(request, tenant));
  }

  /**
   * Returns the origin the tenant's viewer pages are served from: that of its stream URL or the
   * public URL when configured, else that of the request, which the viewer page shares.
   */
  private String ownOrigin(HttpServletRequest request, Tenant tenant) {
    URI base =
        settings
            .tenants()
            .streamUrl(tenant)
            .orElseGet(() -> URI.create(request.getRequestURL().toString()));
    int port = base.getPort();
    boolean defaultPort =
        port == -1
            || ("http".equals(base.getScheme()) && port == 80)
            || ("https".equals(base.getScheme()) && port == 443);
    return base.getScheme() + "://" + base.getHost() + (defaultPort ? "" : ":" + port);
  }

  /** Records a rejection, then sends the error page or status. */
  private void reject(
      HttpServletRequest request,
      HttpServletResponse response,
      StreamPath path,
      TicketClaims claims,
      Failure failure,
      String detail)
      throws IOException {
    rejections.record(
        path.kind().label(),
        path.computerId(),
        claims,
        request.getParameter("ticket"),
        failure,
        request.getRemoteAddr(),
        request.getHeader("Origin"));
    ErrorPages.send(response, failure, detail);
  }
}
