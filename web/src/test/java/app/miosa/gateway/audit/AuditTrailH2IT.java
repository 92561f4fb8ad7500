package app.miosa.gateway.audit;

import app.miosa.gateway.testing.GatewayDeployment;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit trail suite on Payara Micro's embedded H2 database. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuditTrailH2IT extends AuditTrailSuite {
  @ArquillianResource private URL deploymentUrl;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return GatewayDeployment.war(TOKENS, "audit-h2");
  }

  @Override
  URL gatewayUrl() {
    return deploymentUrl;
  }
}
