package app.miosa.gateway.stream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * Carries what the audit trail records of a viewer (address, browser, page origin) from the HTTP
 * upgrade request to the WebSocket session, which the WebSocket API does not give them.
 *
 * <p>{@link TicketCheckFilter} adds the remote address as a header that only it may set; the
 * configurator then copies it, {@code User-Agent} and {@code Origin} into the session's user
 * properties.
 */
// NOTE: this relies on the container giving each handshake its own copy of the user properties.
// Concurrent handshakes are not tested.
public class ViewerFacts extends ServerEndpointConfig.Configurator {
  /** Header that carries the viewer's address from the filter to the endpoint. */
  static final String ADDRESS_HEADER = "X-Stream-Gateway-Viewer-Address";

  static final String ADDRESS = "viewer.address";
  static final String USER_AGENT = "viewer.user-agent";
  static final String ORIGIN = "viewer.origin";

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config,
      HandshakeRequest request,
      HandshakeResponse response) {
    Map<String, Object> properties = config.getUserProperties();
    properties.put(ADDRESS, first(request, ADDRESS_HEADER));
    properties.put(USER_AGENT, first(request, "User-Agent"));
    properties.put(ORIGIN, first(request, "Origin"));
  }

  private static String first(HandshakeRequest request, String name) {
    for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return null;
  }

  /** Returns the request with the viewer's address in {@link #ADDRESS_HEADER}, replacing a client's. */
  static HttpServletRequest withAddress(HttpServletRequest request) {
    String address = request.getRemoteAddr();
    return new HttpServletRequestWrapper(request) {
      @Override
      public String getHeader(String name) {
        return ADDRESS_HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        return ADDRESS_HEADER.equalsIgnoreCase(name)
            ? Collections.enumeration(List.of(address))
            : super.getHeaders(name);
      }

      @Override
      public Enumeration<String> getHeaderNames() {
        List<String> names = Collections.list(super.getHeaderNames());
        names.removeIf(ADDRESS_HEADER::equalsIgnoreCase);
        names.add(ADDRESS_HEADER);
        return Collections.enumeration(names);
      }
    };
  }
}
