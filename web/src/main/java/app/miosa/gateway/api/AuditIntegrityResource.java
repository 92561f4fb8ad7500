package app.miosa.gateway.api;

import app.miosa.gateway.audit.AuditVerification;
import app.miosa.gateway.audit.AuditVerifier;
import app.miosa.gateway.audit.IntegrityProblem;
import app.miosa.gateway.tenant.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.logging.Logger;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Verifies the audit trail of every tenant against its record MACs and seals. The result names
 * records and seals by id and periods by time, never a record's contents.
 */
@Path("v1/audit-integrity")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AuditIntegrityResource {
  private static final Logger LOG = Logger.getLogger(AuditIntegrityResource.class.getName());

  @Inject JsonWebToken token;
  @EJB AuditVerifier verifier;

  /**
   * Verifies the whole trail and returns {@code verified}, {@code records_checked}, {@code
   * seals_checked}, {@code sealed_until} (null before the first seal), the first problems found in
   * {@code problems}, and {@code problem_count}.
   */
  @Operation(summary = "Verify the audit trail's record MACs and seals")
  @APIResponse(responseCode = "200", description = "Whether the trail verifies, with every problem found")
  @GET
  @RolesAllowed(Roles.AUDIT_READ)
  public String verify() {
    Caller caller = CallerTokens.callerOf(token);
    AuditVerification result = verifier.verifyTrail();
    LOG.info(
        () ->
            "Audit trail verified for API key "
                + caller.apiKey()
                + " of tenant "
                + caller.tenant()
                + ": "
                + result.recordsChecked()
                + " records, "
                + result.sealsChecked()
                + " seals, "
                + result.problemCount()
                + " problems");
    return toJson(result).toString();
  }

  static JsonObject toJson(AuditVerification result) {
    JsonArrayBuilder problems = JsonBodies.JSON.createArrayBuilder();
    for (IntegrityProblem problem : result.problems()) {
      problems.add(toJson(problem));
    }
    JsonObjectBuilder json =
        JsonBodies.JSON.createObjectBuilder()
            .add("verified", result.verified())
            .add("records_checked", result.recordsChecked())
            .add("seals_checked", result.sealsChecked());
    if (result.sealedUntil().isPresent()) {
      json.add("sealed_until", result.sealedUntil().get().toString());
    } else {
      json.addNull("sealed_until");
    }
    return json.add("problems", problems).add("problem_count", result.problemCount()).build();
  }

  private static JsonObject toJson(IntegrityProblem problem) {
    if (problem instanceof IntegrityProblem.RecordMacMismatch record) {
      return JsonBodies.JSON.createObjectBuilder()
          .add("problem", "record_mac_mismatch")
          .add("record_id", record.recordId())
          .build();
    }
    if (problem instanceof IntegrityProblem.SealMismatch seal) {
      return JsonBodies.JSON.createObjectBuilder()
          .add("problem", "seal_mismatch")
          .add("seal_id", seal.sealId())
          .add("covers_from", seal.coversFrom().toString())
          .add("covers_until", seal.coversUntil().toString())
          .add("expected_count", seal.expectedCount())
          .add("found_count", seal.foundCount())
          .build();
    }
    IntegrityProblem.SealChainBroken chain = (IntegrityProblem.SealChainBroken) problem;
    return JsonBodies.JSON.createObjectBuilder()
        .add("problem", "seal_chain_broken")
        .add("seal_id", chain.sealId())
        .add("covers_from", chain.coversFrom().toString())
        .add("covers_until", chain.coversUntil().toString())
        .build();
  }
}
