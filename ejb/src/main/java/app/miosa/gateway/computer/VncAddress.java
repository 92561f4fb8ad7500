package app.miosa.gateway.computer;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address of a computer's VNC server: {@code tcp://host:port} for plain RFB, or a {@code
 * ws://} or {@code wss://} URL for a server behind a WebSocket (websockify, KasmVNC).
 *
 * @param host host name or IP literal, without brackets
 * @param port TCP port, 1 to 65535
 * @param webSocketUrl the WebSocket URL, or null for plain RFB over TCP
 */
public record VncAddress(String host, int port, URI webSocketUrl) {
  public VncAddress(String host, int port) {
    this(host, port, null);
  }

  private static final String WEB_SOCKET_FORM =
      " is not of the form ws://host[:port][/path] or wss://host[:port][/path]";

  public boolean isWebSocket() {
    return webSocketUrl != null;
  }

  /**
   * {@code tcp://host:port}, where host is a name (underscores allowed, as container service
   * names use them), an IPv4 literal or a bracketed IPv6 literal.
   */
  private static final Pattern TCP_URL =
      Pattern.compile("tcp://(?:\\[([0-9A-Fa-f:.]+)\\]|([A-Za-z0-9._-]+)):([0-9]{1,5})");

  /**
   * Parses a {@code vnc_url}.
   *
   * @throws IllegalArgumentException with a message that names the value and the expected form;
   *     a value with user information is not repeated because it may hold a password
   */
  public static VncAddress parse(String vncUrl) {
    if (vncUrl == null) {
      throw new IllegalArgumentException("No VNC URL given; expected tcp://host:port");
    }
    String lower = vncUrl.toLowerCase(Locale.ROOT);
    String shown =
        vncUrl.contains("@")
            ? "The URL, not shown as it has user information,"
            : "'" + vncUrl + "'";

    if (lower.startsWith("ws://") || lower.startsWith("wss://")) {
      return parseWebSocket(vncUrl, shown);
    }
    String normalized = lower.startsWith("tcp://") ? "tcp" + vncUrl.substring(3) : vncUrl;
    Matcher matcher = TCP_URL.matcher(normalized);
    int port = matcher.matches() ? Integer.parseInt(matcher.group(3)) : 0;
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          shown + " is not of the form tcp://host:port with a port from 1 to 65535");
    }

    String host = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    return new VncAddress(host, port);
  }

  private static VncAddress parseWebSocket(String vncUrl, String shown) {
    URI uri;
    try {
      uri = new URI(vncUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(shown + WEB_SOCKET_FORM);
    }
    boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
    int defaultPort = secure ? 443 : 80;
    int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
    if (uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null
        || port < 1
        || port > 65535) {
      throw new IllegalArgumentException(shown + WEB_SOCKET_FORM);
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new VncAddress(host, port, uri);
  }
}
