package app.miosa.gateway.tenant;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A tenant's settings from server config. A tenant that config does not name has the default plan,
 * no extra frame ancestors and no stream URL of its own.
 *
 * @param id the tenant's id, as API tokens name it in their {@code tenant} claim
 * @param plan the plan that sets its ticket lifetimes
 * @param frameAncestors CSP source expressions allowed to embed its viewers, besides the defaults
 * @param streamUrl base URL of its own stream domain, such as {@code https://stream.example.com};
 *     its tickets are built on it and honoured on its host only
 */
public record Tenant(String id, Plan plan, List<String> frameAncestors, Optional<URI> streamUrl) {
  public Tenant {
    frameAncestors = List.copyOf(frameAncestors);
  }

  /** Returns the lower-case host name of the tenant's stream domain, if it has one. */
  public Optional<String> streamHost() {
    return streamUrl.map(url -> url.getHost().toLowerCase(Locale.ROOT));
  }
}
