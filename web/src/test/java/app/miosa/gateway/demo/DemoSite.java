package app.miosa.gateway.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A customer's web site that embeds a desktop: on every page load its server side mints a ticket
 * with its API token and the page shows the ticket's URL in an iframe. The demo serves it on
 * localhost:4000; the end-to-end test on a free port.
 */
public final class DemoSite implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI gatewayBase;
  private final String apiToken;
  private final String computerId;
  private final String ticketRequest;

  private DemoSite(
      HttpServer server, URI gatewayBase, String apiToken, String computerId, String request) {
    this.server = server;
    this.gatewayBase = gatewayBase;
    this.apiToken = apiToken;
    this.computerId = computerId;
    this.ticketRequest = request;
  }

  /**
   * Starts the site.
   *
   * @param address where to listen, such as 127.0.0.1:4000; port 0 picks a free one
   * @param gatewayBase the gateway's base URL for REST calls, ending in '/'
   * @param ticketRequest JSON body of each ticket request, such as {@code {"read_only": true}}
   */
  public static DemoSite start(
      InetSocketAddress address,
      URI gatewayBase,
      String apiToken,
      String computerId,
      String ticketRequest) {
    try {
      HttpServer server = HttpServer.create(address, 0);
      DemoSite site = new DemoSite(server, gatewayBase, apiToken, computerId, ticketRequest);
      server.createContext("/", site::handle);
      server.start();
      return site;
    } catch (IOException e) {
      throw new UncheckedIOException("Starting the demo site on " + address + " failed", e);
    }
  }

  /** The page's address on localhost, the origin the gateway's frame-ancestors must allow. */
  public URI pageUrl() {
    return URI.create("http://localhost:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"/".equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, "text/plain", "Not found");
        return;
      }
      HttpResponse<String> minted = mintTicket();
      if (minted.statusCode() != 201) {
        send(exchange, 502, "text/plain", "The gateway refused a ticket: " + minted.body());
        return;
      }
      JsonObject ticket = Json.createReader(new StringReader(minted.body())).readObject();
      send(exchange, 200, "text/html;charset=utf-8", page(ticket));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpResponse<String> mintTicket() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                gatewayBase.resolve("api/v1/computers/" + computerId + "/terminal-tickets"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + apiToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(ticketRequest))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String page(JsonObject ticket) {
    String url = escape(ticket.getString("url"));
    String mode = ticket.getBoolean("read_only") ? "read-only" : "interactive";
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Customer page with an embedded desktop</title>
          <style>
            body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em; background: #f4f4f4; }
            iframe { width: 100%%; height: 78vh; border: 1px solid #999; background: #000; }
          </style>
        </head>
        <body data-stream-state="loading">
          <h1>Watch the agent work</h1>
          <p>A live desktop (%s ticket, expires %s). Stream state: <b id="state">loading</b></p>
          <iframe id="desktop" src="%s" allow="clipboard-read; clipboard-write"></iframe>
          <script>
            window.addEventListener('message', (event) => {
              if (event.data && event.data.source === 'miosa-stream') {
                const state = event.data.state + (event.data.code ? ' ' + event.data.code : '');
                document.body.dataset.streamState = event.data.state;
                document.getElementById('state').textContent = state;
              }
            });
          </script>
        </body>
        </html>
        """
        .formatted(mode, escape(ticket.getString("expires_at")), url);
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
  }
}
