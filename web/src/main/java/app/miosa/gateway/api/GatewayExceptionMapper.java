package app.miosa.gateway.api;

import app.miosa.gateway.failure.GatewayException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns a rejected request into its problem response. A client's mistake is logged at FINE. */
@Provider
public class GatewayExceptionMapper implements ExceptionMapper<GatewayException> {
  private static final Logger LOG = Logger.getLogger(GatewayExceptionMapper.class.getName());

  @Override
  public Response toResponse(GatewayException e) {
    LOG.log(Level.FINE, "Rejected request: {0}: {1}", new Object[] {e.failure(), e.detail()});
    return Problems.response(e.failure(), e.detail());
  }
}
