package app.miosa.gateway.failure;

import jakarta.ejb.ApplicationException;

/**
 * A request the gateway rejects, with the {@link Failure} that decides its status and close code
 * and a detail that names the value at fault.
 *
 * <p>It is an application exception, so an EJB throwing it rolls its transaction back and the
 * caller receives this exception unwrapped.
 */
@ApplicationException(rollback = true)
public class GatewayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Failure failure;

  public GatewayException(Failure failure, String detail) {
    super(detail);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }

  /** Detail for the caller: what was wrong, the value seen and the limit. Never a secret. */
  public String detail() {
    return getMessage();
  }
}
