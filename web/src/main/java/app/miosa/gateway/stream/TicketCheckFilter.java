package app.miosa.gateway.stream;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import app.miosa.gateway.ticket.TicketClaims;
import app.miosa.gateway.ticket.TicketCodec;
import app.miosa.gateway.ticket.TicketService;
import app.miosa.gateway.config.GatewaySettings;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets a request to the viewer page or its WebSocket through only with a ticket that opens the
 * computer in its path. A rejected viewer request gets a small HTML page with the failure's
 * status; a rejected WebSocket upgrade gets the same status, before any upgrade happens.
 */
public class TicketCheckFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(TicketCheckFilter.class.getName());

  /** Request attribute holding the verified {@link TicketClaims}. */
  static final String CLAIMS_ATTRIBUTE = TicketClaims.class.getName();

  @EJB transient TicketService tickets;
  @Inject transient GatewaySettings settings;

  /**
   * Returns whether a WebSocket upgrade comes from the gateway's own viewer page. Browsers always
   * send {@code Origin} on a WebSocket upgrade; a request without one is not from a browser page,
   * and a page elsewhere cannot use a leaked ticket through a visitor's browser.
   */
  private boolean isOwnOrigin(HttpServletRequest request) {
    String origin = request.getHeader("Origin");
    return origin == null || origin.equalsIgnoreCase(ownOrigin(request));
  }

  /** Returns the gateway's stream origin: that of gateway.public-url, or of the request's URL. */
  private String ownOrigin(HttpServletRequest request) {
    URI base =
        settings
            .publicBaseUrl()
            .orElseGet(() -> URI.create(request.getRequestURL().toString()));
    int port = base.getPort();
    boolean defaultPort =
        port == -1
            || ("http".equals(base.getScheme()) && port == 80)
            || ("https".equals(base.getScheme()) && port == 443);
    return base.getScheme() + "://" + base.getHost() + (defaultPort ? "" : ":" + port);
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Optional<StreamPath> path = StreamPath.parse(request.getPathInfo());
    if (path.isEmpty()) {
      ErrorPages.send(response, Failure.NOT_FOUND, "There is nothing at this address.");
      return;
    }

    if (path.get().websocket() && !isOwnOrigin(request)) {
      LOG.log(
          Level.FINE,
          "Rejected stream for computer {0} from origin {1}",
          new Object[] {path.get().computerId(), request.getHeader("Origin")});
      ErrorPages.send(
          response,
          Failure.ORIGIN_NOT_ALLOWED,
          "The stream may be opened from " + ownOrigin(request) + " only.");
      return;
    }

    String ticket = request.getParameter("ticket");
    try {
      TicketClaims claims = tickets.verifyCurrent(ticket, path.get().computerId());
      request.setAttribute(CLAIMS_ATTRIBUTE, claims);
    } catch (GatewayException e) {
      LOG.log(
          Level.FINE,
          "Rejected {0} for computer {1}, ticket {2}: {3}",
          new Object[] {
            path.get().websocket() ? "stream" : "viewer",
            path.get().computerId(),
            TicketCodec.loggablePrefix(ticket),
            e.detail()
          });
      ErrorPages.send(response, e.failure(), e.detail());
      return;
    }
    chain.doFilter(request, response);
  }
}
