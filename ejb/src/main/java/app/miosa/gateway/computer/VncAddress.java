package app.miosa.gateway.computer;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a computer's VNC server listens: {@code tcp://host:port} for plain RFB.
 *
 * @param host host name or IP literal, without brackets
 * @param port TCP port, 1 to 65535
 */
public record VncAddress(String host, int port) {

  /**
   * Parses a {@code vnc_url}.
   *
   * @throws IllegalArgumentException with a message that names the value and the expected form
   */
  public static VncAddress parse(String vncUrl) {
    URI uri;
    try {
      uri = new URI(vncUrl);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + vncUrl + "' is not a URL");
    }

    if ("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) {
      // TODO: relay to WebSocket-fronted VNC servers (websockify, KasmVNC); only tcp:// works yet.
      throw new IllegalArgumentException(
          "'" + vncUrl + "' uses " + uri.getScheme() + "://, which this gateway does not relay yet;"
              + " use tcp://host:port");
    }
    if (!"tcp".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getPort() < 1
        || uri.getPort() > 65535
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null
        || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "'" + vncUrl + "' is not of the form tcp://host:port with a port from 1 to 65535");
    }

    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new VncAddress(host, uri.getPort());
  }
}
