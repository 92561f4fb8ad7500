package app.miosa.gateway.audit;

import java.time.Instant;

/**
 * A finding of the audit trail's verification. It names records and seals by id and periods by
 * time, never by their contents.
 */
public sealed interface IntegrityProblem {
  /** A record no longer matches its MAC: it was changed, or inserted without the audit key. */
  record RecordMacMismatch(long recordId) implements IntegrityProblem {}

  /**
   * The records of a seal's period no longer match its count or digest: records of that period were
   * removed, inserted or changed.
   *
   * @param expectedCount the count the seal stores
   * @param foundCount the records of the period found now
   */
  record SealMismatch(
      long sealId, Instant coversFrom, Instant coversUntil, long expectedCount, long foundCount)
      implements IntegrityProblem {}

  /**
   * A seal does not continue the one before it: its previous digest differs from that seal's
   * digest, or its period does not start where that seal's ended. A seal between them was removed,
   * or one of the two was changed.
   */
  record SealChainBroken(long sealId, Instant coversFrom, Instant coversUntil)
      implements IntegrityProblem {}
}
