package app.miosa.gateway.audit;

import app.miosa.gateway.config.GatewaySettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Seals the audit trail every {@code gateway.audit.seal-interval-seconds}, on every gateway node.
 * When two nodes seal the same period at once, the unique {@code covers_from} lets only one of them
 * commit, and the other logs it at FINE.
 *
 * <p>The timer is not persistent: each node creates it at start-up. The container runs the
 * callbacks of this singleton one at a time.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class AuditSealSchedule {
  private static final Logger LOG = Logger.getLogger(AuditSealSchedule.class.getName());

  /** SQLSTATE of a unique violation, on PostgreSQL and H2 alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  @Resource private TimerService timers;
  @EJB private AuditSealer sealer;
  @Inject private GatewaySettings settings;

  private int failuresInARow;

  @PostConstruct
  void schedule() {
    Duration interval = settings.auditSealInterval();
    timers.createIntervalTimer(
        interval.toMillis(), interval.toMillis(), new TimerConfig("audit seal", false));
    LOG.info(
        () ->
            "Sealing the audit trail every "
                + interval.toSeconds()
                + " s, up to "
                + settings.auditSealDelay().toSeconds()
                + " s before now");
  }

  /**
   * Seals the next period. Runs outside a transaction, so that a failed seal rolls back only its
   * own and the container does not retry the callback.
   */
  @Timeout
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  void sealDue(Timer timer) {
    Optional<AuditSeal> seal;
    try {
      seal = sealer.sealNextPeriod();
    } catch (RuntimeException e) {
      recordFailure(e);
      return;
    }
    if (failuresInARow > 0) {
      LOG.info("Sealing the audit trail works again after " + failuresInARow + " failed attempts");
      failuresInARow = 0;
    }
    seal.ifPresent(
        written ->
            LOG.fine(
                () ->
                    "Sealed "
                        + written.getEventCount()
                        + " audit records after "
                        + written.getCoversFrom()
                        + " up to "
                        + written.getCoversUntil()
                        + " as seal "
                        + written.getId()));
  }

  private void recordFailure(RuntimeException e) {
    if (isUniqueViolation(e)) {
      LOG.log(Level.FINE, "Another gateway node sealed the same audit period first: {0}", e);
      return;
    }
    failuresInARow++;
    if (failuresInARow == 1) {
      LOG.log(
          Level.WARNING,
          "Sealing the audit trail failed. It is retried every "
              + settings.auditSealInterval().toSeconds()
              + " s, and further failures are logged at FINE",
          e);
    } else {
      LOG.log(
          Level.FINE, "Sealing the audit trail failed " + failuresInARow + " times in a row", e);
    }
  }

  /** Returns whether an exception was caused by a unique violation in the database. */
  static boolean isUniqueViolation(Throwable e) {
    for (Throwable cause = e; cause != null; cause = nextCause(cause)) {
      if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static Throwable nextCause(Throwable e) {
    if (e instanceof EJBException ejb && ejb.getCausedByException() != null) {
      return ejb.getCausedByException();
    }
    return e.getCause() == e ? null : e.getCause();
  }
}
