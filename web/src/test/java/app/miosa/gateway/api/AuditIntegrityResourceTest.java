package app.miosa.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.miosa.gateway.audit.AuditVerification;
import app.miosa.gateway.audit.IntegrityProblem;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditIntegrityResourceTest {
  private static final Instant FROM = Instant.parse("2026-05-14T19:00:00Z");
  private static final Instant UNTIL = Instant.parse("2026-05-14T19:01:00.250Z");

  @Test
  void problemsListIdsAndPeriods() {
    AuditVerification result =
        new AuditVerification(
            12,
            3,
            Optional.of(UNTIL),
            List.of(
                new IntegrityProblem.RecordMacMismatch(123),
                new IntegrityProblem.SealMismatch(4, FROM, UNTIL, 10, 9),
                new IntegrityProblem.SealChainBroken(5, FROM, UNTIL)),
            3);

    JsonObject json = AuditIntegrityResource.toJson(result);

    assertEquals(
        json(
            "{'verified': false, 'records_checked': 12, 'seals_checked': 3,"
                + " 'sealed_until': '2026-05-14T19:01:00.250Z',"
                + " 'problems': ["
                + "  {'problem': 'record_mac_mismatch', 'record_id': 123},"
                + "  {'problem': 'seal_mismatch', 'seal_id': 4,"
                + "   'covers_from': '2026-05-14T19:00:00Z',"
                + "   'covers_until': '2026-05-14T19:01:00.250Z',"
                + "   'expected_count': 10, 'found_count': 9},"
                + "  {'problem': 'seal_chain_broken', 'seal_id': 5,"
                + "   'covers_from': '2026-05-14T19:00:00Z',"
                + "   'covers_until': '2026-05-14T19:01:00.250Z'}],"
                + " 'problem_count': 3}"),
        json);
  }

  @Test
  void trailWithoutSealsHasNullSealedUntil() {
    AuditVerification result = new AuditVerification(2, 0, Optional.empty(), List.of(), 0);

    JsonObject json = AuditIntegrityResource.toJson(result);

    assertEquals(
        json(
            "{'verified': true, 'records_checked': 2, 'seals_checked': 0, 'sealed_until': null,"
                + " 'problems': [], 'problem_count': 0}"),
        json);
  }

  private static JsonObject json(String singleQuoted) {
    return Json.createReader(new StringReader(singleQuoted.replace('\'', '"'))).readObject();
  }
}
