package app.miosa.gateway.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of verifying the whole audit trail.
 *
 * @param recordsChecked records whose MAC was checked
 * @param sealsChecked seals whose count, digest and chain were checked
 * @param sealedUntil the end of the last seal, or empty when there is no seal
 * @param problems the first {@link TrailCheck#MAX_LISTED_PROBLEMS} problems found
 * @param problemCount all problems found, listed or not
 */
public record AuditVerification(
    long recordsChecked,
    long sealsChecked,
    Optional<Instant> sealedUntil,
    List<IntegrityProblem> problems,
    long problemCount) {
  public AuditVerification {
    problems = List.copyOf(problems);
  }

  /** Returns whether no problem was found. */
  public boolean verified() {
    return problemCount == 0;
  }
}
