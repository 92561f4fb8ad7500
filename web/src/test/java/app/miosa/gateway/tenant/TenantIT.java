package app.miosa.gateway.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.Chromium;
import app.miosa.gateway.testing.Desktop;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.GatewayDeployment;
import app.miosa.gateway.testing.RawHttp;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Tenants from server config on Payara Micro: plans that set ticket lifetimes, extra frame
 * ancestors, a tenant's own stream domain, the origin check, and isolation of every API call.
 * Requests for other domains are sent to 127.0.0.1 with their {@code Host} header, and Chromium
 * resolves the test's host names to 127.0.0.1.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TenantIT {
  private static final ApiTokens TOKENS = ApiTokens.generate();
  private static final Path OUTPUT = Path.of("target", "tenant-it");

  /** On the trial plan, with an extra frame ancestor. */
  private static final String ACME = "acme";

  /** With its own stream domain and frame ancestor. */
  private static final String GLOBEX = "globex";

  /** Named nowhere in config: default plan, the gateway's domain. */
  private static final String INITECH = "initech";

  private static final String GLOBEX_DOMAIN = "stream.globex.test";
  private static final String ACME_PORTAL = "portal.acme.test";

  @ArquillianResource private URL deploymentUrl;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return GatewayDeployment.war(
            TOKENS,
            "tenant",
            "gateway.plans=trial",
            "gateway.plan.trial.default-ttl-seconds=120",
            "gateway.plan.trial.max-ttl-seconds=600",
            "gateway.tenants=acme,globex",
            "gateway.tenant.acme.plan=trial",
            "gateway.tenant.acme.frame-ancestors=http://" + ACME_PORTAL + ":*",
            "gateway.tenant.globex.stream-url=http://" + GLOBEX_DOMAIN,
            "gateway.tenant.globex.frame-ancestors=https://app.globex.test");
  }

  @Test
  void planSetsDefaultLifetime() {
    GatewayClient gateway = new GatewayClient(deploymentUrl);
    String token = apiToken(ACME);
    String computerId = register(gateway, token, "tcp://127.0.0.1:5999");

    Instant before = Instant.now();
    JsonObject ticket = gateway.mintTicket(token, computerId, "{}");

    long lifetime =
        Duration.between(before, Instant.parse(ticket.getString("expires_at"))).toSeconds();
    assertTrue(lifetime >= 118, "lifetime " + lifetime + " s");
    assertTrue(lifetime <= 121, "lifetime " + lifetime + " s");
  }

  @Test
  void lifetimeOutsidePlanNamesAllowedRange() {
    GatewayClient gateway = new GatewayClient(deploymentUrl);
    String acme = apiToken(ACME);
    String acmeComputer = register(gateway, acme, "tcp://127.0.0.1:5999");
    String initech = apiToken(INITECH);
    String initechComputer = register(gateway, initech, "tcp://127.0.0.1:5999");

    for (String ttl : List.of("601", "0", "-1")) {
      HttpResponse<String> rejected = mint(gateway, acme, acmeComputer, "{\"ttl_seconds\": " + ttl + "}");
      assertEquals(400, rejected.statusCode(), ttl);
      assertTrue(rejected.body().contains("trial plan allows 1 to 600 seconds"), rejected.body());
    }
    assertEquals(201, mint(gateway, acme, acmeComputer, "{\"ttl_seconds\": 600}").statusCode());
    assertEquals(201, mint(gateway, initech, initechComputer, "{\"ttl_seconds\": 601}").statusCode());
    HttpResponse<String> overDefault =
        mint(gateway, initech, initechComputer, "{\"ttl_seconds\": 86401}");
    assertEquals(400, overDefault.statusCode());
    assertTrue(overDefault.body().contains("default plan allows 1 to 86400"), overDefault.body());
  }

  @Test
  void ticketUrlUsesTenantStreamDomain() {
    GatewayClient gateway = new GatewayClient(deploymentUrl);
    String globex = apiToken(GLOBEX);
    String globexComputer = register(gateway, globex, "tcp://127.0.0.1:5999");
    String initech = apiToken(INITECH);
    String initechComputer = register(gateway, initech, "tcp://127.0.0.1:5999");

    String globexUrl = gateway.mintTicket(globex, globexComputer, "{}").getString("url");
    String initechUrl = gateway.mintTicket(initech, initechComputer, "{}").getString("url");

    assertTrue(
        globexUrl.startsWith("http://" + GLOBEX_DOMAIN + "/computer/" + globexComputer + "?ticket="),
        globexUrl);
    assertTrue(
        initechUrl.startsWith(
            "http://127.0.0.1:" + deploymentUrl.getPort() + contextPath() + "/computer/"),
        initechUrl);
  }

  @Test
  void ticketHonouredOnlyOnOwnDomain() {
    GatewayClient gateway = new GatewayClient(deploymentUrl);
    String globex = apiToken(GLOBEX);
    String globexComputer = register(gateway, globex, "tcp://127.0.0.1:5999");
    String globexTicket = gateway.mintTicket(globex, globexComputer, "{}").getString("token");
    String acme = apiToken(ACME);
    String acmeComputer = register(gateway, acme, "tcp://127.0.0.1:5999");
    String acmeTicket = gateway.mintTicket(acme, acmeComputer, "{}").getString("token");
    String ownHost = "127.0.0.1:" + deploymentUrl.getPort();

    assertEquals(200, viewer(GLOBEX_DOMAIN, globexComputer, globexTicket).status());
    assertEquals(403, viewer(ownHost, globexComputer, globexTicket).status());
    assertEquals(200, viewer(ownHost, acmeComputer, acmeTicket).status());
    assertEquals(403, viewer(GLOBEX_DOMAIN, acmeComputer, acmeTicket).status());
    assertEquals(
        403,
        upgrade(ownHost, globexComputer, globexTicket, "http://" + ownHost).status(),
        "a tenant's stream on the gateway's own domain");
    assertEquals(
        403,
        upgrade("audio", ownHost, globexComputer, globexTicket, "http://" + ownHost).status(),
        "a tenant's audio stream on the gateway's own domain");
  }

  @Test
  void upgradeAcceptedOnlyFromTenantStreamOrigin() {
    GatewayClient gateway = new GatewayClient(deploymentUrl);
    String globex = apiToken(GLOBEX);
    String computerId = register(gateway, globex, "tcp://127.0.0.1:5999");
    String ticket = gateway.mintTicket(globex, computerId, "{}").getString("token");

    RawHttp.Response own = upgrade(GLOBEX_DOMAIN, computerId, ticket, "http://" + GLOBEX_DOMAIN);
    RawHttp.Response customer =
        upgrade(GLOBEX_DOMAIN, computerId, ticket, "https://app.globex.test");
    RawHttp.Response gatewayOrigin =
        upgrade(GLOBEX_DOMAIN, computerId, ticket, "http://127.0.0.1:" + deploymentUrl.getPort());

    assertEquals(101, own.status(), "the viewer page's own origin");
    assertEquals(403, customer.status(), "the customer's page may frame the viewer, not stream");
    assertEquals(403, gatewayOrigin.status(), "the gateway's default domain");
    assertEquals(
        101,
        upgrade("audio", GLOBEX_DOMAIN, computerId, ticket, "http://" + GLOBEX_DOMAIN).status(),
        "the audio stream from the viewer page's own origin");
    assertEquals(
        403,
        upgrade("audio", GLOBEX_DOMAIN, computerId, ticket, "https://app.globex.test").status(),
        "the audio stream from the customer's page");
  }

  @Test
  void viewerPolicyAddsTenantFrameAncestors() {
    GatewayClient gateway = new GatewayClient(deploymentUrl);
    String acme = apiToken(ACME);
    String acmeComputer = register(gateway, acme, "tcp://127.0.0.1:5999");
    String acmeTicket = gateway.mintTicket(acme, acmeComputer, "{}").getString("token");
    String globex = apiToken(GLOBEX);
    String globexComputer = register(gateway, globex, "tcp://127.0.0.1:5999");
    String globexTicket = gateway.mintTicket(globex, globexComputer, "{}").getString("token");
    String ownHost = "127.0.0.1:" + deploymentUrl.getPort();

    String acmePolicy = viewer(ownHost, acmeComputer, acmeTicket).header("Content-Security-Policy");
    String globexPolicy =
        viewer(GLOBEX_DOMAIN, globexComputer, globexTicket).header("Content-Security-Policy");
    String globexErrorPolicy =
        viewer(GLOBEX_DOMAIN, globexComputer, "miosa_term_forged").header("Content-Security-Policy");
    String defaultErrorPolicy =
        viewer(ownHost, acmeComputer, "miosa_term_forged").header("Content-Security-Policy");

    assertTrue(acmePolicy.endsWith(
        "frame-ancestors *.miosa.app *.miosa.ai localhost:4000 localhost:* http://portal.acme.test:*"),
        acmePolicy);
    assertTrue(globexPolicy.endsWith("localhost:* https://app.globex.test"), globexPolicy);
    assertTrue(globexErrorPolicy.endsWith("localhost:* https://app.globex.test"), globexErrorPolicy);
    assertTrue(defaultErrorPolicy.endsWith("localhost:4000 localhost:*"), defaultErrorPolicy);
  }

  @Test
  void otherTenantSeesNoComputerOnAnyEndpoint() {
    GatewayClient gateway = new GatewayClient(deploymentUrl);
    String owner = apiToken(ACME);
    String computerId = register(gateway, owner, "tcp://127.0.0.1:5999");
    String ownerTicket = gateway.mintTicket(owner, computerId, "{}").getString("token");
    String stranger = apiToken(INITECH);
    String path = "api/v1/computers/" + computerId;

    HttpResponse<String> read = gateway.get(path, stranger);
    HttpResponse<String> minted = mint(gateway, stranger, computerId, "{}");
    HttpResponse<String> revoked = gateway.delete(path + "/terminal-tickets", stranger);
    HttpResponse<String> registered =
        gateway.put(path, stranger, "{\"vnc_url\": \"tcp://127.0.0.1:5901\", \"state\": \"stopped\"}");

    assertEquals(404, read.statusCode(), read.body());
    assertEquals(404, minted.statusCode(), minted.body());
    assertEquals(404, revoked.statusCode(), revoked.body());
    assertTrue(read.body().contains("No such computer"), read.body());
    // A PUT registers the stranger's own computer of that id; the owner's stays as it was.
    assertEquals(201, registered.statusCode(), registered.body());
    String ownerView = gateway.get(path, owner).body();
    assertTrue(ownerView.contains("tcp://127.0.0.1:5999"), ownerView);
    assertTrue(ownerView.contains("\"state\":\"running\""), ownerView);
    String strangerView = gateway.get(path, stranger).body();
    assertTrue(strangerView.contains("tcp://127.0.0.1:5901"), strangerView);
    String ownHost = "127.0.0.1:" + deploymentUrl.getPort();
    assertEquals(200, viewer(ownHost, computerId, ownerTicket).status(), "owner's ticket still opens");
    assertEquals(409, mint(gateway, stranger, computerId, "{}").statusCode(), "stopped");
  }

  @Test
  void browserFramesViewerOnlyFromAllowedOrigin() throws Exception {
    GatewayClient gateway = new GatewayClient(deploymentUrl);
    String acme = apiToken(ACME);
    try (Desktop desktop = Desktop.start(OUTPUT);
        FramingPage page = FramingPage.start()) {
      String computerId = register(gateway, acme, desktop.vncUrl());
      ChromeDriver browser =
          Chromium.start(
              OUTPUT, "--host-resolver-rules=MAP *.test 127.0.0.1, EXCLUDE localhost");
      try {
        String allowed = page.url(ACME_PORTAL, gateway.mintTicket(acme, computerId, "{}").getString("url"));
        browser.get(allowed);
        awaitStreamState(browser, "connected", Duration.ofSeconds(30));

        String other = page.url("evil.test", gateway.mintTicket(acme, computerId, "{}").getString("url"));
        browser.get(other);
        // The allowed page connected within seconds; the blocked frame never runs the viewer.
        Thread.sleep(8000);
        assertEquals("loading", streamState(browser), "the viewer ran on a page it may not be on");
      } finally {
        browser.quit();
      }
    }
  }

  private String apiToken(String tenant) {
    return TOKENS.token("key_" + tenant, tenant, ApiTokens.ALL_ROLES);
  }

  private static String register(GatewayClient gateway, String apiToken, String vncUrl) {
    String computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> response = gateway.registerComputer(apiToken, computerId, vncUrl);
    assertEquals(201, response.statusCode(), response.body());
    return computerId;
  }

  private static HttpResponse<String> mint(
      GatewayClient gateway, String apiToken, String computerId, String body) {
    return gateway.post("api/v1/computers/" + computerId + "/terminal-tickets", apiToken, body);
  }

  private String contextPath() {
    return deploymentUrl.getPath().replaceAll("/+$", "");
  }

  private RawHttp.Response viewer(String host, String computerId, String ticket) {
    return RawHttp.get(
        deploymentUrl.getPort(),
        host,
        contextPath() + "/computer/" + computerId + "?ticket=" + ticket,
        Map.of());
  }

  private RawHttp.Response upgrade(String host, String computerId, String ticket, String origin) {
    return upgrade("websockify", host, computerId, ticket, origin);
  }

  /** Requests the upgrade of the stream {@code segment}: websockify or audio. */
  private RawHttp.Response upgrade(
      String segment, String host, String computerId, String ticket, String origin) {
    return RawHttp.get(
        deploymentUrl.getPort(),
        host,
        contextPath() + "/computer/" + computerId + "/" + segment + "?ticket=" + ticket,
        RawHttp.upgradeHeaders(origin));
  }

  private static void awaitStreamState(ChromeDriver browser, String state, Duration timeout) {
    new WebDriverWait(browser, timeout)
        .withMessage(() -> "stream state on the page: " + streamState(browser))
        .until(driver -> state.equals(streamState(browser)));
  }

  private static String streamState(ChromeDriver browser) {
    return browser.findElement(By.tagName("body")).getAttribute("data-stream-state");
  }

  /**
   * A customer page that frames the viewer URL given in its query, served on 127.0.0.1 under any
   * host name the browser uses.
   */
  private static final class FramingPage implements AutoCloseable {
    private final HttpServer server;

    private FramingPage(HttpServer server) {
      this.server = server;
    }

    static FramingPage start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        try (exchange) {
          String query = exchange.getRequestURI().getRawQuery();
          String src = URLDecoder.decode(query.substring("src=".length()), StandardCharsets.UTF_8);
          byte[] page = """
              <!DOCTYPE html>
              <html><body data-stream-state="loading">
              <iframe id="desktop" src="%s" width="800" height="600"></iframe>
              <script>
                window.addEventListener('message', (event) => {
                  if (event.data && event.data.source === 'miosa-stream') {
                    document.body.dataset.streamState = event.data.state;
                  }
                });
              </script>
              </body></html>
              """.formatted(src.replace("&", "&amp;").replace("\"", "&quot;"))
              .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
          exchange.sendResponseHeaders(200, page.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
          }
        }
      });
      server.start();
      return new FramingPage(server);
    }

    /** Returns the page's URL on a host name, framing a viewer URL. */
    String url(String host, String viewerUrl) {
      return "http://" + host + ":" + server.getAddress().getPort() + "/?src="
          + URLEncoder.encode(viewerUrl, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
