package app.miosa.gateway.api;

import app.miosa.gateway.failure.Failure;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The error page for failures the container raises before JAX-RS runs, such as an invalid bearer
 * token rejected by MicroProfile JWT: the body is problem+json like the API's own errors, instead
 * of the server's HTML page. Mapped as an error page in {@code web.xml}.
 */
@WebServlet(ContainerErrorServlet.PATH)
public class ContainerErrorServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String PATH = "/container-error";

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer value ? value : response.getStatus();
    Failure failure =
        switch (status) {
          case 401 -> Failure.UNAUTHENTICATED;
          case 403 -> Failure.FORBIDDEN;
          default -> Failure.INTERNAL;
        };
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }

    response.setStatus(failure.httpStatus());
    // JSON is UTF-8 by definition (RFC 8259), so the type carries no charset parameter.
    response.setContentType(Problems.PROBLEM_JSON.toString());
    response.getOutputStream().write(Problems.body(failure, null).getBytes(StandardCharsets.UTF_8));
  }
}
