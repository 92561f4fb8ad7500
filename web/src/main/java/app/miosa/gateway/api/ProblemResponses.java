package app.miosa.gateway.api;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Adds the problem+json error responses every API operation can give to the OpenAPI document, so
 * that each operation does not repeat them: 400, 401, 403, 404 and 503, described by one {@code
 * Problem} schema (RFC 9457). Named in {@code mp.openapi.filter}.
 */
public class ProblemResponses implements OASFilter {
  static final String SCHEMA = "Problem";

  private static final Map<String, String> ERRORS =
      Map.of(
          "400", "The request is not valid; detail names the field and why",
          "401", "No valid bearer token",
          "403", "The API key lacks the role this operation needs",
          "404", "No such computer in the caller's tenant",
          "503", "The audit database is unavailable; try again later");

  @Override
  public Operation filterOperation(Operation operation) {
    ERRORS.forEach(
        (status, description) -> {
          if (operation.getResponses() != null && !operation.getResponses().hasAPIResponse(status)) {
            operation.getResponses().addAPIResponse(status, problem(description));
          }
        });
    return operation;
  }

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    Components components = openApi.getComponents();
    if (components == null) {
      components = OASFactory.createComponents();
      openApi.setComponents(components);
    }
    components.addSchema(
        SCHEMA,
        OASFactory.createSchema()
            .type(Schema.SchemaType.OBJECT)
            .description("An error, as RFC 9457 problem details")
            .addProperty("type", text("Always about:blank"))
            .addProperty("title", text("What went wrong, a sentence a person can act on"))
            .addProperty("status", OASFactory.createSchema().type(Schema.SchemaType.INTEGER))
            .addProperty("detail", text("This occurrence's specifics, such as the field")));
  }

  private static APIResponse problem(String description) {
    MediaType problemJson =
        OASFactory.createMediaType()
            .schema(OASFactory.createSchema().ref("#/components/schemas/" + SCHEMA));
    Content content = OASFactory.createContent().addMediaType("application/problem+json", problemJson);
    return OASFactory.createAPIResponse().description(description).content(content);
  }

  private static Schema text(String description) {
    return OASFactory.createSchema().type(Schema.SchemaType.STRING).description(description);
  }
}
