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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A customer's web site that embeds a desktop with the gateway's {@code /embed.js}. Its page
 * requests a ticket URL from the site's backend ({@code POST /ticket}), which mints a ticket with
 * the site's API token, and the script requests a new one before each ticket expires. The page
 * shows the stream's state, the ticket's expiry and how often the script has switched to a new
 * ticket. With {@code ?renew=false} it keeps the first ticket until the stream closes; with
 * {@code ?audio=1} it plays the desktop's sound.
 *
 * <p>The demo serves it on localhost:4000, the end-to-end tests on a free port. A real site would
 * mint tickets only for its own signed-in users.
 */
public final class DemoSite implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
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
   * @param gatewayBase the gateway's base URL for REST calls and {@code embed.js}, ending in '/'
   * @param ticketRequest JSON body of each ticket request, such as {@code {"ttl_seconds": 60}}
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
      server.setExecutor(site.executor);
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
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if ("/".equals(path) && "GET".equals(method)) {
        send(exchange, 200, "text/html;charset=utf-8", page(gatewayBase.resolve("embed.js")));
      } else if ("/ticket".equals(path) && "POST".equals(method)) {
        sendTicket(exchange);
      } else if ("/".equals(path) || "/ticket".equals(path)) {
        exchange.getResponseHeaders().set("Allow", "/".equals(path) ? "GET" : "POST");
        send(exchange, 405, "text/plain", "Method " + method + " is not allowed on " + path);
      } else {
        send(exchange, 404, "text/plain", "Not found");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Mints a ticket and returns its URL, expiry and mode, or 502 if the gateway rejects it. */
  private void sendTicket(HttpExchange exchange) throws IOException, InterruptedException {
    HttpResponse<String> minted = mintTicket();
    if (minted.statusCode() != 201) {
      String error =
          Json.createObjectBuilder()
              .add("error", "The gateway refused a ticket with " + minted.statusCode())
              .add("gateway_response", minted.body())
              .build()
              .toString();
      send(exchange, 502, "application/json", error);
      return;
    }
    JsonObject ticket = Json.createReader(new StringReader(minted.body())).readObject();
    String body =
        Json.createObjectBuilder()
            .add("url", ticket.getString("url"))
            .add("expires_at", ticket.getString("expires_at"))
            .add("read_only", ticket.getBoolean("read_only"))
            .build()
            .toString();
    send(exchange, 200, "application/json", body);
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

  /**
   * Returns the page. Its script keeps {@code data-stream-state} and {@code data-switches} on the
   * body for the tests, and every state it receives in {@code window.streamEvents}.
   */
  private static String page(URI embedScript) {
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Customer page with an embedded desktop</title>
          <style>
            body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em; background: #f4f4f4; }
            #desktop { height: 70vh; border: 1px solid #999; background: #000; }
            #events { font: 13px/1.4 ui-monospace, monospace; color: #444; }
          </style>
        </head>
        <body data-stream-state="loading" data-switches="0">
          <h1>Watch the agent work</h1>
          <p>
            Stream: <b id="state">loading</b>.
            Ticket (<span id="mode">?</span>) expires at <b id="expiry">?</b>.
            Ticket switches: <b id="switches">0</b>.
            <a id="sound" href="?audio=1">Play the desktop's sound</a>
          </p>
          <div id="desktop"></div>
          <ol id="events" reversed></ol>
          <script src="%s"></script>
          <script>
            const MAX_LOGGED_EVENTS = 10;
            const query = new URLSearchParams(location.search);
            const renew = query.get('renew') !== 'false';
            const audio = query.get('audio') === '1';
            if (audio) {
              const sound = document.getElementById('sound');
              sound.textContent = "Turn the desktop's sound off";
              sound.href = '?';
            }
            window.streamEvents = [];
            let switches = 0;

            async function ticketUrl() {
              const response = await fetch('/ticket', { method: 'POST' });
              if (!response.ok) {
                throw new Error('POST /ticket returned ' + response.status + ': '
                    + await response.text());
              }
              const ticket = await response.json();
              document.getElementById('mode').textContent =
                  ticket.read_only ? 'read-only' : 'interactive';
              return ticket.url;
            }

            function logEvent(state, detail) {
              const event = { state, at: Date.now() };
              if (detail && detail.expiresAt) event.expiresAt = detail.expiresAt;
              if (detail && detail.code !== undefined) event.code = detail.code;
              if (detail && detail.error) event.error = detail.error.message;
              if (detail && detail.retrying !== undefined) event.retrying = detail.retrying;
              window.streamEvents.push(event);

              const item = document.createElement('li');
              item.textContent = new Date(event.at).toISOString() + ' ' + state
                  + (event.code !== undefined ? ' ' + event.code : '')
                  + (event.error ? ': ' + event.error : '');
              const list = document.getElementById('events');
              list.prepend(item);
              while (list.children.length > MAX_LOGGED_EVENTS) list.lastChild.remove();
            }

            function onState(state, detail) {
              logEvent(state, detail);
              if (state === 'switched') {
                switches++;
                document.body.dataset.switches = String(switches);
                document.getElementById('switches').textContent = String(switches);
              }
              if (detail && detail.expiresAt) {
                document.getElementById('expiry').textContent = detail.expiresAt;
              }
              if (state !== 'error') {
                // After a switch the new frame is connected.
                const streamState = state === 'switched' ? 'connected' : state;
                document.body.dataset.streamState = streamState;
                document.getElementById('state').textContent =
                    streamState + (detail && detail.code ? ' ' + detail.code : '');
              }
            }

            MiosaStream.embed(
                document.getElementById('desktop'), { ticketUrl, renew, audio, onState });
          </script>
        </body>
        </html>
        """
        .formatted(escape(embedScript.toString()));
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
