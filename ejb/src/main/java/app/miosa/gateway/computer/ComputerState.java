package app.miosa.gateway.computer;

import java.util.Locale;
import java.util.Optional;

/** Whether a computer can be streamed. Only a running computer gets tickets. */
public enum ComputerState {
  RUNNING,
  STOPPED;

  /** Returns the state named by its API spelling ({@code running}), or empty if there is none. */
  public static Optional<ComputerState> fromApiName(String name) {
    for (ComputerState state : values()) {
      if (state.apiName().equals(name)) {
        return Optional.of(state);
      }
    }
    return Optional.empty();
  }

  /** Returns the lower-case spelling used in the REST API. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
