package app.miosa.gateway.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the audit trail as the verifier reads it: seals in {@code covers_from} order, each
 * followed by the records of its period in id order, and the records outside every seal in between.
 * It keeps only the seal before and the listed problems, so memory does not grow with the trail.
 */
final class TrailCheck {
  /** Maximum number of problems listed in a result. The count covers the rest. */
  static final int MAX_LISTED_PROBLEMS = 1000;

  /** A seal as stored, whatever its values. */
  record Seal(
      long id,
      Instant coversFrom,
      Instant coversUntil,
      long eventCount,
      String previousDigest,
      String digest) {
    static Seal of(AuditSeal seal) {
      return new Seal(
          seal.getId(),
          seal.getCoversFrom(),
          seal.getCoversUntil(),
          seal.getEventCount(),
          seal.getPreviousDigest(),
          seal.getDigest());
    }
  }

  private final AuditIntegrity integrity;
  private final int maxListedProblems;
  private final List<IntegrityProblem> problems = new ArrayList<>();
  private long problemCount;
  private long recordsChecked;
  private long sealsChecked;

  /** The last seal whose period was checked, or null before the first. */
  private Seal previousSeal;

  private Seal openSeal;
  private AuditIntegrity.SealDigest openDigest;

  TrailCheck(AuditIntegrity integrity) {
    this(integrity, MAX_LISTED_PROBLEMS);
  }

  TrailCheck(AuditIntegrity integrity, int maxListedProblems) {
    this.integrity = integrity;
    this.maxListedProblems = maxListedProblems;
  }

  /**
   * Starts the period of the next seal and checks that it continues the seal before. The first
   * seal's previous digest is taken as given, because retention may have removed older seals.
   */
  void beginSeal(Seal seal) {
    if (openSeal != null) {
      throw new IllegalStateException("Seal " + openSeal.id() + " was not ended");
    }
    if (previousSeal != null
        && (!Objects.equals(seal.previousDigest(), previousSeal.digest())
            || !seal.coversFrom().equals(previousSeal.coversUntil()))) {
      report(
          new IntegrityProblem.SealChainBroken(seal.id(), seal.coversFrom(), seal.coversUntil()));
    }
    openSeal = seal;
    // The seal's own previous digest, so that a changed seal before it is not blamed on it too.
    openDigest = integrity.startSealDigest(seal.previousDigest());
  }

  /**
   * Checks a record of the open seal's period, and adds it to the seal's count and digest.
   *
   * @param expectedMac the MAC of the record's current fields, or null for a record the gateway
   *     cannot read as one it wrote, such as a row with an unknown kind. The digest covers this
   *     MAC, so a changed record also fails its seal.
   */
  void sealedRecord(long recordId, String storedMac, String expectedMac) {
    if (openSeal == null) {
      throw new IllegalStateException("No seal is open for record " + recordId);
    }
    checkRecord(recordId, storedMac, expectedMac);
    openDigest.add(expectedMac);
  }

  /**
   * Checks a record that no seal covers, by its MAC only.
   *
   * @param expectedMac the MAC of the record's current fields, or null for a record the gateway
   *     cannot read as one it wrote
   */
  void unsealedRecord(long recordId, String storedMac, String expectedMac) {
    checkRecord(recordId, storedMac, expectedMac);
  }

  /** Compares the open seal's count and digest with the records of its period. */
  void endSeal() {
    if (openSeal == null) {
      throw new IllegalStateException("No seal is open");
    }
    long found = openDigest.count();
    String digest = openDigest.finish();
    if (found != openSeal.eventCount() || !digest.equals(openSeal.digest())) {
      report(
          new IntegrityProblem.SealMismatch(
              openSeal.id(),
              openSeal.coversFrom(),
              openSeal.coversUntil(),
              openSeal.eventCount(),
              found));
    }
    sealsChecked++;
    previousSeal = openSeal;
    openSeal = null;
    openDigest = null;
  }

  /** Returns the end of the last seal checked so far, or null before the first. */
  Instant sealedUntil() {
    return previousSeal == null ? null : previousSeal.coversUntil();
  }

  AuditVerification result() {
    if (openSeal != null) {
      throw new IllegalStateException("Seal " + openSeal.id() + " was not ended");
    }
    return new AuditVerification(
        recordsChecked, sealsChecked, Optional.ofNullable(sealedUntil()), problems, problemCount);
  }

  private void checkRecord(long recordId, String storedMac, String expectedMac) {
    recordsChecked++;
    if (expectedMac == null || !expectedMac.equals(storedMac)) {
      report(new IntegrityProblem.RecordMacMismatch(recordId));
    }
  }

  private void report(IntegrityProblem problem) {
    problemCount++;
    if (problems.size() < maxListedProblems) {
      problems.add(problem);
    }
  }
}
