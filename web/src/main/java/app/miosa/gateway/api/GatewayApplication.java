package app.miosa.gateway.api;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The REST API under {@code /api}, authenticated with MicroProfile JWT bearer tokens. It is a CDI
 * bean because Payara only applies {@code @LoginConfig} to one.
 */
@ApplicationPath("api")
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
