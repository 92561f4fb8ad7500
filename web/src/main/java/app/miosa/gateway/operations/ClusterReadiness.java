package app.miosa.gateway.operations;

import app.miosa.gateway.stream.GatewayCluster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness data on cluster membership: how many gateway nodes share this node's data grid. A
 * node alone is ready too, since tickets and revocations live in the shared database.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {
  static final String NAME = "cluster";

  @Inject GatewayCluster cluster;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named(NAME)
        .up()
        .withData("clustered", cluster.clustered())
        .withData("members", cluster.members())
        .build();
  }
}
