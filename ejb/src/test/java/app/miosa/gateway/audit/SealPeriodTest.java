package app.miosa.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SealPeriodTest {
  private static final Instant NOW = Instant.parse("2026-05-14T19:30:00.123456Z");
  private static final Duration DELAY = Duration.ofSeconds(30);

  @Test
  void continuesFromLastSeal() {
    Instant lastSealedUntil = Instant.parse("2026-05-14T19:28:00.500Z");

    Optional<SealPeriod> period =
        SealPeriod.next(lastSealedUntil, Instant.parse("2026-01-01T00:00:00Z"), NOW, DELAY);

    assertEquals(
        Optional.of(new SealPeriod(lastSealedUntil, Instant.parse("2026-05-14T19:29:30.123Z"))),
        period);
  }

  @Test
  void firstSealStartsJustBeforeFirstRecord() {
    Optional<SealPeriod> period =
        SealPeriod.next(null, Instant.parse("2026-05-14T19:00:00Z"), NOW, DELAY);

    assertEquals(Instant.parse("2026-05-14T18:59:59.999Z"), period.orElseThrow().coversFrom());
    assertEquals(Instant.parse("2026-05-14T19:29:30.123Z"), period.orElseThrow().coversUntil());
  }

  @Test
  void emptyTrailHasNoPeriod() {
    assertTrue(SealPeriod.next(null, null, NOW, DELAY).isEmpty());
  }

  @Test
  void noPeriodUntilDelayHasPassed() {
    Instant lastSealedUntil = NOW.minus(DELAY).minusNanos(456_000);
    Instant recentRecord = NOW.minusSeconds(10);

    assertTrue(SealPeriod.next(lastSealedUntil, null, NOW, DELAY).isEmpty());
    assertTrue(SealPeriod.next(null, recentRecord, NOW, DELAY).isEmpty());
  }

  @Test
  void lastSealAheadOfClockGivesNoPeriod() {
    assertTrue(SealPeriod.next(NOW.plusSeconds(60), null, NOW, DELAY).isEmpty());
  }

  @Test
  void periodMustEndAfterItStarts() {
    assertThrows(IllegalArgumentException.class, () -> new SealPeriod(NOW, NOW));
  }
}
