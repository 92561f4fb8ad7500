package app.miosa.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileSourceTest {
  @TempDir Path directory;

  @Test
  void readsPropertiesFile() throws Exception {
    Path file = directory.resolve("gateway.properties");
    Files.writeString(
        file,
        "# tenants\ngateway.tenants=acme\n"
            + "gateway.tenant.acme.frame-ancestors = https://app.acme.com *.acme.net  \n");

    ConfigFileSource source = new ConfigFileSource(file.toString());

    assertEquals("acme", source.getValue("gateway.tenants"));
    assertEquals(
        "https://app.acme.com *.acme.net",
        source.getValue("gateway.tenant.acme.frame-ancestors"));
    assertEquals(
        Set.of("gateway.tenants", "gateway.tenant.acme.frame-ancestors"),
        source.getPropertyNames());
    assertEquals(200, source.getOrdinal());
  }

  @Test
  void noLocationMeansNoProperties() {
    ConfigFileSource source = new ConfigFileSource(null);

    assertNull(source.getValue("gateway.tenants"));
    assertTrue(source.getProperties().isEmpty());
  }

  @Test
  void missingFileNamesItsPath() {
    Path missing = directory.resolve("missing.properties");

    UncheckedIOException error =
        assertThrows(UncheckedIOException.class, () -> new ConfigFileSource(missing.toString()));

    assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    assertTrue(error.getMessage().contains("GATEWAY_CONFIG_FILE"), error.getMessage());
  }
}
