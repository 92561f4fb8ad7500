package app.miosa.gateway.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ViewerServletTest {
  private static final Path TEMPLATE = Path.of("src", "main", "webapp", "WEB-INF", "viewer.html");

  @Test
  void renderFillsExpiryAndServingTime() throws IOException {
    Instant expiresAt = Instant.parse("2026-05-14T19:30:00Z");
    Instant servedAt = Instant.parse("2026-05-14T18:30:00.125Z");

    String page = ViewerServlet.render(Files.readString(TEMPLATE), expiresAt, servedAt, false);

    assertTrue(
        page.contains("<meta name=\"ticket-expires-at\" content=\"2026-05-14T19:30:00Z\">"), page);
    assertTrue(
        page.contains("<meta name=\"served-at\" content=\"2026-05-14T18:30:00.125Z\">"), page);
    assertTrue(page.contains("<meta name=\"audio\" content=\"off\">"), page);
    assertFalse(page.contains("{{"), "a placeholder is left in the page");
  }

  @Test
  void renderTurnsAudioOnWhenAskedAndAvailable() throws IOException {
    String page =
        ViewerServlet.render(Files.readString(TEMPLATE), Instant.EPOCH, Instant.EPOCH, true);

    assertTrue(page.contains("<meta name=\"audio\" content=\"on\">"), page);
  }

  @Test
  void renderLeavesTemplateWithoutPlaceholdersAlone() {
    String template = "<p>{ticket-expires-at}</p>";

    String page = ViewerServlet.render(template, Instant.EPOCH, Instant.EPOCH, true);

    assertEquals(template, page);
  }
}
