package app.miosa.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.testing.ApiTokens;
import app.miosa.gateway.testing.GatewayClient;
import app.miosa.gateway.testing.GatewayDeployment;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST API on Payara Micro, called over HTTP as a customer's backend calls it: computers,
 * ticket minting, authentication, errors, and the viewer page a ticket opens.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TicketApiIT {
  private static final ApiTokens TOKENS = ApiTokens.generate();

  /** A VNC address nothing needs to listen on: these tests never open a stream. */
  private static final String VNC_URL = "tcp://127.0.0.1:5999";

  @ArquillianResource private URL deploymentUrl;

  private GatewayClient gateway;
  private String computerId;
  private String acmeAdmin;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return GatewayDeployment.war(TOKENS, "ticket-api");
  }

  @BeforeEach
  void registerComputer() {
    gateway = new GatewayClient(deploymentUrl);
    computerId = "cmp_" + UUID.randomUUID().toString().substring(0, 8);
    acmeAdmin = TOKENS.token("key_acme_admin", "acme", ApiTokens.ALL_ROLES);
    HttpResponse<String> registered = gateway.registerComputer(acmeAdmin, computerId, VNC_URL);
    assertEquals(201, registered.statusCode(), registered.body());
  }

  @Test
  void registeringAgainUpdatesTheComputer() {
    HttpResponse<String> response =
        gateway.put(
            "api/v1/computers/" + computerId,
            acmeAdmin,
            "{\"vnc_url\": \"tcp://127.0.0.1:5998\", \"state\": \"stopped\"}");

    assertEquals(200, response.statusCode());
    JsonObject computer = GatewayClient.json(response);
    assertEquals("tcp://127.0.0.1:5998", computer.getString("vnc_url"));
    assertEquals("stopped", computer.getString("state"));
    assertFalse(computer.containsKey("vnc_password"));
  }

  @Test
  void mintReturnsTicketUrlAndExpiry() {
    Instant before = Instant.now();

    JsonObject ticket = gateway.mintTicket(acmeAdmin, computerId, "{}");

    String token = ticket.getString("token");
    assertTrue(token.startsWith("miosa_term_"), token);
    assertEquals(
        gateway.base() + "computer/" + computerId + "?ticket=" + token, ticket.getString("url"));
    Instant expiresAt = Instant.parse(ticket.getString("expires_at"));
    assertTrue(expiresAt.isAfter(before.plus(Duration.ofMinutes(59))), expiresAt.toString());
    assertTrue(expiresAt.isBefore(before.plus(Duration.ofMinutes(61))), expiresAt.toString());
    assertFalse(ticket.getBoolean("read_only"));
  }

  @Test
  void mintHonoursReadOnlyAndTtl() {
    Instant before = Instant.now();

    JsonObject ticket =
        gateway.mintTicket(
            acmeAdmin,
            computerId,
            "{\"read_only\": true, \"ttl_seconds\": 120, \"audio\": false,"
                + " \"attribution\": \"end-user 8812\"}");

    assertTrue(ticket.getBoolean("read_only"));
    Instant expiresAt = Instant.parse(ticket.getString("expires_at"));
    assertTrue(expiresAt.isBefore(before.plusSeconds(122)), expiresAt.toString());
    assertTrue(expiresAt.isAfter(before.plusSeconds(118)), expiresAt.toString());
  }

  @Test
  void audioTicketUrlAsksTheViewerForSound() {
    String withSound =
        gateway.mintTicket(acmeAdmin, computerId, "{\"audio\": true}").getString("url");
    String without =
        gateway.mintTicket(acmeAdmin, computerId, "{\"audio\": false}").getString("url");

    assertTrue(withSound.matches(".*\\?ticket=miosa_term_[^&]+&audio=1"), withSound);
    assertFalse(without.contains("audio"), without);
  }

  @Test
  void missingBearerTokenIsUnauthorized() {
    HttpResponse<String> response = gateway.post(ticketsPath(), null, "{}");

    assertProblem(response, 401);
    assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
  }

  @Test
  void forgedBearerTokenIsUnauthorized() {
    String forged = ApiTokens.generate().token("key_acme_admin", "acme", ApiTokens.ALL_ROLES);

    assertProblem(gateway.post(ticketsPath(), forged, "{}"), 401);
  }

  @Test
  void tokenWithoutIssueRoleIsForbidden() {
    String viewerOnly = TOKENS.token("key_acme_audit", "acme", List.of("audit:read"));

    assertProblem(gateway.post(ticketsPath(), viewerOnly, "{}"), 403);
  }

  @Test
  void tokenWithoutTenantIsForbidden() {
    String noTenant = TOKENS.token("key_nobody", null, ApiTokens.ALL_ROLES);

    assertProblem(gateway.post(ticketsPath(), noTenant, "{}"), 403);
  }

  @Test
  void anotherTenantsComputerIsNotFound() {
    String otherTenant = TOKENS.token("key_globex", "globex", ApiTokens.ALL_ROLES);

    HttpResponse<String> mint = gateway.post(ticketsPath(), otherTenant, "{}");
    HttpResponse<String> get = gateway.get("api/v1/computers/" + computerId, otherTenant);
    HttpResponse<String> missing = gateway.post(
        "api/v1/computers/cmp_never_registered/terminal-tickets", acmeAdmin, "{}");

    assertProblem(mint, 404);
    assertProblem(get, 404);
    assertEquals(
        GatewayClient.json(missing).getString("title"), GatewayClient.json(mint).getString("title"));
  }

  @Test
  void stoppedComputerGetsConflict() {
    gateway.put(
        "api/v1/computers/" + computerId,
        acmeAdmin,
        "{\"vnc_url\": \"" + VNC_URL + "\", \"state\": \"stopped\"}");

    assertProblem(gateway.post(ticketsPath(), acmeAdmin, "{}"), 409);
  }

  @Test
  void malformedJsonIsBadRequest() {
    HttpResponse<String> response = gateway.post(ticketsPath(), acmeAdmin, "{\"read_only\": tru");

    assertProblemDetail(response, "not valid JSON");
  }

  @Test
  void fieldOfWrongTypeIsNamed() {
    assertProblemDetail(
        gateway.post(ticketsPath(), acmeAdmin, "{\"read_only\": \"yes\"}"), "'read_only'");
    assertProblemDetail(
        gateway.post(ticketsPath(), acmeAdmin, "{\"ttl_seconds\": 1.5}"), "'ttl_seconds'");
    assertProblemDetail(
        gateway.post(ticketsPath(), acmeAdmin, "{\"attribution\": 7}"), "'attribution'");
  }

  @Test
  void unknownFieldIsRejected() {
    assertProblemDetail(
        gateway.post(ticketsPath(), acmeAdmin, "{\"readonly\": true}"), "'readonly'");
  }

  @Test
  void attributionOverLimitIsRejected() {
    String attribution = "x".repeat(257);

    HttpResponse<String> response =
        gateway.post(ticketsPath(), acmeAdmin, "{\"attribution\": \"" + attribution + "\"}");

    assertProblemDetail(response, "256");
  }

  @Test
  void ttlAboveMaximumNamesTheRange() {
    assertProblemDetail(
        gateway.post(ticketsPath(), acmeAdmin, "{\"ttl_seconds\": 86401}"), "86400");
    assertProblemDetail(gateway.post(ticketsPath(), acmeAdmin, "{\"ttl_seconds\": 0}"), "86400");
  }

  @Test
  void invalidVncUrlIsRejected() {
    HttpResponse<String> response =
        gateway.put(
            "api/v1/computers/" + computerId, acmeAdmin, "{\"vnc_url\": \"http://127.0.0.1\"}");

    assertProblemDetail(response, "'vnc_url'");
  }

  @Test
  void viewerPageIsServedForValidTicket() {
    URI url = viewerUrl(gateway.mintTicket(acmeAdmin, computerId, "{}"));

    HttpResponse<String> page = gateway.get(url);

    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("viewer.js"), page.body());
    String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(policy.contains("frame-ancestors *.miosa.app *.miosa.ai localhost:4000"), policy);
    assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
    assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
  }

  @Test
  void viewerRejectsTamperedTicket() {
    URI url = viewerUrl(gateway.mintTicket(acmeAdmin, computerId, "{}"));
    URI tampered = URI.create(url.toString().replace(".eyJ", ".eyK"));

    HttpResponse<String> page = gateway.get(tampered);

    assertEquals(401, page.statusCode());
    assertFalse(page.body().contains("viewer.js"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").isPresent());
  }

  @Test
  void viewerRejectsTicketOfAnotherComputer() {
    URI url = viewerUrl(gateway.mintTicket(acmeAdmin, computerId, "{}"));
    URI elsewhere = URI.create(url.toString().replace(computerId, "cmp_other"));

    assertEquals(403, gateway.get(elsewhere).statusCode());
  }

  @Test
  void viewerRejectsExpiredTicket() throws InterruptedException {
    URI url = viewerUrl(gateway.mintTicket(acmeAdmin, computerId, "{\"ttl_seconds\": 1}"));

    Thread.sleep(2100);

    HttpResponse<String> page = gateway.get(url);
    assertEquals(401, page.statusCode());
    assertTrue(page.body().contains("expired"), page.body());
  }

  private String ticketsPath() {
    return "api/v1/computers/" + computerId + "/terminal-tickets";
  }

  /** Returns the ticket's URL on 127.0.0.1, like every call of these tests. */
  private URI viewerUrl(JsonObject ticket) {
    URI url = URI.create(ticket.getString("url"));
    return gateway.resolve(url.getRawPath().substring(gateway.base().getRawPath().length())
        + "?" + url.getRawQuery());
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = GatewayClient.json(response);
    assertEquals(status, problem.getInt("status"));
    assertFalse(problem.getString("title").isBlank());
    assertFalse(response.body().contains("Exception"), response.body());
  }

  private static void assertProblemDetail(HttpResponse<String> response, String expected) {
    assertProblem(response, 400);
    String detail = GatewayClient.json(response).getString("detail");
    assertTrue(detail.contains(expected), detail);
  }
}
