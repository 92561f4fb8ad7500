package app.miosa.gateway.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantTableTest {
  private static TenantTable read(Map<String, String> config) {
    return TenantTable.read(key -> Optional.ofNullable(config.get(key)));
  }

  @Test
  void emptyConfigGivesDefaultPlan() {
    TenantTable table = read(Map.of());

    Tenant tenant = table.tenant("acme");

    assertEquals("default", tenant.plan().name());
    assertEquals(Duration.ofHours(1), tenant.plan().defaultTtl());
    assertEquals(Duration.ofHours(24), tenant.plan().maxTtl());
    assertEquals(List.of(), tenant.frameAncestors());
    assertEquals(Optional.empty(), table.streamUrl(tenant));
  }

  @Test
  void tenantTakesItsPlanAndDomain() {
    TenantTable table =
        read(Map.of(
            "gateway.plans", "trial, enterprise",
            "gateway.plan.trial.default-ttl-seconds", "60",
            "gateway.plan.trial.max-ttl-seconds", "300",
            "gateway.tenants", "acme",
            "gateway.tenant.acme.plan", "trial",
            "gateway.tenant.acme.frame-ancestors", "https://app.acme.com  *.acme.net:8443",
            "gateway.tenant.acme.stream-url", "https://Stream.Acme.com/"));

    Tenant acme = table.tenant("acme");

    assertEquals("trial", acme.plan().name());
    assertEquals(Duration.ofSeconds(60), acme.plan().defaultTtl());
    assertEquals(Duration.ofSeconds(300), acme.plan().maxTtl());
    assertEquals(List.of("https://app.acme.com", "*.acme.net:8443"), acme.frameAncestors());
    assertEquals(URI.create("https://Stream.Acme.com"), table.streamUrl(acme).orElseThrow());
    assertEquals(Optional.of("stream.acme.com"), acme.streamHost());
    assertEquals(Duration.ofHours(24), table.plans().get("enterprise").maxTtl());
  }

  @Test
  void ticketHonouredOnlyOnOwnDomain() {
    TenantTable table =
        read(Map.of(
            "gateway.public-url", "https://stream.example.com",
            "gateway.tenants", "acme",
            "gateway.tenant.acme.stream-url", "https://stream.acme.com"));
    Tenant acme = table.tenant("acme");
    Tenant other = table.tenant("globex");

    assertTrue(table.honoursHost(acme, "STREAM.acme.com"));
    assertFalse(table.honoursHost(acme, "stream.example.com"));
    assertTrue(table.honoursHost(other, "stream.example.com"));
    assertFalse(table.honoursHost(other, "stream.acme.com"));
    assertFalse(table.honoursHost(other, "127.0.0.1"));
  }

  @Test
  void withoutPublicUrlOtherTenantsKeepOffTenantDomains() {
    TenantTable table =
        read(Map.of(
            "gateway.tenants", "acme",
            "gateway.tenant.acme.stream-url", "http://stream.acme.test:8080"));
    Tenant other = table.tenant("globex");

    assertTrue(table.honoursHost(other, "127.0.0.1"));
    assertFalse(table.honoursHost(other, "stream.acme.test"));
    assertEquals(Optional.empty(), table.streamUrl(other));
  }

  @Test
  void unknownPlanIsRejected() {
    IllegalStateException error =
        assertThrows(
            IllegalStateException.class,
            () -> read(Map.of("gateway.tenants", "acme", "gateway.tenant.acme.plan", "gold")));

    assertTrue(error.getMessage().contains("gateway.tenant.acme.plan"), error.getMessage());
    assertTrue(error.getMessage().contains("'gold'"), error.getMessage());
  }

  @Test
  void defaultAboveMaximumIsRejected() {
    IllegalStateException error =
        assertThrows(
            IllegalStateException.class,
            () -> read(Map.of("gateway.plan.default.max-ttl-seconds", "600")));

    assertTrue(error.getMessage().contains("default-ttl-seconds=3600"), error.getMessage());
  }

  @Test
  void invalidLifetimesAreRejected() {
    for (String value : List.of("0", "-5", "ten", "1.5")) {
      IllegalStateException error =
          assertThrows(
              IllegalStateException.class,
              () -> read(Map.of("gateway.plan.default.max-ttl-seconds", value)),
              value);
      assertTrue(error.getMessage().contains("'" + value + "'"), error.getMessage());
    }
  }

  @Test
  void sharedStreamHostIsRejected() {
    IllegalStateException error =
        assertThrows(
            IllegalStateException.class,
            () ->
                read(Map.of(
                    "gateway.tenants", "acme,globex",
                    "gateway.tenant.acme.stream-url", "https://stream.shared.com",
                    "gateway.tenant.globex.stream-url", "https://STREAM.shared.com/")));

    assertTrue(error.getMessage().contains("stream.shared.com"), error.getMessage());
  }

  @Test
  void invalidStreamUrlsAreRejected() {
    for (String value : List.of("ftp://stream.acme.com", "stream.acme.com", "https://a.com/?x=1", "https:///path")) {
      assertThrows(
          IllegalStateException.class,
          () ->
              read(Map.of("gateway.tenants", "acme", "gateway.tenant.acme.stream-url", value)),
          value);
    }
  }

  @Test
  void invalidTenantNamesAreRejected() {
    assertThrows(
        IllegalStateException.class, () -> read(Map.of("gateway.tenants", "acme,a.b")));
  }
}
