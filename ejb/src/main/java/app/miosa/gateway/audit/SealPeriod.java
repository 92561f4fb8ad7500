package app.miosa.gateway.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The period a seal covers: records with {@code coversFrom < occurred_at <= coversUntil}. Both ends
 * are whole milliseconds, as stored.
 */
public record SealPeriod(Instant coversFrom, Instant coversUntil) {
  public SealPeriod {
    if (!coversUntil.isAfter(coversFrom)) {
      throw new IllegalArgumentException(
          "A seal period must end after it starts: " + coversFrom + " to " + coversUntil);
    }
  }

  /**
   * Returns the next period to seal, or empty when there is none yet. It starts where the last seal
   * ended, or 1 ms before the first record when there is no seal, and ends {@code delay} before
   * {@code now}, so that records whose transactions are still open are not left out.
   *
   * @param lastSealedUntil the end of the last seal, or null when there is no seal
   * @param firstRecordAt the time of the oldest record, or null when there is no record
   */
  public static Optional<SealPeriod> next(
      Instant lastSealedUntil, Instant firstRecordAt, Instant now, Duration delay) {
    Instant from;
    if (lastSealedUntil != null) {
      from = lastSealedUntil;
    } else if (firstRecordAt != null) {
      from = firstRecordAt.truncatedTo(ChronoUnit.MILLIS).minusMillis(1);
    } else {
      return Optional.empty();
    }
    Instant until = now.minus(delay).truncatedTo(ChronoUnit.MILLIS);
    if (!until.isAfter(from)) {
      return Optional.empty();
    }
    return Optional.of(new SealPeriod(from, until));
  }
}
