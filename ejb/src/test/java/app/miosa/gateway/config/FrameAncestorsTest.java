package app.miosa.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrameAncestorsTest {
  @Test
  void acceptsHostSchemeAndKeywordSources() {
    List<String> sources =
        FrameAncestors.parse(
            "key", " 'self' https: *.miosa.app https://app.example.com:8443 localhost:* ");

    assertEquals(
        List.of("'self'", "https:", "*.miosa.app", "https://app.example.com:8443", "localhost:*"),
        sources);
  }

  @Test
  void rejectsValuesThatWouldChangeThePolicy() {
    for (String value :
        List.of(
            "https://a.com; script-src *",
            "https://a.com,https://b.com",
            "'unsafe-inline'",
            "https://a.com/path",
            "https://a.com\"",
            "[::1]")) {
      IllegalStateException error =
          assertThrows(IllegalStateException.class, () -> FrameAncestors.parse("key", value));
      assertTrue(error.getMessage().startsWith("Invalid key"), error.getMessage());
    }
  }
}
