package app.miosa.gateway.computer;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
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
  @Inject private VncPasswords passwords;

  private final Clock clock = Clock.systemUTC();

  /** Registers or updates a computer without audio, keeping its VNC password as it is. */
  public Registration register(String tenant, String computerId, String vncUrl, ComputerState state) {
    return register(tenant, computerId, vncUrl, null, state, PasswordChange.KEEP, null);
  }

  /**
   * Registers a computer of the tenant, or updates the one already registered under this id.
   *
   * @param audioUrl where the computer's audio stream is served, or null when it has none
   * @param password the new VNC password with {@link PasswordChange#SET}, otherwise ignored
   * @return the stored computer and whether it was created by this call
   */
  public Registration register(
      String tenant,
      String computerId,
      String vncUrl,
      String audioUrl,
      ComputerState state,
      PasswordChange passwordChange,
      String password) {
    Instant now = clock.instant();
    Optional<Computer> existing = find(tenant, computerId);

    Computer computer = existing.orElseGet(() -> new Computer(tenant, computerId, now));
    computer.update(vncUrl, audioUrl, state, now);
    if (passwordChange == PasswordChange.SET) {
      computer.setEncryptedVncPassword(passwords.encrypt(tenant, computerId, password));
    } else if (passwordChange == PasswordChange.REMOVE) {
      computer.setEncryptedVncPassword(null);
    }
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

  /**
   * Returns the VNC password of a computer for the handshake with its server: empty when the
   * computer has none.
   *
   * @throws GatewayException {@link Failure#DESKTOP_HANDSHAKE_FAILED} when the stored password
   *     cannot be decrypted, because the password key changed
   */
  public Optional<String> vncPassword(Computer computer) {
    if (!computer.hasVncPassword()) {
      return Optional.empty();
    }
    Optional<String> password =
        passwords.decrypt(
            computer.getTenant(), computer.getComputerId(), computer.getEncryptedVncPassword());
    if (password.isEmpty()) {
      throw new GatewayException(
          Failure.DESKTOP_HANDSHAKE_FAILED,
          "The stored VNC password of computer "
              + computer.getComputerId()
              + " cannot be decrypted; register it again");
    }
    return password;
  }

  /** Change a registration makes to the stored VNC password. */
  public enum PasswordChange {
    KEEP,
    SET,
    REMOVE
  }

  /** A computer after {@link #register}, and whether that call created it. */
  public record Registration(Computer computer, boolean created) {}
}
