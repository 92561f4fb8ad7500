package app.miosa.gateway.api;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The REST API under {@code /api}, authenticated with MicroProfile JWT bearer tokens. It is a CDI
 * bean because Payara only applies {@code @LoginConfig} to one.
 */
@ApplicationPath("api")
@OpenAPIDefinition(
    info =
        @Info(
            title = "Stream gateway",
            version = "1",
            description =
                "Registers computers, mints and revokes terminal tickets, and reads the audit"
                    + " trail. Bearer JWTs name the API key (sub), the tenant and the roles."),
    security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
    securitySchemeName = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({Roles.TICKETS_ISSUE, Roles.TICKETS_REVOKE, Roles.COMPUTERS_MANAGE, Roles.AUDIT_READ})
@ApplicationScoped
public class GatewayApplication extends Application {
  @Override
  public Map<String, Object> getProperties() {
    // Without this, Jersey returns a WADL description of every resource for OPTIONS.
    return Map.of("jersey.config.server.wadl.disableWadl", true);
  }
}
