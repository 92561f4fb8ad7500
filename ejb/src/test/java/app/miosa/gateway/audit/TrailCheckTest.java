package app.miosa.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.miosa.gateway.audit.IntegrityProblem.RecordMacMismatch;
import app.miosa.gateway.audit.IntegrityProblem.SealChainBroken;
import app.miosa.gateway.audit.IntegrityProblem.SealMismatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The verifier's checks on a trail of two seals, records 1 and 2 in the first and record 3 in the
 * second, and record 4 after them. Each record's MAC is "mac-" and its id.
 */
class TrailCheckTest {
  private static final Instant T0 = Instant.parse("2026-05-14T19:00:00Z");
  private static final Instant T1 = Instant.parse("2026-05-14T19:01:00Z");
  private static final Instant T2 = Instant.parse("2026-05-14T19:02:00Z");
  private static final Instant T3 = Instant.parse("2026-05-14T19:03:00Z");

  private final AuditIntegrity integrity =
      new AuditIntegrity("trail-check-test-audit-key-bytes".getBytes(StandardCharsets.US_ASCII));

  private final String firstDigest = integrity.sealDigest("older", List.of("mac-1", "mac-2"));
  private final TrailCheck.Seal first = new TrailCheck.Seal(7, T0, T1, 2, "older", firstDigest);
  private final TrailCheck.Seal second =
      new TrailCheck.Seal(
          8, T1, T2, 1, firstDigest, integrity.sealDigest(firstDigest, List.of("mac-3")));

  @Test
  void intactTrailVerifies() {
    TrailCheck check = new TrailCheck(integrity);

    checkFirst(check, "mac-1", "mac-2");
    checkSecond(check, second);
    check.unsealedRecord(4, "mac-4", "mac-4");

    AuditVerification result = check.result();
    assertTrue(result.verified());
    assertEquals(4, result.recordsChecked());
    assertEquals(2, result.sealsChecked());
    assertEquals(Optional.of(T2), result.sealedUntil());
    assertEquals(List.of(), result.problems());
  }

  @Test
  void changedRecordFailsMacAndSeal() {
    TrailCheck check = new TrailCheck(integrity);

    check.beginSeal(first);
    check.sealedRecord(1, "mac-1", "mac-1");
    check.sealedRecord(2, "mac-2", "mac-2-changed");
    check.endSeal();
    checkSecond(check, second);

    assertEquals(
        List.of(new RecordMacMismatch(2), new SealMismatch(7, T0, T1, 2, 2)),
        check.result().problems());
  }

  @Test
  void removedRecordFailsSealCount() {
    TrailCheck check = new TrailCheck(integrity);

    check.beginSeal(first);
    check.sealedRecord(1, "mac-1", "mac-1");
    check.endSeal();
    checkSecond(check, second);

    assertEquals(List.of(new SealMismatch(7, T0, T1, 2, 1)), check.result().problems());
  }

  @Test
  void insertedRecordFailsMacAndSeal() {
    TrailCheck check = new TrailCheck(integrity);

    checkFirst(check, "mac-1", "mac-2");
    check.beginSeal(second);
    check.sealedRecord(3, "mac-3", "mac-3");
    check.sealedRecord(99, "forged", "mac-99");
    check.endSeal();

    assertEquals(
        List.of(new RecordMacMismatch(99), new SealMismatch(8, T1, T2, 1, 2)),
        check.result().problems());
  }

  @Test
  void unreadableRecordFailsMacAndSeal() {
    TrailCheck check = new TrailCheck(integrity);

    checkFirst(check, "mac-1", "mac-2");
    check.beginSeal(second);
    check.sealedRecord(3, "mac-3", "mac-3");
    check.sealedRecord(99, null, null);
    check.endSeal();
    check.unsealedRecord(100, "any", null);

    assertEquals(
        List.of(
            new RecordMacMismatch(99),
            new SealMismatch(8, T1, T2, 1, 2),
            new RecordMacMismatch(100)),
        check.result().problems());
  }

  @Test
  void removedSealBreaksChain() {
    TrailCheck.Seal third =
        new TrailCheck.Seal(
            9, T2, T3, 0, second.digest(), integrity.sealDigest(second.digest(), List.of()));
    TrailCheck check = new TrailCheck(integrity);

    checkFirst(check, "mac-1", "mac-2");
    check.beginSeal(third);
    check.endSeal();

    assertEquals(List.of(new SealChainBroken(9, T2, T3)), check.result().problems());
  }

  @Test
  void changedPreviousDigestBreaksChainAndSeal() {
    TrailCheck.Seal changed = new TrailCheck.Seal(8, T1, T2, 1, "changed", second.digest());
    TrailCheck check = new TrailCheck(integrity);

    checkFirst(check, "mac-1", "mac-2");
    checkSecond(check, changed);

    assertEquals(
        List.of(new SealChainBroken(8, T1, T2), new SealMismatch(8, T1, T2, 1, 1)),
        check.result().problems());
  }

  @Test
  void changedDigestFailsOnlyItsSealAndChain() {
    TrailCheck.Seal changedFirst = new TrailCheck.Seal(7, T0, T1, 2, "older", "changed");
    TrailCheck check = new TrailCheck(integrity);

    check.beginSeal(changedFirst);
    check.sealedRecord(1, "mac-1", "mac-1");
    check.sealedRecord(2, "mac-2", "mac-2");
    check.endSeal();
    checkSecond(check, second);

    assertEquals(
        List.of(new SealMismatch(7, T0, T1, 2, 2), new SealChainBroken(8, T1, T2)),
        check.result().problems());
  }

  @Test
  void firstSealPreviousDigestIsTakenAsGiven() {
    TrailCheck check = new TrailCheck(integrity);

    checkSecond(check, second);

    assertTrue(check.result().verified());
  }

  @Test
  void unsealedRecordCheckedByMacOnly() {
    TrailCheck check = new TrailCheck(integrity);

    check.unsealedRecord(4, "mac-4", "mac-4");
    check.unsealedRecord(5, null, "mac-5");

    AuditVerification result = check.result();
    assertEquals(List.of(new RecordMacMismatch(5)), result.problems());
    assertEquals(Optional.empty(), result.sealedUntil());
    assertEquals(0, result.sealsChecked());
  }

  @Test
  void problemListIsCappedButCounted() {
    TrailCheck check = new TrailCheck(integrity, 2);

    for (long id = 1; id <= 5; id++) {
      check.unsealedRecord(id, "stored", "expected");
    }

    AuditVerification result = check.result();
    assertFalse(result.verified());
    assertEquals(List.of(new RecordMacMismatch(1), new RecordMacMismatch(2)), result.problems());
    assertEquals(5, result.problemCount());
  }

  private void checkFirst(TrailCheck check, String mac1, String mac2) {
    check.beginSeal(first);
    check.sealedRecord(1, mac1, mac1);
    check.sealedRecord(2, mac2, mac2);
    check.endSeal();
  }

  private void checkSecond(TrailCheck check, TrailCheck.Seal seal) {
    check.beginSeal(seal);
    check.sealedRecord(3, "mac-3", "mac-3");
    check.endSeal();
  }
}
