package app.miosa.gateway.operations;

import app.miosa.gateway.stream.LiveStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Liveness check: the application handles requests. Its data gives the number of live streams. */
@Liveness
@ApplicationScoped
public class GatewayLiveness implements HealthCheck {
  @Inject LiveStreams liveStreams;

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("stream-gateway")
        .up()
        .withData("live_streams", liveStreams.countAll(false) + liveStreams.countAll(true))
        .build();
  }
}
