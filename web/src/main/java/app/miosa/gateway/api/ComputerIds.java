package app.miosa.gateway.api;

import app.miosa.gateway.failure.Failure;
import app.miosa.gateway.failure.GatewayException;
import java.util.regex.Pattern;

/** The form of a computer id in paths: {@code cmp_7f3a} and the like. */
public final class ComputerIds {
  private static final Pattern COMPUTER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private ComputerIds() {}

  public static boolean isValid(String computerId) {
    return computerId != null && COMPUTER_ID.matcher(computerId).matches();
  }

  /**
   * Checks a computer id from a path.
   *
   * @throws GatewayException {@link Failure#COMPUTER_NOT_FOUND}, because no computer can have it
   */
  static void check(String computerId) {
    if (!isValid(computerId)) {
      throw new GatewayException(
          Failure.COMPUTER_NOT_FOUND,
          "A computer id has 1 to 64 letters, digits, '_' or '-'");
    }
  }
}
