package app.miosa.gateway.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Calls a deployed gateway's REST API and pages as a customer's backend would. */
public final class GatewayClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;

  /**
   * @param deploymentUrl the deployment's URL; its host is replaced with 127.0.0.1 so that the
   *     calls stay on loopback whatever the machine's name resolves to
   */
  public GatewayClient(URL deploymentUrl) {
    String path = deploymentUrl.getPath().endsWith("/") ? deploymentUrl.getPath() : deploymentUrl.getPath() + "/";
    this.base = URI.create("http://127.0.0.1:" + deploymentUrl.getPort() + path);
  }

  public URI base() {
    return base;
  }

  public URI resolve(String relativePath) {
    return base.resolve(relativePath);
  }

  public HttpResponse<String> put(String path, String bearer, String json) {
    return send(request(path, bearer).PUT(HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json"));
  }

  public HttpResponse<String> post(String path, String bearer, String json) {
    return send(request(path, bearer).POST(HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json"));
  }

  public HttpResponse<String> delete(String path, String bearer) {
    return send(request(path, bearer).DELETE());
  }

  public HttpResponse<String> get(String path, String bearer) {
    return send(request(path, bearer).GET());
  }

  public HttpResponse<String> get(URI uri) {
    return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET());
  }

  /** Registers a running computer and returns the response. */
  public HttpResponse<String> registerComputer(String bearer, String computerId, String vncUrl) {
    return put(
        "api/v1/computers/" + computerId,
        bearer,
        "{\"vnc_url\": \"" + vncUrl + "\", \"state\": \"running\"}");
  }

  /** Mints a ticket and returns the response body, failing unless the status is 201. */
  public JsonObject mintTicket(String bearer, String computerId, String json) {
    HttpResponse<String> response =
        post("api/v1/computers/" + computerId + "/terminal-tickets", bearer, json);
    if (response.statusCode() != 201) {
      throw new AssertionError(
          "Minting a ticket returned " + response.statusCode() + ": " + response.body());
    }
    return json(response);
  }

  public static JsonObject json(HttpResponse<String> response) {
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  public HttpClient http() {
    return http;
  }

  /**
   * Returns the sum of the samples of a Prometheus metric, from the server's {@code /metrics},
   * whose labels contain {@code label}; an empty label matches samples without labels.
   */
  public double metric(String name, String label) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(base.resolve("/metrics"))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "text/plain"));
    if (response.statusCode() != 200) {
      throw new AssertionError("/metrics returned " + response.statusCode() + ": " + response.body());
    }
    Matcher sample =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
            .matcher(response.body());
    double sum = 0;
    while (sample.find()) {
      if (sample.group(1) == null ? label.isEmpty() : sample.group(1).contains(label)) {
        sum += Double.parseDouble(sample.group(2));
      }
    }
    return sum;
  }

  /**
   * Returns the check named {@code name} from the server's {@code /health/ready}, or empty when
   * the response is not a JSON report that contains it.
   */
  public Optional<JsonObject> readinessCheck(String name) {
    try {
      HttpResponse<String> ready = get(base.resolve("/health/ready"));
      if (!ready.body().startsWith("{")) {
        return Optional.empty();
      }
      return json(ready).getJsonArray("checks").stream()
          .map(JsonValue::asJsonObject)
          .filter(check -> name.equals(check.getString("name")))
          .findFirst();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Returns the member count of a {@code cluster} readiness check, which Payara writes as text. */
  public static int clusterMembers(JsonObject clusterCheck) {
    return Integer.parseInt(clusterCheck.getJsonObject("data").getString("members"));
  }

  private HttpRequest.Builder request(String path, String bearer) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }
}
