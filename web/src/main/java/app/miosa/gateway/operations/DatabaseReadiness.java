package app.miosa.gateway.operations;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check: the gateway is ready while its audit database accepts connections, because
 * without it no ticket can be issued and no stream opened.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
  static final String NAME = "audit-database";

  /** Seconds a connection check may take before the database counts as unreachable. */
  private static final int TIMEOUT_SECONDS = 2;

  private static final Logger LOG = Logger.getLogger(DatabaseReadiness.class.getName());

  @Resource(lookup = "java:comp/DefaultDataSource")
  DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    try (Connection connection = dataSource.getConnection()) {
      if (connection.isValid(TIMEOUT_SECONDS)) {
        return HealthCheckResponse.named(NAME).up().build();
      }
      return down("the connection did not answer within " + TIMEOUT_SECONDS + " s");
    } catch (SQLException | RuntimeException e) {
      LOG.fine(() -> "Readiness check of the audit database failed: " + e);
      return down(e.getClass().getSimpleName());
    }
  }

  private static HealthCheckResponse down(String reason) {
    return HealthCheckResponse.named(NAME).down().withData("reason", reason).build();
  }
}
