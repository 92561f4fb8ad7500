package app.miosa.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 GET requests written by hand to 127.0.0.1, for the headers that Java's HTTP client
 * will not send: {@code Host}, {@code Upgrade} and {@code Connection}.
 */
public final class RawHttp {
  private RawHttp() {}

  /**
   * A response's status and headers (names in lower case), read up to the end of the headers.
   */
  public record Response(int status, Map<String, String> headers) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Sends a GET request to 127.0.0.1 and reads the status and headers of the response.
   *
   * @param port the port on 127.0.0.1 to connect to
   * @param host the {@code Host} header
   * @param pathAndQuery such as {@code /computer/cmp_1?ticket=...}
   * @param headers further headers, name to value
   */
  public static Response get(int port, String host, String pathAndQuery, Map<String, String> headers) {
    StringBuilder head = new StringBuilder();
    head.append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    if (!headers.containsKey("Connection")) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readHead(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + pathAndQuery + " on port " + port + " failed", e);
    }
  }

  /** Returns the standard headers of a WebSocket upgrade request with the subprotocol binary. */
  public static Map<String, String> upgradeHeaders(String origin) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Upgrade", "websocket");
    headers.put("Connection", "Upgrade");
    headers.put("Sec-WebSocket-Key", "dGVzdC1rZXktMTIzNDU2Nw==");
    headers.put("Sec-WebSocket-Version", "13");
    headers.put("Sec-WebSocket-Protocol", "binary");
    if (origin != null) {
      headers.put("Origin", origin);
    }
    return headers;
  }

  private static Response readHead(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    int b;
    while ((b = in.read()) != -1) {
      text.append((char) b);
      if (text.length() >= 4 && text.substring(text.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    String[] lines = text.toString().split("\r\n");
    if (lines.length == 0 || !lines[0].startsWith("HTTP/1.1 ")) {
      throw new IOException("Not an HTTP/1.1 response: '" + text + "'");
    }
    int status = Integer.parseInt(lines[0].substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new Response(status, headers);
  }
}
