package app.miosa.gateway.computer;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/** Registers computers and finds them within their tenant. */
@Stateless
public class ComputerService {
  private static final Logger LOG = Logger.getLogger(ComputerService.class.getName());

  @PersistenceContext private EntityManager em;

  private final Clock clock = Clock.systemUTC();

  /**
   * Registers a computer of the tenant, or updates the one already registered under this id.
   *
   * @return the stored computer and whether it was created by this call
   */
  public Registration register(String tenant, String computerId, String vncUrl, ComputerState state) {
    Instant now = clock.instant();
    Optional<Computer> existing = find(tenant, computerId);

    Computer computer = existing.orElseGet(() -> new Computer(tenant, computerId, now));
    computer.update(vncUrl, state, now);
    if (existing.isEmpty()) {
      em.persist(computer);
    }

    LOG.info(
        () ->
            (existing.isEmpty() ? "Registered" : "Updated")
                + " computer "
                + computerId
                + " of tenant "
                + tenant
                + ", state "
                + state.apiName());
    return new Registration(computer, existing.isEmpty());
  }

  /** Returns the tenant's computer with this id, or empty when the tenant has none. */
  public Optional<Computer> find(String tenant, String computerId) {
    return em.createNamedQuery(Computer.FIND_BY_TENANT_AND_ID, Computer.class)
        .setParameter("tenant", tenant)
        .setParameter("computerId", computerId)
        .getResultStream()
        .findFirst();
  }

  /**
   * Returns the tenant's computer with this id.
   *
   * @throws GatewayException {@link Failure#COMPUTER_NOT_FOUND}, also for another tenant's computer
   */
  public Computer get(String tenant, String computerId) {
    return find(tenant, computerId)
        .orElseThrow(
            () ->
                new GatewayException(
                    Failure.COMPUTER_NOT_FOUND, "No computer '" + computerId + "' is registered"));
  }

  /** A computer after {@link #register}, and whether that call created it. */
  public record Registration(Computer computer, boolean created) {}
}
