package app.miosa.gateway.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The operator's properties file of gateway settings, such as tenants and plans, named by the
 * system property {@code gateway.config-file} or the environment variable {@code
 * GATEWAY_CONFIG_FILE}. Its ordinal, 200, puts it above the application's own defaults (100) and
 * below environment variables (300) and system properties (400), which therefore override it.
 */
public class ConfigFileSource implements ConfigSource {
  public static final String LOCATION_PROPERTY = "gateway.config-file";
  public static final String LOCATION_VARIABLE = "GATEWAY_CONFIG_FILE";
  public static final int ORDINAL = 200;

  private final String name;
  private final Map<String, String> properties;

  /** Reads the file named by the system property or environment variable, if either is set. */
  public ConfigFileSource() {
    this(location());
  }

  ConfigFileSource(String location) {
    if (location == null || location.isBlank()) {
      name = "gateway config file (none)";
      properties = Map.of();
      return;
    }
    Path file = Path.of(location);
    name = "gateway config file " + file.toAbsolutePath();
    properties = read(file);
  }

  private static String location() {
    String property = System.getProperty(LOCATION_PROPERTY);
    return property != null ? property : System.getenv(LOCATION_VARIABLE);
  }

  private static Map<String, String> read(Path file) {
    Properties loaded = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      loaded.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Reading the gateway config file " + file.toAbsolutePath() + " (named by "
              + LOCATION_VARIABLE + " or " + LOCATION_PROPERTY + ") failed: " + e.getMessage(), e);
    }
    Map<String, String> values = new HashMap<>();
    loaded.stringPropertyNames().forEach(key -> values.put(key, loaded.getProperty(key).trim()));
    return Map.copyOf(values);
  }

  @Override
  public Map<String, String> getProperties() {
    return properties;
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return properties.get(propertyName);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
