package app.miosa.gateway.api;

import app.miosa.gateway.failure.Failure;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/**
 * Gives the errors that JAX-RS raises itself (no such path, wrong method, missing role, wrong
 * media type) the same problem+json body as the gateway's own.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
  private static final Map<Integer, Failure> BY_STATUS =
      Map.of(
          400, Failure.MALFORMED_REQUEST,
          401, Failure.UNAUTHENTICATED,
          403, Failure.FORBIDDEN,
          404, Failure.NOT_FOUND,
          405, Failure.METHOD_NOT_ALLOWED,
          406, Failure.NOT_ACCEPTABLE,
          415, Failure.UNSUPPORTED_MEDIA_TYPE);

  @Override
  public Response toResponse(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    Failure failure = BY_STATUS.get(status);
    if (failure == null) {
      return Problems.response(status < 500 ? Failure.MALFORMED_REQUEST : Failure.INTERNAL, null);
    }
    return Problems.response(failure, null);
  }
}
