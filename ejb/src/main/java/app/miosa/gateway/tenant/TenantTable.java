package app.miosa.gateway.tenant;

import app.miosa.gateway.config.FrameAncestors;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The plans and tenants of server config, read once from these keys:
 *
 * <pre>
 * gateway.plans=trial,enterprise                   plans besides "default"
 * gateway.plan.NAME.default-ttl-seconds=3600       lifetime when a request names none
 * gateway.plan.NAME.max-ttl-seconds=86400          longest lifetime a request may ask for
 * gateway.tenants=acme,globex                      tenants with settings of their own
 * gateway.tenant.ID.plan=enterprise                its plan (default: "default")
 * gateway.tenant.ID.frame-ancestors=https://app.acme.com    extra origins that may embed it
 * gateway.tenant.ID.stream-url=https://stream.acme.com      its own stream domain
 * </pre>
 *
 * <p>Plans and tenants are listed by name because an environment variable such as {@code
 * GATEWAY_TENANT_ACME_PLAN} cannot be mapped back to a key; each listed name is then looked up
 * key by key, which MicroProfile Config resolves in every source.
 */
public final class TenantTable {
  /** Base URL of the gateway's own stream domain, for the tenants without one of their own. */
  public static final String PUBLIC_URL = "gateway.public-url";

  public static final String PLANS = "gateway.plans";
  public static final String TENANTS = "gateway.tenants";
  public static final String PLAN_PREFIX = "gateway.plan.";
  public static final String TENANT_PREFIX = "gateway.tenant.";
  public static final String DEFAULT_PLAN = "default";

  static final long DEFAULT_TTL_SECONDS = 3600;
  static final long MAX_TTL_SECONDS = 86_400;

  private final Optional<URI> publicUrl;
  private final Map<String, Plan> plans;
  private final Map<String, Tenant> tenants;
  private final Map<String, Tenant> tenantsByStreamHost;

  private TenantTable(
      Optional<URI> publicUrl, Map<String, Plan> plans, Map<String, Tenant> tenants) {
    this.publicUrl = publicUrl;
    this.plans = Map.copyOf(plans);
    this.tenants = Map.copyOf(tenants);
    Map<String, Tenant> byHost = new HashMap<>();
    for (Tenant tenant : tenants.values()) {
      tenant.streamHost().ifPresent(host -> {
        Tenant other = byHost.put(host, tenant);
        if (other != null) {
          throw new IllegalStateException(
              "Tenants '" + other.id() + "' and '" + tenant.id() + "' have the same stream host "
                  + host + "; each tenant needs its own");
        }
      });
    }
    this.tenantsByStreamHost = Map.copyOf(byHost);
  }

  /**
   * Reads plans and tenants through a config lookup.
   *
   * @param lookup returns the value of a key, or empty when it is not set
   * @throws IllegalStateException naming the key of the first invalid value
   */
  public static TenantTable read(Function<String, Optional<String>> lookup) {
    Map<String, Plan> plans = new LinkedHashMap<>();
    plans.put(DEFAULT_PLAN, readPlan(DEFAULT_PLAN, lookup));
    for (String name : names(lookup, PLANS)) {
      plans.put(name, readPlan(name, lookup));
    }

    Map<String, Tenant> tenants = new LinkedHashMap<>();
    for (String id : names(lookup, TENANTS)) {
      String prefix = TENANT_PREFIX + id + ".";
      String planName = lookup.apply(prefix + "plan").map(String::trim).orElse(DEFAULT_PLAN);
      Plan plan = plans.get(planName);
      if (plan == null) {
        throw new IllegalStateException(
            "Invalid " + prefix + "plan: no plan '" + planName + "'; the plans are "
                + plans.keySet() + " (list more in " + PLANS + ")");
      }
      List<String> ancestors =
          lookup.apply(prefix + "frame-ancestors")
              .map(value -> FrameAncestors.parse(prefix + "frame-ancestors", value))
              .orElse(List.of());
      Optional<URI> streamUrl =
          lookup.apply(prefix + "stream-url")
              .filter(value -> !value.isBlank())
              .map(value -> parseBaseUrl(prefix + "stream-url", value));
      tenants.put(id, new Tenant(id, plan, ancestors, streamUrl));
    }
    Optional<URI> publicUrl =
        lookup.apply(PUBLIC_URL)
            .filter(value -> !value.isBlank())
            .map(value -> parseBaseUrl(PUBLIC_URL, value));
    return new TenantTable(publicUrl, plans, tenants);
  }

