package app.miosa.gateway.api;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import jakarta.ejb.EJBException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.sql.SQLException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps every other exception to a response that does not leak it: 503 when the database failed, 500 otherwise,
 * each with an incident id that the log line repeats.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

  @Override
  public Response toResponse(Throwable e) {
    GatewayException rejected = find(e, GatewayException.class);
    if (rejected != null) {
      return Problems.response(rejected.failure(), rejected.detail());
    }

    String incident = UUID.randomUUID().toString();
    boolean database =
        find(e, SQLException.class) != null || find(e, PersistenceException.class) != null;
    Failure failure = database ? Failure.DATABASE_UNAVAILABLE : Failure.INTERNAL;
    LOG.log(Level.SEVERE, "Request failed, incident " + incident + ": " + e);
    LOG.log(Level.FINE, "Stack trace of incident " + incident, e);
    return Problems.response(failure, "Incident " + incident);
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable cause = e; cause != null; cause = nextCause(cause)) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }

  private static Throwable nextCause(Throwable e) {
    if (e instanceof EJBException ejb && ejb.getCausedByException() != null) {
      return ejb.getCausedByException();
    }
    return e.getCause() == e ? null : e.getCause();
  }
}
