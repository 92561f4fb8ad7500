package app.miosa.gateway.api;

import app.miosa.gateway.failure.Failure;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds {@code application/problem+json} responses (RFC 9457) from the failure table. */
final class Problems {
  static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");

  private Problems() {}

  static Response response(Failure failure, String detail) {
    Response.ResponseBuilder response =
        Response.status(failure.httpStatus()).type(PROBLEM_JSON).entity(body(failure, detail));
    if (failure.httpStatus() == 401) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    return response.build();
  }

  /** Returns the problem document; {@code detail} is left out when null or blank. */
  static String body(Failure failure, String detail) {
    JsonObjectBuilder body =
        JsonBodies.JSON.createObjectBuilder()
            .add("type", "about:blank")
            .add("title", failure.title())
            .add("status", failure.httpStatus());
    if (detail != null && !detail.isBlank()) {
      body.add("detail", detail);
    }
    return body.build().toString();
  }
}