  /** Returns the settings of a tenant; one that config does not name gets the defaults. */
  public Tenant tenant(String id) {
    Tenant tenant = tenants.get(id);
    return tenant != null ? tenant : new Tenant(id, plans.get(DEFAULT_PLAN), List.of(), Optional.empty());
  }

  /** Returns the tenant whose stream domain has this host name, if any. */
  public Optional<Tenant> ownerOfStreamHost(String host) {
    return Optional.ofNullable(tenantsByStreamHost.get(host.toLowerCase(Locale.ROOT)));
  }

  /** Returns the base URL of the gateway's own stream domain, if configured. */
  public Optional<URI> publicUrl() {
    return publicUrl;
  }

  /**
   * Returns the base URL that a tenant's ticket URLs start with: its own stream URL, else the
   * gateway's public URL, else empty.
   */
  public Optional<URI> streamUrl(Tenant tenant) {
    return tenant.streamUrl().or(() -> publicUrl);
  }

  /**
   * Returns whether a tenant's tickets are honoured on a request to this host name: the host of
   * its own stream URL, else that of the public URL. Without either, any host that is not
   * another tenant's stream domain.
   */
  public boolean honoursHost(Tenant tenant, String host) {
    String requested = host.toLowerCase(Locale.ROOT);
    Optional<URI> own = streamUrl(tenant);
    if (own.isPresent()) {
      return own.get().getHost().toLowerCase(Locale.ROOT).equals(requested);
    }
    return ownerOfStreamHost(requested).isEmpty();
  }

  public Map<String, Plan> plans() {
    return plans;
  }

  public Map<String, Tenant> tenants() {
    return tenants;
  }

  /**
   * Parses an http or https base URL and drops trailing slashes.
   *
   * @param key the config key the value came from, named in the error
   */
  public static URI parseBaseUrl(String key, String value) {
    String trimmed = value.trim().replaceAll("/+$", "");
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Invalid " + key + " '" + value + "': " + e.getReason());
    }
    boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
    if (!http || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
      throw new IllegalStateException(
          "Invalid " + key + " '" + value + "': expected an http or https URL such as"
              + " https://stream.example.com, without query or fragment");
    }
    return uri;
  }

  private static Plan readPlan(String name, Function<String, Optional<String>> lookup) {
    String prefix = PLAN_PREFIX + name + ".";
    long defaultTtl = seconds(lookup, prefix + "default-ttl-seconds", DEFAULT_TTL_SECONDS);
    long maxTtl = seconds(lookup, prefix + "max-ttl-seconds", MAX_TTL_SECONDS);
    if (maxTtl < defaultTtl) {
      throw new IllegalStateException(
          "Invalid plan '" + name + "': " + prefix + "default-ttl-seconds=" + defaultTtl
              + " is above " + prefix + "max-ttl-seconds=" + maxTtl);
    }
    return new Plan(name, Duration.ofSeconds(defaultTtl), Duration.ofSeconds(maxTtl));
  }

  private static long seconds(
      Function<String, Optional<String>> lookup, String key, long defaultValue) {
    Optional<String> value = lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    if (value.isEmpty()) {
      return defaultValue;
    }
    long seconds;
    try {
      seconds = Long.parseLong(value.get());
    } catch (NumberFormatException e) {
      seconds = 0;
    }
    if (seconds <= 0) {
      throw new IllegalStateException(
          "Invalid " + key + " '" + value.get() + "': expected a positive number of seconds");
    }
    return seconds;
  }

  private static List<String> names(Function<String, Optional<String>> lookup, String key) {
    List<String> names =
        lookup.apply(key).stream()
            .flatMap(value -> Arrays.stream(value.split(",")))
            .map(String::trim)
            .filter(name -> !name.isEmpty())
            .toList();
    for (String name : names) {
      if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new IllegalStateException(
            "Invalid " + key + ": '" + name + "' must be 1 to 64 letters, digits, '_' or '-'");
      }
    }
    return names;
  }
}
