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

  /** Registers or updates a computer, keeping its audio source and VNC password as they are. */
  public Registration register(String tenant, String computerId, String vncUrl, ComputerState state) {
    return register(tenant, computerId, vncUrl, state, Change.KEEP, Change.KEEP);
  }

  /**
   * Registers a computer of the tenant, or updates the one already registered under this id.
   *
   * @param audioUrl the change to the address of the computer's audio source
   * @param password the change to the VNC password
   * @return the stored computer and whether it was created by this call
   */
  public Registration register(
      String tenant,
      String computerId,
      String vncUrl,
      ComputerState state,
      Change audioUrl,
      Change password) {
    Instant now = clock.instant();
    Optional<Computer> existing = find(tenant, computerId);

    Computer computer = existing.orElseGet(() -> new Computer(tenant, computerId, now));
    computer.update(vncUrl, state, now);
    if (!audioUrl.keep()) {
      computer.setAudioUrl(audioUrl.value());
    }
    if (!password.keep()) {
      computer.setEncryptedVncPassword(
          password.value() == null
              ? null
              : passwords.encrypt(tenant, computerId, password.value()));
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

  /**
   * The change a registration makes to an optional stored value: keep it, or replace it with
   * {@code value}, where null removes it.
   */
  public record Change(boolean keep, String value) {
    public static final Change KEEP = new Change(true, null);

    /** Returns the change that stores {@code value}, or removes the stored one for null. */
    public static Change to(String value) {
      return new Change(false, value);
    }
  }

  /** A computer after {@link #register}, and whether that call created it. */
  public record Registration(Computer computer, boolean created) {}
}
