package app.miosa.gateway.ticket;

import app.miosa.gateway.config.GatewaySettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/** Signs and verifies tickets with the configured keys; shared by minting and streaming. */
@ApplicationScoped
public class TicketKeys {
  @Inject GatewaySettings settings;

  private TicketCodec codec;

  @PostConstruct
  void load() {
    codec = new TicketCodec(settings.signingKeys(), Clock.systemUTC());
  }

  public String sign(TicketClaims claims) {
    return codec.encode(claims);
  }

  /**
   * Verifies a token for a computer.
   *
   * @throws app.miosa.gateway.failure.GatewayException when the ticket does not open it
   */
  public TicketClaims verify(String token, String computerId) {
    return codec.decode(token, computerId);
  }

  public java.time.Instant now() {
    return codec.now();
  }
}
