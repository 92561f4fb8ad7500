package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbedScriptServletTest {
  private static final Path SCRIPT = Path.of("src", "main", "webapp", "WEB-INF", "embed.js");

  @Test
  void etagIsQuotedHexOfContent() {
    String etag = EmbedScriptServlet.etag("a".getBytes(StandardCharsets.UTF_8));

    assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
  }

  @Test
  void etagChangesWithContent() {
    assertNotEquals(
        EmbedScriptServlet.etag("a".getBytes(StandardCharsets.UTF_8)),
        EmbedScriptServlet.etag("b".getBytes(StandardCharsets.UTF_8)));
  }

  /** Customer pages load the script with a plain script tag, where module syntax fails. */
  @Test
  void scriptIsClassicNotModule() throws IOException {
    String script = Files.readString(SCRIPT);

    assertFalse(script.matches("(?ms).*^\\s*(import|export)\\b.*"), "module syntax in embed.js");
    assertFalse(script.contains("import("), "dynamic import in embed.js");
    assertTrue(script.contains("window.MiosaStream ="), "embed.js defines window.MiosaStream");
  }
}
